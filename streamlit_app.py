"""Map of urban-renewal sites named in government reports: ``streamlit run streamlit_app.py``.

Shows the built layers of ``$RENEWAL_MAP_LAYERS`` (default ``layers/``) and downloads them as
built. Reports can be uploaded and read with the build's own pipeline (shown for the session;
written into ``$RENEWAL_MAP_DATA/sources`` only with "Save into the project"), and a site can be
placed by hand (written into the placements file the build reads, ``geo.project.placement``). Works
offline: Leaflet is served by the app and the default base map has no tiles.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
import streamlit as st
from shapely.geometry import shape
from streamlit_folium import st_folium

from geo.web import access, export, urlstate
from geo.web.assets import register_assets
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
from geo.web.layers_io import (
    LAYER_NAMES,
    PRECISIONS,
    STATUSES,
    Feature,
    Layers,
    county_outlines,
    folder_stamp,
    read_layers,
    sites_frame,
)
from geo.web.mapview import (
    BASEMAPS,
    FLAG_PLACED,
    FLAG_UNPLACED,
    Shown,
    base_map,
    data_bounds,
    display_feature,
    display_transform,
    from_display,
    shared_spots,
    site_groups,
)
from geo.web.pending import Choice, Waiting, choose_county, waiting_reports
from geo.web.popup import POPUP_CSS, isolate, md_text, popup_html
from geo.web.precision import text as precision_text
from geo.web.project import Project, current_project, file_stamp, rebuild
from geo.web.search import filter_sites
from geo.web.service import GeoError, features_attribution
from geo.web.tables import approximate_table, site_table, tags_of
from geo.web.view import (
    ORIGIN_BUILT,
    ORIGIN_UPLOAD,
    View,
    approximate_line,
    approximate_stacks,
    build_view,
    centre_request,
    filter_signature,
    fit_request,
    point_rows,
)

MAP_HEIGHT = 620
MAX_PLACE_OPTIONS = 2000
Stamp = tuple[tuple[str, int, int], ...]
# Markdown colour of each layer's swatch in the sidebar (the map's colours, as near as Streamlit has).
LAYER_SWATCH = {"renewal": "red", "parks": "green", "roads": "orange", "scenic": "blue"}
UPLOAD_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]


# ---- cached data -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def load(folder: str, stamp: Stamp) -> tuple[Layers, pd.DataFrame, dict[str, tuple[float, float]]]:
    """Layers, the sites table and the sites sharing a spot; ``stamp`` re-reads the files when rebuilt."""
    layers = read_layers(folder)
    sites = sites_frame(layers)
    return layers, sites, shared_spots(point_rows(sites))


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


@st.cache_data(show_spinner=False)
def fingerprints_of(sources: str, stamp: Stamp) -> dict[str, Any]:
    from geo.web.duplicates import project_fingerprints

    return project_fingerprints(Path(sources))


def known_reports(project: Project) -> dict[str, Any]:
    """Fingerprints of the project's reports (re-read when one is added or changed)."""
    from geo.web.duplicates import sources_stamp

    return fingerprints_of(str(project.sources), sources_stamp(project.sources))


@st.cache_data(show_spinner=False)
def placements_of(path: str, stamp: tuple[int, int] | None) -> Any:
    """The placements file as ``geo.locate.overrides.Overrides`` (re-read when it changes)."""
    from geo.web.service import Overrides, list_placements

    return Overrides(list_placements(Path(path)), Path(path)) if stamp is not None else None


# ---- session state ---------------------------------------------------------------------------


@dataclass
class Upload:
    """One uploaded file and what the build's pipeline made of it (or why it was refused)."""

    name: str
    data: bytes
    county: str | None
    features: list[Feature] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doc_county: str = ""
    error: str | None = None  # why it was refused, as markdown text (see ``error_text``)
    fingerprint: Any = None  # geo.web.duplicates.Fingerprint
    duplicate: Any = None  # geo.web.duplicates.Duplicate: a known report, not read again


