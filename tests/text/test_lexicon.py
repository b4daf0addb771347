"""Tests for geo.text.lexicon: the TOML lexicons are read in one place, and what they hold works as rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.data import lexicon_files
from geo.errors import GeoError
from geo.text import lexicon


def test_a_broken_toml_lexicon_is_an_error_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken.toml").write_text("words = [\"甲\",\n", encoding="utf-8")
    monkeypatch.setattr(lexicon_files, "LEXICON_DIR", tmp_path)
    with pytest.raises(GeoError, match=r"broken\.toml: not valid TOML"):
        lexicon_files.toml("broken.toml")


def test_county_cues_and_admin_names_are_read_through_the_lexicon_module() -> None:
    assert "住建局" in lexicon.county_cues()["organs"]
    assert set(lexicon.county_cues()["level_chars"]) >= set("市县区")
    assert "街道" in lexicon.admin_names()["township_suffixes"]


def test_zone_marks_split_the_towns_a_zone_is_named_after() -> None:
    rules = lexicon.name_place_rules()
    m = rules.zone_head.match("甲岭—乙溪～丙湾“云水之乡”风貌区")
    assert m is not None and m.group(1) == "甲岭—乙溪～丙湾"
    assert rules.zone_separators.split(m.group(1)) == ["甲岭", "乙溪", "丙湾"]
    assert rules.zone_head.match("甲岭风貌区") is None


def test_positional_short_forms_are_everyday_words() -> None:
    rules = lexicon.name_place_rules()
    assert {"城南", "东关", "江北", "站前"} <= rules.positional
    assert "甲岭" not in rules.positional
    assert rules.min_village_name >= 3


def test_road_codes_and_county_prefixes() -> None:
    r = lexicon.name_rules()
    assert [m.group() for m in r.coded_road.finditer("沿G200向北，接国道123和省道45线")] == ["G200", "国道123", "省道45线"]
    assert r.coded_road.search("编号AG2001") is None
    assert r.road_code.fullmatch("S203") and not r.road_code.fullmatch("S20345")
    assert r.higher_divisions.fullmatch("甲乙省丙丁市")
    assert not r.higher_divisions.fullmatch("甲乙县")
