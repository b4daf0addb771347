"""The app end to end in Streamlit's AppTest, on fixture layers (``$RENEWAL_MAP_LAYERS``)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import streamlit as st
from conftest import (
    DEQING_REPORT,
    XSS_IMG,
    XSS_IMG_PWN,
    XSS_SCRIPT,
    ProjectCopy,
    docx_of,
    inside_point,
    layer_features,
    tree_digest,
    write_layers,
)
from mapcalls import shown_sites
from shapely.geometry import box, shape
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from geo.web.flags import FLAG_PLACED
from geo.web.popup import md_text

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
MAP_ARGS = ("script", "header", "html", "feature_group")


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    st.cache_data.clear()


Files = dict[str, tuple[str, Callable[[], bytes]]]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Files:
    """file id -> (file name, its bytes) for every download offered, eager or generated on click."""
    files: Files = {}
    store = MemoryMediaFileStorage.load_and_get_id
    defer = MediaFileManager.add_deferred

    def load_and_get_id(self: Any, data: bytes, mimetype: str, kind: Any, filename: str | None = None) -> str:
        file_id = store(self, data, mimetype, kind, filename)
        files[file_id] = (filename or "", lambda: data)
        return file_id

    def add_deferred(
        self: Any,
        fn: Callable[[], bytes],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **kwargs: Any,
    ) -> str:
        file_id = defer(self, fn, mimetype, coordinates, file_name, **kwargs)
        files[file_id] = (file_name or "", fn)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return files


def _forget_locate_memos() -> None:
    """Clear what the locate stage keeps for the process's life: a county's township seats and its
    fallback location are worked out from its outline once and kept per county."""
    for name, module in list(sys.modules.items()):
        if name == "geo.locate" or name.startswith("geo.locate."):
            for value in list(vars(module).values()):
                if getattr(value, "__module__", None) == name and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@contextmanager
def made_up_outlines(outline: Callable[[Any], Any]) -> Iterator[None]:
    """``geo.locate.admin.county_polygon`` replaced by ``outline`` inside the block. What was worked
    out from the outlines is forgotten on the way in (the block sees its own) and on the way out, so
    no later test in the process places a site with made-up township seats or county radius."""
    import geo.locate.admin

    _forget_locate_memos()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(geo.locate.admin, "county_polygon", outline)
            yield
    finally:
        _forget_locate_memos()


@pytest.fixture
def no_admin() -> Iterator[None]:
    """County outlines unavailable (the map must work without them)."""

    def no_outline(name: str) -> None:
        raise RuntimeError("no outlines here")

    with made_up_outlines(no_outline):
        yield


def run_app(**state: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["access"] = {"open_writes": True}  # these tests save, place and rebuild
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict[str, Any]:
    """What the app sends the map (``geo.web.mapcomponent``), with the element's id as ``key``."""
    (comp,) = at.get("bidi_component")
    return {**json.loads(comp.proto.json), "key": comp.proto.id}


def table_names(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value.iloc[:, 0])


def download(at: AppTest, files: Files, key: str) -> tuple[str, bytes]:
    """(file name, bytes) of the download ``key``: the upload's own button, or the downloads menu's
    choice ``key`` without its ``dl_`` (``dl_parks``, ``dl_sel_csv``…) and its one button."""
    if key != "dl_upload":
        at.sidebar.selectbox(key="dl_choice").set_value(key.removeprefix("dl_")).run()
        key = "dl_file"
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    file_id = button.proto.deferred_file_id or re.sub(r"^.*/|\.[^.]*$", "", button.proto.url)
    name, get = files[file_id]
    return name, get()


