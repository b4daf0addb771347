"""WGS-84 ↔ GCJ-02 ↔ BD-09, with (lon, lat) order everywhere.

Chinese map services publish coordinates in GCJ-02 (Amap, Tencent) or BD-09
(Baidu), both deliberately shifted from WGS-84 by a few hundred metres; the
product stores WGS-84 only. ``prcoords`` does the arithmetic but speaks
(lat, lon): this module is the only place that knows, so that no caller can
swap the axes by accident. The inverse functions use prcoords' iterative
``*_bored`` solvers, polished to well under a millimetre.

Outside mainland China (prcoords' sanity rectangle) the three systems
coincide: every function returns its input unchanged there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import prcoords
from shapely import transform
from shapely.geometry.base import BaseGeometry

LonLat = tuple[float, float]

__all__ = [
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "transform_geometry",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]


def in_china(lon: float, lat: float) -> bool:
    """True where the GCJ-02/BD-09 shifts apply (prcoords' rectangle around China)."""
    return bool(prcoords.sanity_in_china_p(prcoords.Coords(lat, lon)))


_POLISH_STEPS = 4
_POLISH_EPS_DEG = 1e-12


def _wrap(
    func: Callable[..., prcoords.Coords],
    name: str,
    doc: str,
    forward: Callable[..., prcoords.Coords] | None = None,
) -> Callable[[float, float], LonLat]:
    """Turn a prcoords (lat, lon) function into a (lon, lat) one that is the identity outside China.

    For an inverse, ``forward`` is its forward function: prcoords' iteration stops at
    1e-5° steps (a centimetre or two for BD-09 at the edges of China); a few more
    fixed-point steps bring every inverse below a micrometre.
    """

    def converted(lon: float, lat: float) -> LonLat:
        if not in_china(lon, lat):
            return (float(lon), float(lat))
        target = prcoords.Coords(lat, lon)
        # check_china=False: the test above already ran, and prcoords would only warn.
        out = func(target, False)
        if forward is not None:
            for _ in range(_POLISH_STEPS):
                err = forward(out, False) - target
                if abs(err.lat) < _POLISH_EPS_DEG and abs(err.lon) < _POLISH_EPS_DEG:
                    break
                out = out - err
        return (float(out.lon), float(out.lat))

    converted.__name__ = converted.__qualname__ = name
    converted.__doc__ = doc
    return converted


wgs84_to_gcj02 = _wrap(prcoords.wgs_gcj, "wgs84_to_gcj02", "WGS-84 (lon, lat) → GCJ-02 (lon, lat).")
gcj02_to_wgs84 = _wrap(prcoords.gcj_wgs_bored, "gcj02_to_wgs84", "GCJ-02 (lon, lat) → WGS-84 (lon, lat).",
                       forward=prcoords.wgs_gcj)
gcj02_to_bd09 = _wrap(prcoords.gcj_bd, "gcj02_to_bd09", "GCJ-02 (lon, lat) → BD-09 (lon, lat).")
bd09_to_gcj02 = _wrap(prcoords.bd_gcj_bored, "bd09_to_gcj02", "BD-09 (lon, lat) → GCJ-02 (lon, lat).",
                      forward=prcoords.gcj_bd)
wgs84_to_bd09 = _wrap(prcoords.wgs_bd, "wgs84_to_bd09", "WGS-84 (lon, lat) → BD-09 (lon, lat).")
bd09_to_wgs84 = _wrap(prcoords.bd_wgs_bored, "bd09_to_wgs84", "BD-09 (lon, lat) → WGS-84 (lon, lat).",
                      forward=prcoords.wgs_bd)


def transform_geometry(geom: BaseGeometry, func: Callable[[float, float], LonLat]) -> BaseGeometry:
    """Apply a (lon, lat) → (lon, lat) function to every vertex of a shapely geometry."""

    def apply(xy: np.ndarray) -> np.ndarray:
        out = xy.copy()
        for i, (x, y) in enumerate(xy):
            out[i] = func(float(x), float(y))
        return out

    return transform(geom, apply)
