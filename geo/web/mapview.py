"""The folium map: a constant base map plus feature groups rebuilt on each filter.

``st_folium`` remounts the map (losing the view) whenever the base map's script changes, but
adds and removes ``feature_group_to_add`` groups in place. So the base map holds only what never
changes for a data set and language (view, panes, legend, styles, labels and the small script
that draws sites), and everything that depends on filters or on the chosen tiles (the tile layer,
county outlines, the sites, their uncertainty circles) goes into the groups. Tiles are only in a
group when chosen, so with the default "none" the map fetches nothing. Gaode tiles are in GCJ-02,
so for them every shown coordinate is shifted to GCJ-02.

The groups carry compact records rather than folium's GeoJSON with prebuilt popup HTML: every
string (a quote shared by several sites, a county, a label) is sent once in a string table, a
site refers to it by number, and the popup is built in the browser when it opens, with every
piece of text escaped there (``SITE_JS``). Report text is untrusted and is never put into the
page as markup.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import folium
import jinja2
from branca.element import Element, Figure, MacroElement

from geo.coords import gcj02_to_wgs84, wgs84_to_gcj02
from geo.web.assets import localize
from geo.web.i18n import Lang, distance_label, layer_label, precision_label, status_label, t
from geo.web.layers_io import APPROXIMATE_PRECISIONS, LAYER_NAMES, STATUSES, Feature
from geo.web.popup import POPUP_CSS, esc, popup_facts, statements

BASEMAPS: tuple[str, ...] = ("none", "auto", "osm", "gaode")
# "auto": OpenStreetMap's tiles when the browser can load them; when none loads, the map drops
# them and says so, and the offline background (county outlines) stays (``siteMap.watchTiles``).
OSM_TILES: dict[str, Any] = {
    "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    "max_zoom": 19,
}
TILES: dict[str, dict[str, Any]] = {
    "auto": OSM_TILES,
    "osm": {
        "tiles": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "max_zoom": 19,
    },
    "gaode": {
        "tiles": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "attr": "&copy; 高德地图 AutoNavi",
        "subdomains": "1234",
        "max_zoom": 18,
    },
}

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
# Shown coordinates are rounded to 1e-5 degrees (about 1 m): finer than any marker, and the
# downloads keep the data as built.
DISPLAY_DECIMALS = 5
OUTLINE_DECIMALS = 4
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
METRES_PER_DEGREE = 111_320.0
# Record flags (the last item of a site record): tags shown in its popup.
FLAG_UPLOADED = 1
FLAG_PLACED = 2  # placed by hand since the layers were built
FLAG_UNPLACED = 8  # a hand placement was undone since the layers were built

# ---- coordinates -----------------------------------------------------------------------------


Transform = Callable[[float, float], tuple[float, float]]  # (lon, lat) -> as the base map draws it


def _map_coords(coords: Any, fn: Callable[[float, float], tuple[float, float]]) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        lon, lat = fn(float(coords[0]), float(coords[1]))
        return [lon, lat, *coords[2:]]
    return [_map_coords(c, fn) for c in coords]


def transform_geometry(
    geom: dict[str, Any], fn: Callable[[float, float], tuple[float, float]]
) -> dict[str, Any]:
    """A copy of a GeoJSON geometry with ``fn(lon, lat) -> (lon, lat)`` applied to every position."""
    if geom.get("type") == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [transform_geometry(g, fn) for g in geom.get("geometries", [])],
        }
    return {"type": geom["type"], "coordinates": _map_coords(geom.get("coordinates") or [], fn)}


def _identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


def display_transform(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    """(lon, lat) WGS-84 -> as the base map draws it: GCJ-02 for Gaode's tiles (``geo.coords``)."""
    return wgs84_to_gcj02 if basemap == "gaode" else _identity


def from_display(basemap: str, lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 (lon, lat) of a position on the map as shown (a click), whatever the tiles' datum."""
    return gcj02_to_wgs84(lon, lat) if basemap == "gaode" else (lon, lat)


def offset_lonlat(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    """Move a WGS-84 position ``dx_m`` east and ``dy_m`` north (small distances)."""
    dlat = dy_m / METRES_PER_DEGREE
    dlon = dx_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    return lon + dlon, lat + dlat


def _round_coords(coords: Any, decimals: int) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), decimals)
    return [_round_coords(c, decimals) for c in coords]


