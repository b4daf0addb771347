"""Township seats from GeoNames: where a township named by a site's name is, to a few kilometres.

The data is the Chinese subset of GeoNames ``cities500`` (``data/geonames_cn.tsv``, written by
``scripts/make_townships.py``; GeoNames, CC BY 4.0). A GeoNames place is taken as the seat of a
township of a county only when

- it lies inside the county's polygon (a same-named place in another county is never used);
- one of its Chinese names is, best first: the township's official name; another name of the
  township that a public source states (``data/township_aliases.tsv``, each row cited); the same
  short form with another township suffix (芝英镇 ↔ 芝英街道, 武康街道 ↔ 武康镇: GeoNames often keeps
  the older name); the bare short form (芝英);
- no other place of the county matches the township as well and lies more than
  :data:`SAME_PLACE_M` away (two candidates far apart: neither is used), and no other township
  of the county claims the same place.

The seat is a point; the site may be anywhere in the township. The uncertainty radius is
``max(2.7 × r_mean, d_next) + rounding``: ``r_mean = sqrt(county area / townships / π)`` is the
radius of a circle of the county's mean township area, ``d_next`` the distance to the nearest
other township seat of the county known here (a township rarely reaches past its neighbour's
seat), and ``rounding`` the half-diagonal of the grid the coordinate was rounded to (an
arc-minute: about 1.2 km in China's latitudes). It never exceeds the county's own radius.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPoint, Point

from geo.locate import admin
from geo.locate.county_location import county_location
from geo.locate.gazetteer import Gazetteer
from geo.locate.name_places import NamePlaces, locate_by_name, township_extent
from geo.model import Basis, County, Location, basis
from geo.text import lexicon

DATA_FILE = "geonames_cn.tsv"
LICENCE = "GeoNames (geonames.org), CC BY 4.0"
SAME_PLACE_M = 2000.0  # two matching GeoNames places closer than this are one seat written twice
SEAT_RADIUS_FACTOR = 2.7  # the seat's radius in mean-township radii (see data/README.md)
FULL_PRECISION_DECIMALS = 4  # 4 decimals: ~10 m, below anything this radius cares about
_M_PER_DEG = 111_320.0
_GEOD = Geod(ellps="WGS84")


class GeoNamesPlace(NamedTuple):
    """One row of the GeoNames subset (a named tuple, three times faster to make than a frozen
    dataclass; a build makes those of the counties it places)."""

    geonameid: int
    lon: float
    lat: float
    decimals: int  # fewest decimals of lon and lat as published
    name: str  # GeoNames' main (romanised) name
    zh_names: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"https://www.geonames.org/{self.geonameid}"

    def rounding_m(self) -> float:
        """Half-diagonal in metres of the grid this coordinate is rounded to (0 when not rounded)."""
        steps = []
        if _on_arc_minute(self.lon) and _on_arc_minute(self.lat):
            steps.append(1 / 60)
        if self.decimals < FULL_PRECISION_DECIMALS:
            steps.append(10.0 ** -self.decimals)
        if not steps:
            return 0.0
        half = max(steps) / 2 * _M_PER_DEG
        return math.hypot(half, half * math.cos(math.radians(self.lat)))


def _on_arc_minute(value: float) -> bool:
    minutes = value * 60
    return abs(minutes - round(minutes)) < 0.01


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


@cache
def _table() -> tuple[list[list[str]], tuple[int, ...]]:
    """The shipped subset's rows as text and their columns (id, lon, lat, name, Chinese names)."""
    text = (files("geo.locate") / "data" / DATA_FILE).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header = rows[0]
    return rows[1:], tuple(map(header.index, ("geonameid", "lon", "lat", "name", "zh_names")))


def _place(row: list[str], cols: tuple[int, ...]) -> GeoNamesPlace:
    i_id, i_lon, i_lat, i_name, i_zh = cols
    return GeoNamesPlace(int(row[i_id]), float(row[i_lon]), float(row[i_lat]),
                         min(_decimals(row[i_lon]), _decimals(row[i_lat])), row[i_name],
                         tuple(n for n in row[i_zh].split("|") if n))


@cache
def places() -> tuple[GeoNamesPlace, ...]:
    """Every row of the shipped subset (about 15,000 places)."""
    rows, cols = _table()
    return tuple(_place(r, cols) for r in rows)


@cache
def _index() -> tuple[np.ndarray, Callable[[int], GeoNamesPlace]]:
    """Every place's (lon, lat), and what makes place ``i``: a build makes only the places inside
    the counties it places (making all 15,000 cost 0.1 s, more than placing a small county)."""
    rows, cols = _table()
    i_lon, i_lat = cols[1], cols[2]
    xy = np.array([(float(r[i_lon]), float(r[i_lat])) for r in rows], dtype=float).reshape(-1, 2)
    return xy, lambda i: _place(rows[i], cols)


