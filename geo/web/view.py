"""What the app shows: the built layers, plus uploaded reports and placements not yet built.

The built layers are never changed here. Sites of an uploaded report (not saved into the project)
are added under their own keys (``upload:<layer>/<id>``); a site placed by hand since the layers
were built is shown at its placement, with the precision the next build will give it, and tagged
as pending. Downloads of layers keep using the built bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from shapely.geometry import mapping

from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED
from geo.web.i18n import Lang, t
from geo.web.layers_io import (
    APPROXIMATE_PRECISIONS,
    LAYER_NAMES,
    Feature,
    Layers,
    anchor_point,
    geometry_of,
    sites_frame,
)

ORIGIN_BUILT = "built"
ORIGIN_UPLOAD = "upload"
UPLOAD_PREFIX = "upload:"
# How the resolver words a hand placement's location source (geo.locate.overrides.Override.location).
HAND_PLACED_PREFIX = "placed by hand"


@dataclass(frozen=True)
class ShownSite:
    """One site as shown: its layer, the feature as built or uploaded, and as drawn."""

    layer: str
    raw: Feature
    shown: Feature
    origin: str = ORIGIN_BUILT
    flags: int = 0


@dataclass(frozen=True)
class View:
    sites: pd.DataFrame  # sites_frame columns + origin and flags, one row per shown site
    items: dict[str, ShownSite] = field(default_factory=dict)

    def raw_items(self, keys: Iterable[str]) -> list[tuple[str, Feature]]:
        """(layer, feature as built or uploaded) for each key: what downloads contain."""
        return [(self.items[k].layer, self.items[k].raw) for k in keys]


def upload_layers(features: Iterable[Feature]) -> Layers:
    """Uploaded features (``properties.category`` names the layer) as a ``Layers`` of their own."""
    out = Layers(folder="<upload>")
    for f in features:
        layer = str((f.get("properties") or {}).get("category") or "")
        if layer in LAYER_NAMES:
            out.features.setdefault(layer, []).append(f)
    return out


def _placed_feature(
    feature: Feature, geometry: Any, precision: str, uncertainty: float, source: str, basis: Any = None
) -> Feature:
    props = dict(feature.get("properties") or {})
    props.update(precision=precision, uncertainty_m=round(float(uncertainty)), location_source=source)
    if basis is not None:
        props["location_basis"] = basis
    else:
        props.pop("location_basis", None)  # the built basis says where the build put it, not this
    return {**feature, "geometry": mapping(geometry), "properties": props}


def _basis_json(loc: Any) -> dict[str, Any] | None:
    """A placement's ``location_basis`` (None when it brings none)."""
    from geo.model import basis_json

    steps = getattr(loc, "basis", ())
    return basis_json(steps) if steps else None


def _carries(feature: Feature, precision: str, source: str, geometry: Any) -> bool:
    """True when the built feature already has this placement (the layers were rebuilt since)."""
    p = feature.get("properties") or {}
    if p.get("precision") != precision or p.get("location_source") != source:
        return False
    built = geometry_of(feature)
    return built is not None and built.equals_exact(geometry, 1e-6)


def build_view(
    layers: Layers,
    sites: pd.DataFrame,
    uploads: Iterable[Feature] = (),
    placements: Any = None,
) -> View:
    """The view of ``layers`` (whose ``sites_frame`` is ``sites``) with uploads and placements.

    ``placements`` is a ``geo.locate.overrides.Overrides`` (anything with ``lookup(site_id, name,
    county)`` returning a placement with ``location()``), or None.
    """
    frame = sites.copy()
    frame["origin"] = ORIGIN_BUILT
    frame["flags"] = 0
    items: dict[str, ShownSite] = {}
    for row, (key, layer, index) in enumerate(zip(sites["key"], sites["layer"], sites["index"], strict=True)):
        f = layers.features[layer][int(index)]
        items[key] = ShownSite(layer, f, f)
        if placements is None:
            continue
        p = f["properties"]
        found = placements.lookup(
            str(p.get("id") or ""), str(p.get("name") or ""), str(p.get("county") or "")
        )
        if found is None:
            if str(p.get("location_source") or "").startswith(HAND_PLACED_PREFIX):
                items[key] = ShownSite(layer, f, f, flags=FLAG_UNPLACED)
                frame.iat[row, frame.columns.get_loc("flags")] = FLAG_UNPLACED
            continue
        loc = found.location()
        if _carries(f, loc.precision, loc.source, loc.geometry):
            continue
        said = _basis_json(loc)
        shown = _placed_feature(f, loc.geometry, loc.precision, loc.uncertainty_m, loc.source, said)
        items[key] = ShownSite(layer, f, shown, flags=FLAG_PLACED)
        lon, lat = anchor_point(loc.geometry)
        updates = {
            "lon": lon,
            "lat": lat,
            "precision": loc.precision,
            "uncertainty_m": float(loc.uncertainty_m),
            "approximate": loc.precision in APPROXIMATE_PRECISIONS,
            "location_source": loc.source,
            "location_basis": said,
            "geom_type": loc.geometry.geom_type,
            "flags": FLAG_PLACED,
        }
        for col, value in updates.items():
            frame.iat[row, frame.columns.get_loc(col)] = value
    up = upload_layers(uploads)
    if up.features:
        extra = sites_frame(up)
        extra["key"] = UPLOAD_PREFIX + extra["key"]
        extra["origin"] = ORIGIN_UPLOAD
        extra["flags"] = 0
        for key, layer, index in zip(extra["key"], extra["layer"], extra["index"], strict=True):
            f = up.features[layer][int(index)]
            items[key] = ShownSite(layer, f, f, origin=ORIGIN_UPLOAD)
        frame = pd.concat([frame, extra], ignore_index=True)
    return View(frame, items)


