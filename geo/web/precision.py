"""The precision ladder in words: where a site stands on it, and what would move it up a step.

county → township → street → exact. The popup and the approximate list show the ladder with the
site's step marked, and say which kind of knowledge would place the site finer; they read only
the built properties (``precision``, ``location_source``), never the build's data.
"""

from __future__ import annotations

import re
from typing import Any

from geo.web.i18n import Lang, precision_label

LADDER = ("county", "township", "street", "exact")

_TEXT: dict[str, dict[Lang, str]] = {
    "ladder": {"zh": "定位层级", "en": "Precision ladder"},
    "credits": {"zh": "位置数据来源：", "en": "Location data:"},
    "finer": {"zh": "如何更精确", "en": "To place it finer"},
    "finer_col": {"zh": "如何更精确", "en": "What would place it finer"},
    "county_named_town": {
        "zh": "名称指向{town}，但尚无资料给出其位置：在地名表中加入{town}的位置（注明来源），"
        "或导入含该项目的 OSM 数据，或手动定位",
        "en": "the name points to {town}, which no source here locates: a cited location of {town} in the "
        "gazetteer, an OSM extract that has the site, or placing it by hand",
    },
    "county": {
        "zh": "名称中的乡镇或村、含该项目的 OSM 数据（python -m geo gazetteer import-osm）、"
        "在线地理编码（需密钥），或手动定位",
        "en": "a township or village in its name, an OSM extract that has it "
        "(python -m geo gazetteer import-osm), an online geocoder (needs a key), or placing it by hand",
    },
    "township": {
        "zh": "含该项目的 OSM 数据、在线地理编码（需密钥），或手动定位",
        "en": "an OSM extract that has it, an online geocoder (needs a key), or placing it by hand",
    },
    "street": {"zh": "手动定位到具体位置", "en": "placing it by hand at the exact spot"},
    "exact": {"zh": "已是最精确的层级", "en": "already at the finest step"},
}
_UNLOCATED = (
    re.compile(r"no embedded source locates (.+?)(?:;|$)"),
    re.compile(r"places it in (.+?), which no embedded source locates"),
)
_LIST_WORDS = re.compile(r",? (?:and|or) |, ")


def text(key: str, lang: Lang) -> str:
    return _TEXT[key][lang]


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
        for pattern in _UNLOCATED:
            m = pattern.search(source)
            if m:
                town = m.group(1) if lang == "en" else _LIST_WORDS.sub("、", m.group(1))
                return _TEXT["county_named_town"][lang].format(town=town)
        return text("county", lang)
    if precision in _TEXT:
        return text(precision, lang)
    return text("county", lang)
