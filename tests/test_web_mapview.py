"""The folium map: constant base map, one GeoJson per layer, styles, offsets, datum shift."""

from __future__ import annotations

import json
import math
from pathlib import Path

import folium
import pytest
from conftest import COUNTY_SPOT, XSS_IMG, fixture_layers

from geo.web.assets import LEAFLET_CSS, LEAFLET_JS
from geo.web.layers_io import LAYER_NAMES, read_layers, sites_frame
from geo.web.mapview import (
    CANVAS_THRESHOLD,
    CATEGORY_COLORS,
    POINT_PANE,
    base_map,
    display_feature,
    offset_lonlat,
    site_groups,
    site_style,
    spiral_offsets,
    style_key,
    style_table,
    wgs_to_gcj,
)
from geo.web.popup import popup_html


def _shown(folder: Path) -> tuple[dict, dict, dict, dict]:
    layers = read_layers(folder)
    sites = sites_frame(layers)
    by_layer: dict = {}
    popups, anchors = {}, {}
    for key, layer, i, lon, lat in zip(
        sites["key"], sites["layer"], sites["index"], sites["lon"], sites["lat"], strict=True
    ):
        f = layers.features[layer][i]
        by_layer.setdefault(layer, []).append((key, f))
        popups[key] = popup_html(f["properties"], layer, "zh")
        anchors[key] = (lon, lat)
    offsets = spiral_offsets(
        zip(sites["key"], sites["lon"], sites["lat"], sites["uncertainty_m"], strict=True)
    )
    return by_layer, popups, anchors, offsets


def _geojsons(group: folium.FeatureGroup) -> list[folium.GeoJson]:
    return [c for c in group._children.values() if isinstance(c, folium.GeoJson)]


def test_spiral_offsets_separate_stacked_points_deterministically() -> None:
    pts = [
        ("b", 120.0, 29.0, 20000.0),
        ("a", 120.0, 29.0, 20000.0),
        ("c", 120.0, 29.0, None),
        ("d", 121.0, 29.0, 5),
    ]
    off = spiral_offsets(pts)
    assert "a" not in off and "d" not in off  # first of a stack and lone points stay put
    assert set(off) == {"b", "c"}
    assert off == spiral_offsets(reversed(pts))
    assert math.dist(off["b"], off["c"]) > 100  # metres apart


def test_offset_lonlat() -> None:
    lon, lat = offset_lonlat(120.0, 29.0, 0.0, 1113.2)
    assert lon == 120.0 and lat == pytest.approx(29.01)


def test_wgs_to_gcj_takes_lon_lat_and_shifts_in_china() -> None:
    lon, lat = wgs_to_gcj(120.03, 28.9)
    assert 0.002 < lon - 120.03 < 0.01 and -0.01 < lat - 28.9 < 0
    assert wgs_to_gcj(2.35, 48.85) == (2.35, 48.85)  # outside China: unchanged


def test_base_map_loads_only_local_leaflet() -> None:
    m = base_map((119.8, 28.8, 120.2, 29.0), "zh")
    assert m.default_js == [("leaflet", LEAFLET_JS)]
    assert m.default_css == [("leaflet_css", LEAFLET_CSS)]
    html = m.get_root().render()
    assert "cdn" not in html.lower() and "https://" not in html
    assert not any(isinstance(c, folium.TileLayer) for c in m._children.values())


def test_base_map_does_not_depend_on_filters() -> None:
    a = base_map((119.8, 28.8, 120.2, 29.0), "en").get_root().render()
    b = base_map((119.8, 28.8, 120.2, 29.0), "en").get_root().render()

    def strip(s):
        return "".join(ch for ch in s if not ch.isalnum())  # ids differ, layout must not

    assert strip(a) == strip(b)


def test_one_geojson_per_layer_with_popups_and_circles(layers_dir: Path) -> None:
    by_layer, popups, anchors, offsets = _shown(layers_dir)
    groups = site_groups(by_layer, popups, offsets, anchors, "none", "zh")
    assert [g.layer_name for g in groups] == ["城市更新", "公园绿地", "道路", "风貌与景区"]
    sites = {}
    for layer, g in zip(LAYER_NAMES, groups, strict=True):
        gj = _geojsons(g)
        site_layers = [x for x in gj if x.layer_name == layer]
        assert len(site_layers) == 1
        for f in site_layers[0].data["features"]:
            sites[f["id"]] = f
            assert set(f["properties"]) == {"_s", "_popup_html", "_tooltip"}  # nothing raw reaches the page
            assert f["properties"]["_s"] in style_table()
    assert len(sites) == 11
    # township/county precision: a dashed circle of radius uncertainty_m
    circles = next(x for x in _geojsons(groups[0]) if x.layer_name != "renewal")
    ids = {f["id"] for f in circles.data["features"]}
    assert ids == {"renewal/r3#u", "renewal/r4#u"}
    r3 = next(f for f in circles.data["features"] if f["id"] == "renewal/r3#u")
    assert r3["geometry"] == {"type": "Point", "coordinates": [120.1, 28.8]}  # the site's true spot
    assert r3["properties"] == {"_s": "renewal/circle", "style": {"radius": 3000.0}}
    assert style_table()["renewal/circle"]["dashArray"]
    assert isinstance(circles.marker, folium.Circle)  # radius in metres, not pixels
    assert circles.marker.options["interactive"] is False
    # stacked county-level points are drawn apart, data unchanged
    p3 = sites["parks/p3"]["geometry"]["coordinates"]
    r4 = sites["renewal/r4"]["geometry"]["coordinates"]
    assert p3 != r4 and COUNTY_SPOT in (p3, r4)
    assert fixture_layers()["parks"][2]["geometry"]["coordinates"] == COUNTY_SPOT


