"""Map of urban-renewal sites named in government reports: ``streamlit run streamlit_app.py``.

Shows the built layers of ``$RENEWAL_MAP_LAYERS`` (default ``layers/``) and downloads them as
built. Reports can be uploaded and read with the build's own pipeline (shown for the session;
written into ``$RENEWAL_MAP_DATA/sources`` only with "Save into the project"), and a site can be
placed by hand (written into the placements file the build reads, ``geo.project.placement``). Works
offline: Leaflet is served by the app and the default base map has no tiles.

This page only lays out the panels of ``geo.web.panels`` and calls the functions of ``geo.web``.
"""

from __future__ import annotations

import functools
import hashlib

import pandas as pd
import streamlit as st

from geo.web import access, cache, firstpaint, tianditu, urlstate
from geo.web.assets import register_assets
from geo.web.centring import Centre, ViewRequest, choose_view, chosen_key
from geo.web.choices import url_options
from geo.web.display import from_display, shared_spots
from geo.web.flags import FLAG_PLACED
from geo.web.i18n import Lang, t
from geo.web.layers_io import Layers, folder_stamp
from geo.web.mapview import BASEMAPS, base_map
from geo.web.notices import error_text
from geo.web.panels import sidebar
from geo.web.panels.geocoder import geocoder_panel
from geo.web.panels.mapframe import MapInput, draw_map, selected_site
from geo.web.panels.pending import pending_panel
from geo.web.panels.place import place_panel
from geo.web.panels.upload import upload_panel
from geo.web.popup import md_text
from geo.web.project import file_stamp
from geo.web.search import filter_sites
from geo.web.service import GeoError, Project
from geo.web.state import bump_view, on_table_select, show_flashes, table_rows
from geo.web.tables import site_table
from geo.web.view import View, approximate_line, build_view, filter_signature, point_rows


def header(layers: Layers, folder: str, lang: Lang) -> None:
    """Title, the messages of the last action, and what is wrong with the layers."""
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    show_flashes(st)
    for name, error in layers.errors.items():
        st.warning(t("bad_layer", lang, name=name, error=md_text(error)))
    if not layers.raw:
        st.info(t("no_layers", lang, folder=md_text(folder)))


def placements(project: Project, lang: Lang) -> object:
    """The project's placements, or None (with an error shown) when the file cannot be read."""
    try:
        return cache.placements_of(project, file_stamp(project.overrides))
    except GeoError as error:
        st.error(t("placements_unreadable", lang, error=error_text(error)))
        return None


def fit_on_filter_change(filters: dict[str, object], fit_now: bool) -> None:
    """A changed filter (or a link with filters but no view) is a request to fit the view to it."""
    signature = filter_signature(filters)
    if fit_now or st.session_state.setdefault("filter_sig", signature) != signature:
        st.session_state["filter_sig"] = signature
        bump_view("filter")


def centre_of(m: MapInput, table_key: str, placing: str | None) -> Centre:
    """Where the map is sent on this run; kept (WGS-84) as the view a link to this map opens with."""
    ss = st.session_state
    request = ViewRequest(
        ss.get("view_src"), int(ss.get("view_seq", 0)), ss.get("url_view"), table_rows(table_key)
    )
    centre, zoom = choose_view(request, m.view, m.shown, m.offsets, m.basemap, placing)
    if centre is not None and zoom is not None:
        lon, lat = from_display(m.basemap, centre[1], centre[0])
        ss["url_view"] = (lat, lon, zoom)
    return centre, zoom


def sites_table(shown: pd.DataFrame, table_key: str, lang: Lang) -> None:
    """The shown sites as a table; choosing a row centres the map on it."""
    st.subheader(t("table", lang))
    st.caption(t("table_help", lang))
    st.dataframe(
        site_table(shown, lang),
        key=table_key,
        on_select=functools.partial(on_table_select, table_key),
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
    )


def current_view(
    project: Project, layers: Layers, sites: pd.DataFrame, built_offsets: dict, lang: Lang, full: bool
) -> tuple[View, dict]:
    """The built layers with this session's uploads and the placements not yet built (the upload
    panel drawn only on a full run: a session's first run has no uploads yet)."""
    uploaded = upload_panel(project, lang) if full else []
    view = build_view(layers, sites, uploaded, placements(project, lang))
    changed = bool(uploaded) or bool((view.sites["flags"] & FLAG_PLACED).any())
    return view, shared_spots(point_rows(view.sites)) if changed else built_offsets


def main() -> None:
    st.set_page_config(page_title="城市更新项目地图 · Urban renewal map", page_icon="🗺️", layout="wide")
    register_assets()
    project = Project.from_environment()
    folder = str(project.layers)
    stamp = folder_stamp(folder)
    layers, sites, built_offsets = cache.load(folder, stamp)
    basemaps = tianditu.offered(BASEMAPS, tianditu.configured_key())  # Tianditu only with a key
    options = url_options(sites, basemaps)
    fit_now = urlstate.read_once(st.session_state, st.query_params, options)
    # A browser session's first run draws the map and little else; the map's first drawing
    # starts the run that draws the rest (geo.web.firstpaint). The containers hold the places of
    # the panels above the map in both runs, so that the map stays the same element.
    full = not firstpaint.waiting()
    if full:
        lang, basemap = sidebar.language_and_basemap(basemaps)
    else:
        lang, basemap = sidebar.language_and_basemap_as_set(basemaps)
    writable = access.gate(lang) if full else False  # save, place, rebuild only where allowed

    header(layers, folder, lang)
    with st.container():
        if full:
            pending_panel(project, lang)
        view, offsets = current_view(project, layers, sites, built_offsets, lang, full)

    if full:
        chosen_layers, circles, show_counties, show_towns = sidebar.layers_panel(view, lang)
        filters = sidebar.filters_panel(view.sites, lang)
    else:
        chosen_layers, circles, show_counties, show_towns = sidebar.layers_as_set()
        filters = sidebar.filters_as_set()
    shown = filter_sites(view.sites, **filters, layers=chosen_layers)
    fit_on_filter_change(filters, fit_now)
    if full:
        sidebar.approximate_panel(shown, offsets, lang)
        sidebar.downloads_panel(layers, lambda: cache.all_layers_geojson(folder, stamp), view, shown, lang)
        sidebar.attribution_panel(layers, lang)
    if writable:  # a geocoding run rewrites the layers
        geocoder_panel(project, lang)

    with st.container():
        placing = place_panel(project, view, shown, lang) if writable else None
    st.markdown(t("shown", lang, n=len(shown), total=len(view.sites)))
    st.info(approximate_line(shown, lang))

    # The table is drawn below the map, but the row chosen in it (kept in the session state since
    # the click) is read first so that the map can be centred on it.
    table_key = "table_" + hashlib.sha1("\n".join(shown["key"]).encode()).hexdigest()[:12]
    chosen = chosen_key(table_rows(table_key), shown)
    m = MapInput(view, shown, offsets, basemap, chosen_layers, circles, show_counties, chosen, show_towns)
    centre = centre_of(m, table_key, placing)
    urlstate.write(st.session_state, st.query_params, options)
    base = base_map(cache.bounds_of(folder, stamp), lang, n_sites=len(sites))
    out = draw_map(base, m, placing, centre, lang, wait=not full)
    if full:
        sites_table(shown, table_key, lang)
        selected_site(out, m, lang)


main()
