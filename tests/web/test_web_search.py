"""Name search: Chinese, full pinyin, initials; and the sidebar filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.web.layers_io import read_layers, sites_frame
from geo.web.search import filter_sites, matches, normalize_query, pinyin_keys, reading


def test_pinyin_keys_full_and_initials() -> None:
    assert pinyin_keys("塔山公园") == ("tashangongyuan", "tsgy")


def test_pinyin_keys_keep_latin_and_digits_whole() -> None:
    assert pinyin_keys("G60高速") == ("g60gaosu", "g60gs")


@pytest.mark.parametrize(
    "query", ["塔山", "塔山公园", "tashan", "TaShan", "ta shan", "tsgy", "TSG", "gongyuan"]
)
def test_matches_finds_tashan_park(query: str) -> None:
    assert matches(query, "塔山公园")


@pytest.mark.parametrize("query", ["山塔", "tashang yuan x", "xyz", "公园塔"])
def test_matches_rejects(query: str) -> None:
    assert not matches(query, "塔山公园")


def test_empty_query_matches_everything() -> None:
    assert matches("  ", "塔山公园")
    assert normalize_query(" Ta Shan ") == "tashan"


def test_filter_sites(layers_dir: Path) -> None:
    sites = sites_frame(read_layers(layers_dir))
    assert len(filter_sites(sites)) == 11
    assert list(filter_sites(sites, query="tsgy")["name"]) == ["塔山公园"]
    assert list(filter_sites(sites, counties=["武义县"])["name"]) == ["九铜线"]
    assert set(filter_sites(sites, precisions=["county"])["name"]) == {"老城区有机更新", "城市口袋公园"}
    assert set(filter_sites(sites, statuses=["unknown"])["name"]) == {"老城区有机更新", "方岩风景区"}
    by_doc = filter_sites(sites, documents=["武义县2023年政府工作报告.pdf"])
    assert list(by_doc["name"]) == ["九铜线"]
    both = filter_sites(sites, query="gongyuan", statuses=["completed"])
    assert list(both["name"]) == ["塔山公园"]


def test_reading_gives_pinyin_with_tones_and_keeps_other_runs() -> None:
    assert reading("塔山公园") == "tǎ shān gōng yuán"
    assert reading("G60高速") == "G60 gāo sù"
    assert reading("Riverside Park") == ""  # nothing Chinese: nothing to read
    assert reading("") == ""
