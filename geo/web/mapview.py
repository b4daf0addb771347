"""The folium map: a constant base map plus one feature group per layer, rebuilt on each filter.

``st_folium`` remounts the map (losing the view) whenever the base map's script changes, but
adds and removes ``feature_group_to_add`` groups in place. So the base map holds only what never
changes for a data set (view, panes, legend, styles), and everything that depends on filters or on
the chosen tiles (the tile layer, county outlines, the sites, their uncertainty circles) goes into
the groups. Tiles are only in a group when chosen, so with the default "none" the map fetches
nothing. Gaode tiles are in GCJ-02, so for them every shown coordinate is shifted to GCJ-02.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import folium
import jinja2
import prcoords
from branca.element import Element, MacroElement

from geo.web.assets import localize
from geo.web.i18n import Lang, layer_label, status_label, t
from geo.web.layers_io import APPROXIMATE_PRECISIONS, LAYER_NAMES, STATUSES, Feature
from geo.web.popup import POPUP_CSS, esc, tooltip_html

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
POINT_RADIUS = 7
CANVAS_THRESHOLD = 2000
POINT_PANE = "site_points"
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

# Every feature carries only a style key (``_s``) into ``window.siteStyles``, a table defined once
# in the base map. folium's own ``style_function`` compiles a ``switch`` with one case per feature,
# which the browser runs once per feature: quadratic, and seconds of load time at 10,000 sites.
# Popups and tooltips are bound from properties that ``popup.popup_html`` built with everything
# escaped; no other property reaches the map.
ON_EACH_FEATURE = folium.JsCode(
    """
function(feature, layer) {
    var p = feature.properties || {};
    var s = window.siteStyles && window.siteStyles[p._s];
    if (s) { layer.setStyle(s); }
    if (p.style && p.style.radius && layer.setRadius) { layer.setRadius(p.style.radius); }
    if (p._popup_html) { layer.bindPopup(p._popup_html, {maxWidth: 420, maxHeight: 360}); }
    if (p._tooltip) {
        layer.bindTooltip(p._tooltip, {sticky: true});
        layer.on("popupopen", function() { layer.closeTooltip(); });
    }
}
"""
)


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


def _identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


def display_transform(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    return wgs_to_gcj if basemap == "gaode" else _identity


def offset_lonlat(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    """Move a WGS-84 position ``dx_m`` east and ``dy_m`` north (small distances)."""
    dlat = dy_m / METRES_PER_DEGREE
    dlon = dx_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    return lon + dlon, lat + dlat


# ---- overlapping points ----------------------------------------------------------------------


def spiral_offsets(
    points: Iterable[tuple[str, float, float, float | None]],
) -> dict[str, tuple[float, float]]:
    """Display offsets (east, north; metres) for points that share a position.

    ``points`` are (key, lon, lat, uncertainty_m). Points at the same position (to ~1 m) are
    sorted by key; the first stays put and the others go out on a golden-angle spiral, so every
    marker can be clicked and the layout is the same on every run. The step grows with the
    group's uncertainty (a county-level spot gets a wider spiral than a street corner).
    Computed once over all sites, so a site does not move when filters change.
    """
    groups: dict[tuple[float, float], list[tuple[str, float | None]]] = defaultdict(list)
    for key, lon, lat, unc in points:
        if math.isfinite(lon) and math.isfinite(lat):
            groups[(round(lon, 5), round(lat, 5))].append((key, unc))
    out: dict[str, tuple[float, float]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: m[0])
        worst = max((u for _, u in members if u is not None and math.isfinite(u)), default=0.0)
        step = min(max(0.03 * worst, 25.0), 400.0)
        for i, (key, _) in enumerate(members):
            if i == 0:
                continue
            r = step * math.sqrt(i)
            a = i * GOLDEN_ANGLE
            out[key] = (r * math.cos(a), r * math.sin(a))
    return out


# ---- styles ----------------------------------------------------------------------------------


def site_style(layer: str, status: str, geom_type: str) -> dict[str, Any]:
    """Leaflet path options: colour from the layer, fill and dash from the status."""
    color = CATEGORY_COLORS.get(layer, "#555555")
    status = status if status in STATUSES else "unknown"
    dash = STATUS_DASH[status]
    style: dict[str, Any] = {"color": color, "opacity": 0.95}
    if geom_type in ("Point", "MultiPoint"):
        # folium's marker template starts from fill=false and drops ``pane``: set both here.
        style.update(
            fill=True,
            pane=POINT_PANE,
            weight=3 if status == "in_progress" else 2,
            fillColor=color if status != "unknown" else "#ffffff",
            fillOpacity=STATUS_FILL[status] if status != "unknown" else 0.9,
            radius=POINT_RADIUS,
        )
    elif geom_type in ("LineString", "MultiLineString"):
        style.update(weight=4, lineCap="butt" if dash else "round")
    else:
        style.update(weight=2, fillColor=color, fillOpacity=POLYGON_FILL[status])
    if dash:
        style["dashArray"] = dash
    return style


UNCERTAINTY_STYLE: dict[str, Any] = {
    "weight": 1.5,
    "dashArray": "6 6",
    "fill": True,
    "fillOpacity": 0.03,
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


def geometry_kind(geom_type: str) -> str:
    """``point``, ``line`` or ``area``: what a style depends on besides layer and status."""
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("LineString", "MultiLineString"):
        return "line"
    return "area"


_KIND_GEOM = {"point": "Point", "line": "LineString", "area": "Polygon"}


def style_key(layer: str, status: str, geom_type: str) -> str:
    status = status if status in STATUSES else "unknown"
    return f"{layer}/{status}/{geometry_kind(geom_type)}"


def circle_key(layer: str) -> str:
    return f"{layer}/circle"


def style_table() -> dict[str, dict[str, Any]]:
    """Every style the map uses, by ``style_key`` / ``circle_key``: fixed, whatever the data."""
    table: dict[str, dict[str, Any]] = {}
    for layer in LAYER_NAMES:
        for status in STATUSES:
            for kind, geom_type in _KIND_GEOM.items():
                table[f"{layer}/{status}/{kind}"] = site_style(layer, status, geom_type)
        color = CATEGORY_COLORS[layer]
        table[circle_key(layer)] = {**UNCERTAINTY_STYLE, "color": color, "fillColor": color}
    return table


class StyleTable(MacroElement):
    """Defines ``window.siteStyles`` (see ``ON_EACH_FEATURE``) in the map's frame."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        window.siteStyles = {{ this.table|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "StyleTable"
        self.table = style_table()


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


