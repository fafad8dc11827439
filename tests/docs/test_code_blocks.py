"""Every Python code block in the README and docs runs, in order, as a reader would run it.

Blocks in one page share a namespace and run from the project root (so paths such as
``tests/data/...`` resolve). A block preceded by ``<!-- skip: reason -->`` is not run
(for example one that needs a Dask cluster); the reason must be given.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(
    r"(?P<skip><!-- skip: (?P<why>[^>]+) -->\n)?```python\n(?P<code>.*?)\n```"
    r"(?:\n+<!-- expected output -->\n```text\n(?P<out>.*?)\n```)?",
    re.S,
)

matplotlib.use("Agg")


def blocks(page: Path) -> list[tuple[str, str | None]]:
    """The page's Python blocks, each with its skip reason (None to run it)."""
    return [(code, why) for code, why, _ in blocks_with_output(page)]


def blocks_with_output(page: Path) -> list[tuple[str, str | None, str | None]]:
    """Python blocks with skip reason and the expected output shown after them, if any."""
    text = page.read_text(encoding="utf-8")
    return [(m.group("code"), m.group("why"), m.group("out")) for m in FENCE.finditer(text)]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


PAGES_WITH_CODE = [p for p in PAGES if any(why is None for _, why in blocks(p))]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_code_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """All of the page's Python blocks run without error, in order, printing what the page shows."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MHNEED_OUTPUT", str(tmp_path))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for i, (code, why, expected) in enumerate(blocks_with_output(page), start=1):
        if why is not None:
            continue
        capsys.readouterr()
        exec(compile(code, f"{page.name} block {i}", "exec"), namespace)
        printed = capsys.readouterr().out
        if expected is not None:
            assert _lines(printed) == _lines(expected), (
                f"{page.name} block {i} printed other output"
            )


def test_skipped_blocks_give_reasons() -> None:
    """A block is only skipped with a stated reason, and most blocks run."""
    all_blocks = [(p, why) for p in PAGES for _, why in blocks(p)]
    assert all(why is None or why.strip() for _, why in all_blocks)
    skipped = sum(why is not None for _, why in all_blocks)
    assert skipped <= len(all_blocks) // 3


def test_docs_pages_are_in_the_site() -> None:
    """Every page under docs/ is in the MkDocs navigation, so none is left unpublished."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").rglob("*.md")):
        name = page.relative_to(ROOT / "docs").as_posix()
        assert name in nav, f"docs/{name} is not in mkdocs.yml nav"


def test_api_reference_lists_every_public_name() -> None:
    """docs/api.md documents every name in mhneed.__all__ (errors via mhneed.errors)."""
    import mhneed

    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [
        name
        for name in mhneed.__all__
        if not name.startswith("__")
        and not name.endswith("Error")
        and f"::: mhneed.{name}\n" not in api
    ]
    assert missing == []
    assert "::: mhneed.errors\n" in api
