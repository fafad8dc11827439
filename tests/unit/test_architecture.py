"""The house's layers import one way, as docs/architecture.md draws them."""

from __future__ import annotations

import ast
from pathlib import Path

import mhneed

SRC = Path(mhneed.__file__).parent

#: Layers from the bottom up; a module may import its own layer and those below it.
LAYERS = ["published", "inputs", "engine", "outputs", "cli"]


def _layer(module: str) -> int:
    """The rank of a module's layer: -1 for the shared helpers at the top of the package."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def _imports(path: Path) -> list[str]:
    """Every mhneed module a file imports, at its top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mhneed"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("mhneed")]
    return found


def test_imports_run_one_way() -> None:
    """No module imports from a layer above its own; the top's helpers import no layer."""
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module in ("mhneed.__init__", "mhneed.__main__"):
            continue  # the public API gathers every layer
        for imported in _imports(path):
            if _layer(imported) > _layer(module):
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_every_layer_is_a_folder() -> None:
    """The tree shows the flow: each layer is a package, with no stray modules beside them."""
    for layer in LAYERS:
        assert (SRC / layer / "__init__.py").is_file()
    top = sorted(p.stem for p in SRC.glob("*.py"))
    assert top == [
        "__init__",
        "__main__",
        "_extras",
        "_file_quirks",
        "_files",
        "_group_ids",
        "_text",
        "errors",
    ]