def point_rows(sites: pd.DataFrame) -> list[tuple[str, float, float, float | None]]:
    """(key, lon, lat, uncertainty) of every point site: what ``spiral_offsets`` spreads."""
    points = sites[sites["geom_type"] == "Point"]
    return [
        (k, float(lon), float(lat), None if u is None or pd.isna(u) else float(u))
        for k, lon, lat, u in zip(
            points["key"], points["lon"], points["lat"], points["uncertainty_m"], strict=True
        )
    ]


@dataclass(frozen=True)
class Stack:
    """Approximate sites drawn around one spot (a county's or township's point)."""

    county: str
    precision: str
    uncertainty_m: float | None
    keys: tuple[str, ...]


def approximate_stacks(sites: pd.DataFrame) -> list[Stack]:
    """Approximate sites grouped by the spot they are located at, largest group first."""
    approx = sites[sites["approximate"].astype(bool)]
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (lon, lat) in enumerate(zip(approx["lon"], approx["lat"], strict=True)):
        if math.isfinite(lon) and math.isfinite(lat):
            groups.setdefault((round(lon, 5), round(lat, 5)), []).append(i)
    # columns as lists once: a pandas selection per spot cost about 1 ms, seconds for thousands
    county, precision = list(approx["county"]), list(approx["precision"])
    unc, key = list(approx["uncertainty_m"]), list(approx["key"])
    out = []
    for rows in groups.values():
        uncs = [float(unc[i]) for i in rows if unc[i] is not None and not pd.isna(unc[i])]
        out.append(
            Stack(
                county=str(county[rows[0]]),
                precision=str(precision[rows[0]]),
                uncertainty_m=max(uncs) if uncs else None,
                keys=tuple(key[i] for i in rows),
            )
        )
    out.sort(key=lambda s: (-len(s.keys), s.county))
    return out


# The map (geo/web/frame/frame.js, like streamlit-folium) moves the view only when ``center`` or
# ``zoom`` differ from the last values it was given, so choosing the same site again after panning
# would not bring it back. Each new request therefore alternates by a nudge far below what the
# map can show: Leaflet rounds the zoom to whole levels, and 1e-9 degrees is 0.1 mm.
CENTRE_NUDGE = 1e-9
ZOOM_NUDGE = 1e-6


def zoom_for(uncertainty: float | None) -> int:
    """A zoom that shows a site with its uncertainty circle."""
    if uncertainty is None or pd.isna(uncertainty) or uncertainty <= 200:
        return 16
    return max(8, min(16, round(16 - math.log2(uncertainty / 200))))


def centre_request(
    lat: float, lon: float, uncertainty: float | None, seq: int
) -> tuple[tuple[float, float], float]:
    """(centre, zoom) for the map to show a site; request ``seq`` differs from ``seq - 1``."""
    odd = seq % 2
    return (lat + odd * CENTRE_NUDGE, lon), zoom_for(uncertainty) + odd * ZOOM_NUDGE


def zoom_to_fit(extent: tuple[float, float, float, float], pixels: int = 800) -> int:
    """A zoom at which (min lon, min lat, max lon, max lat) fits in about ``pixels`` (Web Mercator)."""
    span = max(extent[2] - extent[0], (extent[3] - extent[1]) * 1.2, 1e-4)
    return max(5, min(16, math.floor(math.log2(pixels * 360 / (256 * span)))))