def _swatch_point(color: str, status: str) -> str:
    s = site_style("", status, "Point")
    dash = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    return (
        f'<svg width="18" height="14"><circle cx="9" cy="7" r="5" stroke="{color}" '
        f'stroke-width="{s["weight"]}" fill="{s["fillColor"] if status == "unknown" else color}" '
        f'fill-opacity="{s["fillOpacity"]}"{dash}/></svg>'
    )


def _swatch_line(color: str, status: str) -> str:
    dash = STATUS_DASH[status]
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="26" height="14"><line x1="1" y1="7" x2="25" y2="7" '
        f'stroke="{color}" stroke-width="3"{d}/></svg>'
    )


def legend_html(lang: Lang) -> str:
    """Legend markup: layer colours, status styles, the uncertainty circle. Labels are escaped."""
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
        '<div><svg width="18" height="14"><circle cx="9" cy="7" r="6" stroke="#444" fill="none" '
        f'stroke-dasharray="3 3"/></svg>{esc(t("legend_approx", lang))}</div>'
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
    m.get_root().header.add_child(Element(f"<style>{MAP_CSS}{POPUP_CSS}</style>"))
    folium.map.CustomPane(POINT_PANE, z_index=450, pointer_events=True).add_to(m)
    StyleTable().add_to(m)
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
    """The geometry as shown: spiral offset for a stacked point, then the tiles' datum.

    Returns the feature's own geometry (not a copy) when nothing changes; otherwise a new one
    rounded to 1e-6 degrees (~0.1 m).
    """
    geom = feature.get("geometry")
    if not isinstance(geom, dict) or not geom.get("type"):
        return None
    dx, dy = offset if offset is not None and geom["type"] == "Point" else (0.0, 0.0)
    moved = bool(dx or dy)
    if not moved and fn is _identity:
        return geom

    def show(lon: float, lat: float) -> tuple[float, float]:
        if moved:
            lon, lat = offset_lonlat(lon, lat, dx, dy)
        x, y = fn(lon, lat)
        return round(x, 6), round(y, 6)

    try:
        return transform_geometry(geom, show)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _marker(kind: type[folium.CircleMarker], **options: Any) -> folium.CircleMarker:
    """A marker template for GeoJson points; folium drops ``pane``/``interactive``, so set them here."""
    m = kind(radius=POINT_RADIUS)
    m.options.update(options)
    return m


