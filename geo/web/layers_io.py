"""Read the built layers (``layers/{renewal,parks,roads,scenic}.geojson``) for display.

The app never changes these files: downloads of a layer hand back its bytes as read here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.web.reports import about_of

LAYER_NAMES: tuple[str, ...] = ("renewal", "parks", "roads", "scenic")
APPROXIMATE_PRECISIONS = frozenset({"township", "county"})
STATUSES: tuple[str, ...] = ("completed", "in_progress", "planned", "unknown")
PRECISIONS: tuple[str, ...] = ("exact", "street", "township", "county")

Feature = dict[str, Any]


@dataclass(frozen=True)
class Layers:
    """The layer files of one folder: bytes as built, parsed features, and read errors."""

    folder: str
    raw: dict[str, bytes] = field(default_factory=dict)
    features: dict[str, list[Feature]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def all_features(self) -> list[tuple[str, Feature]]:
        return [(layer, f) for layer in LAYER_NAMES for f in self.features.get(layer, [])]


def layer_path(folder: Path | str, layer: str) -> Path:
    return Path(folder) / f"{layer}.geojson"


def folder_stamp(folder: Path | str) -> tuple[tuple[str, int, int], ...]:
    """Name, mtime and size of each layer file: a cache key that changes when a layer is rebuilt."""
    out = []
    for layer in LAYER_NAMES:
        p = layer_path(folder, layer)
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((layer, st.st_mtime_ns, st.st_size))
    return tuple(out)


def read_layers(folder: Path | str) -> Layers:
    """Read every layer file present; a missing file is skipped, an unreadable one reported."""
    layers = Layers(folder=str(folder))
    for layer in LAYER_NAMES:
        p = layer_path(folder, layer)
        if not p.is_file():
            continue
        try:
            data = p.read_bytes()
            doc = json.loads(data.decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            layers.errors[layer] = str(e)
            continue
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            layers.errors[layer] = "not a GeoJSON FeatureCollection"
            continue
        feats = [f for f in doc.get("features") or [] if isinstance(f, dict)]
        for f in feats:
            if not isinstance(f.get("properties"), dict):
                f["properties"] = {}
        layers.raw[layer] = data
        layers.features[layer] = feats
    return layers


def site_key(layer: str, feature: Feature, index: int) -> str:
    """A key unique across layers: ``layer/id`` (``layer/#index`` when the feature has no id)."""
    fid = feature["properties"].get("id", feature.get("id"))
    return f"{layer}/{fid}" if fid not in (None, "") else f"{layer}/#{index}"


def geometry_of(feature: Feature) -> BaseGeometry | None:
    """The feature's shapely geometry, or None when it has none or it cannot be read."""
    geom = feature.get("geometry")
    if not geom:
        return None
    try:
        g = shape(geom)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return None if g.is_empty else g


def anchor_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lon, lat) a site is centred on: the point, a line's midpoint, or a point inside a polygon."""
    if geom.geom_type == "Point":
        return geom.x, geom.y
    if geom.geom_type in ("LineString", "LinearRing"):
        p = geom.interpolate(0.5, normalized=True)
    else:
        p = geom.representative_point()
    return p.x, p.y


def _float(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def documents_of(props: dict[str, Any]) -> list[str]:
    """Names of the documents quoted for a site, in order, each once."""
    return list(_documents(props))


def _documents(props: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The documents quoted for a site, in order, each with its title, issuer and date where known."""
    docs: dict[str, dict[str, str]] = {}
    for s in props.get("sources") or []:
        if isinstance(s, dict) and s.get("doc"):
            doc = str(s["doc"])
            if not docs.get(doc):
                docs[doc] = about_of(s)
    return docs


SITE_COLUMNS = [
    "key",
    "layer",
    "index",
    "id",
    "name",
    "kind",
    "county",
    "status",
    "precision",
    "uncertainty_m",
    "approximate",
    "location_source",
    "location_basis",
    "documents",
    "abouts",
    "year",
    "geom_type",
    "lon",
    "lat",
]


def sites_frame(layers: Layers) -> pd.DataFrame:
    """One row per feature of every layer, in layer order then file order."""
    rows: list[dict[str, Any]] = []
    for layer in LAYER_NAMES:
        for i, f in enumerate(layers.features.get(layer, [])):
            p = f["properties"]
            name = str(p.get("name") or "")
            geom = geometry_of(f)
            lon, lat = anchor_point(geom) if geom is not None else (math.nan, math.nan)
            precision = str(p.get("precision") or "")
            year = p.get("year")
            docs = _documents(p)
            rows.append(
                {
                    "key": site_key(layer, f, i),
                    "layer": layer,
                    "index": i,
                    "id": str(p.get("id", f.get("id", "")) or ""),
                    "name": name,
                    "kind": str(p.get("kind") or ""),
                    "county": str(p.get("county") or ""),
                    "status": str(p.get("status") or "unknown"),
                    "precision": precision,
                    "uncertainty_m": _float(p.get("uncertainty_m")),
                    "approximate": precision in APPROXIMATE_PRECISIONS,
                    "location_source": str(p.get("location_source") or ""),
                    "location_basis": basis if isinstance(basis := p.get("location_basis"), dict) else None,
                    "documents": tuple(docs),
                    "abouts": tuple(docs.values()),  # each document's title, issuer, date
                    "year": str(year) if year not in (None, "") else "",
                    "geom_type": geom.geom_type if geom is not None else "",
                    "lon": lon,
                    "lat": lat,
                }
            )
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def feature_by_key(layers: Layers, key: str) -> Feature | None:
    layer, _, _ = key.partition("/")
    for i, f in enumerate(layers.features.get(layer, [])):
        if site_key(layer, f, i) == key:
            return f
    return None


def county_outlines(
    counties: list[str] | tuple[str, ...], tolerance: float = 0.0005
) -> dict[str, dict[str, Any]]:
    """County name -> WGS-84 GeoJSON outline from ``geo.locate.admin.county_polygon``, simplified for display.

    Optional: without ``geo.locate.admin`` (or for a county it does not know) there is no outline, and the
    map is drawn without it.
    """
    try:
        from geo.locate.admin import county_polygon  # type: ignore[import-not-found,unused-ignore]
    except Exception:  # missing or broken: the map only loses its outlines
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name in counties:
        if not name:
            continue
        try:
            geom = county_polygon(name)
        except Exception:  # an unknown or unreadable county only loses its outline
            continue
        if geom is None or geom.is_empty:
            continue
        out[name] = mapping(geom.simplify(tolerance, preserve_topology=True))
    return out
