"""Every word in the interface's language, in Streamlit's AppTest on a copy of the project: where a
site's location comes from (popups, the approximate list, the placement panel), why a report waits
for its county, why an upload is refused, and Streamlit's own words on the uploader and filters.

The Chinese interface shows no English sentence there (links, file names and the names of datasets
and licences aside); the English one no Chinese besides the names of places, sites and files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from conftest import ProjectCopy, layer_features
from streamlit.testing.v1 import AppTest

from geo.project.pending import PENDING, entry, pending_bytes
from geo.report.pipeline import process_text
from geo.web.basis import props_location_text

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
WAITING = "本年度实施甲公园提升工程，完成乙路改造。"  # names no county: the report waits
_URL = re.compile(r"https?://[^\s（）()，；、\"]+")
_TOKEN = re.compile(r"[\w./\\-]*[./_-][\w./\\-]*")  # file names, paths, hyphenated dataset names
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    st.cache_data.clear()


def english_words(text: str) -> list[str]:
    """Lowercase English words (links, file names, commands and the radius formula's "max" aside)."""
    text = re.sub(r"python -m [\w .-]+", " ", text.replace("\\", ""))  # markdown escapes dropped
    rest = _TOKEN.sub(" ", _URL.sub(" ", text))
    return [w for w in re.findall(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])", rest) if w != "max"]


def texts_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {t for v in value.values() for t in texts_of(v)}
    if isinstance(value, list):
        return {t for v in value for t in texts_of(v)}
    return {value} if isinstance(value, str) else set()


def names(project: ProjectCopy) -> list[str]:
    """Every text the layers carry about their sites (names, places, quotes), longest first."""
    found = {t for f in layer_features(project.layers) for t in texts_of(f["properties"])}
    return sorted(found | {"甲.txt", "甲.pdf", "waiting.txt", "甲公园", "乙路"}, key=len, reverse=True)


def chinese_besides(text: str, allowed: list[str]) -> list[str]:
    for name in allowed:
        text = text.replace(name, " ")
    return _CJK.findall(text)


def run(project: ProjectCopy, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["access"] = {"open_writes": True}
    at.run()
    if lang == "en":
        at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def popup_sources(at: AppTest, marker: str) -> list[str]:
    """The popups' "located" lines, as the map's string table sends them."""
    (comp,) = at.get("bidi_component")
    fg = json.loads(comp.proto.json)["feature_group"]
    said = [json.loads(f'"{m}"') for m in _JSON_STRING.findall(fg) if marker in m]
    return [s.split(marker, 1)[1] for s in said]


def finer_column(at: AppTest, column: str) -> list[str]:
    (table,) = [d.value for d in at.dataframe if column in d.value.columns]
    return [str(v) for v in table[column]]


def placement_caption(at: AppTest, project: ProjectCopy, prefix: str) -> str:
    site = next(f for f in layer_features(project.layers)
                if f["properties"]["precision"] == "county" and len(f["properties"]["location_basis"]["steps"]) > 1)
    at.selectbox(key="place_site").set_value(f"{site['properties']['category']}/{site['id']}").run()
    (caption,) = [c.value for c in at.caption if c.value.startswith(prefix)]
    return caption


@pytest.fixture
def waiting(project: ProjectCopy) -> ProjectCopy:
    """The project with a report waiting for its county (``pending.json`` as a build writes it)."""
    path = project.sources / "waiting.txt"
    path.write_text(WAITING, encoding="utf-8")
    result = process_text(WAITING, path.name, path=path, pending_ok=True)
    assert result.pending_code == "nothing_named"
    (project.layers / PENDING).write_bytes(pending_bytes([entry(result, project.sources)]))
    return project


def test_the_chinese_interface_says_it_all_in_chinese(waiting: ProjectCopy) -> None:
    at = run(waiting, "zh")
    located = popup_sources(at, "依据：")
    assert set(located) == {props_location_text(f["properties"], "zh") for f in layer_features(waiting.layers)}
    assert any("政府驻地" in s for s in located) and any("驻地：GeoNames" in s for s in located)
    for said in located:
        assert english_words(said) == [], said
    finer = finer_column(at, "如何更精确")
    assert finer and all(english_words(h) == [] for h in finer)
    caption = placement_caption(at, waiting, "目前：")
    assert english_words(caption) == [], caption
    why = [c.value for c in at.caption if c.value.startswith("原因：")]
    assert why == ["原因：文本及其旁的信息都没有提到县"]
    at.file_uploader[0].set_value([("甲.txt", b"", "text/plain"), ("甲.pdf", "文字".encode(), "application/pdf")]).run()
    refusals = [e.value for e in at.error]
    assert len(refusals) == 2 and all(r.startswith("未能读取：") for r in refusals)
    for refusal in refusals:
        assert english_words(refusal) == [], refusal
    styles = "".join(h.proto.body for h in at.get("html"))
    assert "选择文件" in styles and "全选" in styles  # Streamlit's own words, replaced


def test_the_english_interface_shows_no_chinese_besides_names(waiting: ProjectCopy) -> None:
    at = run(waiting, "en")
    allowed = names(waiting)
    located = popup_sources(at, "from: ")
    assert set(located) == {props_location_text(f["properties"], "en") for f in layer_features(waiting.layers)}
    assert any(s.startswith("county seat of") for s in located)
    for said in located:
        assert chinese_besides(said, allowed) == [], said
    assert all(chinese_besides(h, allowed) == [] for h in finer_column(at, "What would place it finer"))
    caption = placement_caption(at, waiting, "Now:")
    assert chinese_besides(caption, allowed) == [], caption
    assert [c.value for c in at.caption if c.value.startswith("Why:")] == [
        "Why: nothing in the text or beside it names a county"]
    at.file_uploader[0].set_value([("甲.txt", b"", "text/plain"), ("甲.pdf", "文字".encode(), "application/pdf")]).run()
    refusals = [e.value for e in at.error]
    assert len(refusals) == 2
    for refusal in refusals:
        assert chinese_besides(refusal.replace("\\", ""), allowed) == [], refusal
    styles = "".join(h.proto.body for h in at.get("html"))
    assert "选择文件" not in styles and "全选" not in styles  # Streamlit's own English stays


def test_older_layers_without_a_basis_show_their_source_as_written(project: ProjectCopy) -> None:
    for path in sorted(project.layers.glob("*.geojson")):
        doc = json.loads(path.read_text("utf-8"))
        for f in doc["features"]:
            f["properties"].pop("location_basis")
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    at = run(project, "zh")
    located = popup_sources(at, "依据：")
    assert set(located) == {f["properties"]["location_source"] for f in layer_features(project.layers)}
