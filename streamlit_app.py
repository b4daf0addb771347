"""Map of urban-renewal sites named in government reports: ``streamlit run streamlit_app.py``.

Reads the built layers from ``$RENEWAL_MAP_LAYERS`` (default ``layers/``) and only displays and
downloads them. Works offline: Leaflet is served by the app and the default base map has no tiles.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import shape
from streamlit_folium import st_folium

from geo.web import export
from geo.web.assets import register_assets
from geo.web.i18n import (
    LANG_NAMES,
    LANGS,
    Lang,
    distance_label,
    kind_label,
    layer_label,
    precision_label,
    status_label,
    t,
)
from geo.web.layers_io import (
    LAYER_NAMES,
    PRECISIONS,
    STATUSES,
    Feature,
    Layers,
    county_outlines,
    folder_stamp,
    layers_folder,
    read_layers,
    sites_frame,
)
from geo.web.mapview import (
    BASEMAPS,
    base_map,
    data_bounds,
    display_feature,
    display_transform,
    layer_control,
    site_groups,
    spiral_offsets,
)
from geo.web.popup import POPUP_CSS, popup_html
from geo.web.search import filter_sites

MAP_HEIGHT = 620
Stamp = tuple[tuple[str, int, int], ...]


# ---- cached data -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def load(folder: str, stamp: Stamp) -> tuple[Layers, pd.DataFrame, dict[str, tuple[float, float]]]:
    """Layers, the sites table and spiral offsets; ``stamp`` re-reads the files when rebuilt."""
    layers = read_layers(folder)
    sites = sites_frame(layers)
    points = sites[sites["geom_type"] == "Point"]
    offsets = spiral_offsets(
        (k, lon, lat, None if pd.isna(u) else float(u))
        for k, lon, lat, u in zip(
            points["key"], points["lon"], points["lat"], points["uncertainty_m"], strict=True
        )
    )
    return layers, sites, offsets


@st.cache_data(show_spinner=False)
def popups(folder: str, stamp: Stamp, lang: Lang) -> dict[str, str]:
    layers, sites, _ = load(folder, stamp)
    feats = [f for _, f in layers.all_features()]
    return {
        k: popup_html(f["properties"], layer, lang)
        for k, layer, f in zip(sites["key"], sites["layer"], feats, strict=True)
    }


@st.cache_data(show_spinner=False)
def outlines(counties: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return county_outlines(counties)


@st.cache_data(show_spinner=False)
def all_layers_geojson(folder: str, stamp: Stamp) -> bytes:
    return export.all_layers_bytes(load(folder, stamp)[0])


@st.cache_data(show_spinner=False)
def bounds_of(folder: str, stamp: Stamp) -> tuple[float, float, float, float] | None:
    layers, sites, _ = load(folder, stamp)
    extents = []
    for _, f in layers.all_features():
        g = f.get("geometry")
        if g and g.get("type") != "Point":
            try:
                extents.append(shape(g).bounds)
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
    return data_bounds(zip(sites["lon"], sites["lat"], strict=True), extents)


# ---- helpers ---------------------------------------------------------------------------------


def items_for(layers: Layers, sites: pd.DataFrame) -> list[tuple[str, Feature]]:
    """(layer, raw feature) for each row of ``sites``."""
    return [
        (layer, layers.features[layer][int(i)])
        for layer, i in zip(sites["layer"], sites["index"], strict=True)
    ]


def site_table(sites: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    approx = t("approximate", lang)
    return pd.DataFrame(
        {
            t("col_name", lang): sites["name"],
            t("col_layer", lang): [layer_label(v, lang) for v in sites["layer"]],
            t("col_kind", lang): [kind_label(v, lang) for v in sites["kind"]],
            t("col_status", lang): [status_label(v, lang) for v in sites["status"]],
            t("col_county", lang): sites["county"],
            t("col_precision", lang): [precision_label(v, lang) for v in sites["precision"]],
            t("col_approx", lang): [approx if a else "" for a in sites["approximate"]],
            t("col_uncertainty", lang): sites["uncertainty_m"],
            t("col_year", lang): sites["year"],
            t("col_docs", lang): ["; ".join(d) for d in sites["documents"]],
        }
    ).reset_index(drop=True)


def display_point(
    row: pd.Series, offsets: dict[str, tuple[float, float]], basemap: str
) -> tuple[float, float]:
    """(lat, lon) where the site's marker is drawn (offset for stacked points, GCJ-02 for Gaode)."""
    geom = display_feature(
        row["key"],
        {"geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}},
        offsets.get(row["key"]),
        display_transform(basemap),
    )
    lon, lat = geom["coordinates"] if geom else (row["lon"], row["lat"])
    return lat, lon


def zoom_for(uncertainty: float | None) -> int:
    """A zoom that shows a site with its uncertainty circle."""
    if uncertainty is None or pd.isna(uncertainty) or uncertainty <= 200:
        return 16
    return max(8, min(16, round(16 - math.log2(uncertainty / 200))))


def clicked_site(
    clicked: dict[str, Any] | None,
    tooltip: str | None,
    shown: pd.DataFrame,
    layers: Layers,
    offsets: dict[str, tuple[float, float]],
    basemap: str,
) -> str | None:
    """Key of the shown site the user clicked on the map: same name as the tooltip, nearest the click."""
    if not clicked or not tooltip or shown.empty or "lat" not in clicked or "lng" not in clicked:
        return None
    candidates = shown[shown["name"].str.strip() == tooltip.strip()]
    if candidates.empty:
        return None
    fn = display_transform(basemap)
    best, best_d = None, math.inf
    pt = shapely.Point(float(clicked["lng"]), float(clicked["lat"]))
    for key, f in zip(candidates["key"], items_for(layers, candidates), strict=True):
        geom = display_feature(key, f[1], offsets.get(key), fn)
        if geom is None:
            continue
        d = shape(geom).distance(pt)
        if d < best_d:
            best, best_d = key, d
    return best


# ---- page ------------------------------------------------------------------------------------


def sidebar_filters(sites: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    sb = st.sidebar
    query = sb.text_input(t("search", lang), key="query", help=t("search_help", lang))
    sb.subheader(t("filters", lang))
    counties = sorted(c for c in sites["county"].unique() if c)
    docs = sorted({d for ds in sites["documents"] for d in ds})
    statuses = [s for s in STATUSES if s in set(sites["status"])]
    precisions = [p for p in PRECISIONS if p in set(sites["precision"])]
    return {
        "query": query,
        "counties": sb.multiselect(t("county", lang), counties, key="f_county", placeholder=t("all", lang)),
        "documents": sb.multiselect(t("document", lang), docs, key="f_doc", placeholder=t("all", lang)),
        "statuses": sb.multiselect(
            t("status", lang),
            statuses,
            key="f_status",
            placeholder=t("all", lang),
            format_func=lambda s: status_label(s, lang),
        ),
        "precisions": sb.multiselect(
            t("precision", lang),
            precisions,
            key="f_precision",
            placeholder=t("all", lang),
            format_func=lambda p: precision_label(p, lang),
        ),
    }


def sidebar_approximate(shown: pd.DataFrame, lang: Lang) -> None:
    approx = shown[shown["approximate"]]
    with st.sidebar.expander(t("approximate_list", lang, n=len(approx)), expanded=False):
        st.caption(t("approximate_note", lang))
        if not approx.empty:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("col_name", lang): approx["name"].to_numpy(),
                        t("col_precision", lang): [precision_label(p, lang) for p in approx["precision"]],
                        "±": [
                            distance_label(u, lang) if u is not None and not pd.isna(u) else "?"
                            for u in approx["uncertainty_m"]
                        ],
                    }
                ),
                hide_index=True,
                key="approx_table",
            )


