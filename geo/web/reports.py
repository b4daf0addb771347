"""Reports as a person reads them: by title, with issuer and date where known, and the file name
as secondary text. Title, issuer and date come from each source entry of the layers
(``geo.output.features``); a report without them is shown by its file name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from geo.web.i18n import Lang, t

ABOUT_KEYS = ("title", "issuer", "date")


def about_of(source: Mapping[str, Any]) -> dict[str, str]:
    """The title, issuer and date a source entry gives its report (only those it gives)."""
    return {k: str(source[k]) for k in ABOUT_KEYS if source.get(k) not in (None, "")}


def date_label(date: str, lang: Lang) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as the interface writes dates; other text as is."""
    parts = date.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
        return date
    keys = ("date_year", "date_month", "date_day")
    y, m, d = (*parts, "", "")[:3]
    return t(keys[len(parts) - 1], lang, y=y, m=m.lstrip("0"), d=d.lstrip("0"), mm=m, dd=d)


def report_label(doc: str, about: Mapping[str, str], lang: Lang) -> str:
    """The report's title (its file name when it has none), then its issuer and date where known."""
    details = [about.get("issuer", ""), date_label(about.get("date", ""), lang)]
    shown = [x for x in details if x]
    name = about.get("title") or doc
    return t("report_label", lang, name=name, details=t("report_join", lang).join(shown)) if shown else name


def report_option(doc: str, about: Mapping[str, str], lang: Lang) -> str:
    """One line naming a report in a list, a table cell or a filter: its label and, when that is
    not the file name, the file name after it."""
    label = report_label(doc, about, lang)
    return t("report_with_file", lang, label=label, file=doc) if label != doc else doc


Abouts = tuple[Mapping[str, str], ...]


def documents_about(rows: Iterable[tuple[tuple[str, ...], Abouts]]) -> dict[str, dict[str, str]]:
    """File name -> what is known of the report, from (documents, abouts) pairs of the sites."""
    out: dict[str, dict[str, str]] = {}
    for docs, abouts in rows:
        for doc, about in zip(docs, abouts, strict=False):
            if about and not out.get(doc):
                out[doc] = dict(about)
            else:
                out.setdefault(doc, {})
    return out
