"""Downloads: layer files as built, all layers in one file, and the current selection.

Everything here works on the raw features (WGS-84, text as written); nothing shown only on the
map (escaped popup HTML, display offsets, GCJ-02 shifts) is ever written. File names say what a
file holds and carry no date, so the same data always downloads under the same name.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.web.layers_io import LAYER_NAMES, Feature, Layers, anchor_point, geometry_of

if TYPE_CHECKING:  # geopandas (and pyproj under it) is imported when a table or vector file is asked for
    import geopandas as gpd

MIME = {
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
}
# Columns first in tables (CSV, GeoPackage, KML); other properties follow in first-seen order.
FIRST_COLUMNS = [
    "id",
    "name",
    "category",
    "kind",
    "county",
    "status",
    "precision",
    "uncertainty_m",
    "location_source",
    "year",
    "documents",
    "quotes",
    "sources",
]


def layer_file_name(layer: str) -> str:
    return f"sites-{layer}.geojson"


def all_file_name(fmt: str) -> str:
    return f"sites-all-layers.{fmt}"


def selection_file_name(fmt: str) -> str:
    return f"sites-selection.{fmt}"


def feature_collection_bytes(features: Iterable[Feature]) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8, Chinese kept as is) of the given raw features."""
    doc = {"type": "FeatureCollection", "features": list(features)}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def all_layers_bytes(layers: Layers) -> bytes:
    """Every feature of every layer in one FeatureCollection, in layer then file order."""
    return feature_collection_bytes(f for _, f in layers.all_features())


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def _row(layer: str, f: Feature) -> dict[str, Any]:
    p = f.get("properties") or {}
    row: dict[str, Any] = {k: _cell(v) for k, v in p.items() if not str(k).startswith("_")}
    row.setdefault("category", layer)
    sources = [s for s in p.get("sources") or [] if isinstance(s, dict)]
    docs: list[str] = []
    for s in sources:
        d = str(s.get("doc") or "")
        if d and d not in docs:
            docs.append(d)
    row["documents"] = "; ".join(docs)
    row["quotes"] = "\n".join(str(s.get("quote") or "") for s in sources)
    row["sources"] = json.dumps(sources, ensure_ascii=False)
    return row


def features_frame(items: Iterable[tuple[str, Feature]]) -> gpd.GeoDataFrame:
    """(layer, feature) pairs as a GeoDataFrame in WGS-84, list properties as JSON text."""
    import geopandas as gpd

    rows, geoms = [], []
    for layer, f in items:
        rows.append(_row(layer, f))
        geoms.append(geometry_of(f))
    df = pd.DataFrame(rows)
    cols = [c for c in FIRST_COLUMNS if c in df.columns] + [c for c in df.columns if c not in FIRST_COLUMNS]
    df = df.reindex(columns=cols if rows else FIRST_COLUMNS)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")


def csv_bytes(items: Iterable[tuple[str, Feature]]) -> bytes:
    """CSV with one row per site: properties, the site's centre (lon, lat) and its geometry as WKT.

    Encoded UTF-8 with a byte-order mark so spreadsheet programs read the Chinese text. Text
    that would start a formula (``=``, ``+``, ``-``, ``@``) is prefixed with ``'``.
    """
    gdf = features_frame(items)
    lons, lats = [], []
    for g in gdf.geometry:
        lon, lat = anchor_point(g) if g is not None and not g.is_empty else (math.nan, math.nan)
        lons.append(round(lon, 7))
        lats.append(round(lat, 7))
    df = pd.DataFrame(gdf.drop(columns="geometry"))
    df["lon"] = lons
    df["lat"] = lats
    df["wkt"] = [g.wkt if g is not None else "" for g in gdf.geometry]
    for column in df.columns:
        if pd.api.types.is_object_dtype(df[column]) or pd.api.types.is_string_dtype(df[column]):
            df[column] = df[column].map(neutralise_formula)
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` so it shows as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_vector(frames: Mapping[str, gpd.GeoDataFrame], driver: str, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out{suffix}"
        for name, gdf in frames.items():
            gdf.to_file(
                path,
                driver=driver,
                layer=name,
                engine="pyogrio",
                **({"append": True} if path.exists() else {}),
            )
        if not path.exists():
            # Nothing to write: an empty layer keeps the file valid.
            features_frame([]).to_file(path, driver=driver, layer="sites", engine="pyogrio")
        return path.read_bytes()


def gpkg_bytes(items: Iterable[tuple[str, Feature]]) -> bytes:
    """GeoPackage with one table per layer (renewal, parks, roads, scenic) that has sites."""
    by_layer: dict[str, list[tuple[str, Feature]]] = {}
    for layer, f in items:
        by_layer.setdefault(layer, []).append((layer, f))
    frames = {layer: features_frame(by_layer[layer]) for layer in LAYER_NAMES if layer in by_layer}
    frames.update({layer: features_frame(v) for layer, v in by_layer.items() if layer not in frames})
    return _write_vector(frames, "GPKG", ".gpkg")


def kml_bytes(items: Iterable[tuple[str, Feature]]) -> bytes:
    """KML of the sites (one folder, ``sites``), for Google Earth and similar."""
    gdf = features_frame(items)
    gdf = gdf[gdf.geometry.notna()]
    return _write_vector({"sites": gdf}, "KML", ".kml")