def rounded_geometry(geom: dict[str, Any], decimals: int) -> dict[str, Any]:
    if geom.get("type") == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [rounded_geometry(g, decimals) for g in geom.get("geometries", [])],
        }
    return {"type": geom["type"], "coordinates": _round_coords(geom.get("coordinates") or [], decimals)}


# ---- overlapping points ----------------------------------------------------------------------


def spot_of(lon: float, lat: float) -> tuple[float, float]:
    """Positions within about a metre are one spot."""
    return round(lon, 5), round(lat, 5)


def shared_spots(
    points: Iterable[tuple[str, float, float, float | None]],
) -> dict[str, tuple[float, float]]:
    """Keys of the point sites that share their spot with another, each with a zero offset.

    ``points`` are (key, lon, lat, uncertainty_m). Such sites are drawn as one aggregate marker
    at the spot (``site_groups``), never moved away from it; the mapping has the shape callers
    pass to ``display_feature`` and ``site_groups`` as ``offsets``.
    """
    groups: dict[tuple[float, float], list[str]] = defaultdict(list)
    for key, lon, lat, _ in points:
        if math.isfinite(lon) and math.isfinite(lat):
            groups[spot_of(lon, lat)].append(key)
    return {k: (0.0, 0.0) for keys in groups.values() if len(keys) > 1 for k in keys}


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
    table[PIN_KEY] = PIN_STYLE
    table[CHOSEN_KEY] = CHOSEN_STYLE
    return table


STYLE_KEYS: tuple[str, ...] = tuple(style_table())
STYLE_INDEX: dict[str, int] = {k: i for i, k in enumerate(STYLE_KEYS)}


def style_index(key: str) -> int:
    """Position of a style in the table sent to the browser (a site record carries only this)."""
    return STYLE_INDEX[key]


def js_json(value: Any) -> str:
    """``value`` as JSON for a script: UTF-8 text kept as is, ``<``, ``>``, ``&`` escaped.

    Non-ASCII text is not escaped to ``\\uXXXX`` (Streamlit's transport escapes it once more),
    while the characters that matter in HTML never appear raw, and U+2028/2029 are escaped for
    older JavaScript parsers.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# The script the base map defines once (``window.siteMap``), kept in its own file beside this
# module. Groups call ``siteMap.setStrings`` and ``siteMap.add*`` with compact data. Everything
# from the data goes into the page through ``esc`` (HTML-escaped, quotes included) or as Leaflet
# options and coordinates.
SITE_JS = resources.files("geo.web").joinpath("sitemap.js").read_text(encoding="utf-8")


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


class SiteScript(MacroElement):
    """Defines ``window.siteMap`` (styles, labels and ``SITE_JS``) in the map's frame, once."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        var CONFIG = {{ this.config }};
        {{ this.js }}
        {% endmacro %}
        """
    )

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self._name = "SiteScript"
        table = style_table()
        self.config = js_json(
            {
                "styles": style_columns([table[k] for k in STYLE_KEYS]),
                "meta": [style_meta(k, lang) for k in STYLE_KEYS],
                "labels": {
                    "aggTitle": t("agg_title", lang, n="{n}"),
                    "aggTooltip": t("agg_tooltip", lang, n="{n}"),
                    "aggBack": t("agg_back", lang),
                    "statements": t("popup_statements", lang, n="{n}"),
                    "noStatements": t("popup_no_statements", lang),
                    "flags": [
                        [FLAG_UPLOADED, t("tag_uploaded", lang)],
                        [FLAG_PLACED, t("tag_placed", lang)],
                        [FLAG_UNPLACED, t("tag_unplaced", lang)],
                    ],
                },
            }
        )
        self.js = SITE_JS


class SiteData(MacroElement):
    """One call ``window.siteMap.<method>(<parent group>, <args>)`` with compact JSON arguments."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        window.siteMap.{{ this.method }}({{ this._parent.get_name() }}, {{ this.args }});
        {% endmacro %}
        """
    )

    def __init__(self, method: str, *args: Any) -> None:
        super().__init__()
        self._name = "SiteData"
        self.method = method
        self.args = ", ".join(js_json(a) for a in args)


# ---- the constant base map -------------------------------------------------------------------


class Legend(MacroElement):
    """The legend as a Leaflet control that folds away (``siteMap.legend``); ``html`` is built from
    escaped labels by ``legend_html``, ``title`` is the text of its fold button."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        window.siteMap.legend({{ this._parent.get_name() }}, {{ this.html|tojson }}, {{ this.title|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, title: str = "") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.title = title


