"""Township seats from the shipped GeoNames subset: matching, the county check, the radius, the sites."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from shapely.geometry import Point

from geo.locate import admin, townships
from geo.locate.county_location import county_location
from geo.locate.gazetteer import Gazetteer
from geo.locate.name_places import name_places
from geo.locate.resolver import Resolver
from geo.locate.townships import GeoNamesPlace, county_seats, locate_named, seat
from geo.model import Site

JY = admin.county("缙云县")  # a county no report here comes from


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_the_shipped_subset_is_whole_and_in_china() -> None:
    rows = townships.places()
    assert len(rows) > 15_000
    assert len({p.geonameid for p in rows}) == len(rows)
    assert all(73 < p.lon < 136 and 3 < p.lat < 54 and p.zh_names for p in rows)


def test_official_name_and_suffix_variant_inside_the_county() -> None:
    seats = county_seats(JY).seats
    assert seats["新建镇"].how == "official name" and seats["新建镇"].place.geonameid == 1788808
    wuyun = seats["五云街道"]  # GeoNames still calls it 五云镇
    assert (wuyun.matched, wuyun.how) == ("五云镇", "suffix variant")
    area = admin.county_polygon(JY)
    assert all(area.contains(s.point) for s in seats.values())


def test_a_place_outside_the_county_is_never_a_seat(monkeypatch: pytest.MonkeyPatch) -> None:
    real = townships.places()
    far = GeoNamesPlace(99, 110.0, 30.0, 5, "Elsewhere", ("新建镇",))  # the same name, another province
    near_xy = seat("新建镇", JY)
    assert near_xy is not None

    def fake() -> tuple[GeoNamesPlace, ...]:
        return (*tuple(p for p in real if "新建镇" not in p.zh_names), far)

    _swap(monkeypatch, fake)
    try:
        assert seat("新建镇", JY) is None
    finally:
        _restore()


def test_two_far_apart_places_of_one_name_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = townships.places()
    original = seat("新建镇", JY)
    assert original is not None
    twin = GeoNamesPlace(98, 120.19, 28.70, 5, "Twin", ("新建镇",))  # inside the county, ~17 km away
    assert admin.county_polygon(JY).contains(Point(twin.lon, twin.lat))
    _swap(monkeypatch, lambda: (*real, twin))
    try:
        got = county_seats(JY)
        assert "新建镇" not in got.seats and set(got.ambiguous["新建镇"]) == {1788808, 98}
    finally:
        _restore()


def _swap(monkeypatch: pytest.MonkeyPatch, fake) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(townships, "_index", lambda: townships._index_of(fake()))
    townships.county_seats.cache_clear()


def _restore() -> None:
    townships.county_seats.cache_clear()


def test_the_radius_is_derived_as_documented() -> None:
    got = county_seats(JY)
    s = got.seats["东方镇"]
    others = [townships._distance_m(s.point, o.point) for t, o in got.seats.items() if t != "东方镇"]
    expected = max(townships.SEAT_RADIUS_FACTOR * got.mean_township_radius_m, min(others))
    assert s.uncertainty_m == math.ceil(expected)
    assert s.uncertainty_m < county_location(JY).uncertainty_m
    assert "mean township radius" in s.derivation and "nearest other seat" in s.derivation


def test_rounded_coordinates_widen_the_radius() -> None:
    on_minute = GeoNamesPlace(1, 120.05, 28.916667, 6, "x", ("x",))  # 120°03′, 28°55′
    assert 1000 < on_minute.rounding_m() < 1300
    fine = GeoNamesPlace(2, 120.05123, 28.91234, 5, "y", ("y",))
    assert fine.rounding_m() == 0
    two_decimals = GeoNamesPlace(3, 120.05, 28.91, 2, "z", ("z",))
    assert 500 < two_decimals.rounding_m() < 800


def test_a_site_named_after_a_township_goes_to_its_seat(gazetteer: Gazetteer) -> None:
    found = name_places("新建镇文化礼堂", JY)
    assert found is not None
    loc = locate_named(found, JY, gazetteer)
    s = seat("新建镇", JY)
    assert loc is not None and s is not None
    assert loc.precision == "township" and loc.geometry.equals(s.point)
    assert loc.uncertainty_m == s.uncertainty_m
    assert "geonames.org/1788808" in loc.source and "CC BY 4.0" in loc.source


def test_a_zone_of_two_townships_is_their_midpoint_covering_both(gazetteer: Gazetteer) -> None:
    found = name_places("舒洪—大源“田园”县域风貌区", JY)
    assert found is not None and found.townships == ("舒洪镇", "大源镇")
    loc = locate_named(found, JY, gazetteer)
    assert loc is not None and loc.geometry.geom_type == "Point"
    for town in found.townships:
        s = seat(town, JY)
        assert s is not None
        assert townships._distance_m(loc.geometry, s.point) + s.uncertainty_m <= loc.uncertainty_m
    assert "2 townships" in loc.source and loc.source.count("geonames.org/") == 2


def test_an_area_named_after_a_village_goes_to_its_township() -> None:
    assert admin.places_in(JY)["七甸村"] == "新建镇"
    found = name_places("七甸区块", JY)
    assert found is not None and found.townships == ("新建镇",) and found.village == "七甸村"
    assert "named after 七甸村" in found.describe()
    assert name_places("七甸大桥", JY) is None  # only an area word right after the short form


def test_the_resolver_places_by_seat_inside_the_county() -> None:
    resolver = Resolver()
    loc = resolver.locate(Site("东方镇文化中心", "facility", "renewal", "文化中心", JY))
    assert loc.precision == "township"
    assert admin.county_polygon(JY).contains(loc.geometry)
    assert loc.uncertainty_m < county_location(JY).uncertainty_m


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    yield
    townships.county_seats.cache_clear()


def test_committed_layers_citing_geonames_carry_its_attribution() -> None:
    """A layer with a site placed at a GeoNames township seat names GeoNames and its licence."""
    import json
    from pathlib import Path

    owed = []
    for path in sorted((Path(__file__).resolve().parents[2] / "layers").glob("*.geojson")):
        fc = json.loads(path.read_text("utf-8"))
        cites = any("geonames.org/" in f["properties"]["location_source"] for f in fc["features"])
        assert cites == ("attribution" in fc), path.name
        owed += fc.get("attribution", [])
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in owed)


def test_a_countys_places_are_made_from_its_own_rows_as_the_whole_table_has_them() -> None:
    area = admin.county_polygon(JY)
    whole = [p for p in townships.places() if area.contains(Point(p.lon, p.lat))]
    assert whole and townships.places_in_county(JY) == whole
