"""The README's promises: its two commands, its Python example, and CI running them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(tag: str) -> str:
    """The fenced block after an HTML comment tag in the README."""
    match = re.search(rf"<!-- ci:{tag} -->\n```bash\n(.*?)\n```", README, re.S)
    assert match, f"README has no block tagged ci:{tag}"
    return match.group(1)


def test_two_commands_each_one_line() -> None:
    """The quick start has exactly two set-up commands, each a single line."""
    demo, test = block_after("demo-command"), block_after("test-command")
    assert "\n" not in demo
    assert "\n" not in test
    assert demo.endswith("mhneed demo")
    assert test.endswith("-m pytest")
    assert README.count("<!-- ci:") == 2


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run reads the test command out of the README rather than keeping its own copy."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme_command test-command" in ci
    assert "mypy --strict src" in ci
    assert "ruff format --check" in ci


def test_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python example runs as written."""
    match = re.search(r"## In Python\n\n```python\n(.*?)\n```", README, re.S)
    assert match
    exec(compile(match.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "cases_upper" in out
    assert "[apms_2014_data_tables] (primary)" in out
    assert "none in the survey sample" in out  # describe() lists the zero cells
    assert "apms_2014" in out
