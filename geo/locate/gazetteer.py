"""The embedded gazetteer: ``data/gazetteer.csv``, places whose location a public source states.

Human-editable CSV (``#`` lines are comments), one place per row, WGS-84 WKT in
lon-lat order, with the precision the source supports, an uncertainty in metres
and the citation. :func:`check` validates it (``python -m geo gazetteer check``).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError
from geo.locate.geocoders.errors import GazetteerError
from geo.locate.geocoders.geometry import distance_outside_m
from geo.locate.sources import GAZETTEER_PATH
from geo.names import name_key
from geo.outcome import Outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    from geo.model import County, Location

DEFAULT_PATH = GAZETTEER_PATH
COLUMNS = (
    "name", "aliases", "county", "kind", "geometry_wkt",
    "precision", "uncertainty_m", "source_url", "evidence",
)
PRECISIONS = ("exact", "street", "township", "county")
COUNTY_MARGIN_M = 500.0  # county outlines are simplified; a point this close outside still counts as inside
MIN_SHARE_INSIDE = 0.5  # an extent (box, outline) must lie at least half inside its county


__all__ = ["Gazetteer", "GazetteerEntry", "GazetteerError", "check", "check_main"]


@dataclass(frozen=True)
class GazetteerEntry:
    """One place: its geometry (WGS-84), how precisely the source places it, and the citation."""

    name: str
    aliases: tuple[str, ...]
    county: str
    kind: str
    geometry: BaseGeometry
    precision: str
    uncertainty_m: float
    source_url: str
    evidence: str

    def location(self) -> Location:
        """This entry as a :class:`geo.locate.county_location.Location`, citing its source URL."""
        from geo.model import Location, basis

        return Location(
            geometry=self.geometry,
            precision=self.precision,
            uncertainty_m=self.uncertainty_m,
            source=f"gazetteer: {self.source_url}",
            basis=(basis("gazetteer", name=self.name, url=self.source_url),),
        )




def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-comment row, header included. Raises OSError/UnicodeDecodeError."""
    text = path.read_text(encoding="utf-8-sig")
    # Blank the comment lines instead of dropping them, so that csv's line numbers stay true.
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(io.StringIO("\n".join(lines) + "\n"))
    return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]


_GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


def _parse_row(cells: list[str], header: list[str]) -> tuple[GazetteerEntry | None, list[str]]:
    """The entry of one row, or the list of what is wrong with it."""
    if len(cells) != len(header):
        return None, [f"{len(cells)} cells, expected {len(header)}"]
    row = {k: v.strip() for k, v in zip(header, cells, strict=True)}
    problems = [f"empty {col}" for col in ("name", "county", "kind", "geometry_wkt") if not row[col]]
    geometry: BaseGeometry | None = None
    if row["geometry_wkt"]:
        try:
            geometry = shapely.from_wkt(row["geometry_wkt"])
        except (ShapelyError, ValueError) as error:
            problems.append(f"bad WKT ({error})")
        else:
            if geometry is None or geometry.is_empty:
                problems.append("empty geometry")
            elif geometry.geom_type not in _GEOMETRY_TYPES:
                problems.append(f"geometry type {geometry.geom_type} not one of {', '.join(_GEOMETRY_TYPES)}")
            elif not geometry.is_valid:
                problems.append(f"invalid geometry ({shapely.is_valid_reason(geometry)})")
    if row["precision"] not in PRECISIONS:
        problems.append(f"precision {row['precision']!r} not one of {', '.join(PRECISIONS)}")
    try:
        uncertainty = float(row["uncertainty_m"])
    except ValueError:
        uncertainty = float("nan")
    if not uncertainty > 0 or uncertainty == float("inf"):
        problems.append(f"uncertainty_m must be a number > 0, got {row['uncertainty_m']!r}")
    url = row["source_url"]
    if not url:
        problems.append("no source_url")
    elif not url.startswith(("http://", "https://")):
        problems.append(f"source_url is not an http(s) URL: {url!r}")
    if problems or geometry is None:
        return None, problems
    entry = GazetteerEntry(
        name=row["name"],
        aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
        county=row["county"],
        kind=row["kind"],
        geometry=geometry,
        precision=row["precision"],
        uncertainty_m=uncertainty,
        source_url=url,
        evidence=row["evidence"],
    )
    return entry, []


def _header_problem(rows: list[tuple[int, list[str]]]) -> str | None:
    if not rows:
        return "no header row"
    header = [c.strip() for c in rows[0][1]]
    if tuple(header) != COLUMNS:
        return f"header is {header}, expected {list(COLUMNS)}"
    return None


