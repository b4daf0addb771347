"""Popup HTML for a site, built here with every piece of report text escaped.

Report text is untrusted: folium's ``Popup(str)``, ``GeoJsonPopup`` and ``GeoJsonTooltip`` put
strings into the page as HTML. So the HTML is assembled in Python, each value passed through
``html.escape``, and the only markup is this module's own (the name is highlighted by escaping
the text around each match and wrapping the escaped match in ``<mark>``). The map shows this
HTML as is; downloads never contain it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from geo.web.basis import props_location_text
from geo.web.i18n import Lang, distance_label, kind_label, layer_label, precision_label, status_label, t
from geo.web.precision import LADDER, finer_hint, ladder
from geo.web.precision import text as precision_text
from geo.web.reports import about_of, report_label
from geo.web.search import reading

POPUP_CLASS = "site-popup"
# Styles for the popup markup, added once to the map's page.
POPUP_CSS = f"""
.{POPUP_CLASS} {{ font-size: 13px; line-height: 1.45; max-width: 380px; }}
.{POPUP_CLASS} h4 {{ margin: 0 0 4px 0; font-size: 15px; }}
.{POPUP_CLASS} p {{ color: #444; margin: 0; }}
.{POPUP_CLASS} p b {{ color: #222; }}
.{POPUP_CLASS} ol {{ margin: 6px 0 0 0; padding-left: 18px; }}
.{POPUP_CLASS} blockquote {{ margin: 2px 0; padding: 2px 6px; border-left: 3px solid #bbb;
  background: #f7f7f7; white-space: pre-wrap; word-break: break-word; }}
.{POPUP_CLASS} cite {{ display: block; color: #666; font-size: 12px; font-style: normal; }}
.{POPUP_CLASS} cite .file {{ color: #888; font-size: 11px; }}
.{POPUP_CLASS} mark {{ background: #ffe066; padding: 0 1px; }}
.{POPUP_CLASS} .tags {{ margin: 0 0 4px 0; }}
.{POPUP_CLASS} .pinyin, .agg-pinyin {{ color: #555; font-style: italic; margin: -2px 0 4px 0; }}
.{POPUP_CLASS} .tag {{ display: inline-block; margin-right: 4px; padding: 0 5px; border-radius: 3px;
  background: #222; color: #fff; font-size: 11px; }}
"""


def esc(value: Any) -> str:
    """``value`` as text, HTML-escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
# Characters that can turn the order of the text around them (right-to-left letters, bidi controls).
_BIDI = re.compile("[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe]")
FSI, PDI = "\u2068", "\u2069"


def isolate(value: Any) -> str:
    """``value`` as text that cannot reorder what is shown around it.

    Text with right-to-left letters or bidi controls (a U+202E override in a report's name) is
    put between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which end every override
    opened inside; other text is returned as is.
    """
    text = "" if value is None else str(value)
    return f"{FSI}{text}{PDI}" if _BIDI.search(text) else text


def md_text(value: Any) -> str:
    """``value`` as literal text inside Streamlit markdown (messages, captions, labels).

    Every markdown-active ASCII character is backslash-escaped (so a file name cannot become a
    link, an image, a colour directive or an emoji code), line breaks become spaces, and bidi
    text is isolated (``isolate``). Escape each untrusted value on its own, not a whole message.
    """
    text = " ".join(("" if value is None else str(value)).split())
    return isolate(_MD_SPECIAL.sub(r"\\\1", text))


def highlight(text: str, *terms: str) -> str:
    """``text`` escaped, with each occurrence of any of ``terms`` wrapped in ``<mark>``.

    Longer terms win where they overlap (``塔山公园`` over ``塔山``).
    """
    found = sorted({x for x in terms if x and x in text}, key=len, reverse=True)
    if not found:
        return esc(text)
    pattern = re.compile("|".join(re.escape(x) for x in found))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(esc(text[pos : m.start()]))
        out.append(f"<mark>{esc(m.group())}</mark>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def statements(props: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(document, quote, the name as written there) of every source statement, each once, in order."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, str]] = []
    for s in props.get("sources") or []:
        if not isinstance(s, dict):
            continue
        pair = (str(s.get("doc") or ""), str(s.get("quote") or ""))
        if pair not in seen and (pair[0] or pair[1]):
            seen.add(pair)
            out.append((*pair, str(s.get("surface") or "")))
    return out


def report_abouts(props: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each document a site quotes -> its title, issuer and date where the layers give them."""
    out: dict[str, dict[str, str]] = {}
    for s in props.get("sources") or []:
        if isinstance(s, dict) and s.get("doc") and not out.get(str(s["doc"])):
            out[str(s["doc"])] = about_of(s)
    return out


def cite_html(doc: str, about: dict[str, str], lang: Lang) -> str:
    """A statement's report: its title (issuer, date) with the file name small after it and as
    the tooltip; the file name alone when the report has no title, issuer or date."""
    label = report_label(doc, about, lang)
    if label == doc:
        return f"<cite>{esc(doc)}</cite>"
    file = t("report_file", lang, file=doc)
    return f'<cite title="{esc(file)}">{esc(label)} <small class="file">{esc(file)}</small></cite>'


def popup_facts(props: dict[str, Any], layer: str, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) lines of a site's popup, as plain text: what it is, where, how well located.

    How well: the precision ladder with the site's step in brackets ("County › [Township] › …").
    """
    kind = str(props.get("kind") or "")
    status = str(props.get("status") or "unknown")
    precision = str(props.get("precision") or "")
    county = str(props.get("county") or "") or t("unknown_county", lang)
    unc: Any = props.get("uncertainty_m")
    try:
        unc_text = distance_label(float(unc), lang)
    except (TypeError, ValueError):
        unc_text = "?"
    location = t(
        "popup_location_value",
        lang,
        precision=ladder(precision, lang) if precision in LADDER else precision_label(precision, lang),
        uncertainty=unc_text,
        source=props_location_text(props, lang) or "?",
    )
    facts = [
        (t("popup_layer", lang), f"{layer_label(layer, lang)} · {kind_label(kind, lang)}"),
        (t("popup_status", lang), status_label(status, lang)),
        (t("popup_county", lang), county),
    ]
    if props.get("year") not in (None, ""):
        facts.append((t("popup_year", lang), str(props["year"])))
    facts.append((t("popup_location", lang), location))
    return facts


def popup_html(props: dict[str, Any], layer: str, lang: Lang, tags: Iterable[str] = ()) -> str:
    """The popup of one site: what it is, where and how well located, and each quoted statement.

    ``tags`` (plain text, e.g. "uploaded") are shown under the name.
    """
    name = str(props.get("name") or "")
    parts = [f'<div class="{POPUP_CLASS}"><h4>{esc(name)}</h4>']
    spoken = reading(name) if lang == "en" else ""
    if spoken:
        parts.append(f'<p class="pinyin">{esc(spoken)}</p>')
    shown_tags = [x for x in tags if x]
    if shown_tags:
        parts.append(
            '<p class="tags">' + "".join(f'<span class="tag">{esc(x)}</span>' for x in shown_tags) + "</p>"
        )
    parts.append("<p>")
    parts.append(
        "<br>".join(f"<b>{esc(label)}:</b> {esc(value)}" for label, value in popup_facts(props, layer, lang))
    )
    parts.append("</p>")
    if str(props.get("precision") or "") != "exact":
        hint = finer_hint(props, lang)
        parts.append(f"<p><b>{esc(precision_text('finer', lang))}:</b> {esc(hint)}</p>")
    quoted = statements(props)
    if quoted:
        parts.append(f"<p><b>{esc(t('popup_statements', lang, n=len(quoted)))}</b></p><ol>")
        abouts = report_abouts(props)
        for doc, quote, surface in quoted:
            parts.append(
                f"<li><blockquote>{highlight(quote, name, surface)}</blockquote>"
                f"{cite_html(doc, abouts.get(doc, {}), lang)}</li>"
            )
        parts.append("</ol>")
    else:
        parts.append(f"<p>{esc(t('popup_no_statements', lang))}</p>")
    parts.append("</div>")
    return "".join(parts)


def tooltip_html(props: dict[str, Any]) -> str:
    """Hover label: the site's name, escaped."""
    return esc(props.get("name") or "")
