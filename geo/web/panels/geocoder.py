"""Online geocoding with the user's own key: provider, key (session or local file), run.

Writes the project's layers (a rebuild): to be shown only where writing is allowed.
"""

from __future__ import annotations

import streamlit as st

from geo.web import access
from geo.web.cache import forget_layers
from geo.web.i18n import Lang, t
from geo.web.popup import md_text
from geo.web.service import Project
from geo.web.state import flash


def _run(project: Project, provider: str, key: str, remember: bool, lang: Lang) -> None:
    """Save the key if asked, geocode and rebuild; say how it went."""
    from geo.locate.geocoders.errors import GeocoderConfigError
    from geo.web import online

    if not access.can_write():
        st.error(t("access_denied", lang))
        return
    if not key.strip():
        st.warning(t("online_no_key", lang))
        return
    try:
        if remember:
            online.save_key(provider, key)
        with st.spinner(t("online_running", lang)):
            run = online.run_geocoding(project, provider, key)
    except GeocoderConfigError as error:
        st.error(t("online_failed", lang).format(log=md_text(str(error))))
        return
    forget_layers()
    if run.ok:
        flash("success", t("online_done", lang))
        st.rerun()
    else:
        st.error(t("online_failed", lang).format(log=md_text(run.log.strip()[-2000:])))


def geocoder_panel(project: Project, lang: Lang) -> None:
    """The provider, the key (a saved one filled in), remember or forget it, and the run button."""
    from geo.web import online

    with st.sidebar.expander(t("online_title", lang), expanded=False):
        st.caption(t("online_note", lang))
        saved = online.saved_key()
        if saved is not None and "geocoder_key" not in st.session_state:
            st.session_state["geocoder_provider"], st.session_state["geocoder_key"] = saved
        provider = st.selectbox(
            t("online_provider", lang),
            online.providers(),
            key="geocoder_provider",
            format_func=lambda p: online.provider_name(p, lang),
        )
        key = st.text_input(t("online_key", lang), type="password", key="geocoder_key")
        remember = st.checkbox(t("online_remember", lang), value=saved is not None, key="geocoder_remember")
        if saved is not None:
            st.button(t("online_forget", lang), key="geocoder_forget", on_click=online.forget_key)
        if st.button(t("online_run", lang), key="geocoder_run"):
            _run(project, provider, key, remember, lang)
