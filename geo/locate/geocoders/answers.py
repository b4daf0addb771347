"""Limits on what a geocoder may send, and the checks an answer's geometry must pass.

An answer is outside text: it may be huge, nested without end, or carry a geometry that
cannot be used (a GeometryCollection, a NaN vertex, a ring that crosses itself, a million
vertices). Nothing here raises: a geometry that cannot be used is None, and the caller falls
back to the answer's point.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

MAX_BODY_BYTES = 4 * 1024 * 1024  # a Nominatim answer with outlines of five places: well under 1 MB
DEADLINE_FACTOR = 4.0  # a whole answer within 4 × the per-read timeout, however it trickles
MAX_VERTICES = 50_000  # an outline with more is not read at all (the point is used)
KEPT_VERTICES = 2_000  # outlines are simplified to at most this many vertices
_FIRST_TOLERANCE_DEG = 1e-5  # about 1 m
OUTLINE_TYPES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def outline(raw: Any) -> BaseGeometry | None:
    """A valid, simplified WGS-84 outline from a GeoJSON geometry, or None when it cannot be used."""
    if not isinstance(raw, dict) or raw.get("type") not in OUTLINE_TYPES:
        return None
    if _count_positions(raw.get("coordinates")) > MAX_VERTICES:
        return None
    try:
        with warnings.catch_warnings():  # NaN vertices are refused just below
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = shape(raw)
        if geom.is_empty:
            return None
        xy = shapely.get_coordinates(geom)
        if not all(math.isfinite(v) for v in xy.flat):
            return None
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            return None
        polygonal = geom.geom_type in ("Polygon", "MultiPolygon")
        if not geom.is_valid:
            geom = _same_kind(shapely.make_valid(geom), polygonal)
            if geom is None:
                return None
        geom = _simplified(geom, polygonal)
    except (ShapelyError, ValueError, TypeError, RecursionError):
        return None
    if geom is None or geom.is_empty or not geom.is_valid:
        return None
    return geom


def _count_positions(coords: Any) -> int:
    """Positions in nested coordinate lists, counted without recursion (stops past the cap)."""
    count, stack = 0, [coords]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            count += 1
            if count > MAX_VERTICES:
                break
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _same_kind(geom: BaseGeometry, polygonal: bool) -> BaseGeometry | None:
    """The polygonal (or lineal) part of what ``make_valid`` returned."""
    want = ("Polygon", "MultiPolygon") if polygonal else ("LineString", "MultiLineString")
    if geom.geom_type in want:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in want]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if merged.geom_type in want and not merged.is_empty else None


def _simplified(geom: BaseGeometry, polygonal: bool) -> BaseGeometry | None:
    tolerance = _FIRST_TOLERANCE_DEG
    for _ in range(12):
        if shapely.get_num_coordinates(geom) <= KEPT_VERTICES:
            return geom
        simpler = geom.simplify(tolerance, preserve_topology=True)
        if not simpler.is_empty and simpler.is_valid:
            geom = simpler
        tolerance *= 4
    return geom if shapely.get_num_coordinates(geom) <= KEPT_VERTICES else None


def finite_point(lon: float, lat: float) -> bool:
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