MAP_CSS = """
.leaflet-container { background: #eef0ec; }
.map-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.5 sans-serif; }
.map-legend b { display: block; margin-top: 3px; }
.map-legend svg { vertical-align: middle; margin-right: 4px; }
.map-legend .legend-toggle { display: block; width: 100%; margin: 0 0 2px 0; padding: 2px 6px;
  border: 1px solid #bbb; border-radius: 3px; background: #fff; font: bold 12px sans-serif;
  cursor: pointer; text-align: left; }
.map-legend .legend-toggle::after { content: " \\25BE"; }
.map-legend.folded .legend-toggle { margin: 0; }
.map-legend.folded .legend-toggle::after { content: " \\25B8"; }
.map-legend.folded .legend-body { display: none; }
.leaflet-tooltip .tt-name { font-weight: bold; }
.leaflet-tooltip .tt-meta::after { content: attr(data-meta); display: block; color: #333;
  font-weight: normal; }
.site-agg { background: #ffffff; border: 2px solid #222; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.45); text-align: center; overflow: hidden; }
.site-agg .agg-n { font: bold 13px/18px sans-serif; color: #111; }
.site-agg .agg-bar { display: flex; height: 8px; }
.site-agg .agg-bar i { display: block; height: 8px; }
.agg-popup .agg-note { margin: 0 0 4px 0; }
.agg-popup .agg-list { margin: 4px 0 0 0; padding-left: 20px; }
.agg-popup .agg-list li { margin: 2px 0; }
.agg-popup .agg-meta { color: #555; font-size: 12px; }
.agg-popup .agg-dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 4px; vertical-align: middle; }
.agg-content .agg-back { display: inline-block; margin-bottom: 4px; font-size: 12px; }
.leaflet-container.placing { cursor: crosshair; }
.leaflet-container.placing .leaflet-interactive:not(.place-pin) { pointer-events: none; }
.leaflet-container.placing canvas { pointer-events: none; }
.place-pin i { display: block; width: 16px; height: 16px; border: 3px solid; border-radius: 50%;
  background: #ffffff; box-shadow: 0 1px 4px rgba(0,0,0,0.5); cursor: move; }
.leaflet-tooltip.chosen-label { font-weight: bold; border: 2px solid #111111; }
.place-notice { background: #e8f1ff; border: 1px solid #2a62c9; border-radius: 4px; padding: 4px 8px;
  max-width: 260px; font: 12px/1.4 sans-serif; color: #0d2a5c; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.tile-notice { background: #fff4d6; border: 1px solid #c9a227; border-radius: 4px; padding: 4px 8px;
  max-width: 260px; font: 12px/1.4 sans-serif; color: #3d3000; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
"""


def _swatch_point(color: str, status: str, uploaded: bool = False) -> str:
    s = site_style("", status, "Point", uploaded)
    dash = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    stroke = s["color"] if uploaded else color
    fill = POINT_FILL_COLOR[status] or color
    return (
        f'<svg width="18" height="14"><circle cx="9" cy="7" r="5" stroke="{stroke}" '
        f'stroke-width="{s["weight"]}" fill="{fill}" fill-opacity="{s["fillOpacity"]}"{dash}/></svg>'
    )


def _swatch_line(color: str, status: str) -> str:
    s = site_style("", status, "LineString")
    d = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    return (
        f'<svg width="30" height="14"><line x1="3" y1="7" x2="27" y2="7" stroke="{color}" '
        f'stroke-width="{s["weight"]}" stroke-linecap="{s["lineCap"]}"{d}/></svg>'
    )


