"""The folium map: constant base map, compact site records, shared strings, circles, aggregates, datum."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import folium
import pytest
from conftest import COUNTY_SPOT, XSS_IMG, XSS_SCRIPT, fixture_layers
from mapcalls import shown_sites, site_calls

from geo.coords import wgs84_to_gcj02 as wgs_to_gcj
from geo.web.assets import LEAFLET_CSS, LEAFLET_JS
from geo.web.display import display_feature, display_transform, from_display, offset_lonlat, shared_spots
from geo.web.flags import FLAG_UPLOADED
from geo.web.i18n import t
from geo.web.layers_io import LAYER_NAMES, STATUSES, read_layers, site_key
from geo.web.mapview import MAP_CSS, NUDGE_SHARE, SITE_JS, Shown, base_map, js_json, nudge_room, site_groups
from geo.web.styles import (
    CANVAS_THRESHOLD,
    CATEGORY_COLORS,
    POINT_PANE,
    STYLE_KEYS,
    site_style,
    style_index,
    style_key,
    style_table,
)


def _records(groups: list[folium.FeatureGroup]) -> dict[str, list[Any]]:
    return {r[0]: r for _, method, args in site_calls(groups) if method == "addSites" for r in args[0]}


def _aggregated(groups: list[folium.FeatureGroup]) -> list[list[Any]]:
    """Site records inside aggregate markers."""
    return [m for _, method, args in site_calls(groups) if method == "addAggregates" for a in args[0] for m in a[3]]


def _strings(groups: list[folium.FeatureGroup]) -> tuple[list[str], list[list[int]]]:
    ((_, _, (strings, facts)),) = [c for c in site_calls(groups) if c[1] == "setStrings"]
    return strings, facts


def _render(groups: list[folium.FeatureGroup], lang: str = "zh") -> str:
    m = base_map(None, lang)  # type: ignore[arg-type]
    for g in groups:
        g.add_to(m)
    return m.get_root().render()


def test_shared_spots_are_never_moved() -> None:
    pts = [
        ("b", 120.0, 29.0, 20000.0),
        ("a", 120.0, 29.0, 20000.0),
        ("c", 120.000001, 29.0, None),  # within a metre: the same spot
        ("d", 121.0, 29.0, 5),
    ]
    spots = shared_spots(pts)
    assert spots == {"a": (0.0, 0.0), "b": (0.0, 0.0), "c": (0.0, 0.0)}  # lone "d" is not listed
    p = {"geometry": {"type": "Point", "coordinates": [120.0, 29.0]}}
    assert display_feature("a", p, spots["a"], lambda x, y: (x, y)) == p["geometry"]


def test_offset_lonlat() -> None:
    lon, lat = offset_lonlat(120.0, 29.0, 0.0, 1113.2)
    assert lon == 120.0 and lat == pytest.approx(29.01)


def test_gaode_shows_gcj02_from_the_one_shift_in_geo_coords() -> None:
    shift = display_transform("gaode")
    assert shift is wgs_to_gcj and display_transform("osm")(120.03, 28.9) == (120.03, 28.9)
    lon, lat = shift(120.03, 28.9)
    assert 0.002 < lon - 120.03 < 0.01 and -0.01 < lat - 28.9 < 0
    assert shift(2.35, 48.85) == (2.35, 48.85)  # outside China: unchanged


def test_a_click_on_gaode_tiles_is_turned_back_to_wgs84() -> None:
    shown = wgs_to_gcj(120.03, 28.9)
    lon, lat = from_display("gaode", *shown)
    assert lon == pytest.approx(120.03, abs=1e-6) and lat == pytest.approx(28.9, abs=1e-6)
    assert from_display("none", 120.03, 28.9) == (120.03, 28.9)


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


def test_one_record_per_site_and_nothing_raw_but_text(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    groups = site_groups(by_layer, None, offsets, anchors, "none", "zh")
    names = [g.layer_name for g in groups]
    assert names == [
        "site-strings",
        "约略范围（虚线圆）",
        "城市更新",
        "公园绿地",
        "道路",
        "风貌与景区",
        "共用定位点的项目",
    ]
    records = _records(groups)
    aggregated = {r[0]: r for r in _aggregated(groups)}
    assert len(records) == 9 and set(aggregated) == {"renewal/r4", "parks/p3"}
    strings, facts = _strings(groups)
    for key, r in {**records, **aggregated}.items():
        assert len(r) == 8 and r[0] == key
        p = next(f for _, f in by_layer[key.split("/")[0]] if f["properties"]["id"] == key.split("/")[1])
        geom_type = "Point" if isinstance(r[2], list) else r[2]["type"]
        assert STYLE_KEYS[r[1]] == style_key(key.split("/")[0], p["properties"]["status"], geom_type)
    p1 = records["parks/p1"]
    assert p1[2] == [120.02, 28.9]  # a point as [lon, lat]
    assert p1[3] == "塔山公园"
    assert [strings[i] for i in facts[p1[4]]][:4] == ["图层", "公园绿地 · 公园", "状态", "已完成"]
    quotes = [(strings[s[0]], strings[s[1]]) for s in p1[5]]
    assert quotes == [
        ("2024年永康市政府工作报告.txt", "塔山公园改造提升工程已完工，市民休闲更便利。"),
        # a report the build read a title, issuer and date for is shown by them, its file name after
        ("住建工作年度回顾（永康市住房和城乡建设局，2024年12月30日）", "完成塔山公园等3个公园提升。"),
    ]
    assert len(p1[5][0]) == 2  # no title: the file name alone, no file line
    assert strings[p1[5][1][3]] == "文件：永康市住建局2024年工作总结.txt"
    # every text is sent once, however many sites share it
    assert len(strings) == len(set(strings))
    assert strings.count("永康市") == 1


def test_untrusted_text_never_reaches_the_script_as_markup(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    html = _render(site_groups(by_layer, None, offsets, anchors, "none", "en"), "en")
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    assert "<img src=x" not in html and "<script>window" not in html
    # the quote is there as text, its markup characters escaped for the script
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # and the browser escapes every piece of text it puts into a popup or tooltip
    assert "function esc(s)" in html and "bindTooltip(M.tooltip(r)" in html
    assert 'esc(r[3]) + \'</span><span class="tt-meta" data-meta="\' +\n      esc(M.describe(r))' in html
    assert "'\"></span>' + esc(r[3]) + \"</a> \"" in SITE_JS  # the aggregate's list escapes names too


def test_js_json_keeps_text_and_escapes_markup() -> None:
    assert js_json(["塔山", "<a href='x'>&</a>", "\u2028"]) == (
        '["塔山","\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e","\\u2028"]'
    )
    with pytest.raises(ValueError):
        js_json([math.nan])


def test_uncertainty_circles_once_per_spot_across_layers(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    groups = site_groups(by_layer, None, offsets, anchors, "none", "zh")
    ((_, _, (rows,)),) = [c for c in site_calls(groups) if c[1] == "addCircles"]
    # r3 (township), s1 (township), and one for r4 and p3, which share the county's point
    assert sorted((r[0], r[1], r[2]) for r in rows) == sorted(
        [
            (120.1, 28.8, 3000.0),
            (120.15, 28.82, 2500.0),
            (COUNTY_SPOT[0], COUNTY_SPOT[1], 20000.0),
        ]
    )
    assert {STYLE_KEYS[r[3]] for r in rows} == {"circle"}
    assert style_table()["circle"]["dashArray"] and style_table()["circle"]["interactive"] is False
    # one pixel or less: a canvas paints it as a hairline (a wider outline took seconds at 10,000 sites)
    assert style_table()["circle"]["weight"] <= 1
    no_circles = site_groups(by_layer, None, offsets, anchors, "none", "zh", circles=False)
    assert not [c for c in site_calls(no_circles) if c[1] == "addCircles"]


def test_sites_sharing_a_spot_are_one_aggregate_at_the_spot(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    groups = site_groups(by_layer, None, offsets, anchors, "none", "zh")
    assert "parks/p3" not in _records(groups) and "renewal/r4" not in _records(groups)
    ((_, _, (rows,)),) = [c for c in site_calls(groups) if c[1] == "addAggregates"]
    ((lon, lat, note, members, room),) = rows
    assert room == 0  # no county outline given: the marker may not leave its spot
    assert [lon, lat] == COUNTY_SPOT  # at the spot itself, nothing moved
    assert [m[0] for m in members] == ["parks/p3", "renewal/r4"]
    assert all(m[2] == COUNTY_SPOT for m in members)
    strings, _ = _strings(groups)
    assert strings[note] == "只定位到县级（误差约 20 公里）：每个项目都在虚线圆内某处，具体位置未知。"
    assert [STYLE_KEYS[m[1]].split("/")[0] for m in members] == ["parks", "renewal"]  # split by layer
    assert strings[members[0][7]] == "县级定位（误差约 20 公里）"
    assert fixture_layers()["parks"][2]["geometry"]["coordinates"] == COUNTY_SPOT  # data unchanged
    # filtered down to one of them, it is drawn on its own, at the same point
    alone = site_groups({"parks": by_layer["parks"]}, None, offsets, anchors, "none", "zh")
    assert not [c for c in site_calls(alone) if c[1] == "addAggregates"]
    assert _records(alone)["parks/p3"][2] == COUNTY_SPOT


def test_an_aggregate_may_be_drawn_off_its_spot_only_inside_its_circles_and_county() -> None:
    # a square county 0.2 degrees across at the equator (about 22 km), the spot 0.05 from its west edge
    square = {"type": "Polygon", "coordinates": [[[0, -0.1], [0.2, -0.1], [0.2, 0.1], [0, 0.1], [0, -0.1]]]}
    outlines = {"某县": square}
    county = {"precision": "county", "uncertainty_m": 20000, "county": "某县"}
    town = {"precision": "township", "uncertainty_m": 3000, "county": "某县"}
    edge = 0.05 * 111_320
    assert nudge_room((0.05, 0.0), [county], outlines) == round(NUDGE_SHARE * edge)  # the outline is nearer
    assert nudge_room((0.05, 0.0), [county, town], outlines) == round(NUDGE_SHARE * 3000)  # the smaller circle
    assert nudge_room((0.05, 0.0), [county], {}) == 0  # no outline: it stays on its spot
    assert nudge_room((0.05, 0.0), [county, {"precision": "exact", "county": "某县"}], outlines) == 0
    assert nudge_room((0.3, 0.0), [county], outlines) == 0  # a spot outside the outline drawn


def test_aggregates_on_gaode_tiles_stand_at_the_shifted_spot(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    groups = site_groups(by_layer, None, offsets, anchors, "gaode", "en")
    ((_, _, (rows,)),) = [c for c in site_calls(groups) if c[1] == "addAggregates"]
    shifted = [round(v, 5) for v in wgs_to_gcj(*COUNTY_SPOT)]
    assert rows[0][:2] == shifted and all(m[2] == shifted for m in rows[0][3])
    strings, _ = _strings(groups)
    assert strings[rows[0][3][0][7]] == "County level (within about 20 km)"
    assert strings[rows[0][2]].startswith("Located only to County level (within about 20 km): each site")


def test_uploaded_sites_have_their_own_style_and_tag() -> None:
    f = fixture_layers()["parks"][0]
    groups = site_groups({"parks": [Shown("upload:parks/p1", f, uploaded=True)]}, None, {}, {}, "none", "zh")
    (r,) = _records(groups).values()
    assert r[6] & FLAG_UPLOADED
    assert STYLE_KEYS[r[1]] == "parks/completed/point/upload"
    up, built = site_style("parks", "completed", "Point", True), site_style("parks", "completed", "Point")
    assert up["color"] != built["color"] and up["fillColor"] == built["fillColor"]


def test_styles_by_category_and_status() -> None:
    done = site_style("parks", "completed", "Point")
    planned = site_style("parks", "planned", "Point")
    assert done["color"] == CATEGORY_COLORS["parks"] == planned["color"]
    assert done["fill"] is True and done["pane"] == POINT_PANE and "dashArray" not in done
    assert planned["fillColor"] == "#ffffff" and planned["dashArray"]
    assert (
        site_style("roads", "in_progress", "LineString")["dashArray"]
        != site_style("roads", "planned", "LineString")["dashArray"]
    )
    assert site_style("renewal", "bogus", "Polygon") == site_style("renewal", "unknown", "Polygon")
    assert style_key("renewal", "bogus", "MultiPolygon") == "renewal/unknown/area"
    assert style_table()[STYLE_KEYS[style_index(style_key("parks", "planned", "Point"))]] == planned


@pytest.mark.parametrize("kind", ["Point", "LineString", "Polygon"])
def test_no_status_is_faint_and_each_is_told_apart(kind: str) -> None:
    """Planned sites were hollow dashed rings (fill 0, thin): nearly invisible at the default zoom."""
    styles = {status: site_style(layer, status, kind) for layer in LAYER_NAMES for status in STATUSES}
    for status, st in styles.items():
        assert st["opacity"] == 1.0, status  # every outline at full strength
        if kind == "Point":
            assert st["fillOpacity"] >= 0.5 and st["weight"] >= 2, status  # opaque, not hollow
        elif kind == "LineString":
            assert st["weight"] >= 5, status
        else:
            assert st["fillOpacity"] >= 0.15 and st["weight"] >= 2, status
    # the four statuses of one layer look different from each other
    looks = {
        (st.get("fillColor"), st.get("fillOpacity"), st.get("dashArray"))
        for st in (site_style("roads", status, kind) for status in STATUSES)
    }
    assert len(looks) == len(STATUSES)


def test_style_table_and_site_script_are_in_the_base_map() -> None:
    html = base_map(None, "zh").get_root().render()
    assert "window.siteMap = " in html and '"fillOpacity"' in html
    assert "提及该项目的原文（{n}）" in html  # labels in the map's language


def test_tiles_only_when_chosen_and_gaode_shifts_data(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    none = site_groups(by_layer, None, offsets, anchors, "none", "zh")
    osm = site_groups(by_layer, None, offsets, anchors, "osm", "zh")
    gaode = site_groups(by_layer, None, offsets, anchors, "gaode", "zh")

    def tiles(gs):
        return [c for g in gs for c in g._children.values() if isinstance(c, folium.TileLayer)]

    assert tiles(none) == []
    assert "openstreetmap.org" in tiles(osm)[0].tiles and "autonavi" in tiles(gaode)[0].tiles
    p1_wgs = display_feature("parks/p1", fixture_layers()["parks"][0], None, lambda x, y: (x, y))
    p1_gcj = _records(gaode)["parks/p1"]
    assert p1_gcj[2] == pytest.approx(list(wgs_to_gcj(*p1_wgs["coordinates"])), abs=1e-5)


def test_auto_tiles_fall_back_and_chosen_tiles_say_when_they_fail(layers_dir: Path) -> None:
    by_layer, anchors, offsets = shown_sites(layers_dir)
    auto = site_groups(by_layer, None, offsets, anchors, "auto", "en")
    osm = site_groups(by_layer, None, offsets, anchors, "osm", "zh")
    (tiles,) = [c for g in auto for c in g._children.values() if isinstance(c, folium.TileLayer)]
    assert "openstreetmap.org" in tiles.tiles
    assert [c[2] for c in site_calls(auto) if c[1] == "watchTiles"] == [
        [True, "Online tiles could not be loaded: showing the offline background (county outlines)."]
    ]
    assert [c[2] for c in site_calls(osm) if c[1] == "watchTiles"] == [
        [False, "无法加载所选在线底图（可能未联网）；可改选“无底图”或“自动”。"]
    ]
    # OpenStreetMap's tiles are WGS-84 based: nothing is shifted
    assert _records(auto)["parks/p1"][2] == [120.02, 28.9]
    assert not [c for c in site_calls(site_groups(by_layer, None, offsets, anchors, "none", "zh")) if c[1] == "watchTiles"]


def test_county_outlines_group() -> None:
    square = {"type": "Polygon", "coordinates": [[[119, 28], [121, 28], [121, 30], [119, 30], [119, 28]]]}
    groups = site_groups({}, None, {}, {}, "none", "en", counties={"永康市": square})
    assert groups[1].layer_name == "County boundaries"
    ((_, _, (style, geoms)),) = [c for c in site_calls(groups) if c[1] == "addShapes"]
    assert geoms == [square] and STYLE_KEYS[style] == "county"


def test_placement_pin() -> None:
    groups = site_groups({}, None, {}, {}, "none", "zh", pin=(120.03, 28.9, "新位置"))
    ((name, _, args),) = [c for c in site_calls(groups) if c[1] == "addPin"]
    assert name == "pin" and args[1:] == [120.03, 28.9, "新位置"] and STYLE_KEYS[args[0]] == "pin"


def test_placement_mode_before_and_after_a_point_is_chosen() -> None:
    notice = t("place_mode", "en")
    before = site_calls(site_groups({}, None, {}, {}, "none", "en", placing=notice))
    assert [(c[0], c[1], c[2]) for c in before if c[0] == "pin"] == [("pin", "placeMode", [notice])]
    after = site_calls(site_groups({}, None, {}, {}, "gaode", "en", pin=(120.03, 28.9, "x"), placing=notice))
    assert [c[1] for c in after if c[0] == "pin"] == ["placeMode", "addPin"]
    (args,) = [c[2] for c in after if c[1] == "addPin"]
    assert args[1:3] == pytest.approx(list(wgs_to_gcj(120.03, 28.9)), abs=1e-5)  # drawn on Gaode's datum
    assert not [c for c in site_calls(site_groups({}, None, {}, {}, "none", "en")) if c[0] == "pin"]


def test_placement_mode_lets_clicks_through_and_the_pin_is_draggable() -> None:
    assert ".leaflet-container.placing .leaflet-interactive:not(.place-pin) { pointer-events: none; }" in MAP_CSS
    assert ".leaflet-container.placing canvas { pointer-events: none; }" in MAP_CSS
    assert "draggable: true" in SITE_JS and 'map.fire("click", {latlng: m.getLatLng()})' in SITE_JS


def test_the_chosen_site_is_highlighted_where_drawn(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    by_layer = {
        layer: [(site_key(layer, f, i), f) for i, f in enumerate(feats)] for layer, feats in layers.features.items()
    }
    groups = site_groups(by_layer, None, {}, {}, "gaode", "en", chosen="parks/p1")
    ((name, _, (style, geom, label)),) = [c for c in site_calls(groups) if c[1] == "addChosen"]
    p1 = layers.features["parks"][0]
    assert name == "chosen" and STYLE_KEYS[style] == "chosen" and label == p1["properties"]["name"]
    assert geom["coordinates"] == pytest.approx(list(wgs_to_gcj(*p1["geometry"]["coordinates"])), abs=1e-5)
    road = layers.features["roads"][0]
    ((_, _, (_, line, _)),) = [
        c for c in site_calls(site_groups(by_layer, None, {}, {}, "none", "en", chosen=site_key("roads", road, 0)))
        if c[1] == "addChosen"
    ]
    assert line["type"] == road["geometry"]["type"]  # a line is highlighted along its length
    for chosen in (None, "parks/none"):  # nothing chosen, or a site not drawn: no highlight
        assert not [c for c in site_calls(site_groups(by_layer, None, {}, {}, "none", "en", chosen=chosen))
                    if c[1] == "addChosen"]
    assert 'className: "chosen-label"' in SITE_JS and ".leaflet-tooltip.chosen-label" in MAP_CSS


def test_english_records_carry_the_pinyin_of_chinese_names(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    by_layer = {
        layer: [(site_key(layer, f, i), f) for i, f in enumerate(feats)] for layer, feats in layers.features.items()
    }
    en = site_groups(by_layer, None, {}, {}, "none", "en")
    ((strings, _),) = [c[2] for c in site_calls(en) if c[1] == "setStrings"]
    p1 = _records(en)["parks/p1"]
    assert len(p1) == 9 and strings[p1[8]] == "tǎ shān gōng yuán"
    assert all(len(r) == 8 for r in _records(site_groups(by_layer, None, {}, {}, "none", "zh")).values())
    assert 'if (str(r[8])) h += \'<p class="pinyin">\' + esc(str(r[8]))' in SITE_JS


def test_many_sites_draw_on_a_canvas() -> None:
    assert base_map(None, "zh", n_sites=CANVAS_THRESHOLD).options["prefer_canvas"] is False
    assert base_map(None, "zh", n_sites=CANVAS_THRESHOLD + 1).options["prefer_canvas"] is True


def _generated(n: int) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    quotes = [f"推进第{k}批城市更新项目建设，其中包括多个公园和道路改造工程。" for k in range(n // 3 + 1)]
    for i in range(n):
        layer = LAYER_NAMES[i % 4]
        f = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [120.0 + i * 1e-4, 29.0 + (i % 97) * 1e-4]},
            "properties": {
                "id": f"{layer}-{i:012x}",
                "name": f"测试项目{i}号",
                "category": layer,
                "kind": "park",
                "county": "永康市",
                "status": "planned",
                "precision": "county",
                "uncertainty_m": 20000,
                "location_source": "county seat of 永康市",
                "year": 2023,
                "sources": [{"doc": "报告.txt", "quote": quotes[i // 3], "start": 0, "end": 10}],
            },
        }
        out.setdefault(layer, []).append((f"{layer}/{f['properties']['id']}", f))
    return out


def test_payload_per_site_is_small() -> None:
    """What the browser receives per site: a record of a few dozen bytes, shared texts sent once."""
    n = 3000
    by_layer = _generated(n)
    groups = site_groups(by_layer, None, {}, {}, "none", "zh")
    # as Streamlit sends it: the groups' script inside a JSON string
    script = "".join(c._template.module.script(c) for g in groups for c in g._children.values())
    sent = len(json.dumps(script))
    assert sent / n < 260, sent / n
    # each of the n/3 quotes appears once in the payload
    assert len(re.findall("推进第1批城市更新项目建设", script)) == 1
    raw = sum(len(json.dumps(f, ensure_ascii=False).encode()) for fs in by_layer.values() for _, f in fs)
    assert sent < raw / 2
