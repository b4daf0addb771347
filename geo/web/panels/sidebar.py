"""The sidebar: language and base map, layers, search and filters, the approximate list,
downloads and credits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from geo.output.attribution import features_attribution
from geo.web.choices import document_abouts, filter_values
from geo.web.downloads import download_menu
from geo.web.i18n import (
    LANG_NAMES,
    LANGS,
    Lang,
    distance_label,
    layer_label,
    precision_label,
    status_label,
    t,
)
from geo.web.layers_io import LAYER_NAMES, Layers
from geo.web.mapview import BASEMAPS
from geo.web.popup import md_text
from geo.web.precision import text as precision_text
from geo.web.reports import report_option
from geo.web.state import on_zoom_layer
from geo.web.tables import approximate_table
from geo.web.view import View, approximate_stacks
from geo.web.widget_text import multiselect_css, style_tag

# filters_panel's arguments to geo.web.search.filter_sites -> the session keys of their widgets
# (what ``filters_as_set`` reads when the panel is not drawn)
FILTER_KEYS = {
    "counties": "f_county",
    "documents": "f_doc",
    "statuses": "f_status",
    "precisions": "f_precision",
}
# Markdown colour of each layer's swatch in the sidebar (the map's colours, as near as Streamlit has).
LAYER_SWATCH = {"renewal": "red", "parks": "green", "roads": "orange", "scenic": "blue"}


def language_and_basemap(basemaps: tuple[str, ...] = BASEMAPS) -> tuple[Lang, str]:
    """The interface's language and the base map chosen among ``basemaps``."""
    sb = st.sidebar
    lang: Lang = sb.radio(
        t("language", "zh"), LANGS, format_func=LANG_NAMES.__getitem__, horizontal=True, key="lang"
    )
    if st.session_state.get("basemap") not in (None, *basemaps):  # a key since taken away
        st.session_state["basemap"] = basemaps[0]
    basemap: str = sb.radio(
        t("basemap", lang), basemaps, key="basemap", format_func=lambda b: t(f"basemap_{b}", lang)
    )
    if basemap == "gaode":
        sb.caption(t("gaode_note", lang))
    if basemap == "tianditu":
        sb.caption(t("tianditu_note", lang))
    return lang, basemap


def language_and_basemap_as_set(basemaps: tuple[str, ...] = BASEMAPS) -> tuple[Lang, str]:
    """What ``language_and_basemap`` returns, read from the session (defaults, or what a link
    set) without drawing the panel: the page's first run (``geo.web.firstpaint``), which shows
    a line in the sidebar instead, so that the page is laid out as it will stay."""
    lang: Lang = st.session_state.get("lang", LANGS[0])
    basemap = st.session_state.get("basemap")
    basemap = basemap if basemap in basemaps else basemaps[0]
    st.sidebar.caption(t("panels_coming", lang))
    return lang, basemap


def on_by_default(key: str) -> dict[str, Any]:
    """A checkbox on by default, unless a link already set it (a default beside a value set
    through the session would make Streamlit warn)."""
    return {"key": key} if key in st.session_state else {"key": key, "value": True}


def layers_panel(view: View, lang: Lang) -> tuple[list[str], bool, bool, bool]:
    """Which layers, and whether the uncertainty circles, county outlines and township seats,
    are shown.

    Kept in the session, so a layer switched off stays off. These are the one state of the
    layers: the control on the map shows them and sets them (``geo.web.switches``).
    """
    sb = st.sidebar
    sb.subheader(t("layers", lang))
    counts = view.sites["layer"].value_counts()
    chosen = []
    for layer in LAYER_NAMES:
        box, zoom = sb.columns([6, 1], vertical_alignment="center")
        label = f":{LAYER_SWATCH[layer]}[●] {layer_label(layer, lang)} ({int(counts.get(layer, 0))})"
        if box.checkbox(label, **on_by_default(f"layer_{layer}")):
            chosen.append(layer)
        zoom.button(
            "",
            icon=":material/fit_screen:",
            key=f"zoom_{layer}",
            help=t("zoom_layer", lang),
            type="tertiary",
            on_click=on_zoom_layer,
            args=(layer,),
        )
    circles = sb.checkbox(t("uncertainty_layer", lang), **on_by_default("show_circles"))
    counties = sb.checkbox(t("counties_layer", lang), **on_by_default("show_counties"))
    towns = sb.checkbox(t("towns_layer", lang), **on_by_default("show_towns"))
    return chosen, circles, counties, towns