def test_escaped_payload_only_in_rendered_script(layers_dir: Path) -> None:
    by_layer, popups, anchors, offsets = _shown(layers_dir)
    groups = site_groups(by_layer, popups, offsets, anchors, "none", "en")
    m = base_map(None, "en")
    for g in groups:
        g.add_to(m)
    html = m.get_root().render()
    assert XSS_IMG not in html and json.dumps(XSS_IMG)[1:-1] not in html
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_styles_by_category_and_status() -> None:
    done = site_style("parks", "completed", "Point")
    planned = site_style("parks", "planned", "Point")
    assert done["color"] == CATEGORY_COLORS["parks"] == planned["color"]
    assert done["fill"] is True and done["pane"] == POINT_PANE and "dashArray" not in done
    assert planned["fillOpacity"] == 0 and planned["dashArray"]
    assert (
        site_style("roads", "in_progress", "LineString")["dashArray"]
        != site_style("roads", "planned", "LineString")["dashArray"]
    )
    assert site_style("renewal", "bogus", "Polygon") == site_style("renewal", "unknown", "Polygon")
    assert style_key("renewal", "bogus", "MultiPolygon") == "renewal/unknown/area"
    assert style_table()[style_key("parks", "planned", "Point")] == planned


def test_style_table_is_in_the_base_map() -> None:
    html = base_map(None, "zh").get_root().render()
    assert "window.siteStyles = " in html and '"parks/completed/point"' in html


def test_tiles_only_when_chosen_and_gaode_shifts_data(layers_dir: Path) -> None:
    by_layer, popups, anchors, offsets = _shown(layers_dir)
    none = site_groups(by_layer, popups, offsets, anchors, "none", "zh")
    osm = site_groups(by_layer, popups, offsets, anchors, "osm", "zh")
    gaode = site_groups(by_layer, popups, offsets, anchors, "gaode", "zh")

    def tiles(gs):
        return [c for g in gs for c in g._children.values() if isinstance(c, folium.TileLayer)]

    assert tiles(none) == []
    assert "openstreetmap.org" in tiles(osm)[0].tiles and "autonavi" in tiles(gaode)[0].tiles
    p1_wgs = display_feature("parks/p1", fixture_layers()["parks"][0], None, lambda x, y: (x, y))
    p1_gcj = next(f for x in _geojsons(gaode[2]) for f in x.data["features"] if f["id"] == "parks/p1")
    assert p1_gcj["geometry"]["coordinates"] == pytest.approx(
        list(wgs_to_gcj(*p1_wgs["coordinates"])), abs=1e-6
    )


def test_county_outlines_group() -> None:
    square = {"type": "Polygon", "coordinates": [[[119, 28], [121, 28], [121, 30], [119, 30], [119, 28]]]}
    groups = site_groups({}, {}, {}, {}, "none", "en", counties={"永康市": square})
    assert groups[0].layer_name == "County boundaries"
    (gj,) = _geojsons(groups[0])
    assert gj.data["features"][0]["geometry"] == square
    assert len(groups) == 5


def test_many_sites_draw_on_a_canvas() -> None:
    assert base_map(None, "zh", n_sites=CANVAS_THRESHOLD).options["prefer_canvas"] is False
    assert base_map(None, "zh", n_sites=CANVAS_THRESHOLD + 1).options["prefer_canvas"] is True


def test_sites_at_one_spot_share_one_uncertainty_circle() -> None:
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": COUNTY_SPOT},
            "properties": {"id": f"x{i}", "name": f"项目{i}", "precision": "county", "uncertainty_m": 29000},
        }
        for i in range(5)
    ]
    shown = {"renewal": [(f"renewal/x{i}", f) for i, f in enumerate(feats)]}
    anchors = {k: tuple(COUNTY_SPOT) for k, _ in shown["renewal"]}
    offsets = spiral_offsets((k, *COUNTY_SPOT, 29000.0) for k, _ in shown["renewal"])
    groups = site_groups(shown, {}, offsets, anchors, "none", "zh")
    circles, sites = _geojsons(groups[0])
    assert len(circles.data["features"]) == 1
    assert len({tuple(f["geometry"]["coordinates"]) for f in sites.data["features"]}) == 5
