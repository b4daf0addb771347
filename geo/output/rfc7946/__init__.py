"""A strict RFC 7946 (GeoJSON) check, for what common validators let through.

Beyond the structure of Feature and FeatureCollection objects and of each geometry type, it
checks what makes a file load wrongly rather than fail to load:

* polygon rings closed, of four positions or more, exterior rings counter-clockwise and holes
  clockwise (the right-hand rule, RFC 7946 §3.1.6), and enclosing some area;
* positions of two or three finite numbers, longitude in [-180, 180], latitude in [-90, 90];
* for data about China, a position that reads as [lat, lon] (first number 18–54, second
  73–136) and one outside China's extent;
* no ``crs`` member anywhere (RFC 7946 §4: WGS 84 only);
* no more than 7 decimals in a coordinate (about 1 cm; §11.2), counted on the JSON text;
* no NaN or Infinity (not JSON at all, but Python's json writes and reads them);
* no member that would change what an object is (§7.1), no key twice in one object;
* the text is UTF-8 without a byte-order mark.

``python -m geo check-geojson FILE...`` (or ``python -m geo.output.rfc7946 FILE...``) prints every
problem and exits 1 if there is one (``geo/cli.py`` maps the outcome of :func:`check_files`).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from geo.outcome import Outcome

__all__ = ["MAX_DECIMALS", "Problem", "check_files", "validate", "validate_file", "validate_text"]

MAX_DECIMALS = 7
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (18.0, 54.0)

GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
)
# RFC 7946 §7.1: members that define another kind of object.
_FORBIDDEN = {
    "FeatureCollection": ("coordinates", "geometries", "geometry", "properties"),
    "Feature": ("coordinates", "geometries", "features"),
    "Geometry": ("geometry", "properties", "features"),
}


@dataclass(frozen=True)
class Problem:
    """One fault: where it is (a JSON path such as ``features[3].geometry``) and what it is."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class _NonFinite(float):
    """A NaN or Infinity literal read from the text (kept apart so that it is reported as such)."""


class _Duplicate:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys


def validate_file(path: Path | str, *, china: bool = True, max_decimals: int = MAX_DECIMALS) -> list[Problem]:
    return validate_text(Path(path).read_bytes(), china=china, max_decimals=max_decimals)


def validate_text(
    text: str | bytes, *, china: bool = True, max_decimals: int = MAX_DECIMALS
) -> list[Problem]:
    """Problems of a GeoJSON text (numbers are checked as written)."""
    problems: list[Problem] = []
    if isinstance(text, bytes):
        if text.startswith(b"\xef\xbb\xbf"):
            problems.append(Problem("$", "starts with a byte-order mark (RFC 8259 §8.1 forbids it)"))
            text = text[3:]
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            return [*problems, Problem("$", f"not UTF-8 ({e})")]
    try:
        doc = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=lambda name: _NonFinite(name.replace("Infinity", "inf")),
            object_pairs_hook=_pairs,
        )
    except (ValueError, RecursionError) as e:
        return [*problems, Problem("$", f"not JSON ({e})")]
    return problems + validate(doc, china=china, max_decimals=max_decimals)


def validate(doc: Any, *, china: bool = True, max_decimals: int = MAX_DECIMALS) -> list[Problem]:
    """Problems of a parsed GeoJSON object (floats, or Decimals to check decimals as written)."""
    return list(_Checker(china, max_decimals).object(doc, "$"))


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    twice: list[str] = []
    for k, v in pairs:
        if k in out:
            twice.append(k)
        out[k] = v
    if twice:
        out["\x00duplicate"] = _Duplicate(twice)
    return out


