"""The folium map: a constant base map plus feature groups rebuilt on each filter.

The map (``geo.web.mapcomponent``) is drawn anew (losing the view) whenever the base map's script
changes, but adds and removes its feature groups in place. So the base map holds only what never
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

How sites look is ``geo.web.styles`` (and the legend ``geo.web.legend``); where they are drawn,
``geo.web.display``.
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

from geo.web import switches, tianditu
from geo.web.assets import localize
from geo.web.display import (
    DISPLAY_DECIMALS,
    OUTLINE_DECIMALS,
    Transform,
    display_feature,
    display_transform,
    rounded_geometry,
    spot_of,
    transform_geometry,
)
from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED, FLAG_UPLOADED
from geo.web.geography import Seat, county_labels
from geo.web.i18n import Lang, distance_label, layer_label, precision_label, t
from geo.web.layers_io import APPROXIMATE_PRECISIONS, LAYER_NAMES, Feature
from geo.web.legend import Legend, legend_html
from geo.web.popup import POPUP_CSS, popup_facts, report_abouts, statements
from geo.web.reports import report_label
from geo.web.search import reading
from geo.web.styles import (
    CANVAS_THRESHOLD,
    CHOSEN_KEY,
    CIRCLE_KEY,
    COUNTY_KEY,
    COUNTY_LABEL_PANE,
    LABEL_PANE,
    PIN_KEY,
    POINT_PANE,
    PREFECTURE_KEY,
    STYLE_KEYS,
    style_columns,
    style_index,
    style_key,
    style_meta,
    style_table,
)

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
                    "aggNearby": t("agg_nearby", lang, n="{n}"),
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
.agg-popup h4 ~ h4 { margin-top: 8px; }
.agg-leader { pointer-events: none; }
.site-agg.agg-merged { box-shadow: 3px 3px 0 -1px #fff, 3px 3px 0 1px #222, 0 1px 4px rgba(0,0,0,0.45); }
@media (max-width: 519px) {
  .leaflet-control-attribution:not(.attr-open) { max-width: calc(100vw - 140px); white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
}
.leaflet-container.placing { cursor: crosshair; }
.leaflet-container.placing .leaflet-interactive:not(.place-pin) { pointer-events: none; }
.leaflet-container.placing canvas { pointer-events: none; }
.place-pin i { display: block; width: 16px; height: 16px; border: 3px solid; border-radius: 50%;
  background: #ffffff; box-shadow: 0 1px 4px rgba(0,0,0,0.5); cursor: move; }
.leaflet-tooltip.chosen-label { font-weight: bold; border: 2px solid #111111; }
.place-notice { background: #e8f1ff; border: 1px solid #2a62c9; border-radius: 4px; padding: 4px 8px;
  max-width: 260px; font: 12px/1.4 sans-serif; color: #0d2a5c; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.geo-label { width: 0; height: 0; }
.geo-label span { position: absolute; white-space: nowrap; color: #222;
  text-shadow: -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff, 0 0 3px #fff; }
.county-label span { transform: translate(-50%, -50%); font: bold 14px/1.2 sans-serif;
  letter-spacing: 1px; color: #3a3a3a; }
.town-seat i { position: absolute; left: -3px; top: -3px; width: 6px; height: 6px; border-radius: 50%;
  background: #4a4a4a; box-shadow: 0 0 0 1px #fff; }
.town-seat span { left: 6px; top: -8px; font: 11px/1.3 sans-serif; color: #333; }
.leaflet-container.towns-far .town-seat span { display: none; }
.town-seat span.crowded, .county-label span.crowded { visibility: hidden; }
.site-switches .switch-title { font: bold 12px/1.5 sans-serif; margin-bottom: 2px; }
.site-switches label { font: 12px/1.6 sans-serif; }
.site-switches .switch-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin: 0 4px 0 2px; vertical-align: middle; }
.tile-notice { background: #fff4d6; border: 1px solid #c9a227; border-radius: 4px; padding: 4px 8px;
  max-width: 260px; font: 12px/1.4 sans-serif; color: #3d3000; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
"""


