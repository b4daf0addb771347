"""Geocoder answers that must not be trusted: validated before use and before caching.

A real HTTP server on 127.0.0.1 (``fakegeo``) sends each bad answer; the geocoder must give a
usable location or none, name the problem, never raise, and never cache what it cannot read.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from fakegeo import AMAP, NOMINATIM, FakeGeoServer, Reply, amap, nominatim
from geocoding import SITE_WGS, YONGKANG, make

import geo.locate.geocoders.answers as answers
from geo import coords
from geo.locate.geocache import GeoCache


@pytest.fixture
def server() -> Iterator[FakeGeoServer]:
    with FakeGeoServer() as s:
        yield s


LON, LAT = SITE_WGS


def _answer_of(server: FakeGeoServer, tmp_path: Path, geojson: dict, **kw: object):
    server.script(NOMINATIM, Reply(nominatim(LON, LAT, geojson=geojson)))
    gc = make(server, tmp_path, "nominatim", **kw)
    return gc, gc.geocode_site("塔山公园", YONGKANG)


def test_geometry_collection_answer_falls_back_to_its_point_and_the_cache_stays_usable(
        server: FakeGeoServer, tmp_path: Path) -> None:
    gj = {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [LON, LAT]}]}
    gc, loc = _answer_of(server, tmp_path, gj)
    assert loc is not None and loc.geometry.geom_type == "Point"
    gc.cache.close()  # type: ignore[union-attr]
    server.script(NOMINATIM, Reply(status=500, body={}))
    again = make(server, tmp_path, "nominatim").geocode_site("塔山公园", YONGKANG)
    assert again == loc and server.count(NOMINATIM) == 1  # from the cache, without a crash


def test_geometry_collection_without_geometries(server: FakeGeoServer, tmp_path: Path) -> None:
    _, loc = _answer_of(server, tmp_path, {"type": "GeometryCollection"})
    assert loc is not None and loc.geometry.geom_type == "Point"


def test_line_with_a_nan_vertex(server: FakeGeoServer, tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[LON, LAT], [math.nan, LAT], [LON + 0.01, LAT]]}
    _, loc = _answer_of(server, tmp_path, line)
    assert loc is not None
    assert all(math.isfinite(v) for v in shapely.get_coordinates(loc.geometry).flat)


@pytest.mark.parametrize("dx", [0.003, 0.5], ids=["inside", "across-the-border"])
def test_self_intersecting_outline_is_made_valid(server: FakeGeoServer, tmp_path: Path, dx: float) -> None:
    bowtie = [[LON - dx, LAT - 0.002], [LON + dx, LAT + 0.002], [LON + dx, LAT - 0.002],
              [LON - dx, LAT + 0.002], [LON - dx, LAT - 0.002]]
    _, loc = _answer_of(server, tmp_path, {"type": "Polygon", "coordinates": [bowtie]})
    if loc is None:
        return  # refused as too far outside: fine, as long as nothing raised
    assert loc.geometry.is_valid and loc.geometry.geom_type in ("Polygon", "MultiPolygon")
    from geo.locate.admin import county_polygon
    from geo.locate.resolver import _clipped
    from geo.output.features import geometry_json
    from geo.output.rfc7946 import validate

    clipped = _clipped(loc.geometry, county_polygon(YONGKANG.name))  # raised TopologyException before
    for geom in (loc.geometry, clipped):
        if geom is None:
            continue
        doc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": geometry_json(geom)}]}
        assert validate(doc) == [], geom.wkt[:80]


def test_deeply_nested_answer_is_refused_and_not_cached(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(NOMINATIM, Reply(raw_text="[" * 200_000))
    gc = make(server, tmp_path, "nominatim", retries=0)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert any("nested" in p or "not JSON" in p for p in gc.problems), gc.problems
    assert len(gc.cache) == 0  # type: ignore[arg-type]


def test_body_over_the_size_cap_is_refused(server: FakeGeoServer, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "MAX_BODY_BYTES", 64 * 1024)
    big = nominatim(LON, LAT)
    big[0]["pad"] = "x" * 100_000
    server.script(NOMINATIM, Reply(big))
    gc = make(server, tmp_path, "nominatim", retries=0)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert any("larger than" in p for p in gc.problems), gc.problems
    assert len(gc.cache) == 0  # type: ignore[arg-type]


def _circle(n: int, r: float = 0.003) -> dict:
    ring = [[LON + r * math.cos(2 * math.pi * i / n), LAT + r * math.sin(2 * math.pi * i / n)] for i in range(n)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_outline_with_too_many_vertices_falls_back_to_its_point(server: FakeGeoServer, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "MAX_VERTICES", 5_000)
    _, loc = _answer_of(server, tmp_path, _circle(6_000))
    assert loc is not None and loc.geometry.geom_type == "Point"


def test_detailed_outline_is_simplified(server: FakeGeoServer, tmp_path: Path) -> None:
    _, loc = _answer_of(server, tmp_path, _circle(20_000))
    assert loc is not None and loc.geometry.geom_type == "Polygon"
    assert shapely.get_num_coordinates(loc.geometry) <= answers.KEPT_VERTICES
    assert loc.geometry.is_valid


def test_a_dripping_server_is_cut_off_at_the_deadline(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(NOMINATIM, Reply(nominatim(LON, LAT), drip_s=0.05))  # ~700 bytes: 35 s in all
    gc = make(server, tmp_path, "nominatim", retries=0, timeout_s=0.25)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert any("no whole answer within" in p for p in gc.problems), gc.problems
    assert len(gc.cache) == 0  # type: ignore[arg-type]


def test_cache_is_keyed_by_host(tmp_path: Path) -> None:
    here = (LON, LAT)
    there = (LON + 0.01, LAT + 0.01)
    with FakeGeoServer() as one, FakeGeoServer() as two:
        one.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*here))))
        two.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*there))))
        a = make(one, tmp_path, "amap").geocode_site("塔山公园", YONGKANG)
        b = make(two, tmp_path, "amap").geocode_site("塔山公园", YONGKANG)
        assert a is not None and b is not None and a.geometry != b.geometry
        assert two.count(AMAP) == 1


@pytest.mark.parametrize("column,value", [
    ("fetched_at", "yesterday"),
    ("raw", "[" * 100_000 + "]" * 100_000),
    ("raw", "12"),
    ("raw", '{"not": "a list"}'),
])
def test_bad_cache_row_is_skipped_and_rewritten(server: FakeGeoServer, tmp_path: Path,
                                               column: str, value: str) -> None:
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS))))
    first = make(server, tmp_path, "amap")
    good = first.geocode_site("塔山公园", YONGKANG)
    first.cache.close()  # type: ignore[union-attr]
    with sqlite3.connect(tmp_path / "geocode.sqlite") as db:
        db.execute(f"UPDATE answers SET {column} = ?", (value,))
    second = make(server, tmp_path, "amap")
    assert second.geocode_site("塔山公园", YONGKANG) == good
    assert server.count(AMAP) == 2  # asked again
    second.cache.close()  # type: ignore[union-attr]
    with sqlite3.connect(tmp_path / "geocode.sqlite") as db:
        (stored,) = db.execute(f"SELECT {column} FROM answers").fetchone()
    assert stored != value  # rewritten


def test_terminal_escapes_in_a_provider_message_are_shown_escaped(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply({"status": "0", "info": "\x1b[2J\x1b[31mFAKE\x07", "infocode": "20000"}))
    gc = make(server, tmp_path, "amap", retries=0)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert gc.problems and not any(c in p for p in gc.problems for c in "\x1b\x07")
    assert any("\\x1b" in p for p in gc.problems)


def test_cache_get_never_raises_on_a_bad_row(tmp_path: Path) -> None:
    with GeoCache(tmp_path / "c.sqlite") as cache:
        cache.put("amap@h", "q", [{"a": 1}])
        cache._conn.execute("UPDATE answers SET fetched_at = 'not a time'")
        assert cache.get("amap@h", "q") is None