def sidebar_downloads(layers: Layers, folder: str, stamp: Stamp, shown: pd.DataFrame, lang: Lang) -> None:
    """Layer files as built; other files are only written when their button is clicked."""
    sb = st.sidebar
    sb.subheader(t("downloads", lang))
    sb.caption(t("dl_raw_note", lang))
    for layer in LAYER_NAMES:
        if layer in layers.raw:
            sb.download_button(
                t("dl_layer", lang, layer=layer_label(layer, lang)),
                data=layers.raw[layer],
                file_name=export.layer_file_name(layer),
                mime=export.MIME["geojson"],
                key=f"dl_{layer}",
                on_click="ignore",
            )
    every = layers.all_features()
    sb.download_button(
        t("dl_all", lang, fmt="GeoJSON"),
        data=all_layers_geojson(folder, stamp),
        file_name=export.all_file_name("geojson"),
        mime=export.MIME["geojson"],
        key="dl_all_geojson",
        on_click="ignore",
    )
    sb.download_button(
        t("dl_all", lang, fmt="GeoPackage"),
        data=lambda: export.gpkg_bytes(every),
        file_name=export.all_file_name("gpkg"),
        mime=export.MIME["gpkg"],
        key="dl_all_gpkg",
        on_click="ignore",
    )
    chosen = items_for(layers, shown)
    sb.download_button(
        t("dl_selection", lang, fmt="GeoJSON"),
        data=lambda: export.feature_collection_bytes(f for _, f in chosen),
        file_name=export.selection_file_name("geojson"),
        mime=export.MIME["geojson"],
        key="dl_sel_geojson",
        on_click="ignore",
    )
    sb.download_button(
        t("dl_selection", lang, fmt="CSV"),
        data=lambda: export.csv_bytes(chosen),
        file_name=export.selection_file_name("csv"),
        mime=export.MIME["csv"],
        key="dl_sel_csv",
        on_click="ignore",
    )
    sb.download_button(
        t("dl_selection", lang, fmt="GeoPackage"),
        data=lambda: export.gpkg_bytes(chosen),
        file_name=export.selection_file_name("gpkg"),
        mime=export.MIME["gpkg"],
        key="dl_sel_gpkg",
        on_click="ignore",
    )
    sb.download_button(
        t("dl_selection", lang, fmt="KML"),
        data=lambda: export.kml_bytes(chosen),
        file_name=export.selection_file_name("kml"),
        mime=export.MIME["kml"],
        key="dl_sel_kml",
        on_click="ignore",
    )