def _index_of(given: Sequence[GeoNamesPlace]) -> tuple[np.ndarray, Callable[[int], GeoNamesPlace]]:
    """The index of places given whole (tests)."""
    return np.array([(p.lon, p.lat) for p in given], dtype=float).reshape(-1, 2), given.__getitem__


def places_in_county(county: County) -> list[GeoNamesPlace]:
    """GeoNames places inside the county's polygon."""
    area = admin.county_polygon(county)
    xy, place = _index()
    minx, miny, maxx, maxy = area.bounds
    box = (xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy)
    idx = np.nonzero(box)[0]
    inside = shapely.contains_xy(area, xy[idx, 0], xy[idx, 1])
    return [place(int(i)) for i in idx[inside]]


@dataclass(frozen=True)
class TownshipSeat:
    """A township's seat as GeoNames gives it, with the radius the site lies within."""

    township: str  # official name (admin tree)
    place: GeoNamesPlace
    matched: str  # the GeoNames name that matched
    how: str  # "official name", "suffix variant" or "short form"
    uncertainty_m: float
    derivation: str  # how the radius was reached, in words
    radius_basis: tuple[tuple[str, Any], ...] = ()  # the same, as numbers (for :meth:`basis`)

    @property
    def point(self) -> Point:
        return Point(self.place.lon, self.place.lat)

    def cite(self) -> str:
        p = self.place
        return (f"seat of {self.township}: GeoNames {p.geonameid} {self.matched} ({self.how}; "
                f"{p.lat}, {p.lon}) {p.url}, {LICENCE}; radius {self.derivation}")

    def basis(self) -> Basis:
        """:meth:`cite` as data."""
        p = self.place
        how = _HOW_CODES.get(self.how, "alias")
        alias_url = self.how.rsplit(", per ", 1)[-1] if how == "alias" else None
        return basis("township_seat", township=self.township, geonameid=p.geonameid, matched=self.matched,
                     how=how, alias_url=alias_url, lat=p.lat, lon=p.lon, url=p.url, licence=LICENCE,
                     **dict(self.radius_basis))

    def location(self) -> Location:
        return Location(geometry=self.point, precision="township", uncertainty_m=self.uncertainty_m,
                        source=self.cite(), basis=(self.basis(),))


_HOW_CODES = {"official name": "official", "suffix variant": "suffix", "short form": "short"}


ALIASES_FILE = "township_aliases.tsv"


@cache
def _aliases() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(county, township) -> ((alias, source_url), ...), from the cited alias table."""
    text = (files("geo.locate") / "data" / ALIASES_FILE).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in rows[1:]:
        county, town, alias, url = (c.strip() for c in r[:4])
        out.setdefault((county, town), []).append((alias, url))
    return {k: tuple(v) for k, v in out.items()}


def _suffixes() -> tuple[str, ...]:
    return tuple(lexicon.admin_names()["township_suffixes"])


def _match(town: str, place: GeoNamesPlace, county: County) -> tuple[int, str, str] | None:
    """(rank, matched name, how) when the place carries the township's name; lower rank is better."""
    short = admin.township_short(town)
    if town in place.zh_names:
        return 0, town, "official name"
    for alias, url in _aliases().get((county.name, town), ()):
        if alias in place.zh_names:
            return 1, alias, f"another name of {town}, per {url}"
    if short:
        variants = {short + s for s in _suffixes()} - {town}
        for name in place.zh_names:
            if name in variants:
                return 1, name, "suffix variant"
        if len(short) >= 2 and short in place.zh_names:
            return 2, short, "short form"
    return None


def _distance_m(a: Point, b: Point) -> float:
    return float(_GEOD.inv(a.x, a.y, b.x, b.y)[2])


@dataclass(frozen=True)
class CountySeats:
    """The township seats GeoNames gives for one county, and what could not be used."""

    county: County
    seats: dict[str, TownshipSeat]
    ambiguous: dict[str, tuple[int, ...]]  # township -> GeoNames ids that matched equally, far apart
    mean_township_radius_m: float


