"""The app's tables in the interface's language: the sites table and the approximate list."""

from __future__ import annotations

import pandas as pd

from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED
from geo.web.i18n import Lang, distance_label, kind_label, layer_label, precision_label, status_label, t
from geo.web.precision import finer_hint
from geo.web.precision import text as precision_text
from geo.web.reports import report_option
from geo.web.search import reading
from geo.web.view import ORIGIN_UPLOAD


def tags_of(flags: int, origin: str, lang: Lang) -> list[str]:
    """Short tags of a site: uploaded, placed by hand or unplaced since the last build."""
    tags = [t("tag_uploaded_short", lang)] if origin == ORIGIN_UPLOAD else []
    if flags & FLAG_PLACED:
        tags.append(t("tag_placed_short", lang))
    if flags & FLAG_UNPLACED:
        tags.append(t("tag_unplaced_short", lang))
    return tags


def site_table(sites: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The sites as the table shows them; in English, the pinyin of each Chinese name beside it."""
    approx = t("approximate", lang)
    spoken = {t("col_pinyin", lang): [reading(str(n)) for n in sites["name"]]} if lang == "en" else {}
    return pd.DataFrame(
        {
            t("col_name", lang): sites["name"],
            **spoken,
            t("col_layer", lang): [layer_label(v, lang) for v in sites["layer"]],
            t("col_kind", lang): [kind_label(v, lang) for v in sites["kind"]],
            t("col_status", lang): [status_label(v, lang) for v in sites["status"]],
            t("col_county", lang): sites["county"],
            t("col_precision", lang): [precision_label(v, lang) for v in sites["precision"]],
            t("col_approx", lang): [approx if a else "" for a in sites["approximate"]],
            t("col_uncertainty", lang): sites["uncertainty_m"],
            t("col_year", lang): sites["year"],
            t("col_docs", lang): [
                "; ".join(report_option(d, a, lang) for d, a in zip(ds, abouts, strict=False))
                for ds, abouts in zip(sites["documents"], sites["abouts"], strict=True)
            ],
            t("col_tags", lang): [
                ", ".join(tags_of(int(f), o, lang))
                for f, o in zip(sites["flags"], sites["origin"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def approximate_table(
    approx: pd.DataFrame, offsets: dict[str, tuple[float, float]], lang: Lang
) -> pd.DataFrame:
    """The approximately located sites: where they are known to, how they are drawn, what would
    locate them better."""
    return pd.DataFrame(
        {
            t("col_name", lang): approx["name"].to_numpy(),
            t("col_county", lang): approx["county"].to_numpy(),
            t("col_precision", lang): [precision_label(p, lang) for p in approx["precision"]],
            "±": [
                distance_label(u, lang) if u is not None and not pd.isna(u) else "?"
                for u in approx["uncertainty_m"]
            ],
            t("col_drawn", lang): [
                t("drawn_spread", lang) if k in offsets else t("drawn_at", lang) for k in approx["key"]
            ],
            precision_text("finer_col", lang): [
                finer_hint({"precision": p, "location_source": s, "location_basis": b}, lang)
                for p, s, b in zip(approx["precision"], approx["location_source"], approx["location_basis"],
                                   strict=True)
            ],
        }
    )
