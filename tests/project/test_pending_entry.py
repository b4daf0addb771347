"""A waiting report's manifest line names its first guess as a manifest must: by ``County.key``."""

from __future__ import annotations

from pathlib import Path

from geo.locate.admin import county
from geo.model import DocumentResult, Guess
from geo.project.pending import entry


def _waiting(path: Path, first: str) -> DocumentResult:
    guess = Guess(county(first), 3.0, (("named in text", "鼓楼区", 3.0),))
    return DocumentResult(path.name, path, "text", "鼓楼区旧小区改造。", None, (), None, (),
                          guesses=(guess,), pending_reason="two or more counties are about equally likely")


def test_the_manifest_line_names_a_shared_county_with_its_prefecture(tmp_path: Path) -> None:
    e = entry(_waiting(tmp_path / "a.txt", "福州鼓楼区"), tmp_path)
    assert e["manifest_line"] == "a.txt,福州市鼓楼区,,,,"
    assert e["guesses"][0]["county"] == "鼓楼区" and e["guesses"][0]["prefecture"] == "福州市"


def test_the_manifest_line_names_another_county_by_its_official_name(tmp_path: Path) -> None:
    assert entry(_waiting(tmp_path / "a.txt", "永康"), tmp_path)["manifest_line"] == "a.txt,永康市,,,,"
