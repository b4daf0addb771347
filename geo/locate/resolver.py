"""Where a site is: the resolver chain that gives every site a geometry it can stand behind.

Steps, in order; the first that yields a location wins:

1. ``override``  — the user's own placement (``data/overrides.geojson``, :mod:`geo.locate.overrides`);
2. ``gazetteer`` — the embedded gazetteer, by name then alias (:mod:`geo.locate.gazetteer`);
   ``osm``       — the user's imported OpenStreetMap extract, by name within the county
                    (:mod:`geo.locate.osm_index`);
3. ``name``      — the township(s) the name itself gives (:mod:`geo.locate.name_places`): their cited extent
                    in the gazetteer, else their seats from GeoNames (:mod:`geo.locate.townships`);
4. ``geocoder``  — the online geocoders, only when configured (:mod:`geo.locate.geocoders`);
5. ``context``   — the township the site's own clause ties it to (在新建镇实施甲公园提升), located as in
                    step 3 (:mod:`geo.locate.context`);
6. ``county``    — the county seat or a point of the county, with a radius covering the county.

A candidate of steps 1–5 must lie in the site's county (its outline buffered by 0.01°, as the
evaluation does): one outside is rejected whatever its source, and the next step is tried. An
extent (a township's box) that lies mostly in the county is clipped to it. What the name says
but no source locates is never turned into a position; the county fallback cites it instead.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.locate import admin
from geo.locate.context import site_clause_township
from geo.locate.county_location import county_location
from geo.locate.gazetteer import MIN_SHARE_INSIDE, Gazetteer
from geo.locate.geocoders.errors import GeocoderConfigError
from geo.locate.name_places import NamePlaces, name_places, unlocated_basis, unlocated_note
from geo.locate.osm_index import OsmIndex
from geo.locate.overrides import Overrides, load_overrides
from geo.locate.sources import SEATS_CSV, STEPS
from geo.locate.townships import locate_named, located_townships
from geo.model import County, Location, Site

log = logging.getLogger(__name__)

COUNTY_BUFFER_DEG = 0.01  # county outlines are simplified; the evaluation allows the same margin
_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAL = ("LineString", "MultiLineString")
_RANK = {"county": 0, "township": 1, "street": 2, "exact": 3}


@dataclass(frozen=True)
class Placement:
    """A site's location and the resolver step that gave it."""

    location: Location
    step: str