def url_options(sites: pd.DataFrame) -> urlstate.Options:
    """What a link may ask for: the app's languages, base maps and layers, the sites' values."""
    return urlstate.Options(
        LANGS, BASEMAPS, LAYER_NAMES,
        {"county": set(sites["county"]), "doc": {d for ds in sites["documents"] for d in ds},
         "status": STATUSES, "precision": PRECISIONS},
    )


def uploads() -> dict[str, Upload]:
    return st.session_state.setdefault("uploads", {})


def flash(kind: str, text: str) -> None:
    """A message shown once on the next run (``text`` is markdown; escape what it quotes)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def show_flashes(where: Any) -> None:
    for kind, text in st.session_state.pop("flash", []):
        getattr(where, kind)(text)


def bump_view() -> None:
    """A new request to centre the map (see ``view_request``)."""
    st.session_state["view_seq"] = st.session_state.get("view_seq", 0) + 1


def on_table_select(table_key: str) -> None:
    """A row was chosen (or unchosen) in the sites table: a chosen row is a new request to centre."""
    selected = st.session_state.get(table_key)
    if selected and selected["selection"]["rows"]:
        st.session_state["view_src"] = "table"
        bump_view()


def on_place_site() -> None:
    st.session_state["view_src"] = "place"
    st.session_state["place_lat"] = None
    st.session_state["place_lon"] = None
    bump_view()


def on_map_change() -> None:
    """A click on the map while a site is being placed fills its coordinates (WGS-84)."""
    out = st.session_state.get("map") or {}
    clicked = out.get("last_clicked")
    if not clicked or clicked == st.session_state.get("_click_seen"):
        return
    st.session_state["_click_seen"] = clicked
    if st.session_state.get("place_site"):
        take_click(clicked, st.session_state.get("basemap", "none"))


def take_click(clicked: dict[str, Any], basemap: str) -> None:
    """Put a map click ({lat, lng} as shown) into the placement form as WGS-84."""
    try:
        lon, lat = from_display(basemap, float(clicked["lng"]), float(clicked["lat"]))
    except (KeyError, TypeError, ValueError):
        return
    st.session_state["place_lat"] = round(lat, 6)
    st.session_state["place_lon"] = round(lon, 6)


# ---- helpers ---------------------------------------------------------------------------------


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


def view_request(
    row: pd.Series, offsets: dict[str, tuple[float, float]], basemap: str, seq: int
) -> tuple[tuple[float, float], float]:
    """(centre, zoom) that show ``row`` where its marker is drawn (see ``centre_request``)."""
    lat, lon = display_point(row, offsets, basemap)
    return centre_request(lat, lon, row["uncertainty_m"], seq)


def map_view(
    view: View,
    shown: pd.DataFrame,
    offsets: dict[str, tuple[float, float]],
    basemap: str,
    table_key: str,
    placing: str | None,
) -> tuple[tuple[float, float] | None, float | None]:
    """(centre, zoom) to send to the map, or (None, None) to leave the view to the user.

    The latest request wins (``view_src``): a site chosen for placing, newly read uploads, a
    filter changed (the view fits what it shows), or a row chosen in the table; without one, the
    row still chosen, else the site being placed.
    """
    seq = int(st.session_state.get("view_seq", 0))
    src = st.session_state.get("view_src")
    selected = st.session_state.get(table_key)
    rows = list(selected["selection"]["rows"]) if selected else []
    if src == "url" and st.session_state.get("url_view"):
        lat, lon, zoom = st.session_state["url_view"]
        lon, lat = display_transform(basemap)(lon, lat)
        return (lat, lon), zoom
    fit = {"upload": view.sites[view.sites["origin"] == ORIGIN_UPLOAD], "filter": shown}.get(src)
    if fit is not None and not fit.empty:
        request = fit_request(fit, seq, view.items, display_transform(basemap))
        if request is not None:
            return request
    target: pd.Series | None = None
    if placing is not None and src == "place":
        target = view.sites[view.sites["key"] == placing].iloc[0]
    elif rows and rows[0] < len(shown):
        target = shown.iloc[rows[0]]
    elif placing is not None:
        target = view.sites[view.sites["key"] == placing].iloc[0]
    if target is None or pd.isna(target["lon"]) or pd.isna(target["lat"]):
        return None, None
    return view_request(target, offsets, basemap, seq)


def clicked_site(
    clicked: dict[str, Any] | None,
    tooltip: str | None,
    shown: pd.DataFrame,
    view: View,
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
    for key in candidates["key"]:
        geom = display_feature(key, view.items[key].shown, offsets.get(key), fn)
        if geom is None:
            continue
        d = shape(geom).distance(pt)
        if d < best_d:
            best, best_d = key, d
    return best


def error_text(error: BaseException) -> str:
    """An error as markdown text; the file or site it names is escaped and isolated on its own."""
    name, reason = getattr(error, "name", None), getattr(error, "reason", None)
    if isinstance(name, str) and isinstance(reason, str):
        return f"{md_text(name)}\\: {md_text(reason)}"
    return md_text(str(error) or type(error).__name__)


# ---- sidebar ---------------------------------------------------------------------------------


def on_by_default(key: str) -> dict[str, Any]:
    """A checkbox on by default, unless a link already set it (a default beside a value set
    through the session would make Streamlit warn)."""
    return {"key": key} if key in st.session_state else {"key": key, "value": True}


def sidebar_layers(view: View, lang: Lang) -> tuple[list[str], bool, bool]:
    """Which layers, and whether the uncertainty circles and county outlines, are shown.

    Kept in the session (not in the map's own layer control, which streamlit-folium redraws
    with every layer on whenever the groups change), so a layer switched off stays off.
    """
    sb = st.sidebar
    sb.subheader(t("layers", lang))
    counts = view.sites["layer"].value_counts()
    chosen = [
        layer
        for layer in LAYER_NAMES
        if sb.checkbox(
            f":{LAYER_SWATCH[layer]}[●] {layer_label(layer, lang)} ({int(counts.get(layer, 0))})",
            **on_by_default(f"layer_{layer}"),
        )
    ]
    circles = sb.checkbox(t("uncertainty_layer", lang), **on_by_default("show_circles"))
    counties = sb.checkbox(t("counties_layer", lang), **on_by_default("show_counties"))
    return chosen, circles, counties


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


def sidebar_approximate(shown: pd.DataFrame, offsets: dict[str, tuple[float, float]], lang: Lang) -> None:
    approx = shown[shown["approximate"].astype(bool)]
    with st.sidebar.expander(t("approximate_list", lang, n=len(approx)), expanded=False):
        st.caption(t("approximate_note", lang))
        for stack in approximate_stacks(shown):
            if len(stack.keys) < 2:
                continue
            dist = distance_label(stack.uncertainty_m, lang) if stack.uncertainty_m is not None else "?"
            st.caption(
                t(
                    "approximate_stack",
                    lang,
                    county=md_text(stack.county or t("unknown_county", lang)),
                    n=len(stack.keys),
                    precision=precision_label(stack.precision, lang),
                    distance=dist,
                )
            )
        if not approx.empty:
            st.dataframe(
                approximate_table(approx, offsets, lang),
                hide_index=True,
                key="approx_table",
            )


def sidebar_attribution(layers: Layers, lang: Lang) -> None:
    """Credits owed for the location data the layers cite (GeoNames, OpenStreetMap)."""
    owed = features_attribution(f for feats in layers.features.values() for f in feats)
    if owed:
        st.sidebar.caption(precision_text("credits", lang) + " " + "; ".join(md_text(x) for x in owed))


def sidebar_downloads(
    layers: Layers, folder: str, stamp: Stamp, view: View, shown: pd.DataFrame, lang: Lang
) -> None:
    """One menu of every file (what and format) and one button; see ``geo.web.downloads``."""
    sb = st.sidebar
    sb.subheader(t("downloads", lang))
    sb.caption(t("dl_raw_note", lang))
    menu = download_menu(
        layers, lambda: all_layers_geojson(folder, stamp), view.raw_items(shown["key"]), lang
    )
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


# ---- uploads ---------------------------------------------------------------------------------


def upload_key() -> str:
    """The uploader's widget key: a new one (an empty uploader) after the uploads were saved."""
    return f"upload_files_{st.session_state.get('upload_round', 0)}"