def legend_html(lang: Lang) -> str:
    """Legend markup: layer colours, status styles, uploads, the uncertainty circle. Labels escaped."""
    parts = [f"<b>{esc(t('legend_layers', lang))}</b>"]
    for layer in LAYER_NAMES:
        c = CATEGORY_COLORS[layer]
        parts.append(
            f'<div><svg width="18" height="14"><rect x="2" y="2" width="14" height="10" fill="{c}"/>'
            f"</svg>{esc(layer_label(layer, lang))}</div>"
        )
    parts.append(f"<b>{esc(t('legend_status', lang))}</b>")
    for status in STATUSES:
        parts.append(
            f"<div>{_swatch_point('#444', status)}{_swatch_line('#444', status)}"
            f"{esc(status_label(status, lang))}</div>"
        )
    parts.append(
        f"<div>{_swatch_point('#888', 'completed', uploaded=True)}{esc(t('legend_uploaded', lang))}</div>"
    )
    parts.append(
        f'<div><svg width="18" height="14"><circle cx="9" cy="7" r="6" stroke="{UNCERTAINTY_COLOR}" '
        f'fill="none" stroke-dasharray="3 3"/></svg>{esc(t("legend_approx", lang))}</div>'
    )
    bar = "".join(
        f'<rect x="{2 + 3.5 * i}" y="10" width="3.5" height="3" fill="{CATEGORY_COLORS[layer]}"/>'
        for i, layer in enumerate(LAYER_NAMES)
    )
    parts.append(
        '<div><svg width="18" height="14"><rect x="1.5" y="0.5" width="15" height="13" rx="2" fill="#fff" '
        'stroke="#222"/><text x="9" y="9" font-size="8" font-weight="bold" text-anchor="middle">n</text>'
        f"{bar}"
        f"</svg>{esc(t('legend_agg', lang))}</div>"
    )
    return "".join(parts)


def base_map(bounds: tuple[float, float, float, float] | None, lang: Lang, n_sites: int = 0) -> folium.Map:
    """The map every rerun passes to ``st_folium``: the same for the same data and language.

    ``bounds`` is (min lon, min lat, max lon, max lat) of all sites, or None. Past
    ``CANVAS_THRESHOLD`` sites the map draws on a canvas instead of SVG: painting thousands of
    SVG paths is most of the first render (see ``bench/render_bench.py``).
    """
    if bounds is None:
        center, zoom = [30.0, 115.0], 5
    else:
        center, zoom = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2], 10
    m = folium.Map(
        location=center,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        max_zoom=19,
        prefer_canvas=n_sites > CANVAS_THRESHOLD,
    )
    localize(m)
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(f"<style>{MAP_CSS}{POPUP_CSS}</style>"))
    folium.map.CustomPane(POINT_PANE, z_index=450, pointer_events=True).add_to(m)
    SiteScript(lang).add_to(m)
    Legend(legend_html(lang), t("legend", lang)).add_to(m)
    if bounds is not None:
        pad = 0.01
        m.fit_bounds([[bounds[1] - pad, bounds[0] - pad], [bounds[3] + pad, bounds[2] + pad]])
    return m


# ---- groups that change with filters and tiles -----------------------------------------------


def display_feature(
    key: str,
    feature: Feature,
    offset: tuple[float, float] | None,
    fn: Callable[[float, float], tuple[float, float]],
) -> dict[str, Any] | None:
    """The geometry as shown: spiral offset for a stacked point, then the tiles' datum, rounded
    to ``DISPLAY_DECIMALS``. A new geometry; None when the feature has none that can be read."""
    geom = feature.get("geometry")
    if not isinstance(geom, dict) or not geom.get("type"):
        return None
    dx, dy = offset if offset is not None and geom["type"] == "Point" else (0.0, 0.0)
    moved = bool(dx or dy)

    def show(lon: float, lat: float) -> tuple[float, float]:
        if moved:
            lon, lat = offset_lonlat(lon, lat, dx, dy)
        x, y = fn(lon, lat)
        return round(x, DISPLAY_DECIMALS), round(y, DISPLAY_DECIMALS)

    try:
        return transform_geometry(geom, show)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


