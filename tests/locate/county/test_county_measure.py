"""Measurements of the county decision on the development sets, and a check that no test or
lexicon of the county decision copies their words.

The truth is read from ``*.meta.json`` here, to score; the build never reads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.locate.county.decide import Clues, decide
from geo.text.clean import clean_text

ROOT = Path(__file__).resolve().parents[3]
EVAL = ROOT.parent / "shared" / "eval"
SETS = [EVAL / "dev", EVAL / "dev2"]
needs_eval = pytest.mark.skipif(not all(s.is_dir() for s in SETS), reason="the development sets are not beside the repo")


def _reports() -> list[tuple[Path, Path, str]]:
    out = []
    for root in SETS:
        for path in sorted(root.glob("*.txt")):
            truth = json.loads(path.with_name(path.stem + ".meta.json").read_text("utf-8"))["county"]
            out.append((root, path, truth))
    return out


@needs_eval
def test_every_development_report_gets_its_county_or_waits_with_it_in_its_first_three() -> None:
    right, wrong, waiting, table = 0, [], [], []
    for root, path, truth in _reports():
        d = decide(clean_text(path.read_text("utf-8")), Clues(path=path, root=root))
        names = [g.county.name for g in d.guesses]
        if d.county is None:
            waiting.append((path.name, truth in names[:3]))
        elif d.county.name == truth:
            right += 1
        else:
            wrong.append((path.name, d.county.name, truth))
        table.append((path.name, d.county.name if d.county else "-", d.source, d.confidence))
    assert len(table) == 36
    assert not wrong, wrong
    assert right >= 34, table
    assert all(in_top3 for _, in_top3 in waiting), waiting


# ---------------------------------------------------------------- no development words copied

_CJK = re.compile(r"[\u3400-\u9fff]{5,}")
N = 5
# general administrative vocabulary every report may hold; no name of a place
GENERIC = ("经济技术开发区",)


def _grams(text: str) -> set[str]:
    return {run[i:i + N] for run in _CJK.findall(text) for i in range(len(run) - N + 1)}


OWN_FILES = [
    *sorted((ROOT / "tests" / "locate" / "county").glob("test_county*.py")),
    ROOT / "tests" / "data" / "test_tables.py",
    ROOT / "geo" / "lexicons" / "county_cues.toml",
    ROOT / "geo" / "lexicons" / "admin_names.toml",
    *sorted((ROOT / "geo" / "locate" / "county").glob("*.py")),
    *sorted((ROOT / "geo" / "project").glob("*.py")),
    ROOT / "geo" / "web" / "pending.py",
    ROOT / "geo" / "data" / "tables.py",
]


@pytest.mark.skipif(not any(s.is_dir() for s in SETS), reason="the development sets are not beside the repo")
def test_no_development_string_of_five_characters_in_the_county_tests_and_lexicons() -> None:
    dev: set[str] = set()
    for path in sorted(EVAL.glob("dev*/*.txt")):
        dev |= _grams(path.read_text("utf-8"))
    assert dev
    dev -= set().union(*map(_grams, GENERIC))
    found = {p.name: sorted(_grams(p.read_text("utf-8")) & dev) for p in OWN_FILES if p.exists()}
    assert not {k: v for k, v in found.items() if v}