def read_uploads(files: list[Any], county: str | None, project: Project, lang: Lang) -> None:
    """Run the build's pipeline on every file not read yet; forget files taken out of the uploader."""
    from geo.web.duplicates import find_duplicate, upload_fingerprint
    from geo.web.service import Resolver, process_upload

    state = uploads()
    wanted: dict[str, Any] = {}
    for f in files:
        data = f.getvalue()
        sig = hashlib.sha1(data).hexdigest() + "|" + f.name + "|" + (county or "")
        while sig in wanted:  # the same file twice: the second is a duplicate of the first
            sig += "+"
        wanted[sig] = (f.name, data)
    for sig in [s for s in state if s not in wanted]:
        del state[sig]
    new = [(sig, name, data) for sig, (name, data) in wanted.items() if sig not in state]
    if not new:
        return
    resolver = Resolver(overrides_path=project.overrides)
    with st.status(t("upload_running", lang, name=md_text(new[0][1])), expanded=False) as status:
        bar = st.progress(0.0)
        for i, (sig, name, data) in enumerate(new):
            status.update(label=t("upload_running", lang, name=md_text(name)))
            entry = Upload(name=name, data=data, county=county, fingerprint=upload_fingerprint(name, data))
            earlier = [(e.name, e.fingerprint) for e in state.values() if e.features and e.fingerprint]
            entry.duplicate = find_duplicate(entry.fingerprint, known_reports(project), earlier)
            if entry.duplicate is not None:
                state[sig] = entry
                continue
            try:
                result = process_upload(name, data, county=county, resolver=resolver)
            except GeoError as error:
                entry.error = error_text(error)
            except Exception as error:  # an unreadable upload must not stop the app; say why
                entry.error = f"{md_text(name)}\\: {md_text(f'{type(error).__name__}: {error}')}"
            else:
                entry.features = [dict(f) for f in result.features]
                entry.warnings = list(result.warnings)
                entry.doc_county = str(getattr(result.document, "county", "") or "")
            state[sig] = entry
            bar.progress((i + 1) / len(new))
        status.update(label=t("upload_read", lang, n=len(new)), state="complete")
    if any(state[sig].features for sig, _, _ in new):
        st.session_state["view_src"] = "upload"  # show the new sites, wherever they are
        bump_view()


