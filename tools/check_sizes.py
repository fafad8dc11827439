"""Check the house rules on size: modules of about 400 lines, functions of about 60.

A module over ``MODULE_LINES`` lines, or a function or method whose code (its
lines less its docstring) is over ``FUNCTION_LINES``, is reported, unless the
module says why near its top, in a comment line starting ``# size:`` (for
example ``# size: one table of messages; splitting it would scatter them``).
Run from the project root::

    python tools/check_sizes.py            # src/mhneed
    python tools/check_sizes.py PATH ...   # other folders or files

Exits 1 and lists every breach, or prints a one-line summary and exits 0.
See docs/architecture.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 60
REASON_MARK = "# size:"
HEAD_LINES = 40  # where the reason must be


def function_lengths(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, first line, code lines less docstring) of every function."""
    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                doc = _docstring_lines(child)
                out.append((name, child.lineno, length - doc))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return out


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    if node.body and isinstance(node.body[0], ast.Expr):
        value = node.body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            first = node.body[0]
            return (first.end_lineno or first.lineno) - first.lineno + 1
    return 0


def check(path: Path) -> list[str]:
    """Breaches of the size rules in one file (empty when it keeps them or says why)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if any(line.startswith(REASON_MARK) for line in lines[:HEAD_LINES]):
        return []
    problems = []
    if len(lines) > MODULE_LINES:
        problems.append(f"{path}: {len(lines)} lines (over {MODULE_LINES})")
    for name, lineno, length in function_lengths(ast.parse(text)):
        if length > FUNCTION_LINES:
            problems.append(
                f"{path}:{lineno}: {name} has {length} lines of code (over {FUNCTION_LINES})"
            )
    return problems


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("src/mhneed")]
    files = sorted(p for r in roots for p in ([r] if r.is_file() else r.rglob("*.py")))
    problems = [p for f in files for p in check(f)]
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} breach(es) of the size rules; split the module or function, or "
            f"say why at the top of the module in a '{REASON_MARK}' comment"
        )
        return 1
    print(f"size rules kept: {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