def _site_geojson(features: list[dict[str, Any]], name: str) -> folium.GeoJson:
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=_marker(folium.CircleMarker, pane=POINT_PANE, fill=True),
        on_each_feature=ON_EACH_FEATURE,
        control=False,
    )


def site_groups(
    shown: Mapping[str, list[tuple[str, Feature]]],
    popups: Mapping[str, str],
    offsets: Mapping[str, tuple[float, float]],
    anchors: Mapping[str, tuple[float, float]],
    basemap: str,
    lang: Lang,
    counties: Mapping[str, dict[str, Any]] | None = None,
) -> list[folium.FeatureGroup]:
    """Feature groups for ``st_folium(feature_group_to_add=...)``.

    ``shown``: layer -> [(key, feature)] after filtering. ``popups``: key -> escaped popup HTML.
    ``offsets``: spiral offsets from ``spiral_offsets``. ``anchors``: key -> (lon, lat) centre of
    each site (for the uncertainty circle). ``counties``: county name -> WGS-84 GeoJSON geometry.
    Order: tiles (if any), county outlines, then the four layers.
    """
    fn = display_transform(basemap)
    groups: list[folium.FeatureGroup] = []
    if basemap in TILES:
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
        groups.append(g)
    if counties:
        g = folium.FeatureGroup(name=t("counties_layer", lang))
        feats = [
            {
                "type": "Feature",
                "id": f"county/{name}",
                "properties": {},
                "geometry": transform_geometry(geom, fn),
            }
            for name, geom in sorted(counties.items())
        ]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            style_function=lambda f: COUNTY_STYLE,
            interactive=False,
            control=False,
        ).add_to(g)
        groups.append(g)
    for layer in LAYER_NAMES:
        g = folium.FeatureGroup(name=layer_label(layer, lang))
        circles, sites = [], []
        drawn: set[tuple[float, float, int]] = set()
        for key, f in shown.get(layer, []):
            geom = display_feature(key, f, offsets.get(key), fn)
            if geom is None:
                continue
            p = f.get("properties") or {}
            props = {
                "_s": style_key(layer, str(p.get("status") or "unknown"), geom["type"]),
                "_popup_html": popups.get(key, ""),
                "_tooltip": tooltip_html(p),
            }
            sites.append({"type": "Feature", "id": key, "geometry": geom, "properties": props})
            unc = p.get("uncertainty_m")
            if (
                p.get("precision") in APPROXIMATE_PRECISIONS
                and key in anchors
                and isinstance(unc, (int, float))
                and math.isfinite(unc)
                and unc > 0
            ):
                lon, lat = fn(*anchors[key])
                spot = (round(lon, 5), round(lat, 5), round(float(unc)))
                if spot in drawn:  # sites sharing a spot and radius share one circle
                    continue
                drawn.add(spot)
                circles.append(
                    {
                        "type": "Feature",
                        "id": f"{key}#u",
                        # ``style`` is also what folium re-applies after loading; for L.Circle its
                        # radius is in metres.
                        "properties": {"_s": circle_key(layer), "style": {"radius": float(unc)}},
                        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                    }
                )
        if circles:
            # Drawn by Leaflet as L.Circle (radius in metres) from the centre: a few bytes per site.
            folium.GeoJson(
                {"type": "FeatureCollection", "features": circles},
                marker=_marker(folium.Circle, interactive=False),
                on_each_feature=ON_EACH_FEATURE,
                interactive=False,
                control=False,
            ).add_to(g)
        if sites:
            _site_geojson(sites, layer).add_to(g)
        groups.append(g)
    return groups


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=False)


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