def save_uploads(project: Project, lang: Lang) -> None:
    """Save every upload that was read into the project (one rebuild each); the button's callback."""
    from geo.web.service import save_upload

    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    state = uploads()
    failed = False
    for sig, entry in list(state.items()):
        if entry.error is not None or entry.duplicate is not None:
            continue
        try:
            saved = save_upload(
                entry.name,
                entry.data,
                sources_dir=project.sources,
                layers_dir=project.layers,
                county=entry.county,
                overrides_path=project.overrides,
            )
        except GeoError as error:
            failed = True
            flash("error", t("upload_not_saved", lang, error=error_text(error)))
            continue
        del state[sig]
        n = sum(saved.counts.values())
        flash("success", t("upload_saved", lang, name=md_text(entry.name), n=n))
        for w in saved.warnings:
            flash("warning", md_text(w))
    load.clear()
    all_layers_geojson.clear()
    bounds_of.clear()
    if not failed:
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        state.clear()


def upload_panel(project: Project, lang: Lang) -> list[Feature]:
    """The upload section; returns the features of every upload that was read."""
    from geo.web.service import MAX_UPLOAD_BYTES, format_size

    state = uploads()
    with st.expander(t("upload_title", lang), expanded=bool(state)):
        st.caption(t("upload_limit", lang, size=format_size(MAX_UPLOAD_BYTES)))
        files = st.file_uploader(
            t("upload_files", lang),
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=upload_key(),
            max_upload_size=max(1, math.ceil(MAX_UPLOAD_BYTES / (1024 * 1024))),
        )
        county = st.text_input(
            t("upload_county", lang), key="upload_county", help=t("upload_county_help", lang)
        ).strip()
        read_uploads(list(files or []), county or None, project, lang)
        ok = [e for e in state.values() if e.error is None and e.duplicate is None]
        for entry in state.values():
            if entry.error is not None:
                st.error(t("upload_refused", lang, error=entry.error))
                continue
            if entry.duplicate is not None:
                where = "upload_dup_" + entry.duplicate.where
                st.warning(t(where, lang, name=md_text(entry.name), existing=md_text(entry.duplicate.name)))
                continue
            st.success(
                t(
                    "upload_done",
                    lang,
                    name=md_text(entry.name),
                    n=len(entry.features),
                    county=md_text(entry.doc_county or "?"),
                )
            )
            for w in entry.warnings:
                st.warning(md_text(w))
        if ok:
            features = [f for e in ok for f in e.features]
            cols = st.columns(2)
            cols[0].download_button(
                t("dl_upload", lang),
                data=export.feature_collection_bytes(features),
                file_name="sites-uploaded.geojson",
                mime=export.MIME["geojson"],
                key="dl_upload",
                on_click="ignore",
            )
            if access.can_write():  # read-only: the upload is shown, never saved
                cols[1].button(
                    t("upload_save", lang),
                    key="upload_save",
                    type="primary",
                    help=t("upload_save_help", lang, folder=str(project.sources)),
                    on_click=save_uploads,
                    args=(project, lang),
                )
    return [f for e in state.values() if e.error is None for f in e.features]