@dataclass
class StringTable:
    """Strings (and sets of popup facts) sent once per map; records refer to them by position."""

    items: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    fact_sets: list[list[int]] = field(default_factory=list)
    fact_index: dict[tuple[int, ...], int] = field(default_factory=dict)

    def __call__(self, text: Any) -> int:
        s = "" if text is None else str(text)
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i

    def facts(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Position of a popup's (label, value) lines; sites with the same lines share them."""
        flat = tuple(i for label, value in pairs for i in (self(label), self(value)))
        n = self.fact_index.get(flat)
        if n is None:
            n = self.fact_index[flat] = len(self.fact_sets)
            self.fact_sets.append(list(flat))
        return n


@dataclass(frozen=True)
class Shown:
    """A site as the map shows it: its key, raw feature, and what the map adds to it."""

    key: str
    feature: Feature
    uploaded: bool = False
    flags: int = 0


def precision_text(props: Mapping[str, Any], lang: Lang) -> str:
    """``County (within about 32 km)``: a site's precision and uncertainty, in the interface's language."""
    precision = str(props.get("precision") or "")
    if not precision:
        return ""
    label = precision_label(precision, lang)
    unc = props.get("uncertainty_m")
    if isinstance(unc, (int, float)) and math.isfinite(unc) and unc > 0:
        return t("tt_precision", lang, precision=label, distance=distance_label(float(unc), lang))
    return label


def site_record(
    site: Shown, layer: str, geom: dict[str, Any], lang: Lang, strings: StringTable, flags: int
) -> list[Any]:
    """[key, style, geometry, name, fact set, statements, flags, precision] of one site (``SITE_JS``).

    Points are sent as [lon, lat]; the fact set, the statements' texts and the precision (with
    its uncertainty, as the tooltip shows it) as positions in ``strings``; a statement's surface
    only when it differs from the name.
    """
    p = site.feature.get("properties") or {}
    name = str(p.get("name") or "")
    said = [
        [strings(doc), strings(quote), strings(surface)]
        if surface and surface != name
        else [strings(doc), strings(quote)]
        for doc, quote, surface in statements(p)
    ]
    style = style_index(style_key(layer, str(p.get("status") or "unknown"), geom["type"], site.uploaded))
    shape: Any = geom["coordinates"][:2] if geom["type"] == "Point" else geom
    facts = strings.facts(popup_facts(p, layer, lang))
    return [site.key, style, shape, name, facts, said, flags, strings(precision_text(p, lang))]


def _site_flags(site: Shown) -> int:
    return site.flags | FLAG_UPLOADED if site.uploaded else site.flags


def _tile_group(basemap: str, lang: Lang) -> folium.FeatureGroup:
    g = folium.FeatureGroup(name=f"tiles-{basemap}", control=False)
    spec = TILES[basemap]
    folium.TileLayer(
        tiles=spec["tiles"],
        attr=spec["attr"],
        max_zoom=spec["max_zoom"],
        name=basemap,
        subdomains=spec.get("subdomains", "abc"),
        control=False,
    ).add_to(g)
    # when no tile loads: "auto" falls back to the offline background, a chosen map says so
    fallback = basemap == "auto"
    notice = t("tiles_failed_auto" if fallback else "tiles_failed", lang)
    SiteData("watchTiles", fallback, notice).add_to(g)
    return g


def uncertainty_circles(
    shown: Iterable[tuple[str, Feature]],
    anchors: Mapping[str, tuple[float, float]],
    fn: Callable[[float, float], tuple[float, float]],
) -> list[list[float]]:
    """[lon, lat, radius_m] of each uncertainty circle to draw: one per spot and radius, whatever
    the layers of the sites that share it (a county's point has one circle, not one per site)."""
    out: list[list[float]] = []
    drawn: set[tuple[float, float, int]] = set()
    for key, f in shown:
        p = f.get("properties") or {}
        unc = p.get("uncertainty_m")
        if (
            p.get("precision") not in APPROXIMATE_PRECISIONS
            or key not in anchors
            or not isinstance(unc, (int, float))
            or not math.isfinite(unc)
            or unc <= 0
        ):
            continue
        lon, lat = fn(*anchors[key])
        spot = (*spot_of(lon, lat), round(float(unc)))
        if spot in drawn:
            continue
        drawn.add(spot)
        out.append([round(lon, DISPLAY_DECIMALS), round(lat, DISPLAY_DECIMALS), float(round(unc))])
    return out


def aggregate_rows(
    spots: Mapping[tuple[float, float], list[tuple[str, Shown, dict[str, Any]]]],
    lang: Lang,
    strings: StringTable,
) -> list[list[Any]]:
    """[lon, lat, note, site records] of each spot shared by several sites (see ``SITE_JS``).

    The marker stands at the spot itself (its true position, the centre of the uncertainty
    circle): no site is drawn where it is not known to be. The note (a position in ``strings``)
    says how well the spot is known: the widest precision among its sites.
    """
    out = []
    for spot, members in sorted(spots.items()):
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda m: m[1].key)
        props = [m[1].feature.get("properties") or {} for m in members]
        approx = [p for p in props if p.get("precision") in APPROXIMATE_PRECISIONS]
        if approx:
            widest = max(approx, key=lambda p: _radius(p.get("uncertainty_m")))
            radius = _radius(widest.get("uncertainty_m"))
            note = t(
                "agg_note" if radius > 0 else "agg_note_no_radius",
                lang,
                precision=precision_label(str(widest.get("precision")), lang),
                distance=distance_label(radius, lang) if radius > 0 else "",
            )
        else:
            note = t("agg_note_same", lang)
        records = [
            site_record(s, layer, geom, lang, strings, _site_flags(s)) for layer, s, geom in members
        ]
        out.append([spot[0], spot[1], strings(note), records])
    return out