class Resolver:
    """The resolver chain, built once per build: sources loaded on first use, results cached.

    :attr:`steps` records which step placed each site (by site id); :meth:`problems` lists
    rejected candidates and geocoder faults for the build's summary.
    """

    def __init__(self, *, overrides_path: Path | None = None, gazetteer_path: Path | None = None,
                 osm_index_path: Path | None = None, seats_path: Path = SEATS_CSV,
                 geocoders_config: Path | None = None) -> None:
        self._overrides_path = overrides_path
        self._gazetteer_path = gazetteer_path
        self._osm_index_path = osm_index_path
        self._seats_path = seats_path
        self._geocoders_config = geocoders_config
        self._cache: dict[tuple[str, County, bool], Placement] = {}
        self._areas: dict[County, tuple[BaseGeometry, BaseGeometry]] = {}
        self.steps: dict[str, str] = {}
        self.rejected: list[str] = []
        self._geocoding_error: str | None = None
        self._geocoder_problems_seen: int | None = None

    @cached_property
    def overrides(self) -> Overrides:
        return load_overrides(self._overrides_path)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return Gazetteer.load(self._gazetteer_path)

    @cached_property
    def osm_index(self) -> OsmIndex:
        """The imported OSM extract (empty when none was imported)."""
        return OsmIndex(self._osm_index_path)

    # ------------------------------------------------------------ public

    def locate(self, site: Site) -> Location:
        """The best location the sources support for ``site``; the county when nothing finer is known."""
        placement = self.place(site)
        self.steps[site.id] = placement.step
        return placement.location

    def place(self, site: Site) -> Placement:
        """Like :meth:`locate`, with the step that placed the site."""
        county = site.county
        override = self.overrides.lookup(site.id, site.name, county)
        if override is not None:
            loc = self._inside(override.location(), county, f"{site.name}: hand placement")
            if loc is not None:
                return Placement(loc, "override")
        # A road named after a town usually leads to it rather than lying in it.
        key = (site.name, county, site.layer == "roads")
        if key not in self._cache:
            self._cache[key] = self._resolve(site.name, county, use_name=not key[2])
        placement = self._cache[key]
        return self._by_clause(site, county, placement) if placement.step == "county" else placement

    def step_counts(self) -> dict[str, int]:
        """Sites placed by each step so far, in the order of the chain."""
        counts = Counter(self.steps.values())
        return {s: counts[s] for s in STEPS if counts[s]}

    def problems(self) -> list[str]:
        """Rejected candidates, and what went wrong with the online geocoders during this build."""
        out = list(self.rejected)
        if self._geocoding_error:
            out.append(f"online geocoders not used: {self._geocoding_error}")
        if self._geocoder_problems_seen is not None:
            from geo.locate import geocoders

            out += geocoders.problems(self._geocoders_config)[self._geocoder_problems_seen :]
        return out

    # ------------------------------------------------------------ steps

    def _resolve(self, name: str, county: County, *, use_name: bool) -> Placement:
        entry = self.gazetteer.lookup(name, county)
        if entry is not None:
            loc = self._inside(entry.location(), county, f"{name}: gazetteer entry {entry.name}")
            if loc is not None:
                return Placement(loc, "gazetteer")
        mapped = self.osm_index.lookup(name, county)
        if mapped is not None:
            loc = self._inside(mapped, county, f"{name}: OpenStreetMap")
            if loc is not None:
                return Placement(loc, "osm")
        found: NamePlaces | None = name_places(name, county) if use_name else None
        by_name: Location | None = None
        if found is not None:
            by_name = locate_named(found, county, self.gazetteer)
            if by_name is not None:
                loc = self._inside(by_name, county, f"{name}: extent of {', '.join(found.townships)}")
                if loc is not None:
                    finer = self._finer_online(name, county, loc)
                    return Placement(finer, "geocoder") if finer is not None else Placement(loc, "name")
        online = self._geocode(name, county)
        if online is not None:
            loc = self._inside(online, county, f"{name}: {online.source}")
            if loc is not None:
                return Placement(loc, "geocoder")
        fallback = county_location(county, self._seats_path)
        if found is not None and by_name is None:
            seated = located_townships(found, county)
            note = unlocated_note(found, county, self.gazetteer, seated)
            fallback = replace(fallback, source=f"{fallback.source}; {note}",
                               basis=fallback.basis + unlocated_basis(found, county, self.gazetteer, seated))
        return Placement(fallback, "county")

    def _by_clause(self, site: Site, county: County, fallback: Placement) -> Placement:
        """The township the site's clause ties it to, located; else ``fallback``, citing the clause."""
        found = site_clause_township(site, county)
        if found is None:
            return fallback
        if found.township is not None:
            by_clause = locate_named(found.township.places(), county, self.gazetteer)
            if by_clause is not None:
                what = f"{site.name}: {found.township.township} named in its clause"
                loc = self._inside(by_clause, county, what)
                if loc is not None:
                    return Placement(loc, "context")
        said = fallback.location.source
        if found.township is not None and f"places it in {found.township.township}," in said:
            return fallback  # the name already gave this township, and why it is not used
        return Placement(replace(fallback.location, source=f"{said}; {found.note()}",
                                 basis=fallback.location.basis + found.note_basis()), "county")

    def _finer_online(self, name: str, county: County, loc: Location) -> Location | None:
        """A configured geocoder's answer when it is finer than ``loc`` (a township) and in the county."""
        online = self._geocode(name, county)
        if online is None or _RANK.get(online.precision, 0) <= _RANK.get(loc.precision, 0):
            return None
        return self._inside(online, county, f"{name}: {online.source}")

    def _geocode(self, name: str, county: County) -> Location | None:
        """The configured online geocoders' answer; they never raise for network faults."""
        if self._geocoding_error is not None:
            return None
        from geo.locate import geocoders

        try:
            if self._geocoder_problems_seen is None:
                self._geocoder_problems_seen = len(geocoders.problems(self._geocoders_config))
            return geocoders.geocode_site(name, county, self._geocoders_config)
        except GeocoderConfigError as error:
            self._geocoding_error = str(error)
            log.warning("online geocoders not used: %s", error)
            return None

    # ------------------------------------------------------------ the county check

    def _county_areas(self, county: County) -> tuple[BaseGeometry, BaseGeometry]:
        if county not in self._areas:
            area = admin.county_polygon(county)
            self._areas[county] = (area, area.buffer(COUNTY_BUFFER_DEG))
        return self._areas[county]

    def _inside(self, loc: Location, county: County, what: str) -> Location | None:
        """``loc`` if it lies in the county; else, when mostly inside, clipped to it; else None (logged).

        Clipping keeps a township's published box or a road running on past the border to the
        part that is in the county, which is where the site is.
        """
        area, buffered = self._county_areas(county)
        geom = loc.geometry
        if buffered.covers(geom):
            return loc
        clipped = _clipped(geom, area)
        if clipped is not None:
            return replace(loc, geometry=clipped)
        p = geom.representative_point()
        text = f"{what} at ({p.x:.5f}, {p.y:.5f}) lies outside {county.key}; rejected"
        log.warning("location: %s", text)
        self.rejected.append(text)
        return None


def _clipped(geom: BaseGeometry, area: BaseGeometry) -> BaseGeometry | None:
    """The part of a line or polygon inside ``area``, when that is most of it (by length or area)."""
    if geom.geom_type in _POLYGONAL:
        kinds, size = _POLYGONAL, shapely.area
    elif geom.geom_type in _LINEAL:
        kinds, size = _LINEAL, shapely.length
    else:
        return None
    whole = float(size(geom))
    parts = [g for g in shapely.get_parts(geom.intersection(area)) if g.geom_type in kinds and not g.is_empty]
    if whole <= 0 or not parts:
        return None
    clipped = unary_union(parts)
    if geom.geom_type in _LINEAL:
        clipped = shapely.line_merge(clipped)
    return clipped if float(size(clipped)) >= MIN_SHARE_INSIDE * whole else None


def locate_site(site: Site) -> Location:
    """One site's location; a build places many sites with one :class:`Resolver`."""
    return Resolver().locate(site)