# ---- placing a site by hand ------------------------------------------------------------------


def place(project: Project, site: dict[str, str], lang: Lang) -> None:
    """Save the placement in the form (the button's callback)."""
    from shapely.geometry import Point

    from geo.web.service import place_site

    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    lat, lon = st.session_state.get("place_lat"), st.session_state.get("place_lon")
    note = (st.session_state.get("place_note") or "").strip()
    who = (st.session_state.get("place_who") or "").strip()
    if lat is None or lon is None:
        flash("error", t("place_need_point", lang))
        return
    if not note or not who:
        flash("error", t("place_need_note", lang))
        return
    try:
        place_site(
            site_id=site["id"] or None,
            name=site["name"],
            county=site["county"],
            geometry=Point(float(lon), float(lat)),
            note=note,
            who=who,
            path=project.overrides,
        )
    except GeoError as error:
        flash("error", t("place_refused", lang, error=error_text(error)))
        return
    placements_of.clear()
    flash("success", t("place_saved", lang, name=md_text(site["name"]), lat=f"{lat:.6f}", lon=f"{lon:.6f}"))
    st.session_state["place_lat"] = None
    st.session_state["place_lon"] = None


def unplace(project: Project, site: dict[str, str], lang: Lang) -> None:
    """Undo the site's last placement (the button's callback)."""
    from geo.web.service import undo_last

    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    try:
        done = undo_last(
            site_id=site["id"] or None, name=site["name"], county=site["county"], path=project.overrides
        )
    except GeoError as error:
        flash("error", t("place_refused", lang, error=error_text(error)))
        return
    placements_of.clear()
    key = "place_undone" if done else "place_nothing"
    flash("success" if done else "info", t(key, lang, name=md_text(site["name"])))


