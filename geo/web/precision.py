"""The precision ladder in words: where a site stands on it, and what would move it up a step.

county → township → street → exact. The popup and the approximate list show the ladder with the
site's step marked, and say which kind of knowledge would place the site finer; they read only
the built properties (``precision``, ``location_basis``, else ``location_source``), never the
build's data.
"""

from __future__ import annotations

import re
from typing import Any

from geo.web.basis import join, unlocated_towns
from geo.web.i18n import Lang, precision_label, t

LADDER = ("county", "township", "street", "exact")

_UNLOCATED = (
    re.compile(r"no embedded source locates (.+?)(?:;|$)"),
    re.compile(r"places it in (.+?), which no embedded source locates"),
)
_LIST_WORDS = re.compile(r",? (?:and|or) |, ")


def text(key: str, lang: Lang) -> str:
    """A string of the precision ladder (``precision_<key>`` in ``geo.web.i18n``)."""
    return t(f"precision_{key}", lang)


def ladder(precision: str, lang: Lang) -> str:
    """The four steps, coarse to fine, the site's own in brackets: "[County] › Township › Street › Exact"."""
    steps = [precision_label(p, lang) for p in LADDER]
    if precision in LADDER:
        i = LADDER.index(precision)
        steps[i] = f"[{steps[i]}]"
    return " › ".join(steps)


def finer_hint(props: dict[str, Any], lang: Lang) -> str:
    """What knowledge would place this site one step finer, from its precision and citation."""
    precision = str(props.get("precision") or "")
    source = str(props.get("location_source") or "")
    if precision == "county":
        towns = unlocated_towns(props.get("location_basis"))
        if towns is not None:
            if towns:
                return t("precision_county_named_town", lang, town=join(towns, lang, "or"))
            return text("county", lang)
        for pattern in _UNLOCATED:
            m = pattern.search(source)
            if m:
                town = m.group(1) if lang == "en" else _LIST_WORDS.sub("、", m.group(1))
                return t("precision_county_named_town", lang, town=town)
        return text("county", lang)
    return text(precision if precision in LADDER else "county", lang)
