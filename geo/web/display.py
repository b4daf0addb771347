"""Where things are drawn: WGS-84 as the base map shows it (GCJ-02 for Gaode, from ``geo.coords``),
rounded for display, points sharing a spot, and the bounds of what is shown."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from geo.coords import gcj02_to_wgs84, wgs84_to_gcj02
from geo.web.layers_io import Feature

# Shown coordinates are rounded to 1e-5 degrees (about 1 m): finer than any marker, and the
# downloads keep the data as built.
DISPLAY_DECIMALS = 5
OUTLINE_DECIMALS = 4
METRES_PER_DEGREE = 111_320.0
# ---- coordinates -----------------------------------------------------------------------------


Transform = Callable[[float, float], tuple[float, float]]  # (lon, lat) -> as the base map draws it


def _map_coords(coords: Any, fn: Callable[[float, float], tuple[float, float]]) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        lon, lat = fn(float(coords[0]), float(coords[1]))
        return [lon, lat, *coords[2:]]
    return [_map_coords(c, fn) for c in coords]


def transform_geometry(
    geom: dict[str, Any], fn: Callable[[float, float], tuple[float, float]]
) -> dict[str, Any]:
    """A copy of a GeoJSON geometry with ``fn(lon, lat) -> (lon, lat)`` applied to every position."""
    if geom.get("type") == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [transform_geometry(g, fn) for g in geom.get("geometries", [])],
        }
    return {"type": geom["type"], "coordinates": _map_coords(geom.get("coordinates") or [], fn)}


def _identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


def display_transform(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    """(lon, lat) WGS-84 -> as the base map draws it: GCJ-02 for Gaode's tiles (``geo.coords``)."""
    return wgs84_to_gcj02 if basemap == "gaode" else _identity


def from_display(basemap: str, lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 (lon, lat) of a position on the map as shown (a click), whatever the tiles' datum."""
    return gcj02_to_wgs84(lon, lat) if basemap == "gaode" else (lon, lat)


def offset_lonlat(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    """Move a WGS-84 position ``dx_m`` east and ``dy_m`` north (small distances)."""
    dlat = dy_m / METRES_PER_DEGREE
    dlon = dx_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    return lon + dlon, lat + dlat


def _round_coords(coords: Any, decimals: int) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), decimals)
    return [_round_coords(c, decimals) for c in coords]


def rounded_geometry(geom: dict[str, Any], decimals: int) -> dict[str, Any]:
    if geom.get("type") == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [rounded_geometry(g, decimals) for g in geom.get("geometries", [])],
        }
    return {"type": geom["type"], "coordinates": _round_coords(geom.get("coordinates") or [], decimals)}


# ---- overlapping points ----------------------------------------------------------------------


def spot_of(lon: float, lat: float) -> tuple[float, float]:
    """Positions within about a metre are one spot."""
    return round(lon, 5), round(lat, 5)


def shared_spots(
    points: Iterable[tuple[str, float, float, float | None]],
) -> dict[str, tuple[float, float]]:
    """Keys of the point sites that share their spot with another, each with a zero offset.

    ``points`` are (key, lon, lat, uncertainty_m). Such sites are drawn as one aggregate marker
    at the spot (``site_groups``), never moved away from it; the mapping has the shape callers
    pass to ``display_feature`` and ``site_groups`` as ``offsets``.
    """
    groups: dict[tuple[float, float], list[str]] = defaultdict(list)
    for key, lon, lat, _ in points:
        if math.isfinite(lon) and math.isfinite(lat):
            groups[spot_of(lon, lat)].append(key)
    return {k: (0.0, 0.0) for keys in groups.values() if len(keys) > 1 for k in keys}


def display_feature(
    key: str,
    feature: Feature,
    offset: tuple[float, float] | None,
    fn: Callable[[float, float], tuple[float, float]],
) -> dict[str, Any] | None:
    """The geometry as shown: spiral offset for a stacked point, then the tiles' datum, rounded
    to ``DISPLAY_DECIMALS``. A new geometry; None when the feature has none that can be read."""
    geom = feature.get("geometry")
    if not isinstance(geom, dict) or not geom.get("type"):
        return None
    dx, dy = offset if offset is not None and geom["type"] == "Point" else (0.0, 0.0)
    moved = bool(dx or dy)

    def show(lon: float, lat: float) -> tuple[float, float]:
        if moved:
            lon, lat = offset_lonlat(lon, lat, dx, dy)
        x, y = fn(lon, lat)
        return round(x, DISPLAY_DECIMALS), round(y, DISPLAY_DECIMALS)

    try:
        return transform_geometry(geom, show)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def data_bounds(
    anchors: Iterable[tuple[float, float]], extents: Iterable[tuple[float, float, float, float]]
) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) over site centres and geometry extents, or None."""
    xs: list[float] = []
    ys: list[float] = []
    for lon, lat in anchors:
        if math.isfinite(lon) and math.isfinite(lat):
            xs.append(lon)
            ys.append(lat)
    for x0, y0, x1, y1 in extents:
        if all(math.isfinite(v) for v in (x0, y0, x1, y1)):
            xs += [x0, x1]
            ys += [y0, y1]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)
