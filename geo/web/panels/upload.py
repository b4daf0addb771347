"""The upload section: the uploader, what each file gave (or why not), its download and saving
it into the project. The logic is ``geo.web.uploads``; the entries live in the session."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from geo.errors import GeoError
from geo.web import access, export, uploads
from geo.web.cache import forget_layers, known_reports
from geo.web.i18n import Lang, t
from geo.web.layers_io import Feature
from geo.web.notices import refusal_text
from geo.web.popup import md_text
from geo.web.service import Project
from geo.web.state import bump_view, flash
from geo.web.uploads import Upload
from geo.web.widget_text import style_tag, uploader_css

UPLOAD_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]


def entries() -> dict[str, Upload]:
    """The session's uploads by signature (``geo.web.uploads.signatures``)."""
    return st.session_state.setdefault("uploads", {})


def upload_key() -> str:
    """The uploader's widget key: a new one (an empty uploader) after the uploads were saved."""
    return f"upload_files_{st.session_state.get('upload_round', 0)}"


def read_new(files: list[Any], county: str | None, project: Project, lang: Lang) -> None:
    """Run the build's pipeline on every file not read yet; forget files taken out of the uploader."""
    state = entries()
    new = uploads.sync(state, uploads.signatures(((f.name, f.getvalue()) for f in files), county))
    if not new:
        return
    resolver = uploads.new_resolver(project)
    with st.status(t("upload_running", lang, name=md_text(new[0][1])), expanded=False) as status:
        bar = st.progress(0.0)
        for i, (sig, name, data) in enumerate(new):
            status.update(label=t("upload_running", lang, name=md_text(name)))
            state[sig] = uploads.read_upload(
                project, name, data, county, resolver, known_reports(project), state.values()
            )
            bar.progress((i + 1) / len(new))
        status.update(label=t("upload_read", lang, n=len(new)), state="complete")
    if any(state[sig].features for sig, _, _ in new):
        bump_view("upload")  # show the new sites, wherever they are


def save_all(project: Project, lang: Lang) -> None:
    """Save every upload that was read into the project (one rebuild each); the button's callback."""
    if not access.can_write():
        flash("error", t("access_denied", lang))
        return
    state = entries()
    failed = False
    for sig, entry in list(state.items()):
        if not entry.shown:
            continue
        try:
            saved = uploads.save(entry, project)
        except GeoError as error:
            failed = True
            flash("error", t("upload_not_saved", lang, error=refusal_text(error, lang)))
            continue
        del state[sig]
        flash("success", t("upload_saved", lang, name=md_text(entry.name), n=sum(saved.counts.values())))
        for w in uploads.warning_texts(entry.name, list(saved.warnings), list(saved.notes), lang):
            flash("warning", w)
    forget_layers()
    if not failed:
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        state.clear()


def show_entry(entry: Upload, lang: Lang) -> None:
    """What one file gave: its sites and county, why it was refused, or the report it repeats."""
    if entry.error is not None:
        st.error(t("upload_refused", lang, error=uploads.refused(entry, lang)))
    elif entry.duplicate is not None:
        where = "upload_dup_" + entry.duplicate.where
        st.warning(t(where, lang, name=md_text(entry.name), existing=md_text(entry.duplicate.name)))
    else:
        st.success(
            t(
                "upload_done",
                lang,
                name=md_text(entry.name),
                n=len(entry.features),
                county=md_text(entry.doc_county or "?"),
            )
        )
        for w in uploads.warning_texts(entry.name, entry.warnings, entry.notes, lang):
            st.warning(w)


def actions(features: list[Feature], project: Project, lang: Lang) -> None:
    """Download the uploads' sites; save them into the project where writing is allowed."""
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
            on_click=save_all,
            args=(project, lang),
        )


def upload_panel(project: Project, lang: Lang) -> list[Feature]:
    """The upload section; returns the features of every upload that was read."""
    from geo.project.upload import MAX_UPLOAD_BYTES
    from geo.text.ingest.messages import format_size

    state = entries()
    with st.expander(t("upload_title", lang), expanded=bool(state)):
        st.caption(t("upload_limit", lang, size=format_size(MAX_UPLOAD_BYTES)))
        max_mb = max(1, math.ceil(MAX_UPLOAD_BYTES / 2**20))
        st.html(style_tag(uploader_css(lang, max_mb, UPLOAD_TYPES)))
        files = st.file_uploader(
            t("upload_files", lang),
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=upload_key(),
            max_upload_size=max_mb,
        )
        county = st.text_input(
            t("upload_county", lang), key="upload_county", help=t("upload_county_help", lang)
        ).strip()
        read_new(list(files or []), county or None, project, lang)
        for entry in state.values():
            show_entry(entry, lang)
        ok = [e for e in state.values() if e.shown]
        if ok:
            actions([f for e in ok for f in e.features], project, lang)
    return uploads.shown_features(state)