def run_rebuild(project: Project, lang: Lang) -> None:
    """Rebuild the layers from the project's reports and placements (the button's callback)."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    with st.spinner(t("rebuild_running", lang)):
        run = rebuild(project)
    load.clear()
    all_layers_geojson.clear()
    bounds_of.clear()
    if run.ok:
        flash("success", t("rebuild_done", lang))
    else:
        flash("error", t("rebuild_failed", lang, log=md_text(run.log.strip()[-2000:])))


def pending_panel(project: Project, lang: Lang) -> None:
    """Reports waiting for a county, their guesses as buttons (geo.web.pending holds the logic)."""
    waiting = waiting_reports(project.layers)
    if waiting:
        with st.expander(t("pending_title", lang, n=len(waiting)), expanded=True):
            for i, item in enumerate(waiting):
                st.markdown(t("pending_report", lang, file=md_text(item.file), sites=item.sites))
                if not access.can_write():  # read-only: the guesses are shown, not chosen
                    st.caption(", ".join(c.label for c in item.choices))
                    continue
                for j, c in enumerate(item.choices):
                    label = t("pending_choice", lang, county=c.label, score=f"{c.score:.1f}")
                    st.button(label, key=f"pending_{i}_{j}", on_click=on_choose_county,
                              args=(project, item, c, lang))


def on_choose_county(project: Project, item: Waiting, choice: Choice, lang: Lang) -> None:
    """One choice: the manifest gets the county, then the layers are rebuilt."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    try:
        choose_county(project.sources, item, choice.county)
    except GeoError as error:
        flash("error", t("pending_refused", lang, error=error_text(error)))
        return
    run_rebuild(project, lang)
    flash("success", t("pending_placed", lang, file=md_text(item.file), county=md_text(choice.label)))
def geocoder_panel(project: Project, lang: Lang) -> None:
    """Online geocoding with the user's own key: provider, key (session or local file), run.

    Writes the project's layers (a rebuild): to be shown only where writing is allowed.
    """
    from geo.web import online
    from geo.web.online import forget_key, save_key, saved_key
    from geo.web.service import GeocoderConfigError

    with st.sidebar.expander(t("online_title", lang), expanded=False):
        st.caption(t("online_note", lang))
        saved = saved_key()
        if saved is not None and "geocoder_key" not in st.session_state:
            st.session_state["geocoder_provider"], st.session_state["geocoder_key"] = saved
        provider = st.selectbox(
            t("online_provider", lang), online.providers(), key="geocoder_provider",
            format_func=lambda p: online.provider_name(p, lang),
        )
        key = st.text_input(t("online_key", lang), type="password", key="geocoder_key")
        remember = st.checkbox(
            t("online_remember", lang), value=saved is not None, key="geocoder_remember"
        )
        if saved is not None:
            st.button(t("online_forget", lang), key="geocoder_forget", on_click=forget_key)
        if st.button(t("online_run", lang), key="geocoder_run"):
            if not access.can_write():
                st.error(t("access_denied", lang))
                return
            if not key.strip():
                st.warning(t("online_no_key", lang))
                return
            try:
                if remember:
                    save_key(provider, key)
                with st.spinner(t("online_running", lang)):
                    run = online.run_geocoding(project, provider, key)
            except GeocoderConfigError as error:
                st.error(t("online_failed", lang).format(log=md_text(str(error))))
                return
            load.clear()
            all_layers_geojson.clear()
            bounds_of.clear()
            if run.ok:
                flash("success", t("online_done", lang))
                st.rerun()
            else:
                st.error(t("online_failed", lang).format(log=md_text(run.log.strip()[-2000:])))


def place_options(view: View, shown: pd.DataFrame) -> list[str]:
    """Keys of the shown sites of the project that can be placed: approximately located first."""
    built = shown[shown["origin"] == ORIGIN_BUILT]
    ordered = built.sort_values(
        ["approximate", "county", "name"], ascending=[False, True, True], kind="stable"
    )
    keys = list(ordered["key"])
    chosen = st.session_state.get("place_site")
    if chosen in view.items and chosen not in keys:
        keys.insert(0, chosen)  # stays listed when a filter hides it
    return keys


