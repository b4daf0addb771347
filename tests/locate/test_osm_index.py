"""A user's OpenStreetMap extract, end to end: a real .osm.pbf written with pyosmium, imported, built."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import osmium
import pytest
from osmium.osm.mutable import Node, Way
from shapely.geometry import shape

from geo.cli import main
from geo.locate import admin
from geo.locate.osm_index import OsmIndex, import_extract
from geo.locate.resolver import Resolver
from geo.model import Site

JY = "缙云县"  # the extract's places lie in this county, one park in another (永康市)
LON, LAT = 120.0192, 28.7243  # inside 缙云县
ELSEWHERE = (120.040, 28.890)  # inside 永康市


def write_extract(path: Path) -> Path:
    """A small extract: a park (closed way), a road (way), a village (node); one park in another county."""
    writer = osmium.SimpleWriter(str(path))
    try:
        ring = [(LON, LAT), (LON + 0.004, LAT), (LON + 0.004, LAT + 0.003), (LON, LAT + 0.003)]
        for i, xy in enumerate(ring, start=1):
            writer.add_node(Node(id=i, location=xy, version=1))
        x, y = ELSEWHERE
        for i, xy in enumerate([(x, y), (x + 0.003, y), (x + 0.003, y + 0.003)], start=5):
            writer.add_node(Node(id=i, location=xy, version=1))
        writer.add_node(Node(id=20, location=(LON + 0.01, LAT), version=1))
        writer.add_node(Node(id=21, location=(LON + 0.02, LAT + 0.001), version=1))
        writer.add_node(Node(id=30, location=(LON - 0.01, LAT + 0.01), version=1,
                             tags={"place": "village", "name": "戊己村"}))
        writer.add_way(Way(id=10, nodes=[1, 2, 3, 4, 1], version=1, tags={"leisure": "park", "name": "甲乙公园"}))
        writer.add_way(Way(id=11, nodes=[20, 21], version=1, tags={"highway": "residential", "name": "丙丁路"}))
        writer.add_way(Way(id=12, nodes=[5, 6, 7, 5], version=1, tags={"leisure": "park", "name": "庚辛公园"}))
        writer.add_way(Way(id=13, nodes=[20, 30], version=1, tags={"highway": "track"}))  # no name: left out
    finally:
        writer.close()
    return path


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return write_extract(tmp_path / "region.osm.pbf")


def _dump(index: Path) -> list[tuple]:
    with sqlite3.connect(index) as con:
        return (con.execute("SELECT * FROM places ORDER BY osm_type, osm_id").fetchall()
                + con.execute("SELECT * FROM names ORDER BY osm_type, osm_id, key").fetchall())


def test_import_keeps_named_places_with_their_county_and_is_idempotent(extract: Path, tmp_path: Path) -> None:
    index = tmp_path / "osm.sqlite"
    first = import_extract(extract, index)
    assert (first.kept, first.by_kind) == (4, {"park": 2, "road": 1, "village": 1})
    rows = _dump(index)
    counties = {r[3]: r[4] for r in rows if len(r) == 7}
    assert counties == {"甲乙公园": JY, "丙丁路": JY, "戊己村": JY, "庚辛公园": "永康市"}
    import_extract(extract, index)
    assert _dump(index) == rows


def test_import_for_one_county_leaves_the_rest_out(extract: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "osm.sqlite"
    assert main(["gazetteer", "import-osm", str(extract), "--county", JY, "--index", str(index)]) == 0
    assert "3 named place(s) inside 缙云县" in capsys.readouterr().out
    assert OsmIndex(index).count() == 3


def test_bad_extract_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"not a pbf")
    assert main(["gazetteer", "import-osm", str(bad), "--index", str(tmp_path / "i.sqlite")]) == 2
    assert "broken.osm.pbf" in capsys.readouterr().err
    assert main(["gazetteer", "import-osm", str(tmp_path / "missing.osm.pbf")]) == 2


def test_a_name_in_another_county_is_not_used(extract: Path, tmp_path: Path) -> None:
    index = tmp_path / "osm.sqlite"
    import_extract(extract, index)
    resolver = Resolver(osm_index_path=index)
    loc = resolver.locate(Site("庚辛公园", "park", "parks", "公园", admin.county(JY)))
    assert loc.precision == "county" and "openstreetmap" not in loc.source


def test_build_draws_the_park_as_its_polygon_and_the_road_as_its_line(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "osm.sqlite"
    assert main(["gazetteer", "import-osm", str(extract), "--index", str(index)]) == 0
    report = tmp_path / "report.txt"
    report.write_text("缙云县住建局年度工作\n今年完成甲乙公园提升改造，丙丁路拓宽工程开工建设，庚辛公园完成绿化提升。\n",
                      encoding="utf-8")
    monkeypatch.setenv("RENEWAL_MAP_OSM_INDEX", str(index))
    out = tmp_path / "layers"
    assert main(["build", str(report), "--out", str(out), "--county", JY, "--quiet"]) == 0
    feats = {f["properties"]["name"]: f for name in ("parks", "roads")
             for f in json.loads((out / f"{name}.geojson").read_text("utf-8"))["features"]}
    park, road, other = feats["甲乙公园"], feats["丙丁路"], feats["庚辛公园"]
    assert park["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert park["properties"]["precision"] == "exact"
    assert "https://www.openstreetmap.org/way/10" in park["properties"]["location_source"]
    assert road["geometry"]["type"] == "LineString" and road["properties"]["precision"] == "street"
    assert "https://www.openstreetmap.org/way/11" in road["properties"]["location_source"]
    assert other["properties"]["precision"] == "county"
    area = admin.county_polygon(JY)
    assert area.contains(shape(park["geometry"])) and area.contains(shape(road["geometry"]))
    parks_fc = json.loads((out / "parks.geojson").read_text("utf-8"))
    assert any("OpenStreetMap" in line and "ODbL" in line for line in parks_fc["attribution"])
