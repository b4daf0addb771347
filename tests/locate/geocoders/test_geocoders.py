"""Online geocoders against a real HTTP server on 127.0.0.1 speaking each provider's JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakegeo import (
    AMAP,
    BAIDU,
    EMPTY,
    NOMINATIM,
    TIANDITU,
    FakeGeoServer,
    Reply,
    amap,
    baidu,
    nominatim,
    tianditu,
)
from geocoding import SITE_WGS, UA, YONGKANG, make
from pyproj import Geod
from shapely.geometry import Point, Polygon
from shapely.ops import nearest_points

import geo.locate.geocoders as geocoders
from geo import coords
from geo.locate.admin import county, county_polygon
from geo.locate.geocache import GeoCache
from geo.locate.geocoders.config import GeocoderConfig, ProviderSettings, load_config
from geo.locate.geocoders.errors import GeocoderConfigError
from geo.locate.geocoders.service import SiteGeocoder

GEOD = Geod(ellps="WGS84")
DEQING = county("德清县")
ELSEWHERE_WGS = (119.9700, 30.5400)  # a point in 德清县, ~180 km away


def dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


def xy(geom: object) -> tuple[float, float]:
    assert isinstance(geom, Point)
    return (geom.x, geom.y)


@pytest.fixture
def server() -> Iterator[FakeGeoServer]:
    with FakeGeoServer() as s:
        yield s


# ---------------------------------------------------------------- good answers


def test_amap_answer_is_converted_from_gcj02(server: FakeGeoServer, tmp_path: Path) -> None:
    raw_gcj = coords.wgs84_to_gcj02(*SITE_WGS)
    server.script(AMAP, Reply(amap(*raw_gcj)))
    loc = make(server, tmp_path, "amap").geocode_site("塔山公园", YONGKANG)
    assert loc is not None
    got = xy(loc.geometry)
    assert dist_m(got, SITE_WGS) < 0.5  # back in WGS-84 (the answer is rounded to 6 decimals)
    shift = dist_m(got, raw_gcj)
    assert shift == pytest.approx(dist_m(SITE_WGS, coords.wgs84_to_gcj02(*SITE_WGS)), abs=0.5)
    assert 100 < shift < 700
    assert county_polygon("永康市").contains(loc.geometry)
    assert (loc.precision, loc.uncertainty_m) == ("street", 300.0)
    assert loc.source == "amap: 永康市塔山公园"
    (req,) = server.of(AMAP)
    assert req.params["address"] == "永康市塔山公园"
    assert req.params["city"] == "金华市"  # Amap's city filter takes no county-level city
    assert req.params["key"] == "test-amap-key"


def test_baidu_answer_is_converted_from_bd09(server: FakeGeoServer, tmp_path: Path) -> None:
    raw_bd = coords.wgs84_to_bd09(*SITE_WGS)
    server.script(BAIDU, Reply(baidu(*raw_bd, confidence=80, precise=1, level="门址")))
    loc = make(server, tmp_path, "baidu").geocode_site("塔山公园", YONGKANG)
    assert loc is not None
    got = xy(loc.geometry)
    assert dist_m(got, SITE_WGS) < 0.01
    assert dist_m(got, raw_bd) == pytest.approx(dist_m(SITE_WGS, raw_bd), abs=0.01)
    assert dist_m(got, raw_bd) > 500  # BD-09 adds Baidu's own offset to GCJ-02's
    assert (loc.precision, loc.uncertainty_m) == ("exact", 100.0)  # confidence 80: < 100 m
    assert loc.source == "baidu: 永康市塔山公园"
    (req,) = server.of(BAIDU)
    assert req.params["address"] == "永康市塔山公园" and req.params["ak"] == "test-baidu-key"


def test_baidu_fuzzy_township_answer(server: FakeGeoServer, tmp_path: Path) -> None:
    raw = baidu(*coords.wgs84_to_bd09(*SITE_WGS), level="乡镇", confidence=30, precise=0)
    server.script(BAIDU, Reply(raw))
    loc = make(server, tmp_path, "baidu").geocode_site("东城街道", YONGKANG)
    assert loc is not None and loc.precision == "township" and loc.uncertainty_m >= 5000


def test_tianditu_answer_needs_no_conversion(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(TIANDITU, Reply(tianditu(*SITE_WGS, level="道路")))
    loc = make(server, tmp_path, "tianditu").geocode_site("九鼎路", YONGKANG)
    assert loc is not None
    assert xy(loc.geometry) == pytest.approx(SITE_WGS)
    assert (loc.precision, loc.uncertainty_m) == ("street", 1000.0)
    (req,) = server.of(TIANDITU)
    assert json.loads(req.params["ds"]) == {"keyWord": "永康市九鼎路"}
    assert req.params["tk"] == "test-tianditu-key"


def test_nominatim_returns_the_outline(server: FakeGeoServer, tmp_path: Path) -> None:
    lon, lat = SITE_WGS
    ring = [[lon - 0.003, lat - 0.002], [lon + 0.003, lat - 0.002], [lon + 0.003, lat + 0.002],
            [lon - 0.003, lat + 0.002], [lon - 0.003, lat - 0.002]]
    server.script(NOMINATIM, Reply(nominatim(lon, lat, geojson={"type": "Polygon", "coordinates": [ring]})))
    loc = make(server, tmp_path, "nominatim").geocode_site("塔山公园", YONGKANG)
    assert loc is not None
    assert isinstance(loc.geometry, Polygon) and loc.geometry.equals(Polygon(ring))
    assert loc.precision == "exact"
    assert 300 < loc.uncertainty_m < 400  # half the diagonal of a ~580 m × 440 m outline
    (req,) = server.of(NOMINATIM)
    assert "永康市" in req.params["q"] and "塔山公园" in req.params["q"]
    assert req.params["format"] == "jsonv2"
    assert req.params["countrycodes"] == "cn"
    assert req.params["bounded"] == "1"
    assert req.params["polygon_geojson"] == "1"
    minx, miny, maxx, maxy = county_polygon("永康市").bounds
    assert [float(v) for v in req.params["viewbox"].split(",")] == pytest.approx([minx, miny, maxx, maxy])
    assert req.headers["User-Agent"] == UA


def test_nominatim_road_line_and_point(server: FakeGeoServer, tmp_path: Path) -> None:
    lon, lat = SITE_WGS
    line = {"type": "LineString", "coordinates": [[lon - 0.01, lat], [lon + 0.01, lat + 0.001]]}
    server.script(NOMINATIM, Reply(nominatim(lon, lat, geojson=line, category="highway", type_="primary",
                                             addresstype="road", place_rank=26)))
    loc = make(server, tmp_path, "nominatim").geocode_site("九鼎路", YONGKANG)
    assert loc is not None and loc.geometry.geom_type == "LineString" and loc.precision == "exact"
    assert 900 < loc.uncertainty_m < 1100


# ---------------------------------------------------------------- what is not trusted


def test_answer_in_another_county_is_rejected(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*ELSEWHERE_WGS))))
    server.script(TIANDITU, Reply(tianditu(*SITE_WGS)))
    gc = make(server, tmp_path, "amap", "tianditu")
    loc = gc.geocode_site("塔山公园", YONGKANG)
    assert loc is not None and loc.source == "tianditu: 永康市塔山公园"
    assert xy(loc.geometry) == pytest.approx(SITE_WGS)
    assert len(gc.problems) == 1 and "amap" in gc.problems[0] and "outside 永康市" in gc.problems[0]


def test_answer_just_over_the_border_is_kept(server: FakeGeoServer, tmp_path: Path) -> None:
    """Within the ~1 km margin that absorbs the simplification of county outlines."""
    area = county_polygon("永康市")
    _, miny, maxx, maxy = area.bounds
    edge = Point(maxx, (miny + maxy) / 2)
    on_border = nearest_points(area.boundary, edge)[0]
    just_out = (on_border.x + 0.004, on_border.y)  # ~400 m east of the outline
    assert not area.contains(Point(just_out))
    server.script(TIANDITU, Reply(tianditu(*just_out)))
    assert make(server, tmp_path, "tianditu").geocode_site("某地", YONGKANG) is not None


def test_county_level_answer_is_ignored(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS), level="区县")))
    assert make(server, tmp_path, "amap").geocode_site("不存在的地方", YONGKANG) is None


def test_query_always_carries_the_county(server: FakeGeoServer, tmp_path: Path) -> None:
    for path in (AMAP, BAIDU, TIANDITU):
        server.script(path, Reply(EMPTY[path]))
    gc = make(server, tmp_path, "amap", "baidu", "tianditu")
    assert gc.geocode_site("塔山 公园", YONGKANG) is None
    assert gc.geocode_site("永康市九鼎路", YONGKANG) is None  # already there: not doubled
    expected = ["永康市塔山公园", "永康市九鼎路"]
    assert [r.params["address"] for r in server.of(AMAP)] == expected
    assert [r.params["address"] for r in server.of(BAIDU)] == expected
    assert [json.loads(r.params["ds"])["keyWord"] for r in server.of(TIANDITU)] == expected


# ---------------------------------------------------------------- failures


def test_timeouts_are_retried_a_bounded_number_of_times(server: FakeGeoServer, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS)), delay_s=0.6))  # client waits 0.2 s
    server.script(TIANDITU, Reply(tianditu(*SITE_WGS)))
    sleeps: list[float] = []
    gc = make(server, tmp_path, "amap", "tianditu", retries=2, sleeps=sleeps, timeout_s=0.2)
    with caplog.at_level(logging.WARNING):
        loc = gc.geocode_site("塔山公园", YONGKANG)
    assert loc is not None and loc.source.startswith("tianditu")
    assert server.count(AMAP) == 3  # 1 + 2 retries, then given up
    assert sleeps == [0.01, 0.02]  # exponential backoff
    assert len(gc.problems) == 1 and "amap" in gc.problems[0] and "3 attempts" in gc.problems[0]
    assert any("amap" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_429_and_5xx_are_retried_then_fall_through(server: FakeGeoServer, tmp_path: Path,
                                                   status: int) -> None:
    server.script(BAIDU, Reply({"error": "busy"}, status=status))
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS))))
    gc = make(server, tmp_path, "baidu", "amap", retries=3)
    loc = gc.geocode_site("塔山公园", YONGKANG)
    assert loc is not None and loc.source.startswith("amap")
    assert server.count(BAIDU) == 4
    assert "baidu" in gc.problems[0]


def test_retry_then_success(server: FakeGeoServer, tmp_path: Path) -> None:
    good = amap(*coords.wgs84_to_gcj02(*SITE_WGS))
    server.script(AMAP, Reply(status=429, body={}, headers={"Retry-After": "0"}), Reply(status=503, body={}),
                  Reply(good))
    gc = make(server, tmp_path, "amap")
    loc = gc.geocode_site("塔山公园", YONGKANG)
    assert loc is not None and server.count(AMAP) == 3 and gc.problems == []


@pytest.mark.parametrize("reply", [
    Reply(raw_text="{not json"),
    Reply(raw_text="<html>gateway</html>"),
    Reply({"status": "1", "geocodes": [{"location": "nonsense", "level": "兴趣点"}]}),
    Reply({"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}),
    Reply(status=403, body={"info": "forbidden"}),
])
def test_malformed_or_refused_answer_is_not_retried(server: FakeGeoServer, tmp_path: Path,
                                                    reply: Reply) -> None:
    server.script(AMAP, reply)
    server.script(TIANDITU, Reply(tianditu(*SITE_WGS)))
    gc = make(server, tmp_path, "amap", "tianditu")
    loc = gc.geocode_site("塔山公园", YONGKANG)
    assert loc is not None and loc.source.startswith("tianditu")
    assert server.count(AMAP) == 1
    assert len(gc.problems) == 1 and gc.problems[0].startswith("amap: 永康市塔山公园")


def test_every_provider_failing_gives_none_never_raises(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply(status=500, body={}))
    server.script(TIANDITU, Reply(raw_text="]]"))
    gc = make(server, tmp_path, "amap", "tianditu", retries=1)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert [p.split(":")[0] for p in gc.problems] == ["amap", "tianditu"]


def test_unreachable_host_is_reported(tmp_path: Path) -> None:
    with FakeGeoServer() as gone:
        url = gone.url
    config = GeocoderConfig(providers=(ProviderSettings("amap", key="k", url=url),), timeout_s=0.2,
                            max_retries=1, backoff_s=0.0, cache_path=tmp_path / "c.sqlite")
    gc = SiteGeocoder(config, sleep=lambda s: None)
    assert gc.geocode_site("塔山公园", YONGKANG) is None
    assert len(gc.problems) == 1 and "amap" in gc.problems[0]


# ---------------------------------------------------------------- rate limit and cache


def test_nominatim_one_request_per_second(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(NOMINATIM, Reply(EMPTY[NOMINATIM]))
    first = make(server, tmp_path, "nominatim")
    second = make(server, tmp_path / "other", "nominatim")  # another geocoder object, same process
    assert first.geocode_site("塔山公园", YONGKANG) is None
    assert second.geocode_site("九鼎路", YONGKANG) is None
    a, b = server.of(NOMINATIM)
    assert b.at - a.at >= 1.0


def test_warm_cache_makes_no_requests(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS))))
    server.script(TIANDITU, Reply(EMPTY[TIANDITU]))
    server.script(BAIDU, Reply(baidu(*coords.wgs84_to_bd09(*ELSEWHERE_WGS))))
    names = ["塔山公园", "九鼎路"]
    cold = make(server, tmp_path, "tianditu", "baidu", "amap")
    first = [cold.geocode_site(n, YONGKANG) for n in names]
    cold.cache.close()  # type: ignore[union-attr]
    before = server.count()
    assert before == 6  # each provider asked once per site: empty, outside the county, found
    warm = make(server, tmp_path, "tianditu", "baidu", "amap")
    second = [warm.geocode_site(n, YONGKANG) for n in names]
    assert server.count() == before  # zero requests
    assert second == first
    assert all(loc is not None and loc.source.startswith("amap") for loc in second)


def test_failures_are_not_cached(server: FakeGeoServer, tmp_path: Path) -> None:
    server.script(AMAP, Reply(status=500, body={}), Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS))))
    assert make(server, tmp_path, "amap", retries=0).geocode_site("塔山公园", YONGKANG) is None
    assert make(server, tmp_path, "amap", retries=0).geocode_site("塔山公园", YONGKANG) is not None
    assert server.count(AMAP) == 2


def test_corrupt_cache_is_rebuilt_and_used(server: FakeGeoServer, tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "geocode.sqlite").write_bytes(b"this is not a database" * 100)
    server.script(AMAP, Reply(amap(*coords.wgs84_to_gcj02(*SITE_WGS))))
    with caplog.at_level(logging.WARNING):
        gc = make(server, tmp_path, "amap")
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert list(tmp_path.glob("geocode.sqlite.corrupt-*"))
    assert gc.geocode_site("塔山公园", YONGKANG) is not None
    assert len(GeoCache(tmp_path / "geocode.sqlite")) == 1


# ---------------------------------------------------------------- configuration


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("RENEWAL_MAP_GEOCODERS", "RENEWAL_MAP_GEOCODERS_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    assert not load_config(env={}).enabled
    geocoders.reset()
    try:
        assert geocoders.geocode_site("塔山公园", YONGKANG) is None
        assert geocoders.problems() == []
    finally:
        geocoders.reset()


def test_configured_from_environment(server: FakeGeoServer, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    server.script(AMAP, Reply(EMPTY[AMAP]))
    server.script(TIANDITU, Reply(tianditu(*SITE_WGS)))
    env = {
        "RENEWAL_MAP_GEOCODERS": "amap, tianditu",
        "AMAP_KEY": "k1", "AMAP_URL": server.url, "AMAP_MIN_INTERVAL": "0",
        "TIANDITU_TK": "k2", "TIANDITU_URL": server.url, "TIANDITU_MIN_INTERVAL": "0",
        "RENEWAL_MAP_GEOCODE_TIMEOUT": "5", "RENEWAL_MAP_GEOCODE_CACHE": str(tmp_path / "c.sqlite"),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("RENEWAL_MAP_GEOCODERS_CONFIG", raising=False)
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    geocoders.reset()
    try:
        loc = geocoders.geocode_site("塔山公园", YONGKANG)
        assert loc is not None and loc.source == "tianditu: 永康市塔山公园"
        assert server.of(AMAP)[0].params["key"] == "k1"
        assert (tmp_path / "c.sqlite").exists()
    finally:
        geocoders.reset()


def test_toml_config_and_environment_override(tmp_path: Path) -> None:
    toml = tmp_path / "geocoders.toml"
    toml.write_text(
        'providers = ["nominatim", "baidu"]\ntimeout_s = 3\nmax_retries = 1\n'
        '[nominatim]\nuser_agent = "from-toml/1.0"\n'
        '[baidu]\nkey = "toml-key"\nmin_interval_s = 2\n', encoding="utf-8")
    config = load_config(env={"BAIDU_AK": "env-key"}, path=toml)
    assert [p.name for p in config.providers] == ["nominatim", "baidu"]
    nomi, bd = config.providers
    assert nomi.user_agent == "from-toml/1.0" and nomi.min_interval_s == 1.0
    assert bd.key == "env-key" and bd.min_interval_s == 2.0
    assert config.timeout_s == 3.0 and config.max_retries == 1
    only = load_config(env={"RENEWAL_MAP_GEOCODERS": "baidu", "BAIDU_AK": "x"}, path=toml)
    assert [p.name for p in only.providers] == ["baidu"]


def test_public_nominatim_is_never_faster_than_one_per_second(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    env = {"RENEWAL_MAP_GEOCODERS": "nominatim", "NOMINATIM_USER_AGENT": UA, "NOMINATIM_MIN_INTERVAL": "0.1"}
    assert load_config(env=env).providers[0].min_interval_s == 1.0
    from geo.locate.geocoders.providers import NominatimProvider

    direct = NominatimProvider(ProviderSettings("nominatim", user_agent=UA, min_interval_s=0.0), 1.0)
    assert direct.host == "nominatim.openstreetmap.org" and direct.min_interval_s == 1.0
    # a self-hosted instance is not bound by the public server's policy
    local = load_config(env={**env, "NOMINATIM_URL": "http://127.0.0.1:8088"})
    assert local.providers[0].min_interval_s == pytest.approx(0.1)


def test_nominatim_refuses_to_start_without_user_agent(server: FakeGeoServer, tmp_path: Path) -> None:
    config = GeocoderConfig(providers=(ProviderSettings("nominatim", url=server.url),),
                            cache_path=tmp_path / "c.sqlite")
    with pytest.raises(GeocoderConfigError, match="user agent"):
        SiteGeocoder(config)
    assert server.count() == 0


@pytest.mark.parametrize(("env", "message"), [
    ({"RENEWAL_MAP_GEOCODERS": "nominatim"}, "user agent"),
    ({"RENEWAL_MAP_GEOCODERS": "amap"}, "AMAP_KEY"),
    ({"RENEWAL_MAP_GEOCODERS": "baidu"}, "BAIDU_AK"),
    ({"RENEWAL_MAP_GEOCODERS": "tianditu"}, "TIANDITU_TK"),
    ({"RENEWAL_MAP_GEOCODERS": "google"}, "unknown"),
    ({"RENEWAL_MAP_GEOCODERS": "amap", "AMAP_KEY": "k", "AMAP_URL": "ftp://x"}, "http"),
])
def test_bad_configuration_is_refused(env: dict[str, str], message: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    with pytest.raises(GeocoderConfigError, match=message):
        load_config(env=env)


def test_bad_toml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "geocoders.toml"
    bad.write_text("providers = [", encoding="utf-8")
    with pytest.raises(GeocoderConfigError, match="TOML"):
        load_config(env={}, path=bad)


def test_deqing_site_outside_yongkang_not_mixed_up(server: FakeGeoServer, tmp_path: Path) -> None:
    """The same answer is accepted for the county it lies in and rejected for the other."""
    server.script(TIANDITU, Reply(tianditu(*ELSEWHERE_WGS)))
    gc = make(server, tmp_path, "tianditu")
    assert gc.geocode_site("某某公园", YONGKANG) is None
    assert gc.geocode_site("某某公园", DEQING) is not None
