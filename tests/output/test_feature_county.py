"""A feature names its site's county by ``County.key``: the official name, after the prefecture
when another county has the same name, so that the app and a placement can name it again."""

from __future__ import annotations

from shapely.geometry import Point

from geo.locate.admin import county
from geo.model import Site
from geo.output.features import site_feature


def _county_of(where: str) -> str:
    site = Site("甲公园", "park", "parks", "公园", county(where))
    return str(site_feature(site, Point(0, 0), "county", 1.0, "test", {})["properties"]["county"])


def test_a_feature_names_its_county_by_its_key() -> None:
    assert _county_of("永康") == "永康市"
    assert _county_of("福州鼓楼区") == "福州市鼓楼区"
