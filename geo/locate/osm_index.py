"""A user's own OpenStreetMap extract as a local index of named places, matched by later builds.

``python -m geo gazetteer import-osm EXTRACT.osm.pbf [--county 永康市]`` reads the extract with
pyosmium and keeps named parks and green spaces, water, roads, residential estates, villages,
schools and hospitals (``OSM_KINDS``), each with the county its representative point lies in, in
a SQLite database (``data/osm_index.sqlite``, or ``RENEWAL_MAP_OSM_INDEX``). A re-import of the
same extract replaces its rows by OSM id, so importing twice gives the same index.

A build then looks a site's name up in the index within the site's county: areas (parks, water,
estates) become polygons with ``precision: exact``, roads lines and named points with
``precision: street``, and ``location_source`` cites the OSM object id and the ODbL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.errors import GeoError
from geo.locate import admin
from geo.locate.county_location import farthest_distance_m
from geo.locate.sources import DEFAULT_OSM_INDEX
from geo.locate.sources import index_path as index_path
from geo.model import County, Location, basis
from geo.names import name_key

DEFAULT_INDEX = DEFAULT_OSM_INDEX
LICENCE = "© OpenStreetMap contributors, ODbL 1.0"
# (tag, values or None for any) -> kind; the first that matches an object decides its kind.
OSM_KINDS: tuple[tuple[str, frozenset[str] | None, str], ...] = (
    ("leisure", frozenset({"park", "garden", "nature_reserve", "common"}), "park"),
    ("landuse", frozenset({"recreation_ground", "village_green", "grass", "forest"}), "green"),
    ("natural", frozenset({"water", "wetland", "wood"}), "water"),
    ("waterway", frozenset({"river", "stream", "canal", "riverbank"}), "water"),
    ("highway", None, "road"),
    ("landuse", frozenset({"residential"}), "estate"),
    ("place", frozenset({"neighbourhood", "quarter", "suburb"}), "estate"),
    ("place", frozenset({"village", "hamlet", "town", "isolated_dwelling"}), "village"),
    ("amenity", frozenset({"school", "college", "university", "kindergarten"}), "school"),
    ("amenity", frozenset({"hospital", "clinic"}), "hospital"),
)
NAME_TAGS = ("name:zh", "name", "name:zh-Hans", "alt_name", "old_name", "official_name", "short_name")
# How far a site named after a point may be from that point (m): a village's houses, a school's grounds.
POINT_RADIUS_M = {"village": 1000.0, "estate": 500.0, "school": 300.0, "hospital": 300.0}
DEFAULT_POINT_RADIUS_M = 300.0
SAME_POINT_M = 1000.0  # named points further apart than this are different places: neither is used

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    osm_type TEXT NOT NULL, osm_id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    county TEXT NOT NULL, geometry_wkt TEXT NOT NULL, extract TEXT NOT NULL,
    PRIMARY KEY (osm_type, osm_id)
);
CREATE TABLE IF NOT EXISTS names (
    osm_type TEXT NOT NULL, osm_id INTEGER NOT NULL, county TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (osm_type, osm_id, key)
);
CREATE INDEX IF NOT EXISTS names_by_key ON names (county, key);
"""


class OsmIndexError(GeoError):
    """The extract or the index cannot be used."""


@dataclass(frozen=True)
class OsmPlace:
    osm_type: str  # node / way / relation
    osm_id: int
    kind: str
    name: str
    names: tuple[str, ...]
    geometry: BaseGeometry

    @property
    def url(self) -> str:
        return f"https://www.openstreetmap.org/{self.osm_type}/{self.osm_id}"


def _kind(tags: dict[str, str]) -> str | None:
    for key, values, kind in OSM_KINDS:
        value = tags.get(key)
        if value is not None and (values is None or value in values):
            return kind
    return None


def _names(tags: dict[str, str]) -> tuple[str, ...]:
    out: list[str] = []
    for key in NAME_TAGS:
        for part in tags.get(key, "").split(";"):
            if part.strip() and part.strip() not in out:
                out.append(part.strip())
    return tuple(out)


def read_extract(path: Path) -> Iterator[OsmPlace]:
    """The named places of the kinds kept, from an .osm.pbf (or .osm/.osm.bz2) extract."""
    import osmium

    wkt = osmium.geom.WKTFactory()
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
        for obj in processor:
            tags = {t.k: t.v for t in obj.tags}
            kind = _kind(tags)
            names = _names(tags)
            if kind is None or not names:
                continue
            try:
                if obj.is_node():
                    geom, osm_type, osm_id = wkt.create_point(obj), "node", obj.id
                elif obj.is_area():
                    osm_type = "way" if obj.from_way() else "relation"
                    geom, osm_id = wkt.create_multipolygon(obj), obj.orig_id()
                elif obj.is_way():
                    if obj.is_closed() and kind not in ("road",) and "area" not in tags:
                        continue  # its area comes separately
                    geom, osm_type, osm_id = wkt.create_linestring(obj), "way", obj.id
                else:
                    continue
            except (RuntimeError, osmium.InvalidLocationError):
                continue  # an object whose nodes the extract cut off
            shape = shapely.from_wkt(geom)
            if shape.is_empty:
                continue
            yield OsmPlace(osm_type, osm_id, kind, names[0], names, shape)
    except (OSError, RuntimeError) as error:
        raise OsmIndexError(f"{path}: cannot read the OSM extract ({error})") from error


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.executescript(_SCHEMA)
    return con


