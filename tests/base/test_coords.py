"""WGS-84 ↔ GCJ-02 ↔ BD-09 in (lon, lat) order."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon

from geo import coords

GEOD = Geod(ellps="WGS84")
YONGKANG = (120.0425, 28.890833)  # lon, lat of the city seat (WGS-84)
DEQING = (119.977401, 30.54251)


def dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


def gcj_reference(lon: float, lat: float) -> tuple[float, float]:
    """The published GCJ-02 forward formula, written out independently of prcoords (lon, lat)."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
            + (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
            + (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3)
    dlon = (300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
            + (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
            + (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3)
    rad = math.radians(lat)
    magic = 1 - ee * math.sin(rad) ** 2
    dlat = dlat * 180 / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180 / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


@pytest.mark.parametrize("wgs", [YONGKANG, DEQING, (116.397499, 39.908722), (113.264, 23.129)])
def test_forward_matches_reference_formula(wgs: tuple[float, float]) -> None:
    assert dist_m(coords.wgs84_to_gcj02(*wgs), gcj_reference(*wgs)) < 0.001


@pytest.mark.parametrize("wgs", [YONGKANG, DEQING, (120.0, 29.0), (87.6, 43.8), (126.6, 45.75)])
def test_gcj_round_trip_within_a_centimetre(wgs: tuple[float, float]) -> None:
    gcj = gcj_reference(*wgs)
    assert dist_m(coords.gcj02_to_wgs84(*gcj), wgs) < 0.01


@pytest.mark.parametrize("wgs", [YONGKANG, DEQING, (120.0, 29.0)])
def test_bd09_round_trip(wgs: tuple[float, float]) -> None:
    bd = coords.wgs84_to_bd09(*wgs)
    assert dist_m(coords.bd09_to_wgs84(*bd), wgs) < 0.01
    gcj = coords.wgs84_to_gcj02(*wgs)
    assert dist_m(coords.gcj02_to_bd09(*gcj), bd) < 0.001
    assert dist_m(coords.bd09_to_gcj02(*bd), gcj) < 0.01


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=98.0, max_value=134.0), st.floats(min_value=18.0, max_value=53.0))
def test_round_trips_everywhere_in_china(lon: float, lat: float) -> None:
    assert dist_m(coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lon, lat)), (lon, lat)) < 0.01
    assert dist_m(coords.bd09_to_wgs84(*coords.wgs84_to_bd09(lon, lat)), (lon, lat)) < 0.01


@pytest.mark.parametrize("wgs", [YONGKANG, DEQING, (116.4, 39.9), (113.26, 23.13), (104.07, 30.67)])
def test_shift_magnitude_in_china(wgs: tuple[float, float]) -> None:
    assert 100 < dist_m(coords.wgs84_to_gcj02(*wgs), wgs) < 700
    assert 100 < dist_m(coords.wgs84_to_bd09(*wgs), wgs) < 1500


@pytest.mark.parametrize("point", [(2.3522, 48.8566), (-74.006, 40.7128), (151.2, -33.87), (0.0, 0.0)])
def test_no_shift_outside_china(point: tuple[float, float]) -> None:
    for func in (coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, coords.gcj02_to_bd09,
                 coords.bd09_to_gcj02, coords.wgs84_to_bd09, coords.bd09_to_wgs84):
        assert func(*point) == point


def test_lon_lat_order_not_swapped() -> None:
    from geo.locate.admin import county_polygon

    zhejiang_yongkang = county_polygon("永康市")
    for func in (coords.wgs84_to_gcj02, coords.gcj02_to_wgs84, coords.wgs84_to_bd09, coords.bd09_to_wgs84):
        lon, lat = func(120.04, 28.89)
        assert 119.9 < lon < 120.2 and 28.8 < lat < 29.0, func.__name__
        assert zhejiang_yongkang.contains(Point(lon, lat)), func.__name__
    # GCJ-02 shifts this point east and south (a known sign of the published formula)
    lon, lat = coords.wgs84_to_gcj02(120.04, 28.89)
    assert lon > 120.04 and lat < 28.89


def test_transform_geometry_keeps_type_and_moves_every_vertex() -> None:
    line = LineString([YONGKANG, (120.05, 28.9), (120.06, 28.91)])
    poly = Polygon([(120.0, 28.9), (120.1, 28.9), (120.1, 29.0), (120.0, 29.0)])
    for geom in (Point(YONGKANG), line, poly):
        moved = coords.transform_geometry(geom, coords.wgs84_to_gcj02)
        assert moved.geom_type == geom.geom_type
        for (x0, y0), (x1, y1) in zip(geom.exterior.coords if isinstance(geom, Polygon) else geom.coords,
                                      moved.exterior.coords if isinstance(moved, Polygon) else moved.coords,
                                      strict=True):
            assert (x1, y1) == pytest.approx(coords.wgs84_to_gcj02(x0, y0), abs=1e-12)
        back = coords.transform_geometry(moved, coords.gcj02_to_wgs84)
        assert back.equals_exact(geom, tolerance=1e-7)