def place_panel(project: Project, view: View, shown: pd.DataFrame, lang: Lang) -> str | None:
    """The placement section; returns the key of the site being placed, if any."""
    rows = view.sites.set_index("key", drop=False)
    pending = int(((view.sites["flags"] & (FLAG_PLACED | FLAG_UNPLACED)) > 0).sum())
    with st.expander(
        t("place_title", lang), expanded=bool(st.session_state.get("place_site")) or pending > 0
    ):
        options = place_options(view, shown)
        if len(options) > MAX_PLACE_OPTIONS:
            st.caption(t("place_more", lang, n=MAX_PLACE_OPTIONS))
            options = options[:MAX_PLACE_OPTIONS]
        if st.session_state.get("place_site") not in [None, *options]:
            st.session_state["place_site"] = None

        # Streamlit keeps a selectbox's choice by its label, so a label must not change when the
        # site is placed or the layers rebuilt: name, county and layer (a site's identity) only.
        def label(key: str | None) -> str:
            if key is None:
                return t("place_choose", lang)
            r = rows.loc[key]
            return f"{isolate(r['name'])} · {isolate(r['county'])} · {layer_label(r['layer'], lang)}"

        key = st.selectbox(
            t("place_site", lang),
            [None, *options],
            format_func=label,
            key="place_site",
            on_change=on_place_site,
            placeholder=t("place_choose", lang),
        )
        if key is not None:
            r = rows.loc[key]
            site = {"id": str(r["id"]), "name": str(r["name"]), "county": str(r["county"])}
            st.caption(t("place_help", lang))
            st.caption(
                t(
                    "place_now",
                    lang,
                    precision=precision_label(str(r["precision"]), lang),
                    source=md_text(r["location_source"] or "?"),
                )
            )
            c1, c2 = st.columns(2)
            c1.number_input(
                t("place_lat", lang),
                key="place_lat",
                value=None,
                format="%.6f",
                min_value=-90.0,
                max_value=90.0,
            )
            c2.number_input(
                t("place_lon", lang),
                key="place_lon",
                value=None,
                format="%.6f",
                min_value=-180.0,
                max_value=180.0,
            )
            c1.text_input(t("place_note", lang), key="place_note")
            c2.text_input(t("place_who", lang), key="place_who")
            c1.button(
                t("place_save", lang),
                key="place_save",
                type="primary",
                on_click=place,
                args=(project, site, lang),
            )
            c2.button(t("place_undo", lang), key="place_undo", on_click=unplace, args=(project, site, lang))
        if pending:
            st.info(t("place_pending", lang, n=pending))
        st.button(
            t("rebuild", lang),
            key="rebuild",
            help=t("rebuild_help", lang, sources=str(project.sources), layers=str(project.layers)),
            on_click=run_rebuild,
            args=(project, lang),
        )
    return key