@dataclass(frozen=True)
class ImportSummary:
    kept: int
    outside: int
    by_kind: dict[str, int]


def import_extract(extract: Path, index: Path | None = None, county: str | None = None) -> ImportSummary:
    """Add the extract's named places to the index; with ``county``, only those inside it."""
    extract = Path(extract)
    if not extract.is_file():
        raise OsmIndexError(f"{extract}: no such file")
    only = admin.county(county) if county else None
    counties = _Counties(_county_areas(only))
    rows: list[tuple[OsmPlace, str]] = []
    outside = 0
    for place in read_extract(extract):
        where = counties.of(place.geometry)
        if where is None:
            outside += 1
            continue
        rows.append((place, where))
    path = index_path(index)
    con = _connect(path)
    try:
        with con:
            for place, where in rows:
                ident = (place.osm_type, place.osm_id)
                con.execute("DELETE FROM names WHERE osm_type = ? AND osm_id = ?", ident)
                con.execute(
                    "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*ident, place.kind, place.name, where,
                     shapely.to_wkt(place.geometry, rounding_precision=7), extract.name),
                )
                for key in sorted({name_key(n) for n in place.names}):
                    con.execute("INSERT OR REPLACE INTO names VALUES (?, ?, ?, ?)", (*ident, where, key))
    finally:
        con.close()
    by_kind: dict[str, int] = {}
    for place, _ in rows:
        by_kind[place.kind] = by_kind.get(place.kind, 0) + 1
    return ImportSummary(len(rows), outside, dict(sorted(by_kind.items())))


def _county_areas(only: County | None) -> list[tuple[str, BaseGeometry]]:
    """(official name, as the index stores it; outline) of ``only``, or of every county."""
    if only:
        return [(only.name, admin.county_polygon(only))]
    out = []
    for c in admin.counties():
        try:
            out.append((c.name, admin.county_polygon(c)))
        except GeoError:
            continue
    return out


class _Counties:
    """Which county a place's representative point lies in (an R-tree over the outlines)."""

    def __init__(self, areas: list[tuple[str, BaseGeometry]]) -> None:
        self._names = [n for n, _ in areas]
        self._areas = [a for _, a in areas]
        self._tree = shapely.STRtree(self._areas)

    def of(self, geom: BaseGeometry) -> str | None:
        point = geom.representative_point()
        for i in sorted(int(i) for i in self._tree.query(point, predicate="intersects")):
            if self._areas[i].contains(point):
                return self._names[i]
        return None


class OsmIndex:
    """The index read by a build: look a name up within a county."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = index_path(path)
        self._con: sqlite3.Connection | None = None
        if self.path.is_file():
            try:
                self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                self._con.execute("SELECT 1 FROM places LIMIT 1")
            except sqlite3.Error as error:
                raise OsmIndexError(f"{self.path}: not a usable OSM index ({error})") from error

    def __bool__(self) -> bool:
        return self._con is not None

    def lookup(self, name: str, county: County) -> Location | None:
        """The location of the places called ``name`` in ``county``; None when none or ambiguous."""
        if self._con is None:
            return None
        rows = self._con.execute(
            "SELECT p.osm_type, p.osm_id, p.kind, p.name, p.geometry_wkt FROM names n JOIN places p "
            "ON p.osm_type = n.osm_type AND p.osm_id = n.osm_id WHERE n.county = ? AND n.key = ? "
            "ORDER BY p.osm_type, p.osm_id",
            (county.name, name_key(name)),
        ).fetchall()
        if not rows:
            return None
        geoms = [shapely.from_wkt(r[4]) for r in rows]
        dims = {shapely.get_dimensions(g) for g in geoms}
        top = max(dims)
        keep = [(r, g) for r, g in zip(rows, geoms, strict=True) if shapely.get_dimensions(g) == top]
        merged = unary_union([g for _, g in keep])
        if top == 1:
            merged = shapely.line_merge(merged) if merged.geom_type == "MultiLineString" else merged
        if top == 0:
            anchor = merged.centroid
            if farthest_distance_m(anchor, merged) > SAME_POINT_M:
                return None
            kinds = {r[2] for r, _ in keep}
            radius = max(POINT_RADIUS_M.get(k, DEFAULT_POINT_RADIUS_M) for k in kinds)
            geometry = anchor
        else:
            geometry = merged
            radius = max(1.0, farthest_distance_m(merged.representative_point(), merged))
        precision = "exact" if top == 2 else "street"
        cites = ", ".join(f"{r[0]} {r[1]} https://www.openstreetmap.org/{r[0]}/{r[1]}" for r, _ in keep[:5])
        more = f" and {len(keep) - 5} more" if len(keep) > 5 else ""
        return Location(
            geometry=geometry, precision=precision, uncertainty_m=float(round(radius)),
            source=f"OpenStreetMap {keep[0][0][3]}: {cites}{more} ({LICENCE}; local index {self.path.name})",
            basis=(basis("osm", name=keep[0][0][3], objects=tuple(f"{r[0]}/{r[1]}" for r, _ in keep[:5]),
                         more=len(keep) - 5 if len(keep) > 5 else None, licence=LICENCE,
                         index=self.path.name),),
        )

    def count(self) -> int:
        if self._con is None:
            return 0
        return int(self._con.execute("SELECT COUNT(*) FROM places").fetchone()[0])

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
