"""The offline background's geography: where each drawn county's name goes, its prefecture's
outline, and the seats of its townships (GeoNames, through ``geo.locate.townships``).

Plain data for ``geo.web.mapview``: names are passed as text (the map's script escapes them),
coordinates as WGS-84 lon/lat. The stages below load when first asked for, so a map without
outlines never reads them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from shapely import wkb
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.web.display import DISPLAY_DECIMALS


class Seat(NamedTuple):
    """A township seat drawn on the map: the township's official name, where GeoNames puts it."""

    county: str
    township: str
    lon: float
    lat: float
    geonameid: int


# A county's name keeps this share of the square root of its area away from the sites drawn in
# it, so that the markers (which stand above the names) do not hide it.
LABEL_CLEARANCE = 0.35
# Past this many sites in the clearance, they are thinned to one per grid cell of SNAP_SHARE times
# the clearance's radius (at most about 4 / (SNAP_SHARE * LABEL_CLEARANCE)² cells in a county).
MAX_AVOID = 300
SNAP_SHARE = 0.5


def county_labels(
    outlines: Mapping[str, dict[str, Any]], avoid: Iterable[tuple[float, float]] = ()
) -> list[tuple[str, float, float]]:
    """(name, lon, lat) of each county's label: a point inside its drawn outline (never outside, as
    a centroid can be), as far as it can from the points in ``avoid`` (the sites drawn there):
    the visual centre of the outline less a clearance around them, else of the outline itself."""
    points = tuple(sorted(set(avoid)))
    out = []
    for name, geom in sorted(outlines.items()):
        x, y = _label_point(shape(geom).wkb, points)
        out.append((name, x, y))
    return out


@lru_cache(maxsize=256)
def _label_point(outline: bytes, avoid: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """The label point of one outline (WKB); kept, since every run of the app draws the same
    counties with the same sites and the clearance costs a buffer and a difference of polygons."""
    area = wkb.loads(outline)
    radius = LABEL_CLEARANCE * math.sqrt(area.area)
    points = MultiPoint([Point(lon, lat) for lon, lat in _thinned(avoid, radius)])
    free = area
    if not points.is_empty:
        # a thinned point stands for those within SNAP_SHARE * radius * √2/2 of it: its circle grows by that
        grow = SNAP_SHARE * radius * math.sqrt(2) / 2 if len(avoid) > MAX_AVOID else 0.0
        free = area.difference(points.buffer(radius + grow))
    p = _centre(free) if not free.is_empty else None
    if p is None or not area.contains(p):
        p = _centre(area) or area.representative_point()
    return round(p.x, DISPLAY_DECIMALS), round(p.y, DISPLAY_DECIMALS)


def _thinned(points: tuple[tuple[float, float], ...], radius: float) -> Iterable[tuple[float, float]]:
    """``points``, or past ``MAX_AVOID`` of them one point per grid cell of ``SNAP_SHARE * radius``
    (the cell's centre): the clearance of thousands of sites would cost a union of thousands of
    circles and a polygon with as many holes (1,000 generated sites took 15 s a run)."""
    if len(points) <= MAX_AVOID:
        return points
    cell = SNAP_SHARE * radius
    return sorted({(round(x / cell) * cell, round(y / cell) * cell) for x, y in points})


def _centre(geom: BaseGeometry) -> Point | None:
    """The pole of inaccessibility of the largest polygon of ``geom`` (None when it has none)."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda g: g.area)
    return polylabel(largest, tolerance=math.sqrt(largest.area) / 100)


def township_seats(counties: Iterable[str]) -> list[Seat]:
    """The township seats GeoNames gives inside each county (``townships.county_seats``: only
    places inside the county's polygon, none claimed by two townships or found twice far apart),
    by county and township. Optional like the outlines (``layers_io.county_outlines``): a county
the stages below do not know, or cannot read, has none."""
    try:
        from geo.locate.admin import county as county_named
        from geo.locate.townships import county_seats
    except Exception:  # missing or broken: the map only loses its seats
        return []
    out: list[Seat] = []
    for county in sorted(set(counties)):
        try:
            found = county_seats(county_named(county))
        except Exception:  # unknown, ambiguous, without a polygon or unreadable: nothing drawn
            continue
        for town, s in sorted(found.seats.items()):
            out.append(Seat(county, town, s.place.lon, s.place.lat, s.place.geonameid))
    return out


def prefecture_outlines(
    counties: Iterable[str], tolerance: float = 0.001
) -> dict[str, dict[str, Any]]:
    """Prefecture name -> WGS-84 GeoJSON outline of the prefectures the counties lie in (the union
    of their counties' polygons, ``admin.prefecture_polygon``), simplified for display."""
    try:
        from geo.locate.admin import county, prefecture_polygon
    except Exception:  # missing or broken: the map only loses its prefectures
        return {}

    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(counties)):
        try:
            c = county(name)
            if c.city in out:
                continue
            geom = prefecture_polygon(name)
        except Exception:  # an unknown or unreadable county only loses its prefecture
            continue
        if geom is not None and not geom.is_empty:
            out[c.city] = mapping(geom.simplify(tolerance, preserve_topology=True))
    return out
