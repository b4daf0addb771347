"""How sites look on the map: colours, the Leaflet style of each layer, status and kind, the
fixed styles (uncertainty circles, county outlines, the pin, the chosen site) and the table of
styles the browser receives (a site record carries only its style's position in it)."""

from __future__ import annotations

from typing import Any

from geo.web.i18n import Lang, layer_label, status_label
from geo.web.layers_io import LAYER_NAMES, STATUSES

CATEGORY_COLORS: dict[str, str] = {
    "renewal": "#c0392b",
    "parks": "#2e8b57",
    "roads": "#d35400",
    "scenic": "#2c6fbb",
}
COUNTY_COLOR = "#6b6b6b"
UNCERTAINTY_COLOR = "#555555"
UPLOAD_COLOR = "#111111"
PIN_COLOR = "#7b1fa2"
POINT_RADIUS = 7
CANVAS_THRESHOLD = 2000
POINT_PANE = "site_points"
# County names and township seats: above the outlines, under every site, taking no clicks.
LABEL_PANE = "geo_labels"
# County names: above the markers (a county filled with sites would hide its name), under the
# tooltips and popups, taking no clicks.
COUNTY_LABEL_PANE = "county_labels"
# Statuses are told apart by fill and dash, never by fading: every outline is drawn at full
# strength, and a point's fill is opaque (the layer's colour when completed, half of it in
# progress, white when planned, light grey when unknown), so each reads on any base map.
STATUS_DASH: dict[str, str | None] = {
    "completed": None,
    "in_progress": "6 3",
    "planned": "4 3",
    "unknown": "1 4",
}
# Lines are wider, so their dashes are longer (the legend draws the same).
LINE_DASH: dict[str, str | None] = {
    "completed": None,
    "in_progress": "12 5",
    "planned": "6 5",
    "unknown": "1 8",
}
STATUS_FILL: dict[str, float] = {"completed": 0.95, "in_progress": 0.5, "planned": 0.95, "unknown": 0.95}
POINT_FILL_COLOR: dict[str, str | None] = {
    "completed": None,  # the layer's colour
    "in_progress": None,
    "planned": "#ffffff",
    "unknown": "#d9d9d9",
}
POLYGON_FILL: dict[str, float] = {"completed": 0.45, "in_progress": 0.3, "planned": 0.18, "unknown": 0.18}
LINE_WEIGHT = 5
# ---- styles ----------------------------------------------------------------------------------


def site_style(layer: str, status: str, geom_type: str, uploaded: bool = False) -> dict[str, Any]:
    """Leaflet path options: colour from the layer, fill and dash from the status.

    A site from an uploaded report (not yet saved into the project) has a black outline (a
    wider line for roads), so it stands out from the built layers.
    """
    color = CATEGORY_COLORS.get(layer, "#555555")
    status = status if status in STATUSES else "unknown"
    dash = STATUS_DASH[status]
    style: dict[str, Any] = {"color": color, "opacity": 1.0}
    if geom_type in ("Point", "MultiPoint"):
        style.update(
            fill=True,
            pane=POINT_PANE,
            weight=3 if status in ("in_progress", "planned") else 2,
            fillColor=POINT_FILL_COLOR[status] or color,
            fillOpacity=STATUS_FILL[status],
            radius=POINT_RADIUS,
        )
        if uploaded:
            style.update(color=UPLOAD_COLOR, weight=3, radius=POINT_RADIUS + 1)
    elif geom_type in ("LineString", "MultiLineString"):
        dash = LINE_DASH[status]
        style.update(
            weight=LINE_WEIGHT + 3 if uploaded else LINE_WEIGHT,
            lineCap="butt" if dash and status != "unknown" else "round",
        )
    else:
        style.update(weight=3 if dash else 2, fillColor=color, fillOpacity=POLYGON_FILL[status])
        if uploaded:
            style.update(color=UPLOAD_COLOR, weight=3)
    if dash:
        style["dashArray"] = dash
    return style