def layers_as_set() -> tuple[list[str], bool, bool, bool]:
    """What ``layers_panel`` returns, read from the session without drawing the panel (the page's
    first run, ``geo.web.firstpaint``): its defaults, or what a link set."""
    ss = st.session_state
    chosen = [layer for layer in LAYER_NAMES if ss.get(f"layer_{layer}", True)]
    return (
        chosen,
        bool(ss.get("show_circles", True)),
        bool(ss.get("show_counties", True)),
        bool(ss.get("show_towns", True)),
    )


def filters_as_set() -> dict[str, Any]:
    """What ``filters_panel`` returns, read from the session without drawing the panel."""
    ss = st.session_state
    return {
        "query": ss.get("query", ""),
        **{name: list(ss.get(key) or []) for name, key in FILTER_KEYS.items()},
    }


def filters_panel(sites: pd.DataFrame, lang: Lang) -> dict[str, Any]:
    """The search box and the filters; returns ``geo.web.search.filter_sites``'s arguments."""
    sb = st.sidebar
    query = sb.text_input(t("search", lang), key="query", help=t("search_help", lang))
    sb.subheader(t("filters", lang))
    values = filter_values(sites)
    abouts = document_abouts(sites)
    every = t("all", lang)
    sb.html(style_tag(multiselect_css(lang)))
    return {
        "query": query,
        "counties": sb.multiselect(
            t("county", lang), values["counties"], key=FILTER_KEYS["counties"], placeholder=every
        ),
        "documents": sb.multiselect(
            t("document", lang),
            values["documents"],
            key=FILTER_KEYS["documents"],
            placeholder=every,
            format_func=lambda d: report_option(d, abouts.get(d, {}), lang),
        ),
        "statuses": sb.multiselect(
            t("status", lang),
            values["statuses"],
            key=FILTER_KEYS["statuses"],
            placeholder=every,
            format_func=lambda s: status_label(s, lang),
        ),
        "precisions": sb.multiselect(
            t("precision", lang),
            values["precisions"],
            key=FILTER_KEYS["precisions"],
            placeholder=every,
            format_func=lambda p: precision_label(p, lang),
        ),
    }


def approximate_panel(shown: pd.DataFrame, offsets: dict[str, tuple[float, float]], lang: Lang) -> None:
    """The sites located only approximately: the points they share, then their table."""
    approx = shown[shown["approximate"].astype(bool)]
    with st.sidebar.expander(t("approximate_list", lang, n=len(approx)), expanded=False):
        st.caption(t("approximate_note", lang))
        for stack in approximate_stacks(shown):
            if len(stack.keys) < 2:
                continue
            dist = distance_label(stack.uncertainty_m, lang) if stack.uncertainty_m is not None else "?"
            county = md_text(stack.county or t("unknown_county", lang))
            st.caption(
                t(
                    "approximate_stack",
                    lang,
                    county=county,
                    n=len(stack.keys),
                    precision=precision_label(stack.precision, lang),
                    distance=dist,
                )
            )
        if not approx.empty:
            st.dataframe(approximate_table(approx, offsets, lang), hide_index=True, key="approx_table")


def attribution_panel(layers: Layers, lang: Lang) -> None:
    """Credits owed for the location data the layers cite (GeoNames, OpenStreetMap)."""
    owed = features_attribution(f for feats in layers.features.values() for f in feats)
    if owed:
        st.sidebar.caption(precision_text("credits", lang) + " " + "; ".join(md_text(x) for x in owed))


def downloads_panel(
    layers: Layers, all_geojson: Callable[[], bytes], view: View, shown: pd.DataFrame, lang: Lang
) -> None:
    """One menu of every file (what and format) and one button; see ``geo.web.downloads``."""
    sb = st.sidebar
    sb.subheader(t("downloads", lang))
    sb.caption(t("dl_raw_note", lang))
    menu = download_menu(layers, all_geojson, view.raw_items(shown["key"]), lang)
    choice = sb.selectbox(
        t("dl_choose", lang), list(menu), key="dl_choice", format_func=lambda k: menu[k].label
    )
    item = menu[choice or next(iter(menu))]
    data = item.data() if choice == "all_geojson" else item.data  # cached bytes, sent at once
    sb.download_button(
        t("dl_button", lang, what=item.label),
        data=data,
        file_name=item.file_name,
        mime=item.mime,
        key="dl_file",
        on_click="ignore",
    )
