"""The user's own placements: ``data/overrides.geojson``, read strictly.

A GeoJSON FeatureCollection (WGS-84 lon/lat), one feature per placed site::

    {"type": "Feature",
     "geometry": {"type": "Point", "coordinates": [119.98, 30.54]},
     "properties": {"site_id": "parks-0123456789ab", "name": "塔山公园", "county": "永康市",
                    "note": "walked there; https://…", "who": "Li", "when": "2024-05-01T10:00:00+08:00"}}

A placement names its site by ``site_id`` (:attr:`geo.extract.sites.Site.id`) and/or by ``name`` and
``county``; ``note``, ``who`` and ``when`` (ISO 8601) say where the knowledge comes from. A
person's placement is the best knowledge the map can have, so a wrong file must never be
half-used: any problem raises :class:`OverridesError` naming the file, the feature and the fault.
A missing file simply means there are no placements.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError
from geo.locate.sources import OVERRIDES_PATH
from geo.model import County, Location, basis
from geo.names import compact

DEFAULT_PATH = OVERRIDES_PATH
GEOMETRY_TYPES = ("Point", "LineString", "Polygon")
UNCERTAINTY_M = 25.0  # a hand placement on a web map: a click's width at street zoom
_TEXT_FIELDS = ("note", "who", "when")


class OverridesError(GeoError):
    """The overrides file cannot be used; names the file and, for a bad feature, its index."""

    def __init__(self, path: Path | str, reason: str, feature: int | None = None) -> None:
        self.path = Path(path)
        self.feature = feature
        self.reason = reason
        where = f"{self.path}: feature {feature}" if feature is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Override:
    """One site placed by hand."""

    site_id: str | None
    name: str | None
    county: str | None  # official county name
    note: str
    who: str
    when: str
    geometry: BaseGeometry  # WGS-84 lon/lat

    def location(self) -> Location:
        return Location(
            geometry=self.geometry,
            precision="exact",
            uncertainty_m=UNCERTAINTY_M,
            source=f"placed by hand: {self.note} ({self.who}, {self.when})",
            basis=(basis("by_hand", note=self.note, who=self.who, when=self.when),),
        )

    def label(self) -> str:
        """How the placement names its site, for messages."""
        return self.site_id or f"{self.name} ({self.county})"


class Overrides:
    """Placements by site id, and by (name, county) for those that give both."""

    def __init__(self, items: Iterable[Override] = (), path: Path | None = None) -> None:
        self.path = path
        self._items = list(items)
        self._by_id = {o.site_id: o for o in self._items if o.site_id}
        self._by_name = {(o.name, o.county): o for o in self._items if o.name and o.county}

    def lookup(self, site_id: str, name: str, county: County | str) -> Override | None:
        """The placement of this site: by id first, else by name within the county (or the county's
        name as a layer file gives it, for the app that reads them)."""
        official = county.name if isinstance(county, County) else county
        return self._by_id.get(site_id) or self._by_name.get((compact(name), official))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Override]:
        return iter(self._items)


def load_overrides(path: Path | None = None) -> Overrides:
    """Read the placements (default ``data/overrides.geojson``); none when the file does not exist."""
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.exists():
        return Overrides((), path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise OverridesError(path, f"cannot read ({error})") from error
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise OverridesError(path, f"not valid JSON ({where}: {error.msg})") from error
    except RecursionError:
        raise OverridesError(path, "not usable JSON (nested too deep)") from None
    except ValueError as error:  # a number of thousands of digits
        raise OverridesError(path, f"not usable JSON ({str(error)[:120]})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise OverridesError(path, "not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise OverridesError(path, "'features' must be a list")
    items: list[Override] = []
    by_id: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    for i, feature in enumerate(features):
        try:
            item = _parse_feature(feature)
        except ValueError as error:
            raise OverridesError(path, str(error), i) from error
        if item.site_id is not None:
            if item.site_id in by_id:
                first = by_id[item.site_id]
                raise OverridesError(path, f"site {item.site_id} is already placed by feature {first}", i)
            by_id[item.site_id] = i
        if item.name and item.county:
            key = (item.name, item.county)
            if key in by_name:
                raise OverridesError(
                    path, f"{item.name} ({item.county}) is already placed by feature {by_name[key]}", i
                )
            by_name[key] = i
        items.append(item)
    return Overrides(items, path)




def _text(props: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = props.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"no {key}")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, got {value!r}")
    return value.strip()


def _parse_feature(feature: Any) -> Override:
    """One feature as an Override; ValueError says what is wrong with it."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise ValueError("no properties")
    site_id = _text(props, "site_id", required=False)
    name = _text(props, "name", required=False)
    county = _text(props, "county", required=False)
    if site_id is None and not (name and county):
        raise ValueError("names no site: give site_id, or name and county")
    if county is not None:
        county = _county(county)
    note, who, when = (_text(props, k, required=True) or "" for k in _TEXT_FIELDS)
    try:
        datetime.fromisoformat(when)
    except ValueError:
        raise ValueError(f"when is not an ISO 8601 timestamp: {when!r}") from None
    return Override(
        site_id=site_id,
        name=compact(name) if name else None,
        county=county,
        note=note,
        who=who,
        when=when,
        geometry=_geometry(feature.get("geometry")),
    )


def _county(name: str) -> str:
    from geo.locate import admin

    try:
        return admin.county(name).name
    except GeoError as error:
        raise ValueError(f"county: {error}") from None


def _geometry(raw: Any) -> BaseGeometry:
    if not isinstance(raw, dict):
        raise ValueError("no geometry")
    kind = raw.get("type")
    if kind not in GEOMETRY_TYPES:
        raise ValueError(f"geometry type {kind!r} not one of {', '.join(GEOMETRY_TYPES)}")
    try:
        geom = shape(raw)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise ValueError(f"unreadable {kind} coordinates ({error})") from None
    if geom.is_empty:
        raise ValueError("empty geometry")
    xy = shapely.get_coordinates(geom)
    if not all(math.isfinite(v) for v in xy.flat):
        raise ValueError("coordinates must be finite numbers")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError("coordinate out of range (GeoJSON is [lon, lat] in WGS-84)")
    if not geom.is_valid:
        raise ValueError(f"invalid {kind} ({shapely.is_valid_reason(geom)})")
    return geom
