"""Where the map looks: the view asked for (a link, an upload, a filter, a table row, a site being
placed), the site a click on the map hit, and a click as WGS-84 coordinates. Plain functions of
the view's data; the session state they read is passed in (``ViewRequest``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import shape

from geo.web.display import data_bounds, display_feature, display_transform, from_display
from geo.web.layers_io import Layers
from geo.web.view import ORIGIN_UPLOAD, View, centre_request, fit_request

Offsets = dict[str, tuple[float, float]]
Centre = tuple[tuple[float, float] | None, float | None]


@dataclass(frozen=True)
class ViewRequest:
    """The latest request to move the map, as the session keeps it."""

    src: str | None = None  # "url", "upload", "filter", "layer:<name>", "table" or "place"
    seq: int = 0  # numbers the requests: a new one differs from the one before
    url_view: tuple[float, float, float] | None = None  # (lat, lon, zoom) WGS-84, from a link
    rows: Sequence[int] = ()  # rows chosen in the sites table


def display_point(row: pd.Series, offsets: Offsets, basemap: str) -> tuple[float, float]:
    """(lat, lon) where the site's marker is drawn (offset for stacked points, GCJ-02 for Gaode)."""
    geom = display_feature(
        row["key"],
        {"geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}},
        offsets.get(row["key"]),
        display_transform(basemap),
    )
    lon, lat = geom["coordinates"] if geom else (row["lon"], row["lat"])
    return lat, lon


def view_request(
    row: pd.Series, offsets: Offsets, basemap: str, seq: int
) -> tuple[tuple[float, float], float]:
    """(centre, zoom) that show ``row`` where its marker is drawn (see ``centre_request``)."""
    lat, lon = display_point(row, offsets, basemap)
    return centre_request(lat, lon, row["uncertainty_m"], seq)


def _target(request: ViewRequest, view: View, shown: pd.DataFrame, placing: str | None) -> pd.Series | None:
    """The one site to centre on: the site just chosen for placing, else the table's row, else the
    site being placed."""
    if placing is not None and request.src == "place":
        return view.sites[view.sites["key"] == placing].iloc[0]
    if request.rows and request.rows[0] < len(shown):
        return shown.iloc[request.rows[0]]
    if placing is not None:
        return view.sites[view.sites["key"] == placing].iloc[0]
    return None


def chosen_key(rows: Sequence[int], shown: pd.DataFrame) -> str | None:
    """Key of the site chosen in the table (its first chosen row), if that row is still shown."""
    return str(shown.iloc[rows[0]]["key"]) if rows and 0 <= rows[0] < len(shown) else None


LAYER_SRC = "layer:"  # a request to fit one layer: "layer:<name>"


def _to_fit(src: str, view: View, shown: pd.DataFrame) -> pd.DataFrame | None:
    """The sites a request fits the view to: the uploaded ones, the filtered ones, or the shown
    sites of one layer; None for a request about one site."""
    if src == "upload":
        return view.sites[view.sites["origin"] == ORIGIN_UPLOAD]
    if src == "filter":
        return shown
    if src.startswith(LAYER_SRC):
        return shown[shown["layer"] == src[len(LAYER_SRC) :]]
    return None


def choose_view(
    request: ViewRequest, view: View, shown: pd.DataFrame, offsets: Offsets, basemap: str, placing: str | None
) -> Centre:
    """(centre, zoom) to send to the map, or (None, None) to leave the view to the user.

    The latest request wins: a link's view, newly read uploads, a changed filter or a layer's
    zoom button (the view fits what they show), a site chosen for placing or a row chosen in the
    table; without one, the row still chosen, else the site being placed.
    """
    if request.src == "url" and request.url_view:
        lat, lon, zoom = request.url_view
        lon, lat = display_transform(basemap)(lon, lat)
        return (lat, lon), zoom
    fit = _to_fit(request.src or "", view, shown)
    if fit is not None and not fit.empty:
        fitted = fit_request(fit, request.seq, view.items, display_transform(basemap))
        if fitted is not None:
            return fitted
    target = _target(request, view, shown, placing)
    if target is None or pd.isna(target["lon"]) or pd.isna(target["lat"]):
        return None, None
    return view_request(target, offsets, basemap, request.seq)


def clicked_site(
    clicked: dict[str, Any] | None,
    tooltip: str | None,
    shown: pd.DataFrame,
    view: View,
    offsets: Offsets,
    basemap: str,
) -> str | None:
    """Key of the shown site the user clicked on the map: same name as the tooltip, nearest the click."""
    if not clicked or not tooltip or shown.empty or "lat" not in clicked or "lng" not in clicked:
        return None
    candidates = shown[shown["name"].str.strip() == tooltip.strip()]
    fn = display_transform(basemap)
    best, best_d = None, math.inf
    pt = shapely.Point(float(clicked["lng"]), float(clicked["lat"]))
    for key in candidates["key"]:
        geom = display_feature(key, view.items[key].shown, offsets.get(key), fn)
        if geom is None:
            continue
        d = shape(geom).distance(pt)
        if d < best_d:
            best, best_d = key, d
    return best


def click_point(clicked: dict[str, Any], basemap: str) -> tuple[float, float] | None:
    """A map click ({lat, lng} as shown on ``basemap``) as WGS-84 (lat, lon) rounded to 6 decimals
    (about 0.1 m); None when the click carries no number."""
    try:
        lon, lat = from_display(basemap, float(clicked["lng"]), float(clicked["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    return round(lat, 6), round(lon, 6)


def layers_bounds(layers: Layers, sites: pd.DataFrame) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the sites' points and the lines' and areas' extents."""
    extents = []
    for _, f in layers.all_features():
        g = f.get("geometry")
        if g and g.get("type") != "Point":
            try:
                extents.append(shape(g).bounds)
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
    return data_bounds(zip(sites["lon"], sites["lat"], strict=True), extents)
