"""Reports waiting for a county, their guesses as buttons (``geo.web.pending`` holds the logic)."""

from __future__ import annotations

import streamlit as st

from geo.errors import GeoError
from geo.web import access
from geo.web.i18n import Lang, t
from geo.web.notices import refusal_text
from geo.web.panels.rebuild import run_rebuild
from geo.web.pending import Choice, Waiting, choose_county, waiting_reports
from geo.web.popup import md_text
from geo.web.reports import report_option
from geo.web.service import Project
from geo.web.state import flash


def on_choose_county(project: Project, item: Waiting, choice: Choice, lang: Lang) -> None:
    """One choice: the manifest gets the county, then the layers are rebuilt."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    try:
        choose_county(project.sources, item, choice.county)
    except GeoError as error:
        flash("error", t("pending_refused", lang, error=refusal_text(error, lang)))
        return
    run_rebuild(project, lang)
    shown = report_option(item.file, item.about, lang)
    flash("success", t("pending_placed", lang, file=md_text(shown), county=md_text(choice.label)))


def waiting_why(item: Waiting, lang: Lang) -> str:
    """Why the report waits, in ``lang`` (markdown text): from its code, else its reason as written."""
    said = t(f"county_why_{item.why}", lang) if item.why else ""
    return said if said and not said.startswith("county_why_") else md_text(item.reason)


def pending_panel(project: Project, lang: Lang) -> None:
    """Each waiting report with its sites' count and its guesses (buttons where writing is allowed)."""
    waiting = waiting_reports(project.layers)
    if not waiting:
        return
    with st.expander(t("pending_title", lang, n=len(waiting)), expanded=True):
        for i, item in enumerate(waiting):
            shown = md_text(report_option(item.file, item.about, lang))
            st.markdown(t("pending_report", lang, file=shown, sites=item.sites))
            why = waiting_why(item, lang)
            if why:
                st.caption(t("pending_why", lang, why=why))
            if not access.can_write():  # read-only: the guesses are shown, not chosen
                st.caption(", ".join(c.label for c in item.choices))
                continue
            for j, c in enumerate(item.choices):
                label = t("pending_choice", lang, county=c.label, score=f"{c.score:.1f}")
                st.button(
                    label, key=f"pending_{i}_{j}", on_click=on_choose_county, args=(project, item, c, lang)
                )
