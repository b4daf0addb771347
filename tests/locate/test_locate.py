"""The resolver chain on real parts: overrides file, gazetteer, admin tree, a local geocoding server."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakegeo import AMAP, FakeGeoServer, Reply, amap
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

import geo.locate.geocoders as geocoders
from geo import coords
from geo.cli import main
from geo.locate.admin import county, county_polygon
from geo.locate.county_location import county_location
from geo.locate.gazetteer import COLUMNS
from geo.locate.resolver import COUNTY_BUFFER_DEG, Resolver, locate_site
from geo.model import County, Site
from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
DQ, YK = county("德清县"), county("永康市")
IN_DEQING = (119.97, 30.55)
IN_YONGKANG = (120.03, 28.90)
WHEN = "2024-05-01T10:00:00+08:00"


def site(name: str, where: County = DQ, layer: str = "parks", kind: str = "park") -> Site:
    return Site(name, kind, layer, "公园", where)


def inside(geom: Any, where: County) -> bool:
    return bool(county_polygon(where).buffer(COUNTY_BUFFER_DEG).covers(geom))


def write_overrides(path: Path, *placements: tuple[Site, Any]) -> Path:
    """Placements as (site, (lon, lat)) or (site, shapely geometry)."""
    feats = [
        {"type": "Feature", "geometry": mapping(g if isinstance(g, BaseGeometry) else Point(g)),
         "properties": {"site_id": s.id, "name": s.name, "county": s.county.name,
                        "note": "seen on the ground", "who": "Li", "when": WHEN}}
        for s, g in placements
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), "utf-8")
    return path


# ---------------------------------------------------------------- overrides


def test_override_wins(tmp_path: Path, no_geocoders: None) -> None:
    mogan = site("莫干山", kind="scenic_area")  # also in the gazetteer
    r = Resolver(overrides_path=write_overrides(tmp_path / "o.geojson", (mogan, IN_DEQING)))
    loc = r.locate(mogan)
    assert loc.geometry.equals(Point(IN_DEQING))
    assert (loc.precision, loc.uncertainty_m) == ("exact", 25.0)
    assert loc.source == f"placed by hand: seen on the ground (Li, {WHEN})"
    assert r.steps == {mogan.id: "override"}


def test_override_outside_the_county_is_rejected(tmp_path: Path, no_geocoders: None,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    nanlu = site("南路村", layer="scenic", kind="village")
    r = Resolver(overrides_path=write_overrides(tmp_path / "o.geojson", (nanlu, IN_YONGKANG)))
    with caplog.at_level(logging.WARNING, logger="geo.locate"):
        loc = r.locate(nanlu)
    assert r.steps[nanlu.id] == "name"  # the next step placed it
    assert loc.precision == "township" and inside(loc.geometry, DQ)
    assert any("outside 德清县; rejected" in p for p in r.problems())
    assert "outside 德清县" in caplog.text


def test_override_line_running_past_the_border_is_clipped(tmp_path: Path, no_geocoders: None) -> None:
    mostly_in = Site("甲路", "road", "roads", "路", DQ)
    mostly_out = Site("乙路", "road", "roads", "路", DQ)
    line_in = LineString([IN_DEQING, (119.70, IN_DEQING[1])])  # three quarters in 德清县
    line_out = LineString([IN_DEQING, (119.50, IN_DEQING[1])])  # more than half outside
    r = Resolver(overrides_path=write_overrides(tmp_path / "o.geojson", (mostly_in, line_in),
                                                (mostly_out, line_out)))
    clipped = r.locate(mostly_in)
    assert r.steps[mostly_in.id] == "override" and inside(clipped.geometry, DQ)
    assert 0.5 * line_in.length < clipped.geometry.length < line_in.length
    assert r.locate(mostly_out) == county_location(DQ) and r.steps[mostly_out.id] == "county"


def test_malformed_overrides_stop_the_build(tmp_path: Path, no_geocoders: None,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "overrides.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "utf-8")
    out = tmp_path / "layers"
    assert main(["build", str(SOURCES), "--out", str(out), "--quiet", "--overrides", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: feature 0: no properties" in err
    assert not out.exists()


# ---------------------------------------------------------------- gazetteer


def test_gazetteer_by_name_and_by_alias(resolver: Resolver) -> None:
    by_name = resolver.locate(site("莫干山", kind="scenic_area"))
    by_alias = resolver.locate(site("Mount Mogan", kind="scenic_area"))
    assert by_name == by_alias
    assert by_name.geometry.equals(Point(119.833333, 30.633333))
    assert (by_name.precision, by_name.uncertainty_m) == ("street", 1500)
    assert by_name.source.startswith("gazetteer: https://en.wikipedia.org/")
    assert set(resolver.steps.values()) == {"gazetteer"}


def test_gazetteer_entry_outside_the_county_is_rejected(tmp_path: Path, no_geocoders: None) -> None:
    path = tmp_path / "gazetteer.csv"
    rows = [
        ",".join(COLUMNS),
        f"狮子山休闲公园,,{DQ.name},poi,POINT ({IN_YONGKANG[0]} {IN_YONGKANG[1]}),exact,50,https://example.org/a,x",
        f"上渚山公园,,{DQ.name},poi,POINT ({IN_DEQING[0]} {IN_DEQING[1]}),exact,50,https://example.org/b,y",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = Resolver(overrides_path=tmp_path / "none.geojson", gazetteer_path=path)
    shizi, shangzhu = site("狮子山休闲公园"), site("上渚山公园")
    assert r.locate(shizi) == county_location(DQ)
    assert r.steps[shizi.id] == "county"
    assert any("狮子山休闲公园: gazetteer entry" in p and "rejected" in p for p in r.problems())
    ok = r.locate(shangzhu)
    assert r.steps[shangzhu.id] == "gazetteer" and ok.source == "gazetteer: https://example.org/b"


# ---------------------------------------------------------------- what the name says


def test_located_township_extent_clipped_to_the_county(resolver: Resolver) -> None:
    nanhu = site("南湖社区", layer="renewal", kind="community")
    loc = resolver.locate(nanhu)
    entry = resolver.gazetteer.lookup("钟管镇", DQ)
    assert entry is not None
    assert resolver.steps[nanhu.id] == "name"
    assert (loc.precision, loc.uncertainty_m) == ("township", entry.uncertainty_m)
    assert loc.geometry.geom_type in ("Polygon", "MultiPolygon") and inside(loc.geometry, DQ)
    assert entry.geometry.covers(loc.geometry) and not entry.geometry.equals(loc.geometry)
    assert "钟管镇" in loc.source and entry.source_url in loc.source


def test_zone_of_unlocated_towns_falls_back_with_the_finding(resolver: Resolver) -> None:
    zone = Site("龙山—西溪“状元故里”县域风貌区", "townscape_zone", "scenic", "风貌区", YK)
    loc = resolver.locate(zone)
    assert resolver.steps[zone.id] == "county" and loc.precision == "county"
    assert loc.geometry.equals(county_location(YK).geometry)
    assert loc.source == (f"{county_location(YK).source}; the name places it across 龙山镇 and 西溪镇; "
                          "no embedded source locates 西溪镇")  # 龙山镇 has a GeoNames seat


def test_unlocated_township_is_cited_not_invented(resolver: Resolver) -> None:
    loc = resolver.locate(Site("舞阳街道文化站", "facility", "renewal", "文化站", DQ))
    assert loc.precision == "county"  # neither the gazetteer nor GeoNames locates 舞阳街道
    assert loc.source.endswith("; the name places it in 舞阳街道, which no embedded source locates")


def test_roads_are_not_placed_by_the_town_they_are_named_after(resolver: Resolver) -> None:
    road = Site("钟管路", "road", "roads", "路", DQ)
    assert resolver.locate(road) == county_location(DQ)
    assert resolver.locate(site("钟管公园")).precision == "township"


def test_module_level_locate_site(no_geocoders: None) -> None:
    assert locate_site(site("莫干山", kind="scenic_area")).precision == "street"


# ---------------------------------------------------------------- online geocoders


@pytest.fixture
def amap_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGeoServer]:
    env = {"RENEWAL_MAP_GEOCODERS": "amap", "AMAP_KEY": "k", "AMAP_MIN_INTERVAL": "0",
           "RENEWAL_MAP_GEOCODE_TIMEOUT": "5", "RENEWAL_MAP_GEOCODE_RETRIES": "0",
           "RENEWAL_MAP_GEOCODE_CACHE": str(tmp_path / "geocode.sqlite")}
    with FakeGeoServer() as server:
        for k, v in {**env, "AMAP_URL": server.url}.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("RENEWAL_MAP_GEOCODERS_CONFIG", raising=False)
        monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
        geocoders.reset()
        try:
            yield server
        finally:
            geocoders.reset()


def test_configured_geocoder_is_used_and_cached(amap_server: FakeGeoServer, tmp_path: Path) -> None:
    amap_server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*IN_YONGKANG))))
    tashan = site("塔山公园", YK)
    r = Resolver(overrides_path=tmp_path / "none.geojson")
    loc = r.locate(tashan)
    assert r.steps[tashan.id] == "geocoder" and loc.source == "amap: 永康市塔山公园"
    assert loc.precision == "street" and inside(loc.geometry, YK)
    assert amap_server.count(AMAP) == 1
    assert r.locate(tashan) == loc and amap_server.count(AMAP) == 1  # the resolver's own cache
    geocoders.reset()  # a new build: a fresh resolver, the geocoder's cache on disk is warm
    again = Resolver(overrides_path=tmp_path / "none.geojson")
    assert again.locate(tashan) == loc
    assert amap_server.count(AMAP) == 1
    assert again.problems() == []


def test_failing_geocoder_is_reported_and_the_county_used(amap_server: FakeGeoServer, tmp_path: Path) -> None:
    amap_server.script(AMAP, Reply(status=503, body={"error": "down"}))
    r = Resolver(overrides_path=tmp_path / "none.geojson")
    assert r.locate(site("塔山公园", YK)) == county_location(YK)
    assert any(p.startswith("amap: ") and "HTTP 503" in p for p in r.problems())


def test_bad_geocoder_configuration_is_reported_not_raised(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWAL_MAP_GEOCODERS", "amap")
    monkeypatch.delenv("AMAP_KEY", raising=False)
    monkeypatch.delenv("RENEWAL_MAP_GEOCODERS_CONFIG", raising=False)
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    geocoders.reset()
    try:
        r = Resolver(overrides_path=tmp_path / "none.geojson")
        assert r.locate(site("塔山公园", YK)).precision == "county"
        assert r.locate(site("九鼎路", YK)).precision == "county"
        assert r.problems() == ["online geocoders not used: amap: no API key (set AMAP_KEY or 'key' in [amap])"]
    finally:
        geocoders.reset()


# ---------------------------------------------------------------- the seed reports


def test_every_seed_site_lies_in_its_county(tmp_path: Path, no_geocoders: None,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "layers"
    assert main(["build", str(SOURCES), "--out", str(out), "--quiet"]) == 0
    feats = [f for name in LAYERS for f in json.loads((out / f"{name}.geojson").read_text("utf-8"))["features"]]
    assert len(feats) > 40
    for f in feats:
        p = f["properties"]
        assert inside(shape(f["geometry"]), county(p["county"])), p["name"]
        assert p["location_source"] and p["uncertainty_m"] > 0
    by_name = {f["properties"]["name"]: f["properties"] for f in feats}
    assert by_name["南路村"]["precision"] == "township"  # 莫干山镇, whose extent is cited
    assert "舞阳街道, which no embedded source locates" in by_name["上柏社区"]["location_source"]
    weixing = by_name["卫星村"]  # a village of 乾元镇, whose seat GeoNames holds under a cited older name
    assert weixing["precision"] == "township" and "geonames.org/7679678" in weixing["location_source"]
    assert "CC BY 4.0" in weixing["location_source"]
    finer = sum(p["precision"] != "county" for p in by_name.values())
    assert finer >= 17
    err = capsys.readouterr().err
    assert "placed by: " in err


def test_a_configured_geocoder_beats_a_township_seat_only_when_finer(amap_server: FakeGeoServer,
                                                                      tmp_path: Path) -> None:
    amap_server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*IN_YONGKANG))))
    r = Resolver(overrides_path=tmp_path / "none.geojson")
    hall = site("古山镇文化礼堂", YK, layer="renewal", kind="facility")
    loc = r.locate(hall)
    assert r.steps[hall.id] == "geocoder" and loc.precision == "street"
    assert loc.source == "amap: 永康市古山镇文化礼堂"


def test_a_site_of_a_county_whose_name_another_shares_is_placed_in_its_own(resolver: Resolver) -> None:
    nanjing = county("南京市鼓楼区")
    loc = resolver.locate(site("甲公园", nanjing))
    assert loc.precision == "county" and inside(loc.geometry, nanjing)
    assert not inside(loc.geometry, county("福州市鼓楼区"))