# ---- page ------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="城市更新项目地图 · Urban renewal map", page_icon="🗺️", layout="wide")
    register_assets()
    project = current_project()
    folder = str(project.layers)
    stamp = folder_stamp(folder)
    layers, sites, built_offsets = load(folder, stamp)
    options = url_options(sites)
    fit_now = urlstate.read_once(st.session_state, st.query_params, options)
    lang: Lang = st.sidebar.radio(
        t("language", "zh"), LANGS, format_func=LANG_NAMES.__getitem__, horizontal=True, key="lang"
    )
    basemap: str = st.sidebar.radio(
        t("basemap", lang), BASEMAPS, key="basemap", format_func=lambda b: t(f"basemap_{b}", lang)
    )
    if basemap == "gaode":
        st.sidebar.caption(t("gaode_note", lang))
    writable = access.gate(lang)  # save, place, rebuild and keys only where the deployer allows

    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    show_flashes(st)
    for name, error in layers.errors.items():
        st.warning(t("bad_layer", lang, name=name, error=md_text(error)))
    if not layers.raw:
        st.info(t("no_layers", lang, folder=md_text(folder)))

    pending_panel(project, lang)
    uploaded = upload_panel(project, lang)
    try:
        placements = placements_of(str(project.overrides), file_stamp(project.overrides))
    except GeoError as error:
        st.error(t("placements_unreadable", lang, error=error_text(error)))
        placements = None
    view = build_view(layers, sites, uploaded, placements)
    changed = bool(uploaded) or bool((view.sites["flags"] & FLAG_PLACED).any())
    offsets = shared_spots(point_rows(view.sites)) if changed else built_offsets

    chosen_layers, circles, show_counties = sidebar_layers(view, lang)
    filters = sidebar_filters(view.sites, lang)
    shown = filter_sites(view.sites, **filters, layers=chosen_layers)
    signature = filter_signature(filters)
    if fit_now or st.session_state.setdefault("filter_sig", signature) != signature:  # fit to the filter
        st.session_state["filter_sig"], st.session_state["view_src"] = signature, "filter"
        bump_view()
    sidebar_approximate(shown, offsets, lang)
    sidebar_downloads(layers, folder, stamp, view, shown, lang)
    sidebar_attribution(layers, lang)
    if writable:  # a geocoding run rewrites the layers
        geocoder_panel(project, lang)

    placing = place_panel(project, view, shown, lang) if writable else None
    st.markdown(t("shown", lang, n=len(shown), total=len(view.sites)))
    st.info(approximate_line(shown, lang))

    # The table is drawn below the map, but the row chosen in it (kept in the session state since
    # the click) is read first so that the map can be centred on it.
    table_key = "table_" + hashlib.sha1("\n".join(shown["key"]).encode()).hexdigest()[:12]
    center, zoom = map_view(view, shown, offsets, basemap, table_key, placing)
    if center is not None and zoom is not None:  # the view a link to this map opens with
        lon, lat = from_display(basemap, center[1], center[0])
        st.session_state["url_view"] = (lat, lon, zoom)
    urlstate.write(st.session_state, st.query_params, options)

    by_layer: dict[str, list[Shown]] = {layer: [] for layer in chosen_layers}
    for key, layer, origin, flags in zip(
        shown["key"], shown["layer"], shown["origin"], shown["flags"], strict=True
    ):
        by_layer[layer].append(Shown(key, view.items[key].shown, origin == ORIGIN_UPLOAD, int(flags)))
    anchors = {
        k: (lon, lat)
        for k, lon, lat in zip(shown["key"], shown["lon"], shown["lat"], strict=True)
        if not (pd.isna(lon) or pd.isna(lat))
    }
    counties = tuple(sorted(c for c in view.sites["county"].unique() if c))
    pin = None
    if placing is not None:
        lat, lon = st.session_state.get("place_lat"), st.session_state.get("place_lon")
        if lat is not None and lon is not None:
            pin = (float(lon), float(lat), t("place_pin", lang))
    groups = site_groups(
        by_layer,
        None,
        offsets,
        anchors,
        basemap,
        lang,
        counties=outlines(counties) if show_counties else None,
        circles=circles,
        pin=pin,
    )
    out = st_folium(
        base_map(bounds_of(folder, stamp), lang, n_sites=len(sites)),
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        feature_group_to_add=groups,
        returned_objects=["last_clicked", "last_object_clicked", "last_object_clicked_tooltip"],
        center=center,
        zoom=zoom,  # type: ignore[arg-type]  # fractional: see CENTRE_NUDGE
        on_change=on_map_change,
    )

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

    out = out or {}
    key = clicked_site(
        out.get("last_object_clicked"),
        out.get("last_object_clicked_tooltip"),
        shown,
        view,
        offsets,
        basemap,
    )
    if key is not None:
        item = view.items[key]
        row = shown[shown["key"] == key].iloc[0]
        st.subheader(t("selected_site", lang))
        # The same escaped HTML as the map popup (st.html sanitises it again).
        tags = tags_of(int(row["flags"]), str(row["origin"]), lang)
        st.html(f"<style>{POPUP_CSS}</style>" + popup_html(item.shown["properties"], item.layer, lang, tags))


main()
