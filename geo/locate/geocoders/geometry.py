"""Geodesic measures on WGS-84 lon/lat geometries, shared by the geocoders and the gazetteer check."""

from __future__ import annotations

from pyproj import Geod
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

_GEOD = Geod(ellps="WGS84")


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres between two lon/lat points."""
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2])


def half_diagonal_m(geom: BaseGeometry) -> float:
    """Half the geodesic diagonal of a geometry's bounding box (0 for a point)."""
    minx, miny, maxx, maxy = geom.bounds
    return distance_m(minx, miny, maxx, maxy) / 2.0


def distance_outside_m(geom: BaseGeometry, area: BaseGeometry) -> float:
    """Geodesic distance from the geometry's representative point to the area (0 inside)."""
    point = geom.representative_point()
    if area.covers(point):
        return 0.0
    near = nearest_points(area, point)[0]
    return distance_m(point.x, point.y, near.x, near.y)