# A 1-pixel outline, as in the legend: the canvas of a large map paints a line of one pixel or
# less as a hairline, which is several times faster than any wider line; with thousands of
# circles, 1.5 pixels took most of the first render (``bench/render_bench.py``).
UNCERTAINTY_STYLE: dict[str, Any] = {
    "color": UNCERTAINTY_COLOR,
    "fillColor": UNCERTAINTY_COLOR,
    "weight": 1,
    "opacity": 0.8,
    "dashArray": "6 6",
    "fill": True,
    "fillOpacity": 0.04,
    "interactive": False,
}
COUNTY_STYLE: dict[str, Any] = {
    "color": COUNTY_COLOR,
    "weight": 1.5,
    "fill": True,
    "fillColor": "#ffffff",
    "fillOpacity": 0.35,
    "interactive": False,
}
# The prefecture around the drawn counties: a darker line, dash-dotted, unfilled, under the counties.
PREFECTURE_STYLE: dict[str, Any] = {
    "color": "#3f3f3f",
    "weight": 2.5,
    "dashArray": "10 4 2 4",
    "fill": False,
    "interactive": False,
}
PIN_STYLE: dict[str, Any] = {
    "color": PIN_COLOR,
    "weight": 3,
    "fill": True,
    "fillColor": "#ffffff",
    "fillOpacity": 0.6,
    "radius": POINT_RADIUS + 4,
    "pane": POINT_PANE,
    "interactive": False,
}

# The site chosen in the table: a dark ring (around a point or an aggregate marker) or a dark line
# along its line or outline, over a white halo (``siteMap.addChosen``), readable on any base map.
CHOSEN_STYLE: dict[str, Any] = {
    "color": "#111111",
    "weight": 3,
    "fill": False,
    "opacity": 0.95,
    "radius": 22,
    "className": "site-chosen",
    "interactive": False,
}


def geometry_kind(geom_type: str) -> str:
    """``point``, ``line`` or ``area``: what a style depends on besides layer and status."""
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("LineString", "MultiLineString"):
        return "line"
    return "area"


_KIND_GEOM = {"point": "Point", "line": "LineString", "area": "Polygon"}
CIRCLE_KEY = "circle"
COUNTY_KEY = "county"
PREFECTURE_KEY = "prefecture"
PIN_KEY = "pin"
CHOSEN_KEY = "chosen"


def style_key(layer: str, status: str, geom_type: str, uploaded: bool = False) -> str:
    status = status if status in STATUSES else "unknown"
    return f"{layer}/{status}/{geometry_kind(geom_type)}" + ("/upload" if uploaded else "")


def style_table() -> dict[str, dict[str, Any]]:
    """Every style the map uses, by ``style_key`` and the fixed keys: the same whatever the data."""
    table: dict[str, dict[str, Any]] = {}
    for uploaded in (False, True):
        for layer in LAYER_NAMES:
            for status in STATUSES:
                for geom_type in _KIND_GEOM.values():
                    table[style_key(layer, status, geom_type, uploaded)] = site_style(
                        layer, status, geom_type, uploaded
                    )
    table[CIRCLE_KEY] = UNCERTAINTY_STYLE
    table[COUNTY_KEY] = COUNTY_STYLE
    table[PREFECTURE_KEY] = PREFECTURE_STYLE
    table[PIN_KEY] = PIN_STYLE
    table[CHOSEN_KEY] = CHOSEN_STYLE
    return table


STYLE_KEYS: tuple[str, ...] = tuple(style_table())
STYLE_INDEX: dict[str, int] = {k: i for i, k in enumerate(STYLE_KEYS)}


def style_index(key: str) -> int:
    """Position of a style in the table sent to the browser (a site record carries only this)."""
    return STYLE_INDEX[key]


def style_columns(styles: list[dict[str, Any]]) -> list[Any]:
    """[option names, rows of values] of a list of Leaflet styles (None where a style has no value)."""
    names = sorted({k for st in styles for k in st})
    return [names, [[st.get(k) for k in names] for st in styles]]


def style_meta(key: str, lang: Lang) -> list[str] | None:
    """[layer, layer label, status label, colour] of a site style (None for the fixed styles):
    what a tooltip, an aggregate's list and its bar say about a site whose record has this style."""
    parts = key.split("/")
    if len(parts) < 3:
        return None
    layer, status = parts[0], parts[1]
    color = CATEGORY_COLORS.get(layer, "#555555")
    return [layer, layer_label(layer, lang), status_label(status, lang), color]