@cache
def county_seats(county: County) -> CountySeats:
    """The seats of the county's townships that GeoNames places inside the county."""
    towns = admin.townships(county)
    inside = places_in_county(county)
    found: dict[str, tuple[int, GeoNamesPlace, str, str]] = {}
    ambiguous: dict[str, tuple[int, ...]] = {}
    claims: dict[int, set[str]] = {}
    for town in towns:
        matches = [(m, p) for p in inside if (m := _match(town, p, county)) is not None]
        if not matches:
            continue
        best = min(m[0] for m, _ in matches)
        top = [(m, p) for m, p in matches if m[0] == best]
        top.sort(key=lambda mp: (-mp[1].decimals, mp[1].geonameid))
        first = top[0][1]
        if any(_distance_m(Point(first.lon, first.lat), Point(p.lon, p.lat)) > SAME_PLACE_M for _, p in top):
            ambiguous[town] = tuple(p.geonameid for _, p in top)
            continue
        (rank, matched, how), place = top[0]
        found[town] = (rank, place, matched, how)
        claims.setdefault(place.geonameid, set()).add(town)
    for town in [t for t, (_, p, _, _) in found.items() if len(claims[p.geonameid]) > 1]:
        ambiguous[town] = (found.pop(town)[1].geonameid,)  # one place named for two townships

    area_m2 = abs(_GEOD.geometry_area_perimeter(admin.county_polygon(county))[0])
    r_mean = math.sqrt(area_m2 / max(1, len(towns)) / math.pi)
    county_radius = county_location(county).uncertainty_m
    points = {t: Point(p.lon, p.lat) for t, (_, p, _, _) in found.items()}
    seats: dict[str, TownshipSeat] = {}
    for town, (_, place, matched, how) in found.items():
        others = [_distance_m(points[town], q) for t, q in points.items() if t != town]
        d_next = min(others) if others else 0.0
        rounding = place.rounding_m()
        base = max(SEAT_RADIUS_FACTOR * r_mean, d_next)
        radius = min(float(math.ceil(base + rounding)), county_radius)
        words = (f"{radius:.0f} m = max({SEAT_RADIUS_FACTOR:g} × mean township radius {r_mean:.0f} m, "
                 f"nearest other seat {d_next:.0f} m)")
        if rounding:
            words += f" + {rounding:.0f} m coordinate rounding"
        if radius == county_radius:
            words += ", capped at the county's radius"
        numbers = (("radius_m", radius), ("factor", SEAT_RADIUS_FACTOR), ("mean_radius_m", round(r_mean)),
                   ("next_seat_m", round(d_next)), ("rounding_m", round(rounding)),
                   ("capped", radius == county_radius))
        seats[town] = TownshipSeat(town, place, matched, how, radius, words, numbers)
    return CountySeats(county, seats, ambiguous, r_mean)


def seat(town: str, county: County) -> TownshipSeat | None:
    """The GeoNames seat of this township of ``county``, or None."""
    return county_seats(county).seats.get(town)


def locate_named(found: NamePlaces, county: County, gazetteer: Gazetteer) -> Location | None:
    """Where the township(s) a name gives are, from the gazetteer's extents and GeoNames seats.

    One township: its gazetteer extent when it has one (:func:`geo.locate.name_places.locate_by_name`),
    else its GeoNames seat. Several (a zone spanning towns, a name giving two townships): the
    midpoint of their points with a radius covering each one's own circle, said in the source;
    None when one of them is located by nothing, or when that radius reaches the county's own.
    """
    if found.unknown:
        return None
    by_gazetteer = locate_by_name(found, county, gazetteer)
    if by_gazetteer is not None:
        return by_gazetteer
    members: list[tuple[Point, float, str]] = []
    steps: list[Basis] = []
    for town in found.townships:
        entry = township_extent(town, county, gazetteer)
        if entry is not None:
            members.append((entry.geometry.centroid, entry.uncertainty_m,
                            f"extent of {entry.name}: gazetteer: {entry.source_url}"))
            steps.append(basis("township_extent", township=entry.name, url=entry.source_url))
            continue
        s = seat(town, county)
        if s is None:
            return None
        members.append((s.point, s.uncertainty_m, s.cite()))
        steps.append(s.basis())
    if len(members) == 1:
        point, radius, cite = members[0]
        return Location(geometry=point, precision="township", uncertainty_m=radius,
                        source=f"{found.describe()}; {cite}", basis=(found.basis(), *steps))
    mid, radius = spread([(p, r) for p, r, _ in members])
    if radius >= county_location(county).uncertainty_m:
        return None
    return Location(
        geometry=mid, precision="township", uncertainty_m=radius,
        source=(f"{found.describe()} ({len(members)} townships): the midpoint of their locations, "
                f"with a radius covering each; " + "; ".join(c for _, _, c in members)),
        basis=(found.basis(), basis("township_midpoint", count=len(members)), *steps),
    )


def located_townships(found: NamePlaces, county: County) -> frozenset[str]:
    """The townships of ``found`` that GeoNames gives a seat for."""
    return frozenset(t for t in found.townships if seat(t, county) is not None)


def spread(members: list[tuple[Point, float]]) -> tuple[Point, float]:
    """The midpoint of several located townships and a radius covering each one's own circle."""
    mid = MultiPoint([p for p, _ in members]).convex_hull.centroid
    radius = max(_distance_m(mid, p) + r for p, r in members)
    return mid, float(math.ceil(radius))