class _Checker:
    def __init__(self, china: bool, max_decimals: int) -> None:
        self.china = china
        self.max_decimals = max_decimals

    # --- objects ---------------------------------------------------------------------------

    def object(self, doc: Any, where: str) -> Iterator[Problem]:
        if not isinstance(doc, dict):
            yield Problem(where, f"a GeoJSON object must be a JSON object, not {_kind(doc)}")
            return
        yield from self._members(doc, where)
        kind = doc.get("type")
        if kind == "FeatureCollection":
            yield from self.collection(doc, where)
        elif kind == "Feature":
            yield from self.feature(doc, where)
        elif kind in GEOMETRY_TYPES:
            yield from self.geometry(doc, where)
        else:
            yield Problem(where, f"unknown or missing type {kind!r}")

    def _members(self, doc: dict[str, Any], where: str) -> Iterator[Problem]:
        dup = doc.get("\x00duplicate")
        if isinstance(dup, _Duplicate):
            yield Problem(where, f"member(s) given twice: {', '.join(sorted(set(dup.keys)))}")
        if "crs" in doc:
            yield Problem(f"{where}.crs", "a 'crs' member (RFC 7946 §4: coordinates are WGS 84, no crs)")
        kind = doc.get("type")
        group = "Geometry" if kind in GEOMETRY_TYPES else kind
        for member in _FORBIDDEN.get(str(group), ()):
            if member in doc:
                yield Problem(f"{where}.{member}", f"a {group} must not have a '{member}' member (§7.1)")
        if "bbox" in doc:
            yield from self._bbox(doc["bbox"], f"{where}.bbox")

    def collection(self, doc: dict[str, Any], where: str) -> Iterator[Problem]:
        feats = doc.get("features")
        if not isinstance(feats, list):
            yield Problem(f"{where}.features", f"must be an array, not {_kind(feats)}")
            return
        for i, f in enumerate(feats):
            here = f"{where}.features[{i}]"
            if not isinstance(f, dict) or f.get("type") != "Feature":
                yield Problem(here, "a FeatureCollection holds Feature objects only")
                continue
            yield from self._members(f, here)
            yield from self.feature(f, here)

    def feature(self, doc: dict[str, Any], where: str) -> Iterator[Problem]:
        for member in ("geometry", "properties"):
            if member not in doc:
                yield Problem(where, f"a Feature must have a '{member}' member (it may be null)")
        props = doc.get("properties")
        if props is not None and not isinstance(props, dict):
            yield Problem(f"{where}.properties", f"must be an object or null, not {_kind(props)}")
        fid = doc.get("id", "")
        if isinstance(fid, bool) or not isinstance(fid, (str, int, float, Decimal)):
            yield Problem(f"{where}.id", f"must be a string or a number, not {_kind(doc['id'])}")
        geom = doc.get("geometry")
        if geom is None:
            return
        if not isinstance(geom, dict) or geom.get("type") not in GEOMETRY_TYPES:
            yield Problem(f"{where}.geometry", "must be a geometry object or null")
            return
        yield from self._members(geom, f"{where}.geometry")
        yield from self.geometry(geom, f"{where}.geometry")

    # --- geometries ------------------------------------------------------------------------

    def geometry(self, geom: dict[str, Any], where: str) -> Iterator[Problem]:
        kind = geom["type"]
        if kind == "GeometryCollection":
            parts = geom.get("geometries")
            if not isinstance(parts, list):
                yield Problem(f"{where}.geometries", f"must be an array, not {_kind(parts)}")
                return
            for i, g in enumerate(parts):
                here = f"{where}.geometries[{i}]"
                if not isinstance(g, dict) or g.get("type") not in GEOMETRY_TYPES:
                    yield Problem(here, "must be a geometry object")
                    continue
                yield from self._members(g, here)
                yield from self.geometry(g, here)
            return
        if "coordinates" not in geom:
            yield Problem(where, f"a {kind} must have 'coordinates'")
            return
        c, here = geom["coordinates"], f"{where}.coordinates"
        if kind == "Point":
            yield from self.position(c, here)
        elif kind == "MultiPoint":
            yield from self._each(c, here, self.position)
        elif kind == "LineString":
            yield from self.line(c, here)
        elif kind == "MultiLineString":
            yield from self._each(c, here, self.line)
        elif kind == "Polygon":
            yield from self.polygon(c, here)
        else:
            yield from self._each(c, here, self.polygon)

    def _each(self, items: Any, where: str, check: Any) -> Iterator[Problem]:
        if not isinstance(items, list):
            yield Problem(where, f"must be an array, not {_kind(items)}")
            return
        for i, item in enumerate(items):
            yield from check(item, f"{where}[{i}]")

    def line(self, coords: Any, where: str) -> Iterator[Problem]:
        if not isinstance(coords, list) or len(coords) < 2:
            yield Problem(where, "a LineString needs an array of two or more positions")
            return
        yield from self._each(coords, where, self.position)

    def polygon(self, rings: Any, where: str) -> Iterator[Problem]:
        if not isinstance(rings, list):
            yield Problem(where, f"a Polygon needs an array of linear rings, not {_kind(rings)}")
            return
        for i, ring in enumerate(rings):
            here = f"{where}[{i}]"
            if not isinstance(ring, list) or len(ring) < 4:
                yield Problem(here, "a linear ring needs four or more positions")
                continue
            bad = list(self._each(ring, here, self.position))
            yield from bad
            if bad:
                continue
            pts = [(float(p[0]), float(p[1])) for p in ring]
            if pts[0] != pts[-1]:
                yield Problem(here, "ring is not closed (its first and last positions differ)")
                continue
            area = _signed_area(pts)
            if area == 0:
                yield Problem(here, "ring encloses no area")
            elif i == 0 and area < 0:
                yield Problem(here, "exterior ring is clockwise (RFC 7946 §3.1.6: counter-clockwise)")
            elif i > 0 and area > 0:
                yield Problem(here, "hole is counter-clockwise (RFC 7946 §3.1.6: clockwise)")

    def position(self, pos: Any, where: str) -> Iterator[Problem]:
        if not isinstance(pos, list) or not 2 <= len(pos) <= 3:
            yield Problem(where, "a position is an array of two or three numbers")
            return
        for i, v in enumerate(pos):
            if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
                yield Problem(f"{where}[{i}]", f"must be a number, not {_kind(v)}")
                return
            if isinstance(v, _NonFinite) or not math.isfinite(v):
                yield Problem(f"{where}[{i}]", f"non-finite number {v}")
                return
            places = _decimals(v)
            if places > self.max_decimals:
                yield Problem(f"{where}[{i}]", f"{places} decimals (more than {self.max_decimals}: "
                                               "false precision, RFC 7946 §11.2)")
        x, y = float(pos[0]), float(pos[1])
        if self.china and _inside(y, CHINA_LON) and _inside(x, CHINA_LAT):
            yield Problem(where, f"[{x}, {y}] reads as [lat, lon]: GeoJSON positions are [lon, lat]")
            return
        if not -180 <= x <= 180 or not -90 <= y <= 90:
            yield Problem(where, f"[{x}, {y}] is out of range (longitude ±180, latitude ±90)")
        elif self.china and not (_inside(x, CHINA_LON) and _inside(y, CHINA_LAT)):
            yield Problem(where, f"[{x}, {y}] is outside China (lon 73–136, lat 18–54)")

    def _bbox(self, box: Any, where: str) -> Iterator[Problem]:
        if (
            not isinstance(box, list)
            or len(box) not in (4, 6)
            or not all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in box)
        ):
            yield Problem(where, "a bbox is an array of 4 (or 6) numbers")
            return
        half = len(box) // 2
        if any(float(box[i]) > float(box[i + half]) for i in range(1, half)):
            yield Problem(where, "bbox minimum above its maximum")


