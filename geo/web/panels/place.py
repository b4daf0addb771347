"""The placement section: choose a site, give its point (typed or clicked on the map), its source
and author, save or undo; then rebuild. The logic is ``geo.web.placing``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.web import access, placing
from geo.web.basis import location_text
from geo.web.cache import placements_of
from geo.web.i18n import Lang, precision_label, t
from geo.web.panels.rebuild import rebuild_button
from geo.web.placing import MAX_PLACE_OPTIONS, Outcome
from geo.web.popup import md_text
from geo.web.service import Project
from geo.web.state import flash, on_place_site
from geo.web.view import View


def _done(outcome: Outcome, lang: Lang) -> None:
    """Show the outcome on the next run; a written placements file is read again."""
    flash(outcome.kind, outcome.text(lang))
    if outcome.ok:
        placements_of.clear()


def place(project: Project, site: dict[str, str], lang: Lang) -> None:
    """Save the placement in the form (the button's callback)."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    ss = st.session_state
    outcome = placing.save_placement(
        project,
        site,
        ss.get("place_lat"),
        ss.get("place_lon"),
        ss.get("place_note") or "",
        ss.get("place_who") or "",
    )
    _done(outcome, lang)
    if outcome.ok:
        ss["place_lat"], ss["place_lon"] = None, None


def unplace(project: Project, site: dict[str, str], lang: Lang) -> None:
    """Undo the site's last placement (the button's callback)."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    _done(placing.undo_placement(project, site), lang)


def choose_site(view: View, shown: pd.DataFrame, lang: Lang) -> str | None:
    """The chooser of the site to place (approximately located first); its key or None."""
    options = placing.place_options(view, shown, st.session_state.get("place_site"))
    if len(options) > MAX_PLACE_OPTIONS:
        st.caption(t("place_more", lang, n=MAX_PLACE_OPTIONS))
        options = options[:MAX_PLACE_OPTIONS]
    if st.session_state.get("place_site") not in [None, *options]:
        st.session_state["place_site"] = None
    rows = view.sites.set_index("key", drop=False)
    return st.selectbox(
        t("place_site", lang),
        [None, *options],
        key="place_site",
        on_change=on_place_site,
        format_func=lambda k: t("place_choose", lang) if k is None else placing.site_label(rows.loc[k], lang),
        placeholder=t("place_choose", lang),
    )


def place_form(project: Project, row: pd.Series, lang: Lang) -> None:
    """The point (WGS-84), its source and author, and the save and undo buttons for one site."""
    site = placing.site_identity(row)
    st.caption(t("place_help", lang))
    st.caption(
        t(
            "place_now",
            lang,
            precision=precision_label(str(row["precision"]), lang),
            source=md_text(location_text(row["location_source"], row["location_basis"], lang) or "?"),
        )
    )
    c1, c2 = st.columns(2)
    c1.number_input(
        t("place_lat", lang), key="place_lat", value=None, format="%.6f", min_value=-90.0, max_value=90.0
    )
    c2.number_input(
        t("place_lon", lang), key="place_lon", value=None, format="%.6f", min_value=-180.0, max_value=180.0
    )
    c1.text_input(t("place_note", lang), key="place_note")
    c2.text_input(t("place_who", lang), key="place_who")
    c1.button(
        t("place_save", lang), key="place_save", type="primary", on_click=place, args=(project, site, lang)
    )
    c2.button(t("place_undo", lang), key="place_undo", on_click=unplace, args=(project, site, lang))


def place_panel(project: Project, view: View, shown: pd.DataFrame, lang: Lang) -> str | None:
    """The placement section; returns the key of the site being placed, if any."""
    pending = placing.pending_count(view.sites)
    expanded = bool(st.session_state.get("place_site")) or pending > 0
    with st.expander(t("place_title", lang), expanded=expanded):
        key = choose_site(view, shown, lang)
        if key is not None:
            place_form(project, view.sites.set_index("key", drop=False).loc[key], lang)
        if pending:
            st.info(t("place_pending", lang, n=pending))
        rebuild_button(project, lang)
    return key
