"""Streamlit's own words on its widgets, in the interface's language.

Streamlit 1.67 writes some text of its widgets in English with no parameter to change it: the
file uploader's button ("Upload"), its limits ("20MB per file • TXT, …") and the words shown
while a file is dragged over it ("Drag and drop files here"), and the multiselect's bulk choices
("Select all", "Select N matches"). For the Chinese interface these are hidden by a style sheet
scoped to those widgets' own test ids and replaced through ``::after`` with the strings of
``geo.web.i18n``; the English interface keeps Streamlit's words. (Where Streamlit has a parameter,
the app uses it instead: every selectbox and multiselect passes its ``placeholder``.)
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.web.i18n import Lang, t

DROPZONE = '[data-testid="stFileUploaderDropzone"]'
INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'
SELECT_ALL = '[role="option"][data-key="__select_all__"]'
SELECT_MATCHES = '[role="option"][data-key="__select_matches__"]'


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n\r\f<>' else c for c in text)
    return f'"{escaped}"'


def _replace(selector: str, text: str, size: str) -> str:
    """CSS hiding the text of ``selector`` (font size 0) and showing ``text`` after it instead."""
    return (f"{selector} {{ font-size: 0 !important; }}\n"
            f"{selector}::after {{ content: {css_string(text)}; font-size: {size}; }}\n")


def uploader_css(lang: Lang, max_mb: int, types: Sequence[str]) -> str:
    """The file uploader's words in ``lang`` ("" for English: Streamlit's own)."""
    if lang == "en":
        return ""
    shown = t("basis_list", lang).join(dict.fromkeys(x.upper() for x in types if x != "htm"))
    return (
        _replace(f'{DROPZONE} button [data-testid="stMarkdownContainer"] p', t("st_upload", lang), "1rem")
        + _replace(f"{INSTRUCTIONS} span", t("st_upload_limit", lang, size=f"{max_mb}MB", types=shown),
                   "0.875rem")
        + _replace(f"{DROPZONE} > div:not([data-testid]) > span", t("st_drop_here", lang), "1rem")
    )


def multiselect_css(lang: Lang) -> str:
    """The multiselect's bulk choices in ``lang`` ("" for English: Streamlit's own)."""
    if lang == "en":
        return ""
    return (_replace(f"{SELECT_ALL} > div", t("st_select_all", lang), "1rem")
            + _replace(f"{SELECT_MATCHES} > div", t("st_select_matches", lang), "1rem"))


def style_tag(css: str) -> str:
    """``css`` as a ``<style>`` element for ``st.html``, written in every language (empty in
    English): Streamlit keeps a style-only element until the same call replaces it, so a style
    left out of a run would stay on the page after switching to English."""
    return f"<style>\n/* Streamlit's own words in the interface's language */\n{css}</style>"