def test_starts_and_shows_every_site(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert at.title[0].value == "城市更新项目地图"
    assert "显示 11 / 11 个项目" in [m.value for m in at.markdown]
    assert sorted(table_names(at)) == sorted(
        [
            "城南未来社区",
            "江南街道旧城改造片区",
            "古山镇安置小区",
            "老城区有机更新",
            "塔山公园",
            "永康江湿地公园",
            "城市口袋公园",
            "丽州路",
            "九铜线",
            "芝英古镇",
            "方岩风景区",
        ]
    )
    # approximate sites (township/county precision) listed in the sidebar
    approx = at.sidebar.expander[0]
    assert "4" in approx.label
    assert set(at.dataframe[1].value.iloc[:, 0]) == {
        "古山镇安置小区",
        "老城区有机更新",
        "城市口袋公园",
        "芝英古镇",
    }


def test_map_script_is_local_and_escaped(layers_dir: Path, no_admin: None) -> None:
    args = map_args(run_app())
    assert args["js_links"] == ["../geo.web.assets.leaflet_assets/leaflet.js"]
    assert args["css_links"] == ["../geo.web.assets.leaflet_assets/leaflet.css"]
    text = "\n".join(args[k] or "" for k in MAP_ARGS)
    assert "://" not in text  # no CDN, no tiles with the default base map
    fg = args["feature_group"]
    for raw in (XSS_IMG, XSS_SCRIPT, XSS_IMG_PWN):
        assert raw not in text and json.dumps(raw)[1:-1] not in text
    # no markup from the data at all: report text travels as text, escaped in the browser
    assert "<" not in fg and ">" not in fg.replace("=>", "")
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in fg
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in fg
    # one call per layer for the sites, one for all the uncertainty circles, one string table
    assert fg.count("window.siteMap.addSites(") == 4
    assert fg.count("window.siteMap.addCircles(") == 1
    assert fg.count("window.siteMap.setStrings(") == 1
    assert fg.count("L.marker(") == 0


def test_base_map_constant_across_filters(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    before = map_args(at)
    at.sidebar.text_input(key="query").set_value("tashan").run()
    after = map_args(at)
    assert before["key"] == after["key"] and before["script"] == after["script"]
    assert before["feature_group"] != after["feature_group"]
    assert table_names(at) == ["塔山公园"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("塔山", ["塔山公园"]),
        ("tashan", ["塔山公园"]),
        ("tsgy", ["塔山公园"]),
        ("TSGY", ["塔山公园"]),
        ("gongyuan", ["塔山公园", "永康江湿地公园", "城市口袋公园"]),
        ("nothing-like-it", []),
    ],
)
def test_search(layers_dir: Path, no_admin: None, query: str, names: list[str]) -> None:
    at = run_app(query=query)
    assert table_names(at) == names
    assert f"显示 {len(names)} / 11 个项目" in [m.value for m in at.markdown]


def test_filters(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    at.sidebar.multiselect(key="f_county").set_value(["武义县"]).run()
    assert table_names(at) == ["九铜线"]
    at.sidebar.multiselect(key="f_county").set_value([]).run()
    at.sidebar.multiselect(key="f_status").set_value(["unknown"]).run()
    assert table_names(at) == ["老城区有机更新", "方岩风景区"]
    at.sidebar.multiselect(key="f_precision").set_value(["county"]).run()
    assert table_names(at) == ["老城区有机更新"]
    at.sidebar.multiselect(key="f_status").set_value([]).run()
    at.sidebar.multiselect(key="f_precision").set_value([]).run()
    at.sidebar.multiselect(key="f_doc").set_value(["永康市住建局2024年工作总结.txt"]).run()
    assert table_names(at) == ["江南街道旧城改造片区", "古山镇安置小区", "塔山公园"]
    fg = map_args(at)["feature_group"]
    assert "九铜线" not in fg and "塔山公园" in fg


def test_reports_are_shown_by_their_title_with_the_file_name_beside(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    titled = "住建工作年度回顾（永康市住房和城乡建设局，2024年12月30日） · 文件 永康市住建局2024年工作总结.txt"
    docs = dict(zip(table_names(at), at.dataframe[0].value["来源文件"], strict=True))
    assert docs["江南街道旧城改造片区"] == titled
    assert docs["城南未来社区"] == "2024年永康市政府工作报告.txt"  # no title read: the file name
    doc_filter = at.sidebar.multiselect(key="f_doc")
    assert titled in doc_filter.options and "2024年永康市政府工作报告.txt" in doc_filter.options
    doc_filter.set_value(["永康市住建局2024年工作总结.txt"]).run()  # still chosen by file name
    assert table_names(at) == ["江南街道旧城改造片区", "古山镇安置小区", "塔山公园"]
    at.sidebar.radio(key="lang").set_value("en").run()
    docs = dict(zip(table_names(at), at.dataframe[0].value["Documents"], strict=True))
    assert docs["古山镇安置小区"] == ("住建工作年度回顾 (永康市住房和城乡建设局, 2024-12-30) · "
                                      "file 永康市住建局2024年工作总结.txt")


def test_table_selection_centres_the_map(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert map_args(at)["center"] is None
    assert "addChosen" not in map_args(at)["feature_group"]  # nothing chosen, nothing highlighted
    table_key = at.dataframe[0].key
    at.session_state[table_key] = {"selection": {"rows": [table_names(at).index("塔山公园")], "columns": []}}
    at.run()
    args = map_args(at)
    assert args["center"] == [28.9, 120.02] and args["zoom"] == 16
    assert 'window.siteMap.addChosen(' in args["feature_group"] and "塔山公园" in args["feature_group"]
    # an approximate site: zoomed out to show its uncertainty circle
    at.session_state[table_key] = {
        "selection": {"rows": [table_names(at).index("老城区有机更新")], "columns": []}
    }
    at.run()
    assert map_args(at)["zoom"] < 12


def test_a_layers_zoom_button_fits_the_view_to_that_layer(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert map_args(at)["center"] is None
    at.sidebar.button(key="zoom_parks").click().run()
    args = map_args(at)
    (lat, lon), zoom = args["center"], args["zoom"]
    cx, cy = _screen(lon, lat, zoom)
    parks = [f for f in layer_features(layers_dir) if f["properties"]["category"] == "parks"]
    for f in parks:  # every park is on the 800 × 620 px map
        for x, y in shapely.get_coordinates(shape(f["geometry"])):
            px, py = _screen(x, y, zoom)
            assert abs(px - cx) <= 400 and abs(py - cy) <= 310, f["properties"]["name"]
    assert at.sidebar.button(key="zoom_parks").proto.help == "缩放到该图层（按当前筛选）"
    at.sidebar.button(key="zoom_roads").click().run()
    assert map_args(at)["center"] != args["center"]  # another layer, another view


def _screen(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel position of (lon, lat) at ``zoom`` (256 px tiles)."""
    import math

    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (math.pi - y) / (2 * math.pi) * scale


def test_the_view_fits_a_filtered_county_and_a_search(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert map_args(at)["center"] is None  # the first view is the map's own (every site)
    at.sidebar.multiselect(key="f_county").set_value(["永康市"]).run()
    args = map_args(at)
    (lat, lon), zoom = args["center"], args["zoom"]
    cx, cy = _screen(lon, lat, zoom)
    sites = [f for f in layer_features(layers_dir) if f["properties"]["county"] == "永康市"]
    assert len(sites) > 5
    for f in sites:  # every vertex of every site of the county is on the 800 × 620 px map
        for x, y in shapely.get_coordinates(shape(f["geometry"])):
            px, py = _screen(x, y, zoom)
            assert abs(px - cx) <= 400 and abs(py - cy) <= 310, f["properties"]["name"]
    # the county's ±20 km site keeps the view far from street scale
    assert round(zoom) <= 10
    wide = zoom
    at.sidebar.text_input(key="query").set_value("tashan").run()  # one site known to ±50 m
    args = map_args(at)
    assert args["center"] == pytest.approx([28.9, 120.02], abs=1e-4) and args["zoom"] > wide + 3
    at.sidebar.multiselect(key="f_county").set_value(["武义县"]).run()  # nothing matches: no move
    assert map_args(at)["center"] is None


def test_layer_downloads_are_the_built_bytes(layers_dir: Path, no_admin: None, downloads: Files) -> None:
    at = run_app()
    for layer in ("renewal", "parks", "roads", "scenic"):
        name, data = download(at, downloads, f"dl_{layer}")
        assert name == f"sites-{layer}.geojson"
        assert data == (layers_dir / f"{layer}.geojson").read_bytes()
    name, data = download(at, downloads, "dl_all_geojson")
    assert name == "sites-all-layers.geojson"
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 11
    built = [
        f
        for layer in ("renewal", "parks", "roads", "scenic")
        for f in json.loads((layers_dir / f"{layer}.geojson").read_bytes())["features"]
    ]
    assert doc["features"] == built
    name, gpkg = download(at, downloads, "dl_all_gpkg")
    assert name == "sites-all-layers.gpkg" and gpkg.startswith(b"SQLite format 3")
    # one menu of the ten files and one button
    assert len(at.sidebar.selectbox(key="dl_choice").options) == 10
    assert len(at.get("download_button")) == 1


def test_selection_downloads(layers_dir: Path, no_admin: None, downloads: Files, tmp_path: Path) -> None:
    at = run_app(f_county=["永康市"], query="gongyuan")
    name, data = download(at, downloads, "dl_sel_geojson")
    doc = json.loads(data)
    assert name == "sites-selection.geojson"
    assert [f["properties"]["name"] for f in doc["features"]] == [
        "塔山公园",
        "永康江湿地公园",
        "城市口袋公园",
    ]
    assert b"_popup_html" not in data
    name, csv_data = download(at, downloads, "dl_sel_csv")
    rows = list(csv.DictReader(io.StringIO(csv_data.decode("utf-8-sig"))))
    assert name == "sites-selection.csv" and [r["id"] for r in rows] == ["p1", "p2", "p3"]
    name, gpkg = download(at, downloads, "dl_sel_gpkg")
    path = tmp_path / name
    path.write_bytes(gpkg)
    assert name == "sites-selection.gpkg" and len(gpd.read_file(path, layer="parks")) == 3
    name, kml = download(at, downloads, "dl_sel_kml")
    assert name == "sites-selection.kml" and kml.count(b"<Placemark") == 3


def test_raw_quotes_in_downloads(layers_dir: Path, no_admin: None, downloads: Files) -> None:
    at = run_app(query="fangyan")
    _, data = download(at, downloads, "dl_sel_geojson")
    assert (
        json.loads(data)["features"][0]["properties"]["sources"][0]["quote"]
        == f"方岩风景区提升{XSS_IMG}工程。"
    )


def test_language_toggle(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert "拼音" not in at.dataframe[0].value.columns  # the Chinese interface reads the names as written
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Urban renewal map"
    assert "Showing 11 of 11 sites" in [m.value for m in at.markdown]
    table = at.dataframe[0].value
    assert list(table.columns)[:5] == ["Name", "Pinyin", "Layer", "Kind", "Status"]
    assert table.set_index("Name").loc["塔山公园", "Pinyin"] == "tǎ shān gōng yuán"
    assert "tǎ shān gōng yuán" in map_args(at)["feature_group"]  # in the popup too
    assert at.sidebar.text_input(key="query").label == "Search by name (Chinese or pinyin)"
    labels = at.sidebar.selectbox(key="dl_choice").options
    assert "Parks (GeoJSON)" in labels and "Current selection (CSV)" in labels
    assert [b.proto.label for b in at.get("download_button")] == ["Download Urban renewal (GeoJSON)"]
    assert "Statements that mention it" in map_args(at)["script"]
    assert "Township" in map_args(at)["feature_group"]  # popup facts in English
    assert any("Parks" in c.label for c in at.sidebar.checkbox)


def drawn_sites(feature_group: str) -> dict[str, Any]:
    """Site key -> the geometry the map draws it with (points as [lon, lat]), from every
    ``window.siteMap.addSites`` call of the map's script (sites sharing a spot are aggregated
    instead, and not among them)."""
    call = "window.siteMap.addSites("
    drawn: dict[str, Any] = {}
    start = feature_group.find(call)
    while start != -1:
        after_group = feature_group.index(", ", start + len(call)) + 2
        records, _ = json.JSONDecoder().raw_decode(feature_group, after_group)
        drawn.update({r[0]: r[2] for r in records})
        start = feature_group.find(call, after_group)
    return drawn


def positions(drawn: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) of a drawn shape: a point's [lon, lat] or a GeoJSON geometry."""
    coords = drawn if isinstance(drawn, list) else drawn["coordinates"]
    if coords and isinstance(coords[0], (int, float)):
        return [(coords[0], coords[1])]
    return [p for c in coords for p in positions(c)]


def flat(points: list[tuple[float, float]]) -> list[float]:
    return [x for p in points for x in p]


def test_base_maps(layers_dir: Path, no_admin: None) -> None:
    from geo.coords import wgs84_to_gcj02

    at = run_app()
    key = map_args(at)["key"]
    at.sidebar.radio(key="basemap").set_value("osm").run()
    args = map_args(at)
    assert "tile.openstreetmap.org" in args["feature_group"] and "OpenStreetMap" in args["feature_group"]
    assert args["key"] == key  # changing tiles does not remount the map
    on_osm = drawn_sites(args["feature_group"])
    at.sidebar.radio(key="basemap").set_value("none").run()
    on_none = drawn_sites(map_args(at)["feature_group"])
    at.sidebar.radio(key="basemap").set_value("gaode").run()
    fg = map_args(at)["feature_group"]
    assert "autonavi.com" in fg
    on_gaode = drawn_sites(fg)

    built = {site_key: f for _, sites in shown_sites(layers_dir)[0].items() for site_key, f in sites}
    assert len(on_osm) >= 6 and set(on_osm) == set(on_none) == set(on_gaode) <= set(built)
    for site_key in on_osm:
        wgs84 = positions(built[site_key]["geometry"])
        # OpenStreetMap and no tiles: the sites' own WGS-84 coordinates (shown to 1e-5 degrees)
        for drawn in (on_osm, on_none):
            assert flat(positions(drawn[site_key])) == pytest.approx(flat(wgs84), abs=1e-5), site_key
        # Gaode's tiles are GCJ-02: every position moved by its offset, some hundreds of metres here
        shifted = [wgs84_to_gcj02(lon, lat) for lon, lat in wgs84]
        assert flat(positions(on_gaode[site_key])) == pytest.approx(flat(shifted), abs=1e-5), site_key
        assert all(abs(x - lon) + abs(y - lat) > 1e-3 for (x, y), (lon, lat) in zip(shifted, wgs84, strict=True))


TIANDITU_KEY = "0123456789abcdef0123456789abcdef"  # made up


def test_tianditu_only_with_a_key(layers_dir: Path, no_admin: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.web.tianditu import KEY_ENV

    monkeypatch.delenv(KEY_ENV, raising=False)
    at = run_app()
    assert "天地图（需联网）" not in at.sidebar.radio(key="basemap").options
    monkeypatch.setenv(KEY_ENV, TIANDITU_KEY)
    at = run_app()
    assert "天地图（需联网）" in at.sidebar.radio(key="basemap").options
    key = map_args(at)["key"]
    at.sidebar.radio(key="basemap").set_value("tianditu").run()
    args = map_args(at)
    fg = args["feature_group"]
    assert "tianditu.gov.cn/vec_w/" in fg and "tianditu.gov.cn/cva_w/" in fg and f"tk={TIANDITU_KEY}" in fg
    assert json.dumps("天地图 / 国家地理信息公共服务平台")[1:-1] in fg  # as folium writes it
    assert "[120.02,28.9]" in fg  # CGCS2000 as WGS-84: not shifted
    assert args["key"] == key  # changing tiles does not remount the map
    assert any("CGCS2000" in c.value for c in at.sidebar.caption)
    # the address names the base map, never the key
    assert dict(at.query_params)["base"] in ("tianditu", ["tianditu"])
    assert TIANDITU_KEY not in json.dumps(dict(at.query_params))


def test_tianditu_key_from_the_secrets(layers_dir: Path, no_admin: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.web.tianditu import KEY_ENV

    monkeypatch.delenv(KEY_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["basemaps"] = {"tianditu_key": TIANDITU_KEY}
    at.run()
    assert "天地图（需联网）" in at.sidebar.radio(key="basemap").options


def test_the_map_layer_control_shows_the_sidebar_switches(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert "window.siteMap.layerControl(" in map_args(at)["script"] and "图层" in map_args(at)["script"]
    at.sidebar.checkbox(key="layer_roads").uncheck().run()
    at.sidebar.checkbox(key="show_towns").uncheck().run()
    fg = map_args(at)["feature_group"]
    (state,) = re.findall(r"window\.siteMap\.switchState\([^,]+, (\{[^}]*\})\)", fg)
    assert json.loads(state) == {"renewal": True, "parks": True, "roads": False, "scenic": True,
                                 "circles": True, "counties": True, "towns": False}


def test_county_outlines_when_available(layers_dir: Path) -> None:
    with made_up_outlines(lambda name: box(119.8, 28.6, 120.4, 29.1)):
        at = run_app()
        fg = map_args(at)["feature_group"]
        assert "window.siteMap.addShapes(" in fg and "[119.8,28.6]" in fg
        at.sidebar.checkbox(key="show_counties").uncheck().run()
        assert "window.siteMap.addShapes(" not in map_args(at)["feature_group"]


def test_made_up_outlines_leave_nothing_behind_for_later_tests() -> None:
    """The app works out township seats from the outlines (the towns switch) and the locate stage
    keeps them per county: kept from a made-up outline, they would place a later build's sites."""
    from geo.locate.admin import county
    from geo.locate.county_location import county_location
    from geo.locate.townships import county_seats

    yk = county("永康市")
    real = (county_seats(yk).mean_township_radius_m, county_location(yk).uncertainty_m)
    with made_up_outlines(lambda name: box(119.8, 28.6, 120.4, 29.1)):  # about three times the county
        made_up = (county_seats(yk).mean_township_radius_m, county_location(yk).uncertainty_m)
    assert made_up[0] > 1.5 * real[0] and made_up[1] != real[1]  # the block saw its own outline
    assert (county_seats(yk).mean_township_radius_m, county_location(yk).uncertainty_m) == real


def test_empty_and_broken_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_admin: None) -> None:
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(tmp_path / "nothing"))
    at = run_app()
    assert any("python -m geo build" in i.value for i in at.info)
    write_layers(tmp_path / "some", {"parks": []})
    (tmp_path / "some" / "roads.geojson").write_text("{broken", encoding="utf-8")
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(tmp_path / "some"))
    at = run_app()
    assert any("roads" in w.value for w in at.warning)
    assert map_args(at)["feature_group"]


def test_layers_switched_off_stay_off_across_filters(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    at.sidebar.checkbox(key="layer_renewal").uncheck().run()
    names = table_names(at)
    assert len(names) == 7 and "城南未来社区" not in names
    assert "renewal/" not in map_args(at)["feature_group"]
    at.sidebar.text_input(key="query").set_value("gongyuan").run()
    at.sidebar.text_input(key="query").set_value("").run()
    assert len(table_names(at)) == 7 and "renewal/" not in map_args(at)["feature_group"]
    at.sidebar.checkbox(key="show_circles").uncheck().run()
    assert "addCircles" not in map_args(at)["feature_group"]
    at.sidebar.checkbox(key="layer_renewal").check().run()
    assert len(table_names(at)) == 11 and "renewal/r1" in map_args(at)["feature_group"]


def test_approximate_list_says_sites_sharing_a_point_are_one_marker(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    captions = [c.value for c in at.sidebar.expander[0].caption]
    assert any("合为一个标记" in c for c in captions)  # the general note
    assert any(c.startswith("永康市：2 个项目只定位到县级") for c in captions)  # the county point's stack
    approx = at.dataframe[1].value
    drawn = dict(zip(approx.iloc[:, 0], approx["地图上"], strict=True))
    assert sorted(drawn.values()) == ["合并标记", "合并标记", "在定位点", "在定位点"]
    assert drawn["老城区有机更新"] == "合并标记"  # r4 and p3 share the county's point: one marker
    # above the map, one line says how many sites are approximate (of all shown)
    assert [i.value for i in at.main.info if "个项目只定位到县或乡镇" in i.value] == [
        "**4 / 11** 个项目只定位到县或乡镇：地图上它们画在所在县或乡镇的定位点，每个方块标出共用该点的项目数，"
        "点击可查看列表；虚线圆是可能的范围，圆内的具体位置未知。"
    ]


# ---- bring your own reports ------------------------------------------------------------------

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOADED = "上传"


def tags(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["标注"])


def without_deqing(project: ProjectCopy) -> None:
    """The project without the report the uploads below bring (else they are duplicates of it)."""
    (project.sources / DEQING_REPORT.name).unlink()


def test_upload_lists_the_reports_sites_and_writes_nothing(project: ProjectCopy, downloads: Files) -> None:
    without_deqing(project)
    before = tree_digest(project.root)
    at = run_app()
    n_built = len(table_names(at))
    at.file_uploader[0].set_value(("德清报告.docx", docx_of(DEQING_REPORT), DOCX_MIME)).run()
    assert not at.exception, [e.value for e in at.exception]
    (ok,) = [s.value for s in at.success]
    assert ok.startswith("德清报告\\.docx：") and "德清县" in ok
    n_up = tags(at).count(UPLOADED)
    assert n_up > 10 and len(table_names(at)) == n_built + n_up
    assert f"{n_built + n_up}" in at.markdown[-1].value or any(
        f"显示 {n_built + n_up} / {n_built + n_up}" in m.value for m in at.markdown
    )
    fg = map_args(at)["feature_group"]
    assert fg.count('"upload:') == n_up
    assert map_args(at)["center"] is not None  # the map goes to the uploaded sites
    # some are known only to the county (± tens of km): never a street-scale view
    assert round(map_args(at)["zoom"]) <= 10
    # the uploaded sites at once as GeoJSON, as the build would write them
    name, data = download(at, downloads, "dl_upload")
    doc = json.loads(data)
    assert name == "sites-uploaded.geojson" and len(doc["features"]) == n_up
    assert {f["properties"]["origin"] for f in doc["features"]} == {"upload"}
    assert {s["doc"] for f in doc["features"] for s in f["properties"]["sources"]} == {"德清报告.docx"}
    # the layer downloads stay the built files
    assert download(at, downloads, "dl_parks")[1] == (project.layers / "parks.geojson").read_bytes()
    assert tree_digest(project.root) == before  # nothing written until "save" is pressed


def test_every_refused_file_has_its_own_message(project: ProjectCopy) -> None:
    before = tree_digest(project.root)
    at = run_app()
    hostile = "![x](i.png) :red[y] <b>z.txt"  # (a "/" would end the name: uploads drop folders)
    at.file_uploader[0].set_value(
        [
            ("空白.txt", b"", "text/plain"),
            ("扫描件.pdf", b"%PDF-1.4 not really", "application/pdf"),
            (hostile, b"\x00\x01\x02\x03" * 50, "text/plain"),
        ]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 3
    assert any("空白" in e and "文件是空的" in e for e in errors)  # said in the interface language
    assert any("扫描件" in e for e in errors)
    (bad,) = [e for e in errors if "red" in e]
    # the name is shown as text: no image, link, colour or tag in the markdown
    assert "](" not in bad and ":red[" not in bad and "<b>" not in bad
    assert "\\!\\[x\\]\\(i\\.png\\) \\:red\\[y\\] \\<b\\>z\\.txt" in bad
    assert tree_digest(project.root) == before
    assert not at.get("download_button") or all(
        not b.proto.id.endswith("-dl_upload") for b in at.get("download_button")
    )


def test_save_into_the_project_only_when_pressed(project: ProjectCopy) -> None:
    without_deqing(project)
    at = run_app()
    at.file_uploader[0].set_value(("德清报告.docx", docx_of(DEQING_REPORT), DOCX_MIME)).run()
    assert (project.sources / "德清报告.docx").exists() is False
    at.button(key="upload_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已保存" in s.value for s in at.success), [s.value for s in at.success]
    assert (project.sources / "德清报告.docx").read_bytes() == docx_of(DEQING_REPORT) or (
        project.sources / "德清报告.docx"
    ).exists()
    docs = {s["doc"] for f in layer_features(project.layers) for s in f["properties"]["sources"]}
    assert "德清报告.docx" in docs
    # the layers were reloaded: the saved report's sites are project sites now, nothing is "uploaded"
    assert UPLOADED not in tags(at)
    assert any("德清报告.docx" in d for d in at.dataframe[0].value["来源文件"])


def test_a_report_already_in_the_project_is_named_not_read_again(project: ProjectCopy) -> None:
    before = tree_digest(project.root)
    at = run_app()
    n_built = len(table_names(at))
    # the project's report under another name and in another format: the same text once cleaned
    at.file_uploader[0].set_value(("德清报告.docx", docx_of(DEQING_REPORT), DOCX_MIME)).run()
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("德清报告\\.docx：") and "项目中已有的报告" in warning
    assert md_text(DEQING_REPORT.name) in warning
    assert len(table_names(at)) == n_built and UPLOADED not in tags(at)  # no site read twice
    assert "upload_save" not in [b.key for b in at.button]  # nothing to save
    assert tree_digest(project.root) == before
    at.sidebar.radio(key="lang").set_value("en").run()
    (warning,) = [w.value for w in at.warning]
    assert "already in the project" in warning and md_text(DEQING_REPORT.name) in warning


def test_the_same_upload_twice_is_read_once(project: ProjectCopy) -> None:
    without_deqing(project)
    at = run_app()
    n_built = len(table_names(at))
    data = DEQING_REPORT.read_bytes()
    at.file_uploader[0].set_value(
        [("甲.txt", data, "text/plain"), ("乙.txt", data, "text/plain"), ("丙.docx", docx_of(DEQING_REPORT), DOCX_MIME)]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    (ok,) = [s.value for s in at.success]
    assert ok.startswith("甲\\.txt：")
    warnings = sorted(w.value for w in at.warning if "已上传的" in w.value)
    assert len(warnings) == 2 and all("甲\\.txt" in w for w in warnings)
    assert {w.split("：")[0] for w in warnings} == {"乙\\.txt", "丙\\.docx"}
    n_up = tags(at).count(UPLOADED)
    assert n_up > 10 and len(table_names(at)) == n_built + n_up
    uploaded_docs = {d for d, tag in zip(at.dataframe[0].value["来源文件"], tags(at), strict=True) if UPLOADED in tag}
    # shown by the title read from it, the file name after it
    assert {d.rpartition(" · 文件 ")[2] for d in uploaded_docs} == {"甲.txt"}
    assert all(d.endswith(" · 文件 甲.txt") for d in uploaded_docs)


# ---- fixing a location by hand ---------------------------------------------------------------


def first_county_site(project: ProjectCopy) -> dict[str, Any]:
    return next(f for f in layer_features(project.layers) if f["properties"]["precision"] == "county")


def place_form(
    at: AppTest, lat: float, lon: float, note: str = "https://example.org/site", who: str = "李工"
) -> None:
    """Fill the placement form as a click on the map does (the click fills latitude and longitude)."""
    at.number_input(key="place_lat").set_value(lat)
    at.number_input(key="place_lon").set_value(lon)
    at.text_input(key="place_note").set_value(note)
    at.text_input(key="place_who").set_value(who)


def record(at: AppTest, key: str) -> list[Any] | None:
    fg = map_args(at)["feature_group"]
    for line in fg.splitlines():
        if "window.siteMap.addSites(" in line:
            rows = json.loads(line[line.index(", [") + 2 : line.rindex(")")])
            for r in rows:
                if r[0] == key:
                    return r
    return None


def test_place_a_site_then_undo(project: ProjectCopy) -> None:
    site = first_county_site(project)
    key = f"{site['properties']['category']}/{site['id']}"
    layers_before = tree_digest(project.layers)
    at = run_app()
    options = at.selectbox(key="place_site").options
    approx = {
        f["properties"]["name"]
        for f in layer_features(project.layers)
        if f["properties"]["precision"] == "county"
    }
    assert options[1].split(" · ")[0] in approx  # approximately located sites first
    at.selectbox(key="place_site").set_value(key).run()
    assert map_args(at)["center"] is not None  # the map goes to the site
    drawn_before = record(at, key)
    lon, lat = inside_point(site["properties"]["county"], *site["geometry"]["coordinates"])
    place_form(at, lat, lon)
    at.run()
    assert "addPin" in map_args(at)["feature_group"]  # the chosen point is shown before saving
    assert "window.siteMap.placeMode" in map_args(at)["feature_group"]  # a click anywhere sets it
    at.button(key="place_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已保存" in s.value for s in at.success), [e.value for e in at.error]
    placed = json.loads(project.overrides.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["site_id"] for f in placed] == [site["id"]]
    assert placed[0]["properties"]["note"] == "https://example.org/site"
    # shown at once where it was placed, tagged until the layers are rebuilt
    r = record(at, key)
    assert r is not None and r[2] == [round(lon, 5), round(lat, 5)] and r[6] & FLAG_PLACED
    row = table_names(at).index(site["properties"]["name"])
    assert tags(at)[row] == "手动定位（待重建）"
    assert tree_digest(project.layers) == layers_before  # the layers change only when rebuilt
    at.button(key="place_undo").click().run()
    assert any("已撤销" in s.value for s in at.success)
    assert record(at, key) == drawn_before
    assert json.loads(project.overrides.read_text(encoding="utf-8"))["features"] == []


def test_a_placement_outside_the_county_is_refused(project: ProjectCopy) -> None:
    site = first_county_site(project)
    at = run_app()
    at.selectbox(key="place_site").set_value(f"{site['properties']['category']}/{site['id']}").run()
    place_form(at, 39.9042, 116.4074)  # Beijing
    at.button(key="place_save").click().run()
    (error,) = [e.value for e in at.error]
    assert "之外" in error and site["properties"]["county"] in error  # said in the interface language
    assert not project.overrides.exists()
    place_form(
        at, *reversed(inside_point(site["properties"]["county"], *site["geometry"]["coordinates"])), note=""
    )
    at.button(key="place_save").click().run()
    assert [e.value for e in at.error] == ["请写明依据和定位人。"]
    assert not project.overrides.exists()


def test_a_rebuild_writes_the_placement_into_the_layers(project: ProjectCopy) -> None:
    site = first_county_site(project)
    key = f"{site['properties']['category']}/{site['id']}"
    at = run_app()
    at.selectbox(key="place_site").set_value(key).run()
    lon, lat = inside_point(site["properties"]["county"], *site["geometry"]["coordinates"])
    place_form(at, lat, lon, note="walked there")
    at.button(key="place_save").click().run()
    at.button(key="rebuild").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("图层已重建" in s.value for s in at.success), [e.value for e in at.error]
    (rebuilt,) = [f for f in layer_features(project.layers) if f["id"] == site["id"]]
    assert rebuilt["properties"]["precision"] == "exact"
    assert rebuilt["geometry"]["coordinates"] == [lon, lat]
    assert "walked there" in rebuilt["properties"]["location_source"]
    row = table_names(at).index(site["properties"]["name"])
    assert tags(at)[row] == "" and at.dataframe[0].value["定位精度"][row] == "精确"
    # undone: the layers still carry it until the next rebuild, and the table says so
    at.button(key="place_undo").click().run()
    assert tags(at)[table_names(at).index(site["properties"]["name"])] == "定位已撤销（待重建）"


# ---- the map's state in its address ----------------------------------------------------------


def test_a_link_with_filters_and_view_reopens_them(layers_dir: Path, no_admin: None) -> None:
    at = run_app(f_county=["永康市"], query="gongyuan")
    at.sidebar.checkbox(key="layer_roads").uncheck().run()
    at.sidebar.radio(key="lang").set_value("en").run()
    table_key = at.dataframe[0].key
    at.session_state[table_key] = {"selection": {"rows": [table_names(at).index("塔山公园")], "columns": []}}
    at.run()
    params = dict(at.query_params)
    assert (params["county"] == ["永康市"] and params["q"] == ["gongyuan"]) or params["q"] == "gongyuan"
    assert "roads" in str(params["off"]) and "en" in str(params["lang"])
    assert "28.9" in str(params["view"]) and "120.02" in str(params["view"])
    # the same address in a new session opens the same map
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params = {k: v for k, v in params.items()}
    again.run()
    assert not again.exception, [e.value for e in again.exception]
    assert table_names(again) == ["塔山公园", "永康江湿地公园", "城市口袋公园"]
    assert again.sidebar.multiselect(key="f_county").value == ["永康市"]
    assert again.sidebar.text_input(key="query").value == "gongyuan"
    assert again.sidebar.checkbox(key="layer_roads").value is False
    assert again.title[0].value == "Urban renewal map"
    args = map_args(again)
    assert args["center"] == pytest.approx([28.9, 120.02], abs=1e-4) and args["zoom"] == 16
    assert not again.warning  # nothing for Streamlit to warn about in seeding the widgets


def test_a_link_with_filters_only_fits_them_and_unknown_values_are_dropped(
    layers_dir: Path, no_admin: None
) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params = {"county": ["武义县", "没有的县"], "status": "nonsense", "view": "x,y,z", "base": "nope"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert table_names(at) == ["九铜线"]
    assert at.sidebar.multiselect(key="f_status").value == []
    assert at.sidebar.radio(key="basemap").value == "none"
    args = map_args(at)
    assert args["center"] is not None and 28.8 < args["center"][0] < 29.0 and 119.7 < args["center"][1] < 119.9
    assert dict(at.query_params)["county"] in (["武义县"], "武义县")