def _radius(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0


def _outline_group(counties: Mapping[str, dict[str, Any]], fn: Transform, lang: Lang) -> folium.FeatureGroup:
    g = folium.FeatureGroup(name=t("counties_layer", lang), control=False)
    outlines = [
        rounded_geometry(transform_geometry(geom, fn), OUTLINE_DECIMALS)
        for _, geom in sorted(counties.items())
    ]
    SiteData("addShapes", style_index(COUNTY_KEY), outlines).add_to(g)
    return g


def _circle_group(
    sites: Mapping[str, list[Shown]], anchors: Mapping[str, tuple[float, float]], fn: Transform, lang: Lang
) -> folium.FeatureGroup | None:
    features = ((s.key, s.feature) for layer in LAYER_NAMES for s in sites.get(layer, []))
    rows = uncertainty_circles(features, anchors, fn)
    if not rows:
        return None
    g = folium.FeatureGroup(name=t("uncertainty_layer", lang), control=False)
    ci = style_index(CIRCLE_KEY)
    SiteData("addCircles", [[*r, ci] for r in rows]).add_to(g)
    return g


Drawn = tuple[str, Shown, dict[str, Any]]  # (layer, site, geometry as shown)


def _site_layer_groups(
    sites: Mapping[str, list[Shown]], drawn: list[Drawn], together: set[int], lang: Lang, strings: StringTable
) -> list[folium.FeatureGroup]:
    """One group per layer shown, with its sites drawn on their own (not in an aggregate)."""
    groups = []
    for layer in LAYER_NAMES:
        if layer not in sites:
            continue
        g = folium.FeatureGroup(name=layer_label(layer, lang), control=False)
        records = [
            site_record(s, layer, geom, lang, strings, _site_flags(s))
            for lay, s, geom in drawn
            if lay == layer and id(s) not in together
        ]
        if records:
            SiteData("addSites", records).add_to(g)
        groups.append(g)
    return groups


def _chosen_group(drawn: list[Drawn], chosen: str) -> folium.FeatureGroup | None:
    """The highlight of the site ``chosen`` (its key) where it is drawn, labelled with its name;
    None when it is not drawn."""
    found = next(((s, geom) for _, s, geom in drawn if s.key == chosen), None)
    if found is None:
        return None
    site, geom = found
    name = str((site.feature.get("properties") or {}).get("name") or "")
    g = folium.FeatureGroup(name="chosen", control=False)
    SiteData("addChosen", style_index(CHOSEN_KEY), geom, name).add_to(g)
    return g


def _placing_group(pin: tuple[float, float, str] | None, placing: str, fn: Transform) -> folium.FeatureGroup:
    """Placement mode (``siteMap.placeMode``: a click anywhere sets the point, ``placing`` is the
    notice on the map) and the draggable pin at the point chosen so far."""
    g = folium.FeatureGroup(name="pin", control=False)
    SiteData("placeMode", placing).add_to(g)
    if pin is not None:
        lon, lat = fn(pin[0], pin[1])
        SiteData(
            "addPin", style_index(PIN_KEY), round(lon, DISPLAY_DECIMALS), round(lat, DISPLAY_DECIMALS), pin[2]
        ).add_to(g)
    return g


def site_groups(
    shown: Mapping[str, list[tuple[str, Feature]]] | Mapping[str, list[Shown]],
    popups: Mapping[str, str] | None,
    offsets: Mapping[str, tuple[float, float]],
    anchors: Mapping[str, tuple[float, float]],
    basemap: str,
    lang: Lang,
    counties: Mapping[str, dict[str, Any]] | None = None,
    *,
    circles: bool = True,
    pin: tuple[float, float, str] | None = None,
    placing: str | None = None,
    chosen: str | None = None,
) -> list[folium.FeatureGroup]:
    """Feature groups for ``st_folium(feature_group_to_add=...)``.

    ``shown``: layer -> sites after filtering, as ``Shown`` or (key, feature) pairs.
    ``popups`` is not used (popups are built in the browser from each site's record; the
    parameter stays for callers written against the earlier version). ``offsets``: display
    offsets (east, north; metres) per key, zero for every site today (``shared_spots``): point
    sites that share a spot are drawn as one aggregate marker at it. ``anchors``: key -> (lon,
    lat) centre of each site (for the uncertainty circles). ``counties``: county name -> WGS-84
    GeoJSON outline. ``circles``: draw the uncertainty circles. ``pin``: (lon, lat, label) of a
    position being chosen by hand (WGS-84). ``placing``: a site is being placed; the notice
    the map shows in placement mode, where a click anywhere sets the point. ``chosen``: key of
    the site chosen in the table, highlighted where it is drawn.

    Order: the string table, tiles (if any), county outlines, uncertainty circles, the four
    layers (sites drawn on their own), the aggregates (sites sharing a spot), the pin.
    """
    del popups
    fn = display_transform(basemap)
    strings = StringTable()
    data = folium.FeatureGroup(name="site-strings", control=False)
    groups: list[folium.FeatureGroup | None] = [data]
    groups.append(_tile_group(basemap, lang) if basemap in TILES else None)
    groups.append(_outline_group(counties, fn, lang) if counties else None)
    sites: dict[str, list[Shown]] = {
        layer: [s if isinstance(s, Shown) else Shown(s[0], s[1]) for s in items]
        for layer, items in shown.items()
    }
    groups.append(_circle_group(sites, anchors, fn, lang) if circles else None)
    drawn: list[Drawn] = []
    for layer in LAYER_NAMES:
        for s in sites.get(layer, []):
            geom = display_feature(s.key, s.feature, offsets.get(s.key), fn)
            if geom is not None:
                drawn.append((layer, s, geom))
    spots: dict[tuple[float, float], list[Drawn]] = defaultdict(list)
    for item in drawn:
        if item[2]["type"] == "Point":
            spots[spot_of(*item[2]["coordinates"][:2])].append(item)
    together = {id(item[1]) for members in spots.values() if len(members) > 1 for item in members}
    groups += _site_layer_groups(sites, drawn, together, lang, strings)
    rows = aggregate_rows(spots, lang, strings)
    if rows:
        g = folium.FeatureGroup(name=t("agg_layer", lang), control=False)
        SiteData("addAggregates", rows).add_to(g)
        groups.append(g)
    groups.append(_chosen_group(drawn, chosen) if chosen is not None else None)
    if placing is not None or pin is not None:
        groups.append(_placing_group(pin, placing or "", fn))
    SiteData("setStrings", strings.items, strings.fact_sets).add_to(data)
    return [g for g in groups if g is not None]


def data_bounds(
    anchors: Iterable[tuple[float, float]], extents: Iterable[tuple[float, float, float, float]]
) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) over site centres and geometry extents, or None."""
    xs: list[float] = []
    ys: list[float] = []
    for lon, lat in anchors:
        if math.isfinite(lon) and math.isfinite(lat):
            xs.append(lon)
            ys.append(lat)
    for x0, y0, x1, y1 in extents:
        if all(math.isfinite(v) for v in (x0, y0, x1, y1)):
            xs += [x0, x1]
            ys += [y0, y1]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)
