"""The map's state in its address: written without defaults, read back checked."""

from __future__ import annotations

from geo.web.urlstate import Options, parse_view, session_from_url, url_from_session

OPTIONS = Options(
    ("zh", "en"), ("none", "auto", "osm"), ("renewal", "parks"),
    {"county": {"甲县", "乙县"}, "doc": {"a.txt"}, "status": ("planned", "done"), "precision": ("exact",)},
)


def test_round_trip() -> None:
    state = {
        "lang": "en", "basemap": "osm", "layer_renewal": True, "layer_parks": False, "show_circles": False,
        "show_counties": True, "query": "gongyuan", "f_county": ["甲县", "乙县"], "f_doc": [], "f_status": ["done"],
        "url_view": (28.9, 120.02, 12.000001),
    }
    params = url_from_session(state, OPTIONS)
    assert params == {
        "lang": "en", "base": "osm", "off": ["parks"], "circles": "0", "q": "gongyuan",
        "county": ["甲县", "乙县"], "status": ["done"], "view": "28.90000,120.02000,12",
    }
    back = session_from_url(params, OPTIONS)
    assert back == {
        "lang": "en", "basemap": "osm", "layer_parks": False, "show_circles": False, "query": "gongyuan",
        "f_county": ["甲县", "乙县"], "f_status": ["done"], "url_view": (28.9, 120.02, 12.0),
    }


def test_defaults_are_not_written() -> None:
    state = {"lang": "zh", "basemap": "none", "layer_renewal": True, "query": " ", "f_county": []}
    assert url_from_session(state, OPTIONS) == {}


def test_unknown_values_are_dropped() -> None:
    params = {"lang": "fr", "base": "x", "county": ["丙县", "甲县", "甲县"], "status": "soon", "view": "91,0,3"}
    assert session_from_url(params, OPTIONS) == {"f_county": ["甲县"]}
    assert parse_view("nan,1,2") is None and parse_view("1,2") is None and parse_view("30,120,20") is None
    assert parse_view("30,120,8") == (30.0, 120.0, 8.0)