def approximate_line(sites: pd.DataFrame, lang: Lang) -> str:
    """The line above the map: how many of ``sites`` are approximate and what the map shows for
    them (markdown; numbers only, no text from the data). Always a line, so that the page keeps
    its layout (an element appearing above the map would make Streamlit draw the map anew)."""
    n = int(sites["approximate"].astype(bool).sum()) if not sites.empty else 0
    if n == 0:
        return t("approx_line_none", lang, total=len(sites))
    return t("approx_line", lang, n=n, total=len(sites))


# ---- fitting the view to what is shown ---------------------------------------------------------

M_PER_DEGREE = 111_320.0
# The part of the map a fitted view fills (the map is 620 px high, about 800 px wide on a desktop;
# a margin keeps markers off its edges and away from the controls).
FIT_WIDTH_PX = 720
FIT_HEIGHT_PX = 540
MIN_FIT_ZOOM = 4
MAX_FIT_ZOOM = 16

Extent = tuple[float, float, float, float]  # (min lon, min lat, max lon, max lat)


def circle_extent(lon: float, lat: float, radius_m: float) -> Extent:
    """The box around a circle of ``radius_m`` metres centred on (lon, lat)."""
    dlat = radius_m / M_PER_DEGREE
    dlon = radius_m / (M_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def _union(a: Extent | None, b: Extent) -> Extent:
    if a is None:
        return b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def sites_extent(sites: pd.DataFrame, items: dict[str, ShownSite] | None = None) -> Extent | None:
    """What must be seen of ``sites``: each site's uncertainty circle, and its whole geometry for
    lines and areas (from ``items``, the view's features); None when no site has a location."""
    out: Extent | None = None
    for key, lon, lat, unc, kind in zip(
        sites["key"], sites["lon"], sites["lat"], sites["uncertainty_m"], sites["geom_type"], strict=True
    ):
        if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
            continue
        radius = 0.0 if unc is None or pd.isna(unc) else max(float(unc), 0.0)
        out = _union(out, circle_extent(float(lon), float(lat), radius))
        if items is not None and kind != "Point" and key in items:
            geom = geometry_of(items[key].shown)
            if geom is not None and not geom.is_empty:
                out = _union(out, tuple(geom.bounds))  # type: ignore[arg-type]
    return out


def _mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_zoom(extent: Extent, width_px: int = FIT_WIDTH_PX, height_px: int = FIT_HEIGHT_PX) -> int:
    """The closest whole zoom at which ``extent`` fits in ``width_px`` × ``height_px`` (Web Mercator,
    256 px tiles), between MIN_FIT_ZOOM and MAX_FIT_ZOOM."""
    dlon = max(extent[2] - extent[0], 1e-9)
    dy = max(_mercator_y(extent[3]) - _mercator_y(extent[1]), 1e-9)
    zx = math.log2(width_px * 360.0 / (256.0 * dlon))
    zy = math.log2(height_px * 2 * math.pi / (256.0 * dy))
    return max(MIN_FIT_ZOOM, min(MAX_FIT_ZOOM, math.floor(min(zx, zy))))


def extent_centre(extent: Extent) -> tuple[float, float]:
    """(lon, lat) of the middle of ``extent`` as the map draws it (Web Mercator)."""
    y = (_mercator_y(extent[1]) + _mercator_y(extent[3])) / 2
    return (extent[0] + extent[2]) / 2, math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fit_request(
    sites: pd.DataFrame,
    seq: int,
    items: dict[str, ShownSite] | None = None,
    transform: Any = None,
) -> tuple[tuple[float, float], float] | None:
    """(centre (lat, lon), zoom) for the map showing every one of ``sites`` with its
    uncertainty circle, so never closer than a site's uncertainty allows; None when none has a
    location. ``transform`` maps WGS-84 (lon, lat) to the base map's (GCJ-02 for Gaode)."""
    extent = sites_extent(sites, items)
    if extent is None:
        return None
    lon, lat = extent_centre(extent)
    if transform is not None:
        lon, lat = transform(lon, lat)
    odd = seq % 2
    return (lat + odd * CENTRE_NUDGE, lon), fit_zoom(extent) + odd * ZOOM_NUDGE


def filter_signature(filters: dict[str, Any]) -> str:
    """The filters (search, county, document, status, precision) as one string: a change of it
    is a new request to fit the view. Layers switched on or off are not filters here."""
    import json

    return json.dumps(filters, ensure_ascii=False, sort_keys=True, default=list)