class Gazetteer:
    """The gazetteer in memory: lookup by name (then alias) within a county."""

    def __init__(self, entries: list[GazetteerEntry], path: Path | None = None) -> None:
        self.path = path
        self._entries = list(entries)
        self._by_name: dict[tuple[str, str], GazetteerEntry] = {}
        self._by_alias: dict[tuple[str, str], GazetteerEntry] = {}
        for e in self._entries:
            self._by_name.setdefault((e.county, name_key(e.name)), e)
            for alias in e.aliases:
                self._by_alias.setdefault((e.county, name_key(alias)), e)

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Read the CSV (default ``data/gazetteer.csv``); GazetteerError names file and line of a bad row."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            rows = _read_rows(path)
        except (OSError, UnicodeDecodeError) as error:
            raise GazetteerError(path, f"cannot read ({error})") from error
        except csv.Error as error:
            raise GazetteerError(path, f"not valid CSV ({error})") from error
        problem = _header_problem(rows)
        if problem:
            raise GazetteerError(path, problem, rows[0][0] if rows else None)
        header = list(COLUMNS)
        entries = []
        for line, cells in rows[1:]:
            entry, problems = _parse_row(cells, header)
            if entry is None:
                raise GazetteerError(path, "; ".join(problems), line)
            entries.append(entry)
        return cls(entries, path)

    def lookup(self, name: str, county: County) -> GazetteerEntry | None:
        """The entry called ``name`` in ``county``, else the one with that alias; or None."""
        key = (county.name, name_key(name))
        return self._by_name.get(key) or self._by_alias.get(key)

    def entries(self) -> list[GazetteerEntry]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


# ---------------------------------------------------------------- validation


def _default_polygon(county: str) -> BaseGeometry:
    from geo.locate.admin import county_polygon

    return county_polygon(county)


def _placement_problem(entry: GazetteerEntry, area: BaseGeometry) -> str | None:
    """Why the entry does not lie in its county (naming a lat/lon swap when that explains it), or None."""
    geom = entry.geometry
    swapped = shapely.transform(geom, lambda xy: xy[:, ::-1])
    if _in_range(geom):
        outside = distance_outside_m(geom, area)
        if outside <= COUNTY_MARGIN_M and (
            geom.geom_type in ("Point", "MultiPoint")
            or geom.intersection(area).area >= MIN_SHARE_INSIDE * geom.area
        ):
            return None
    if _in_range(swapped) and distance_outside_m(swapped, area) <= COUNTY_MARGIN_M:
        return "lat/lon swapped: the geometry lies in its county only with x and y exchanged (WKT is lon lat)"
    if not _in_range(geom):
        return "coordinate out of range (WKT is lon lat)"
    return f"outside its county polygon (representative point {outside / 1000:.1f} km away)"


def _in_range(geom: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def check(
    path: Path | None = None, *, polygon_for: Callable[[str], BaseGeometry] | None = None
) -> list[str]:
    """Every problem of the gazetteer file, as "file:line: problem" lines ([] when clean).

    Checks the schema, WKT, precision, uncertainty, citation, duplicates, and that each
    geometry lies in its county's polygon (``geo.locate.admin.county_polygon``). Raises
    GazetteerError only when the file cannot be read at all.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    polygon_for = polygon_for or _default_polygon
    try:
        rows = _read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise GazetteerError(path, f"cannot read ({error})") from error
    problem = _header_problem(rows)
    if problem:
        return [f"{path}:{rows[0][0] if rows else 1}: {problem}"]
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    areas: dict[str, BaseGeometry | None] = {}
    for line, cells in rows[1:]:
        entry, row_problems = _parse_row(cells, list(COLUMNS))
        problems += [f"{path}:{line}: {p}" for p in row_problems]
        if entry is None:
            continue
        for label in (entry.name, *entry.aliases):
            key = (entry.county, name_key(label))
            if key in seen:
                problems.append(f"{path}:{line}: {label!r} already names the entry of line {seen[key]}")
            seen.setdefault(key, line)
        if entry.county not in areas:
            try:
                areas[entry.county] = polygon_for(entry.county)
            except GeoError as error:
                areas[entry.county] = None
                problems.append(f"{path}:{line}: county {entry.county!r}: {error}")
        area = areas[entry.county]
        if area is not None:
            placement = _placement_problem(entry, area)
            if placement:
                problems.append(f"{path}:{line}: {entry.name}: {placement}")
    return problems


def check_main(path: Path | None) -> Outcome:
    """``python -m geo gazetteer check [PATH]``: DONE clean, PARTIAL problems found, FAILED unreadable."""
    shown = Path(path) if path is not None else DEFAULT_PATH
    try:
        problems = check(path)
    except GazetteerError as error:
        print(f"gazetteer: {error}", file=sys.stderr)
        return Outcome.FAILED
    for p in problems:
        print(p)
    if problems:
        print(f"gazetteer {shown}: {len(problems)} problem(s)", file=sys.stderr)
        return Outcome.PARTIAL
    entries = Gazetteer.load(shown).entries()
    counties = sorted({e.county for e in entries})
    print(f"gazetteer {shown}: {len(entries)} entries in {len(counties)} counties "
          f"({', '.join(counties)}); no problems")
    return Outcome.DONE
