"""The ``browser`` marker: ``pytest -m browser`` runs the tests that drive Chromium, and
``-m "not browser"`` everything else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
MARKED = re.compile(r"^pytestmark = \[pytest\.mark\.browser, needs_chromium\]$", re.M)


def test_every_module_that_opens_a_browser_is_marked() -> None:
    opening = [
        p.relative_to(TESTS).as_posix()
        for p in sorted(TESTS.rglob("test_*.py"))
        if re.search(r"^from conftest import .*\bbrowser\b", p.read_text(encoding="utf-8"), re.M)
    ]
    assert opening, "no test opens a browser any more: this check is stale"
    assert [n for n in opening if not MARKED.search((TESTS / n).read_text(encoding="utf-8"))] == []


def _collected(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split("::")[0] for line in out.splitlines() if "::" in line}


def test_the_marker_selects_and_deselects() -> None:
    files = ["tests/web/test_e2e_access.py", "tests/web/test_web_urlstate.py"]
    assert _collected(*files, "-m", "browser") == {"tests/web/test_e2e_access.py"}
    assert _collected(*files, "-m", "not browser") == {"tests/web/test_web_urlstate.py"}
    assert _collected(*files) == set(files)
