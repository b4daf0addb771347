"""The app end to end in Streamlit's AppTest, on fixture layers (``$RENEWAL_MAP_LAYERS``)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import streamlit as st
from conftest import XSS_IMG, XSS_IMG_PWN, XSS_SCRIPT, write_layers
from shapely.geometry import box
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
MAP_ARGS = ("script", "header", "html", "feature_group", "layer_control")


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


@pytest.fixture
def no_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """County outlines off (the map must work without them)."""
    monkeypatch.setitem(sys.modules, "geo.admin", None)


def run_app(**state: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict[str, Any]:
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args)


def table_names(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value.iloc[:, 0])


def download(at: AppTest, files: Files, key: str) -> tuple[str, bytes]:
    """(file name, bytes) of the download button with widget key ``key``."""
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
    assert args["returned_objects"] == ["last_object_clicked", "last_object_clicked_tooltip"]
    for raw in (XSS_IMG, XSS_SCRIPT, XSS_IMG_PWN):
        assert raw not in text and json.dumps(raw)[1:-1] not in text
        assert raw.replace("<", "\\u003c") not in text
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in args["feature_group"]
    assert "\\u0026lt;script\\u0026gt;window.__pwned=1\\u0026lt;/script\\u0026gt;" in args["feature_group"]
    # one L.geoJson per layer for the sites, plus one for the uncertainty circles of each layer with any
    assert args["feature_group"].count("L.geoJson(") == 4 + 3
    assert args["feature_group"].count("L.marker(") == 0


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
    assert "九铜线" not in fg.encode().decode("unicode_escape") and "\\u4e5d\\u94dc\\u7ebf" not in fg


def test_table_selection_centres_the_map(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    assert map_args(at)["center"] is None
    table_key = at.dataframe[0].key
    at.session_state[table_key] = {"selection": {"rows": [table_names(at).index("塔山公园")], "columns": []}}
    at.run()
    args = map_args(at)
    assert args["center"] == [28.9, 120.02] and args["zoom"] == 16
    # an approximate site: zoomed out to show its uncertainty circle
    at.session_state[table_key] = {
        "selection": {"rows": [table_names(at).index("老城区有机更新")], "columns": []}
    }
    at.run()
    assert map_args(at)["zoom"] < 12


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
    assert len(at.get("download_button")) == 10


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
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Urban renewal map"
    assert "Showing 11 of 11 sites" in [m.value for m in at.markdown]
    assert list(at.dataframe[0].value.columns)[:4] == ["Name", "Layer", "Kind", "Status"]
    assert at.sidebar.text_input(key="query").label == "Search by name (Chinese or pinyin)"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Parks (GeoJSON)" in labels and "Current selection (CSV)" in labels
    fg = map_args(at)["feature_group"]
    assert "Statements that mention it" in fg and '"Parks"' in map_args(at)["layer_control"]


def test_base_maps(layers_dir: Path, no_admin: None) -> None:
    at = run_app()
    key = map_args(at)["key"]
    at.sidebar.radio(key="basemap").set_value("osm").run()
    args = map_args(at)
    assert "tile.openstreetmap.org" in args["feature_group"] and "OpenStreetMap" in args["feature_group"]
    assert args["key"] == key  # changing tiles does not remount the map
    at.sidebar.radio(key="basemap").set_value("gaode").run()
    fg = map_args(at)["feature_group"]
    assert "autonavi.com" in fg
    assert "[120.02, 28.9]" not in fg  # shifted to GCJ-02


def test_county_outlines_when_available(layers_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("geo.admin")
    fake.county_polygon = lambda name: box(119.8, 28.6, 120.4, 29.1)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "geo.admin", fake)
    args = map_args(run_app())
    assert "\\u53bf\\u754c" in args["layer_control"]  # 县界
    assert "[119.8, 28.6]" in args["feature_group"] or "[119.8, 28.6," in args["feature_group"]


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
