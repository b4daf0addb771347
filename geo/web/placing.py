"""Placing a site by hand, as the app offers it: which sites can be chosen, how each is labelled,
and saving or undoing a placement (``geo.project.placement`` writes the file). Plain functions; each
action returns the message to show as an ``Outcome``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geo.errors import GeoError
from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED
from geo.web.i18n import Lang, layer_label, t
from geo.web.notices import refusal_text
from geo.web.popup import isolate, md_text
from geo.web.service import Project
from geo.web.view import ORIGIN_BUILT, View

MAX_PLACE_OPTIONS = 2000


@dataclass(frozen=True)
class Outcome:
    """A message for the user: Streamlit's kind (success, info, error) and the string's key."""

    kind: str
    key: str
    fmt: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.kind != "error"

    def text(self, lang: Lang) -> str:
        """The message in ``lang``; an error among its values is said by its code where it has one."""
        fmt = {k: refusal_text(v, lang) if isinstance(v, BaseException) else v for k, v in self.fmt.items()}
        return t(self.key, lang, **fmt)


def place_options(view: View, shown: pd.DataFrame, chosen: str | None) -> list[str]:
    """Keys of the shown sites of the project that can be placed: approximately located first;
    the site ``chosen`` stays listed when a filter hides it."""
    built = shown[shown["origin"] == ORIGIN_BUILT]
    ordered = built.sort_values(
        ["approximate", "county", "name"], ascending=[False, True, True], kind="stable"
    )
    keys = list(ordered["key"])
    if chosen in view.items and chosen not in keys:
        keys.insert(0, chosen)
    return keys


def pending_count(sites: pd.DataFrame) -> int:
    """Sites placed or unplaced by hand since the layers were built (a rebuild writes them)."""
    return int(((sites["flags"] & (FLAG_PLACED | FLAG_UNPLACED)) > 0).sum())


def site_label(row: pd.Series, lang: Lang) -> str:
    """A site as the chooser lists it: name, county and layer, its identity only (Streamlit keeps a
    choice by its label, which must not change when the site is placed or the layers rebuilt)."""
    return f"{isolate(row['name'])} · {isolate(row['county'])} · {layer_label(row['layer'], lang)}"


def site_identity(row: pd.Series) -> dict[str, str]:
    """What ``geo.project.placement`` names a site by: its id, name and county."""
    return {"id": str(row["id"]), "name": str(row["name"]), "county": str(row["county"])}


def save_placement(
    project: Project, site: dict[str, str], lat: float | None, lon: float | None, note: str, who: str
) -> Outcome:
    """Write the placement of ``site`` at (lat, lon) WGS-84 with its source note and author."""
    from shapely.geometry import Point

    from geo.web.service import place

    if lat is None or lon is None:
        return Outcome("error", "place_need_point")
    if not note.strip() or not who.strip():
        return Outcome("error", "place_need_note")
    try:
        place(
            project,
            site_id=site["id"] or None,
            name=site["name"],
            county=site["county"],
            geometry=Point(float(lon), float(lat)),
            note=note.strip(),
            who=who.strip(),
        )
    except GeoError as error:
        return Outcome("error", "place_refused", {"error": error})
    return Outcome(
        "success", "place_saved", {"name": md_text(site["name"]), "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}
    )


def undo_placement(project: Project, site: dict[str, str]) -> Outcome:
    """Take back the site's last placement (the one before it, if any, applies again)."""
    from geo.web.service import undo

    try:
        done = undo(project, site_id=site["id"] or None, name=site["name"], county=site["county"])
    except GeoError as error:
        return Outcome("error", "place_refused", {"error": error})
    if done:
        return Outcome("success", "place_undone", {"name": md_text(site["name"])})
    return Outcome("info", "place_nothing", {"name": md_text(site["name"])})