def base_map(bounds: tuple[float, float, float, float] | None, lang: Lang, n_sites: int = 0) -> folium.Map:
    """The map every rerun passes to the map component: the same for the same data and language.

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
    folium.map.CustomPane(LABEL_PANE, z_index=420, pointer_events=False).add_to(m)
    folium.map.CustomPane(COUNTY_LABEL_PANE, z_index=640, pointer_events=False).add_to(m)
    folium.map.CustomPane(POINT_PANE, z_index=450, pointer_events=True).add_to(m)
    SiteScript(lang).add_to(m)
    Legend(legend_html(lang), t("legend", lang)).add_to(m)
    switches.LayerSwitches(lang).add_to(m)
    if bounds is not None:
        pad = 0.01
        m.fit_bounds([[bounds[1] - pad, bounds[0] - pad], [bounds[3] + pad, bounds[2] + pad]])
    return m


# ---- groups that change with filters and tiles -----------------------------------------------


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
    """[key, style, geometry, name, fact set, statements, flags, precision(, pinyin)] of one site
    (``SITE_JS``); the pinyin of a Chinese name in the English interface only.

    Points are sent as [lon, lat]; the fact set, the statements' texts and the precision (with
    its uncertainty, as the tooltip shows it) as positions in ``strings``; a statement as
    ``statement_record`` gives it.
    """
    p = site.feature.get("properties") or {}
    name = str(p.get("name") or "")
    abouts = report_abouts(p)
    said = [statement_record(doc, quote, surface, name, abouts.get(doc, {}), lang, strings)
            for doc, quote, surface in statements(p)]
    style = style_index(style_key(layer, str(p.get("status") or "unknown"), geom["type"], site.uploaded))
    shape: Any = geom["coordinates"][:2] if geom["type"] == "Point" else geom
    facts = strings.facts(popup_facts(p, layer, lang))
    record = [site.key, style, shape, name, facts, said, flags, strings(precision_text(p, lang))]
    spoken = reading(name) if lang == "en" else ""
    return [*record, strings(spoken)] if spoken else record


def statement_record(doc: str, quote: str, surface: str, name: str, about: dict[str, str], lang: Lang,
                     strings: StringTable) -> list[int]:
    """[report, quote, surface?, file?] of one statement: the report as its title reads (issuer,
    date), the surface only when it differs from the name, and the file line only when the report
    is shown by more than its file name."""
    label = report_label(doc, about, lang)
    record = [strings(label), strings(quote)]
    shown_surface = surface if surface and surface != name else ""
    if label != doc:
        return [*record, strings(shown_surface), strings(t("report_file", lang, file=doc))]
    return [*record, strings(shown_surface)] if shown_surface else record


def _site_flags(site: Shown) -> int:
    return site.flags | FLAG_UPLOADED if site.uploaded else site.flags


def tile_specs(basemap: str, tile_key: str | None = None) -> list[dict[str, Any]]:
    """The tile layers of ``basemap`` (none for a base map without tiles, or Tianditu without a key)."""
    if basemap == tianditu.BASEMAP:
        return tianditu.tile_specs(tile_key) if tile_key else []
    return [TILES[basemap]] if basemap in TILES else []


def _tile_group(specs: list[dict[str, Any]], basemap: str, lang: Lang) -> folium.FeatureGroup | None:
    if not specs:
        return None
    g = folium.FeatureGroup(name=f"tiles-{basemap}", control=False)
    for i, spec in enumerate(specs):
        folium.TileLayer(
            tiles=spec["tiles"],
            attr=spec["attr"],
            max_zoom=spec["max_zoom"],
            name=f"{basemap}-{i}",
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
    outlines: Mapping[str, dict[str, Any]] | None = None,
) -> list[list[Any]]:
    """[lon, lat, note, site records, room] of each spot shared by several sites (see ``SITE_JS``).

    The marker stands at the spot itself (its true position, the centre of the uncertainty
    circle): no site is drawn where it is not known to be. The note (a position in ``strings``)
    says how well the spot is known: the widest precision among its sites. ``room`` (metres,
    ``nudge_room``) is how far the map may draw the marker's box from the spot, on a leader line,
    when it would hide another marker's count; ``outlines``: the counties' outlines as drawn.
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
        room = nudge_room(spot, props, outlines or {})
        out.append([spot[0], spot[1], strings(note), records, room])
    return out


