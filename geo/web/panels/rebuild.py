"""Rebuilding the layers from the project's reports and placements (a button's callback)."""

from __future__ import annotations

import streamlit as st

from geo.web import access
from geo.web.cache import forget_layers
from geo.web.i18n import Lang, t
from geo.web.popup import md_text
from geo.web.project import rebuild
from geo.web.service import Project
from geo.web.state import flash


def run_rebuild(project: Project, lang: Lang) -> None:
    """Rebuild the layers, then read them again; the build's log tail is shown when it failed."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    with st.spinner(t("rebuild_running", lang)):
        run = rebuild(project)
    forget_layers()
    if run.ok:
        flash("success", t("rebuild_done", lang))
    else:
        flash("error", t("rebuild_failed", lang, log=md_text(run.log.strip()[-2000:])))


def rebuild_button(project: Project, lang: Lang) -> None:
    st.button(
        t("rebuild", lang),
        key="rebuild",
        help=t("rebuild_help", lang, sources=str(project.sources), layers=str(project.layers)),
        on_click=run_rebuild,
        args=(project, lang),
    )
