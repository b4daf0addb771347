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
from typing import Any

import folium
import jinja2
import prcoords
from branca.element import Element, Figure, MacroElement

from geo.web.assets import localize
from geo.web.i18n import Lang, layer_label, status_label, t
from geo.web.layers_io import APPROXIMATE_PRECISIONS, LAYER_NAMES, STATUSES, Feature
from geo.web.popup import POPUP_CSS, esc, popup_facts, statements

BASEMAPS: tuple[str, ...] = ("none", "osm", "gaode")
TILES: dict[str, dict[str, Any]] = {
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
# Dash patterns per status, shared by marker outlines and lines so the legend reads for both.
STATUS_DASH: dict[str, str | None] = {
    "completed": None,
    "in_progress": "8 4",
    "planned": "4 6",
    "unknown": "1 5",
}
STATUS_FILL: dict[str, float] = {"completed": 0.9, "in_progress": 0.45, "planned": 0.0, "unknown": 0.15}
POLYGON_FILL: dict[str, float] = {"completed": 0.35, "in_progress": 0.22, "planned": 0.06, "unknown": 0.1}
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
METRES_PER_DEGREE = 111_320.0
# Sites stacked on one spot (most often a county's point) are spread on a sunflower inside their
# uncertainty circle: neighbours about SPREAD_STEP of the radius apart, the whole spread within
# SPREAD_MAX of it, so that at the zoom that shows the circle every marker can be told apart and
# clicked, and none is drawn outside the area the site may be in.
SPREAD_STEP = 1 / 8
SPREAD_MAX = 0.6
MIN_SPREAD_STEP_M = 25.0

# Record flags (the last item of a site record): tags shown in its popup.
FLAG_UPLOADED = 1
FLAG_PLACED = 2  # placed by hand since the layers were built
FLAG_SPREAD = 4  # drawn away from its spot, spread with others that share it
FLAG_UNPLACED = 8  # a hand placement was undone since the layers were built

# ---- coordinates -----------------------------------------------------------------------------


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


def wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to GCJ-02 (unchanged outside China). prcoords works in (lat, lon)."""
    c = prcoords.Coords(lat, lon)
    if not prcoords.sanity_in_china_p(c):
        return lon, lat
    g = prcoords.wgs_gcj(c, check_china=False)
    return g.lon, g.lat


def gcj_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84 (to well under a metre; unchanged outside China)."""
    c = prcoords.Coords(lat, lon)
    if not prcoords.sanity_in_china_p(c):
        return lon, lat
    g = prcoords.gcj_wgs_bored(c)
    return g.lon, g.lat


def _identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


def display_transform(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    return wgs_to_gcj if basemap == "gaode" else _identity


def from_display(basemap: str, lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 (lon, lat) of a position on the map as shown (a click), whatever the tiles' datum."""
    return gcj_to_wgs(lon, lat) if basemap == "gaode" else (lon, lat)


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


def spiral_offsets(
    points: Iterable[tuple[str, float, float, float | None]],
) -> dict[str, tuple[float, float]]:
    """Display offsets (east, north; metres) for points that share a spot.

    ``points`` are (key, lon, lat, uncertainty_m). Points on one spot are sorted by key; the
    first stays on the spot and the others go out on a golden-angle (sunflower) spiral inside
    the largest uncertainty circle of the group (see ``SPREAD_STEP``), so every marker can be
    clicked and the layout is the same on every run. Computed over all sites, so a site does not
    move when filters change.
    """
    groups: dict[tuple[float, float], list[tuple[str, float | None]]] = defaultdict(list)
    for key, lon, lat, unc in points:
        if math.isfinite(lon) and math.isfinite(lat):
            groups[spot_of(lon, lat)].append((key, unc))
    out: dict[str, tuple[float, float]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m[0])
        worst = max((u for _, u in members if u is not None and math.isfinite(u)), default=0.0)
        rings = math.sqrt(len(members) - 1)
        step = max(MIN_SPREAD_STEP_M, SPREAD_STEP * worst)
        if worst > 0 and step * rings > SPREAD_MAX * worst:
            step = max(MIN_SPREAD_STEP_M, SPREAD_MAX * worst / rings)
        for i, (key, _) in enumerate(members):
            if i == 0:
                continue
            r = step * math.sqrt(i)
            a = i * GOLDEN_ANGLE
            out[key] = (r * math.cos(a), r * math.sin(a))
    return out


# ---- styles ----------------------------------------------------------------------------------


def site_style(layer: str, status: str, geom_type: str, uploaded: bool = False) -> dict[str, Any]:
    """Leaflet path options: colour from the layer, fill and dash from the status.

    A site from an uploaded report (not yet saved into the project) has a black outline (a
    wider line for roads), so it stands out from the built layers.
    """
    color = CATEGORY_COLORS.get(layer, "#555555")
    status = status if status in STATUSES else "unknown"
    dash = STATUS_DASH[status]
    style: dict[str, Any] = {"color": color, "opacity": 0.95}
    if geom_type in ("Point", "MultiPoint"):
        style.update(
            fill=True,
            pane=POINT_PANE,
            weight=3 if status == "in_progress" else 2,
            fillColor=color if status != "unknown" else "#ffffff",
            fillOpacity=STATUS_FILL[status] if status != "unknown" else 0.9,
            radius=POINT_RADIUS,
        )
        if uploaded:
            style.update(color=UPLOAD_COLOR, weight=3, radius=POINT_RADIUS + 1, fillColor=color)
            style["fillOpacity"] = max(STATUS_FILL[status], 0.35)
    elif geom_type in ("LineString", "MultiLineString"):
        style.update(weight=7 if uploaded else 4, lineCap="butt" if dash else "round")
    else:
        style.update(weight=2, fillColor=color, fillOpacity=POLYGON_FILL[status])
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


# The script the base map defines once (``window.siteMap``). Groups call ``siteMap.setStrings`` and
# ``siteMap.add*`` with compact data. Everything from the data goes into the page through
# ``esc`` (HTML-escaped, quotes included) or as Leaflet options and coordinates.
SITE_JS = r"""
(function() {
  // styles arrive as a table: [option names, [values per style (null: not set)]]
  var styles = CONFIG.styles[1].map(function(row) {
    var o = {};
    CONFIG.styles[0].forEach(function(k, i) { if (row[i] !== null) o[k] = row[i]; });
    return o;
  });
  var M = window.siteMap = {styles: styles, labels: CONFIG.labels, strings: [], facts: []};
  var ENT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function(c) { return ENT[c]; }); }
  function str(i) {
    return (typeof i === "number" && i >= 0 && i < M.strings.length) ? String(M.strings[i]) : "";
  }
  function style(i) { return L.extend({}, M.styles[i] || {}); }
  function reEsc(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlight(text, terms) {
    var found = [];
    terms.forEach(function(x) { if (x && text.indexOf(x) >= 0 && found.indexOf(x) < 0) found.push(x); });
    if (!found.length) return esc(text);
    found.sort(function(a, b) { return b.length - a.length; });
    var re = new RegExp(found.map(reEsc).join("|"), "g"), out = "", pos = 0, m;
    while ((m = re.exec(text)) !== null) {
      out += esc(text.slice(pos, m.index)) + "<mark>" + esc(m[0]) + "</mark>";
      pos = m.index + m[0].length;
    }
    return out + esc(text.slice(pos));
  }
  M.esc = esc;
  M.highlight = highlight;
  // r: [key, style, geometry, name, fact set, statements [[doc, quote, surface?]], flags?]; a fact set
  // is [label, value, label, value, ...] and every text is a position in the string table
  M.popup = function(r) {
    var lab = M.labels, name = String(r[3] || ""), said = r[5] || [], flags = r[6] || 0;
    var facts = (typeof r[4] === "number" && M.facts[r[4]]) || [];
    var h = '<div class="site-popup"><h4>' + esc(name) + "</h4>", tags = [];
    lab.flags.forEach(function(f) {
      if (flags & f[0]) tags.push('<span class="tag">' + esc(f[1]) + "</span>");
    });
    if (tags.length) h += '<p class="tags">' + tags.join("") + "</p>";
    var lines = [];
    for (var i = 0; i + 1 < facts.length; i += 2) {
      lines.push("<b>" + esc(str(facts[i])) + ":</b> " + esc(str(facts[i + 1])));
    }
    h += "<p>" + lines.join("<br>") + "</p>";
    if (said.length) {
      h += "<p><b>" + esc(lab.statements.replace("{n}", String(said.length))) + "</b></p><ol>";
      said.forEach(function(s) {
        h += "<li><blockquote>" + highlight(str(s[1]), [name, str(s[2])]) + "</blockquote><cite>" +
          esc(str(s[0])) + "</cite></li>";
      });
      h += "</ol>";
    } else {
      h += "<p>" + esc(lab.noStatements) + "</p>";
    }
    return h + "</div>";
  };
  function geometry(g) {
    return (Array.isArray(g) && typeof g[0] === "number") ? {type: "Point", coordinates: g} : g;
  }
  M.setStrings = function(group, strings, facts) { M.strings = strings; M.facts = facts || []; };
  M.addSites = function(group, rows) {
    var feats = rows.map(function(r) {
      return {type: "Feature", id: r[0], geometry: geometry(r[2]), properties: {r: r}};
    });
    L.geoJson(feats, {
      pointToLayer: function(f, ll) { return L.circleMarker(ll, style(f.properties.r[1])); },
      style: function(f) { return style(f.properties.r[1]); },
      onEachFeature: function(f, layer) {
        var r = f.properties.r;
        layer.bindTooltip(esc(r[3]), {sticky: true});
        layer.bindPopup(function() { return M.popup(r); }, {maxWidth: 420, maxHeight: 360});
        layer.on("popupopen", function() { layer.closeTooltip(); });
      }
    }).addTo(group);
  };
  // rows: [lon, lat, radius in metres, style]
  M.addCircles = function(group, rows) {
    rows.forEach(function(c) {
      L.circle([c[1], c[0]], L.extend(style(c[3]), {radius: c[2], interactive: false})).addTo(group);
    });
  };
  M.addShapes = function(group, styleIndex, geometries) {
    L.geoJson(geometries.map(function(g) { return {type: "Feature", geometry: g, properties: {}}; }),
      {style: function() { return style(styleIndex); }, interactive: false}).addTo(group);
  };
  M.addPin = function(group, styleIndex, lon, lat, label) {
    var m = L.circleMarker([lat, lon], style(styleIndex)).addTo(group);
    if (label) m.bindTooltip(esc(label), {permanent: true, direction: "top", offset: [0, -10]});
  };
})();
"""


def style_columns(styles: list[dict[str, Any]]) -> list[Any]:
    """[option names, rows of values] of a list of Leaflet styles (None where a style has no value)."""
    names = sorted({k for st in styles for k in st})
    return [names, [[st.get(k) for k in names] for st in styles]]


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
                "labels": {
                    "statements": t("popup_statements", lang, n="{n}"),
                    "noStatements": t("popup_no_statements", lang),
                    "flags": [
                        [FLAG_UPLOADED, t("tag_uploaded", lang)],
                        [FLAG_PLACED, t("tag_placed", lang)],
                        [FLAG_UNPLACED, t("tag_unplaced", lang)],
                        [FLAG_SPREAD, t("tag_spread", lang)],
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
    """A Leaflet control showing ``html`` (built from escaped labels by ``legend_html``)."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function(map) {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


MAP_CSS = """
.leaflet-container { background: #eef0ec; }
.map-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.5 sans-serif; }
.map-legend b { display: block; margin-top: 3px; }
.map-legend svg { vertical-align: middle; margin-right: 4px; }
"""


def _swatch_point(color: str, status: str, uploaded: bool = False) -> str:
    s = site_style("", status, "Point", uploaded)
    dash = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    stroke = s["color"] if uploaded else color
    fill = s["fillColor"] if status == "unknown" and not uploaded else color
    return (
        f'<svg width="18" height="14"><circle cx="9" cy="7" r="5" stroke="{stroke}" '
        f'stroke-width="{s["weight"]}" fill="{fill}" fill-opacity="{s["fillOpacity"]}"{dash}/></svg>'
    )


def _swatch_line(color: str, status: str) -> str:
    dash = STATUS_DASH[status]
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="26" height="14"><line x1="1" y1="7" x2="25" y2="7" '
        f'stroke="{color}" stroke-width="3"{d}/></svg>'
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
    Legend(legend_html(lang)).add_to(m)
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


def site_record(
    site: Shown, layer: str, geom: dict[str, Any], lang: Lang, strings: StringTable, flags: int
) -> list[Any]:
    """[key, style, geometry, name, fact set, statements, flags] of one site (see ``SITE_JS``).

    Points are sent as [lon, lat]; the fact set and the statements' texts as positions in
    ``strings``; a statement's surface only when it differs from the name, flags only when set.
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
    record = [site.key, style, shape, name, strings.facts(popup_facts(p, layer, lang)), said]
    return [*record, flags] if flags else record


def _site_flags(site: Shown, offset: tuple[float, float] | None) -> int:
    flags = site.flags
    if site.uploaded:
        flags |= FLAG_UPLOADED
    if offset is not None and (offset[0] or offset[1]):
        flags |= FLAG_SPREAD
    return flags


def _tile_group(basemap: str) -> folium.FeatureGroup:
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
) -> list[folium.FeatureGroup]:
    """Feature groups for ``st_folium(feature_group_to_add=...)``.

    ``shown``: layer -> sites after filtering, as ``Shown`` or (key, feature) pairs.
    ``popups`` is not used (popups are built in the browser from each site's record; the
    parameter stays for callers written against the earlier version). ``offsets``: spiral
    offsets from ``spiral_offsets``. ``anchors``: key -> (lon, lat) centre of each site (for the
    uncertainty circles). ``counties``: county name -> WGS-84 GeoJSON outline. ``circles``: draw
    the uncertainty circles. ``pin``: (lon, lat, label) of a position being chosen by hand (WGS-84).

    Order: the string table, tiles (if any), county outlines, uncertainty circles, the four
    layers, the pin.
    """
    del popups
    fn = display_transform(basemap)
    strings = StringTable()
    data = folium.FeatureGroup(name="site-strings", control=False)
    groups: list[folium.FeatureGroup] = [data]
    if basemap in TILES:
        groups.append(_tile_group(basemap))
    if counties:
        g = folium.FeatureGroup(name=t("counties_layer", lang), control=False)
        outlines = [
            rounded_geometry(transform_geometry(geom, fn), OUTLINE_DECIMALS)
            for _, geom in sorted(counties.items())
        ]
        SiteData("addShapes", style_index(COUNTY_KEY), outlines).add_to(g)
        groups.append(g)
    sites: dict[str, list[Shown]] = {
        layer: [s if isinstance(s, Shown) else Shown(s[0], s[1]) for s in items]
        for layer, items in shown.items()
    }
    if circles:
        rows = uncertainty_circles(
            ((s.key, s.feature) for layer in LAYER_NAMES for s in sites.get(layer, [])), anchors, fn
        )
        if rows:
            g = folium.FeatureGroup(name=t("uncertainty_layer", lang), control=False)
            ci = style_index(CIRCLE_KEY)
            SiteData("addCircles", [[*r, ci] for r in rows]).add_to(g)
            groups.append(g)
    for layer in LAYER_NAMES:
        if layer not in sites:
            continue
        g = folium.FeatureGroup(name=layer_label(layer, lang), control=False)
        records = []
        for s in sites[layer]:
            geom = display_feature(s.key, s.feature, offsets.get(s.key), fn)
            if geom is None:
                continue
            flags = _site_flags(s, offsets.get(s.key))
            records.append(site_record(s, layer, geom, lang, strings, flags))
        if records:
            SiteData("addSites", records).add_to(g)
        groups.append(g)
    if pin is not None:
        g = folium.FeatureGroup(name="pin", control=False)
        lon, lat = fn(pin[0], pin[1])
        SiteData(
            "addPin", style_index(PIN_KEY), round(lon, DISPLAY_DECIMALS), round(lat, DISPLAY_DECIMALS), pin[2]
        ).add_to(g)
        groups.append(g)
    SiteData("setStrings", strings.items, strings.fact_sets).add_to(data)
    return groups


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