# A nudged marker keeps this share of its room free, as a margin for rounding and the outline's
# simplification.
NUDGE_SHARE = 0.8


def nudge_room(
    spot: tuple[float, float], props: Iterable[Mapping[str, Any]], outlines: Mapping[str, dict[str, Any]]
) -> float:
    """How far (metres) a shared spot's marker may be drawn from it: inside every one of its
    sites' uncertainty circles and its counties' outlines (as drawn), or 0 (it stays on the spot)
    when a site has no circle or its county has no outline here."""
    from shapely.geometry import Point, shape

    room = math.inf
    point = Point(spot)
    for p in props:
        radius = _radius(p.get("uncertainty_m"))
        outline = outlines.get(str(p.get("county") or ""))
        if p.get("precision") not in APPROXIMATE_PRECISIONS or radius <= 0 or outline is None:
            return 0.0
        area = shape(outline)
        if not area.contains(point):
            return 0.0
        # degrees to metres by the shorter degree (of longitude): never more than the true distance
        edge = area.boundary.distance(point) * 111_320 * math.cos(math.radians(spot[1]))
        room = min(room, radius, edge)
    return round(NUDGE_SHARE * room) if math.isfinite(room) else 0.0


def _radius(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0


# Township names show from this zoom on (a county some 40 km across is then about 600 px wide);
# below it the seats are dots alone.
TOWN_LABEL_ZOOM = 11


def _outline_group(
    counties: Mapping[str, dict[str, Any]],
    prefectures: Mapping[str, dict[str, Any]] | None,
    avoid: Iterable[tuple[float, float]],
    fn: Transform,
    lang: Lang,
) -> folium.FeatureGroup:
    """The prefectures' outlines (if any), the counties' outlines over them, and the counties'
    names inside their outlines, away from the sites' points ``avoid`` (WGS-84)."""
    g = folium.FeatureGroup(name=t("counties_layer", lang), control=False)
    if prefectures:
        shapes = [
            rounded_geometry(transform_geometry(geom, fn), OUTLINE_DECIMALS)
            for _, geom in sorted(prefectures.items())
        ]
        SiteData("addShapes", style_index(PREFECTURE_KEY), shapes).add_to(g)
    outlines = [
        rounded_geometry(transform_geometry(geom, fn), OUTLINE_DECIMALS)
        for _, geom in sorted(counties.items())
    ]
    SiteData("addShapes", style_index(COUNTY_KEY), outlines).add_to(g)
    SiteData("addLabels", COUNTY_LABEL_PANE, label_rows(county_labels(counties, avoid), fn)).add_to(g)
    SiteData("switchGroup", "counties").add_to(g)
    return g


def label_rows(points: Iterable[tuple[str, float, float]], fn: Transform) -> list[list[Any]]:
    """[name, lon, lat] of each label, shifted as the map is (GCJ-02 under Gaode's tiles)."""
    out: list[list[Any]] = []
    for name, lon, lat in points:
        x, y = fn(lon, lat)
        out.append([name, round(x, DISPLAY_DECIMALS), round(y, DISPLAY_DECIMALS)])
    return out


def towns_credit(lang: Lang) -> str:
    """The attribution line the map shows with the township seats (GeoNames, CC BY 4.0), as plain
    text: the map's script holds no address (``tests/web/test_app.py``)."""
    return t("towns_credit", lang)


def _seat_group(seats: Iterable[Seat], fn: Transform, lang: Lang) -> folium.FeatureGroup | None:
    rows = label_rows(((s.township, s.lon, s.lat) for s in seats), fn)
    if not rows:
        return None
    g = folium.FeatureGroup(name=t("towns_layer", lang), control=False)
    SiteData("addSeats", LABEL_PANE, rows, TOWN_LABEL_ZOOM, towns_credit(lang)).add_to(g)
    SiteData("switchGroup", "towns").add_to(g)
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
    SiteData("switchGroup", "circles").add_to(g)
    return g


Drawn = tuple[str, Shown, dict[str, Any]]  # (layer, site, geometry as shown)


def _drawn(
    sites: Mapping[str, list[Shown]], offsets: Mapping[str, tuple[float, float]], fn: Transform
) -> tuple[list[Drawn], dict[tuple[float, float], list[Drawn]]]:
    """Every site with its geometry as shown (in layer order), and the points by the spot they are
    drawn at (a spot with more than one is drawn as an aggregate marker)."""
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
    return drawn, spots


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
        SiteData("switchGroup", layer).add_to(g)
        groups.append(g)
    return groups


def _aggregate_group(
    spots: Mapping[tuple[float, float], list[Drawn]],
    lang: Lang,
    strings: StringTable,
    outlines: Mapping[str, dict[str, Any]] | None = None,
) -> folium.FeatureGroup | None:
    """The aggregate markers (sites sharing a spot), or None when no spot is shared."""
    rows = aggregate_rows(spots, lang, strings, outlines)
    if not rows:
        return None
    g = folium.FeatureGroup(name=t("agg_layer", lang), control=False)
    SiteData("addAggregates", rows).add_to(g)
    return g


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
    prefectures: Mapping[str, dict[str, Any]] | None = None,
    seats: Iterable[Seat] | None = None,
    circles: bool = True,
    pin: tuple[float, float, str] | None = None,
    placing: str | None = None,
    chosen: str | None = None,
    tile_key: str | None = None,  # Tianditu's (geo.web.tianditu)
    switched: Mapping[str, bool] | None = None,  # the sidebar's switches (geo.web.switches)
) -> list[folium.FeatureGroup]:
    """Feature groups drawn on the base map (``geo.web.mapcomponent.site_map``).

    ``shown``: layer -> sites after filtering, as ``Shown`` or (key, feature) pairs.
    ``popups`` is not used (popups are built in the browser). ``offsets``: display offsets
    (east, north; metres) per key, zero for every site today (``shared_spots``): point sites that
    share a spot are drawn as one aggregate marker at it. ``anchors``: key -> (lon, lat) centre of
    each site (for the uncertainty circles). ``counties``: county name -> WGS-84 GeoJSON outline,
    drawn with its name inside; ``prefectures``: prefecture name -> outline, drawn under them.
    ``seats``: township seats drawn as small named points. ``circles``: draw the uncertainty
    circles. ``pin``: (lon, lat, label) of a position being chosen by hand (WGS-84). ``placing``:
    a site is being placed; the notice the map shows in placement mode, where a click anywhere
    sets the point. ``chosen``: key of the site chosen in the table, highlighted where drawn.

    Order: the string table, tiles (if any), prefecture and county outlines with the counties'
    names, township seats, uncertainty circles, the four layers (sites drawn on their own), the
    aggregates (sites sharing a spot), the pin.
    """
    del popups
    fn = display_transform(basemap)
    strings = StringTable()
    data = folium.FeatureGroup(name="site-strings", control=False)
    groups: list[folium.FeatureGroup | None] = [data]
    groups.append(_tile_group(tile_specs(basemap, tile_key), basemap, lang))
    groups.append(_outline_group(counties, prefectures, anchors.values(), fn, lang) if counties else None)
    groups.append(_seat_group(seats, fn, lang) if seats else None)
    sites: dict[str, list[Shown]] = {
        layer: [s if isinstance(s, Shown) else Shown(s[0], s[1]) for s in items]
        for layer, items in shown.items()
    }
    groups.append(_circle_group(sites, anchors, fn, lang) if circles else None)
    drawn, spots = _drawn(sites, offsets, fn)
    together = {id(item[1]) for members in spots.values() if len(members) > 1 for item in members}
    groups += _site_layer_groups(sites, drawn, together, lang, strings)
    outlines = {name: transform_geometry(geom, fn) for name, geom in (counties or {}).items()}
    groups.append(_aggregate_group(spots, lang, strings, outlines))
    groups.append(_chosen_group(drawn, chosen) if chosen is not None else None)
    if placing is not None or pin is not None:
        groups.append(_placing_group(pin, placing or "", fn))
    SiteData("setStrings", strings.items, strings.fact_sets).add_to(data)
    SiteData("switchState", switches.shown_of(switched)).add_to(data)
    return [g for g in groups if g is not None]