def _signed_area(pts: Sequence[tuple[float, float]]) -> float:
    """Twice the signed area of a closed ring: positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(pts))


def _decimals(v: int | float | Decimal) -> int:
    if isinstance(v, int):
        return 0
    if isinstance(v, Decimal):
        exp = v.as_tuple().exponent
        return -exp if isinstance(exp, int) and exp < 0 else 0
    text = repr(v)
    mantissa, _, exponent = text.partition("e")
    places = len(mantissa.partition(".")[2].rstrip("0"))
    return max(0, places - int(exponent or 0))


def _inside(v: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= v <= bounds[1]


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float, Decimal)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object" if isinstance(v, dict) else type(v).__name__


USAGE = "usage: python -m geo.output.rfc7946 FILE.geojson..."


def check_files(paths: Sequence[Path | str]) -> Outcome:
    """Every problem of every file on stdout; PARTIAL when one has a problem, FAILED (the usage on
    stderr) when no file is named. ``python -m geo check-geojson`` and ``python -m
    geo.output.rfc7946`` run it."""
    if not paths:
        print(USAGE, file=sys.stderr)
        return Outcome.FAILED
    bad = 0
    for p in paths:
        problems = validate_file(p)
        bad += bool(problems)
        for problem in problems:
            print(f"{p}: {problem}")
    return Outcome.PARTIAL if bad else Outcome.DONE
