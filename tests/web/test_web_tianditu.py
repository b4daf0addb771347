"""Tianditu as a base map: its tile layers, the key it needs, offered only with one, never shifted."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest
from conftest import fixture_layers
from mapcalls import shown_sites, site_calls

from geo.web import tianditu, urlstate
from geo.web.display import display_feature, display_transform, from_display
from geo.web.mapview import BASEMAPS, site_groups, tile_specs

KEY = "0123456789abcdef0123456789abcdef"  # a made-up key of the usual form


def test_tile_layers_are_the_map_and_its_annotations() -> None:
    vec, cva = tianditu.tile_specs(KEY)
    assert vec["tiles"] == (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + KEY
    )
    assert cva["tiles"] == vec["tiles"].replace("vec", "cva")
    assert vec["subdomains"] == cva["subdomains"] == "01234567"
    assert vec["attr"] == cva["attr"] == "&copy; 天地图 / 国家地理信息公共服务平台"  # Leaflet shows it once
    assert vec["max_zoom"] == cva["max_zoom"] == 18


def test_the_key_comes_from_the_secrets_then_the_environment() -> None:
    other = "fedcba9876543210fedcba9876543210"
    assert tianditu.key_from({"basemaps": {"tianditu_key": KEY}}, {tianditu.KEY_ENV: other}) == KEY
    assert tianditu.key_from({}, {tianditu.KEY_ENV: f"  {other}\n"}) == other
    assert tianditu.key_from({"basemaps": {"tianditu_key": ""}}, {tianditu.KEY_ENV: other}) == other
    assert tianditu.key_from({}, {}) is None
    # something that cannot be a key is no key (nothing of it goes into a URL or a script)
    for bad in ('abc"def0123456789', "0123456789abcdef&x=1", "short", "0123456789 abcdef01", 12345):
        assert tianditu.key_from({"basemaps": {"tianditu_key": bad}}, {}) is None
        assert tianditu.usable_key(bad) is None


def test_offered_only_with_a_key() -> None:
    assert tianditu.offered(BASEMAPS, None) == BASEMAPS
    assert "tianditu" not in tianditu.offered(BASEMAPS, "")
    with_key = tianditu.offered(BASEMAPS, KEY)
    assert with_key == ("none", "auto", "osm", "tianditu", "gaode")


def _tiles(groups: list[folium.FeatureGroup]) -> list[folium.TileLayer]:
    return [c for g in groups for c in g._children.values() if isinstance(c, folium.TileLayer)]


def test_the_map_draws_both_layers_unshifted_and_says_when_they_fail(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    groups = site_groups(by_layer, None, offsets, anchors, "tianditu", "zh", tile_key=KEY)
    vec, cva = _tiles(groups)
    assert "/vec_w/" in vec.tiles and "/cva_w/" in cva.tiles and vec.tiles.endswith("tk=" + KEY)
    assert vec.options["subdomains"] == "01234567"
    assert "天地图 / 国家地理信息公共服务平台" in vec.options["attribution"]
    # a chosen map that cannot load says so, once for the group (not for each tile layer)
    assert [c[2] for c in site_calls(groups) if c[1] == "watchTiles"] == [
        [False, "无法加载所选在线底图（可能未联网）；可改选“无底图”或“自动”。"]
    ]
    # CGCS2000 is taken as WGS-84: the sites stand where they are, as on OpenStreetMap
    p1 = display_feature("parks/p1", fixture_layers()["parks"][0], None, display_transform("tianditu"))
    assert p1["coordinates"] == [120.02, 28.9]
    records = {r[0]: r for _, m, args in site_calls(groups) if m == "addSites" for r in args[0]}
    assert records["parks/p1"][2] == [120.02, 28.9]
    assert from_display("tianditu", 120.02, 28.9) == (120.02, 28.9)


def test_without_a_key_there_are_no_tiles(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    assert tile_specs("tianditu", None) == [] and tile_specs("tianditu", "") == []
    groups = site_groups(by_layer, None, offsets, anchors, "tianditu", "zh")
    assert _tiles(groups) == [] and not [c for c in site_calls(groups) if c[1] == "watchTiles"]


def test_the_address_names_the_base_map_and_never_the_key() -> None:
    options = urlstate.Options(("zh", "en"), tianditu.offered(BASEMAPS, KEY), (), {})
    params = urlstate.url_from_session({"basemap": "tianditu", "tianditu_key": KEY}, options)
    assert params == {"base": "tianditu"}
    assert urlstate.session_from_url({"base": "tianditu"}, options) == {"basemap": "tianditu"}
    # a link to Tianditu opened where no key is set: the base map is dropped
    plain = urlstate.Options(("zh", "en"), BASEMAPS, (), {})
    assert urlstate.session_from_url({"base": "tianditu"}, plain) == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_its_name_and_note_are_in_the_interface_language(lang: str) -> None:
    from geo.web.i18n import t

    assert ("天地图" if lang == "zh" else "Tianditu") in t("basemap_tianditu", lang)  # type: ignore[arg-type]
    assert "CGCS2000" in t("tianditu_note", lang)  # type: ignore[arg-type]
