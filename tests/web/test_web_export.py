"""Downloads keep the raw data: layer bytes as built, raw quotes, WGS-84, no display-only fields."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import pyogrio
from conftest import XSS_IMG, write_layers

from geo.web import export
from geo.web.layers_io import read_layers


def test_file_names_are_deterministic() -> None:
    assert export.layer_file_name("parks") == "sites-parks.geojson"
    assert export.all_file_name("gpkg") == "sites-all-layers.gpkg"
    assert export.selection_file_name("csv") == "sites-selection.csv"


def test_all_layers_is_one_feature_collection_of_every_feature(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    doc = json.loads(export.all_layers_bytes(layers))
    assert doc["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in doc["features"]] == [
        f["properties"]["id"] for _, f in layers.all_features()
    ]
    assert len(doc["features"]) == 11


def test_selection_geojson_keeps_raw_text(layers_dir: Path) -> None:
    items = [("scenic", f) for f in read_layers(layers_dir).features["scenic"]]
    data = export.feature_collection_bytes(f for _, f in items)
    assert XSS_IMG.encode() in data and b"_popup_html" not in data and b"&lt;" not in data


def test_csv_has_one_row_per_site_with_raw_quotes(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    data = export.csv_bytes(layers.all_features())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 11
    s2 = next(r for r in rows if r["id"] == "s2")
    assert XSS_IMG in s2["quotes"] and s2["documents"] == "2024年永康市政府工作报告.txt"
    assert float(s2["lon"]) == 120.18 and s2["wkt"].startswith("POINT")
    assert json.loads(s2["sources"])[0]["quote"].startswith("方岩风景区")
    assert "_popup_html" not in rows[0]


def test_gpkg_has_a_table_per_layer(layers_dir: Path, tmp_path: Path) -> None:
    layers = read_layers(layers_dir)
    path = tmp_path / "out.gpkg"
    path.write_bytes(export.gpkg_bytes(layers.all_features()))
    assert [name for name, _ in pyogrio.list_layers(path)] == ["renewal", "parks", "roads", "scenic"]
    parks = gpd.read_file(path, layer="parks")
    assert list(parks["name"]) == ["塔山公园", "永康江湿地公园", "城市口袋公园"]
    assert parks.crs.to_epsg() == 4326
    scenic = gpd.read_file(path, layer="scenic")
    assert XSS_IMG in scenic.loc[scenic["id"] == "s2", "quotes"].iloc[0]


def test_gpkg_and_kml_of_an_empty_selection_are_valid(tmp_path: Path) -> None:
    path = tmp_path / "empty.gpkg"
    path.write_bytes(export.gpkg_bytes([]))
    assert len(gpd.read_file(path)) == 0
    assert b"<kml" in export.kml_bytes([])


def test_kml_holds_every_site(layers_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "out.kml"
    path.write_bytes(export.kml_bytes(read_layers(layers_dir).all_features()))
    assert len(gpd.read_file(path)) == 11


def test_extra_properties_are_kept(tmp_path: Path) -> None:
    feat = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [120, 29]},
        "properties": {"id": "x", "name": "n", "category": "parks", "extra": {"a": 1}, "sources": []},
    }
    write_layers(tmp_path, {"parks": [feat]})
    gdf = export.features_frame(read_layers(tmp_path).all_features())
    assert json.loads(gdf.loc[0, "extra"]) == {"a": 1}