def main() -> None:
    st.set_page_config(page_title="城市更新项目地图 · Urban renewal map", page_icon="🗺️", layout="wide")
    register_assets()
    lang: Lang = st.sidebar.radio(
        t("language", "zh"), LANGS, format_func=LANG_NAMES.__getitem__, horizontal=True, key="lang"
    )
    basemap: str = st.sidebar.radio(
        t("basemap", lang), BASEMAPS, key="basemap", format_func=lambda b: t(f"basemap_{b}", lang)
    )
    if basemap == "gaode":
        st.sidebar.caption(t("gaode_note", lang))

    folder = str(layers_folder())
    stamp = folder_stamp(folder)
    layers, sites, offsets = load(folder, stamp)

    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    for name, error in layers.errors.items():
        st.warning(t("bad_layer", lang, name=name, error=error))
    if not layers.raw:
        st.info(t("no_layers", lang, folder=folder))

    filters = sidebar_filters(sites, lang)
    shown = filter_sites(sites, **filters)
    sidebar_approximate(shown, lang)
    sidebar_downloads(layers, folder, stamp, shown, lang)
    st.markdown(t("shown", lang, n=len(shown), total=len(sites)))

    # The table is drawn below the map, but the row chosen in it (kept in the session state since
    # the click) is read first so that the map can be centred on it.
    table_key = "table_" + hashlib.sha1("\n".join(shown["key"]).encode()).hexdigest()[:12]
    center: tuple[float, float] | None = None
    zoom: int | None = None
    selected = st.session_state.get(table_key)
    rows = list(selected["selection"]["rows"]) if selected else []
    if rows and rows[0] < len(shown):
        row = shown.iloc[rows[0]]
        if not (pd.isna(row["lon"]) or pd.isna(row["lat"])):
            center = display_point(row, offsets, basemap)
            zoom = zoom_for(row["uncertainty_m"])

    anchors = {
        k: (lon, lat)
        for k, lon, lat in zip(shown["key"], shown["lon"], shown["lat"], strict=True)
        if not (pd.isna(lon) or pd.isna(lat))
    }
    by_layer: dict[str, list[tuple[str, Feature]]] = {}
    for key, (layer, f) in zip(shown["key"], items_for(layers, shown), strict=True):
        by_layer.setdefault(layer, []).append((key, f))
    counties = tuple(sorted(c for c in sites["county"].unique() if c))
    groups = site_groups(
        by_layer, popups(folder, stamp, lang), offsets, anchors, basemap, lang, counties=outlines(counties)
    )
    out = st_folium(
        base_map(bounds_of(folder, stamp), lang, n_sites=len(sites)),
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        layer_control=layer_control(),
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        center=center,
        zoom=zoom,
    )

    st.subheader(t("table", lang))
    st.caption(t("table_help", lang))
    st.dataframe(
        site_table(shown, lang),
        key=table_key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
    )

    out = out or {}
    key = clicked_site(
        out.get("last_object_clicked"),
        out.get("last_object_clicked_tooltip"),
        shown,
        layers,
        offsets,
        basemap,
    )
    if key is not None:
        row = shown[shown["key"] == key].iloc[0]
        f = layers.features[row["layer"]][int(row["index"])]
        st.subheader(t("selected_site", lang))
        # The same escaped HTML as the map popup (st.html sanitises it again).
        st.html(f"<style>{POPUP_CSS}</style>" + popup_html(f["properties"], row["layer"], lang))


main()
