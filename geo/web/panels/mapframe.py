"""The map (``geo.web.mapcomponent``) with the shown sites, and the block of the site clicked on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from geo.web import drawn, firstpaint, switches, tianditu
from geo.web.cache import outlines, prefectures, seats
from geo.web.centring import Centre, Offsets, clicked_site
from geo.web.i18n import Lang, t
from geo.web.mapcomponent import site_map
from geo.web.mapview import site_groups
from geo.web.popup import POPUP_CSS, popup_html
from geo.web.state import on_map_change
from geo.web.tables import tags_of
from geo.web.view import View

MAP_HEIGHT = 620


@dataclass(frozen=True)
class MapInput:
    """What the map draws: the view, the sites shown and how (layers, circles, outlines)."""

    view: View
    shown: pd.DataFrame
    offsets: Offsets
    basemap: str
    layers: list[str]
    circles: bool
    counties: bool
    chosen: str | None = None  # key of the site chosen in the table, highlighted
    towns: bool = True  # township seats of the counties drawn


def draw_map(
    base: Any, m: MapInput, placing: str | None, centre: Centre, lang: Lang, wait: bool = False
) -> dict[str, Any]:
    """Draw the map on the base map ``base``; returns what the map reports of clicks. With
    ``wait``, the map says when it has drawn (``geo.web.firstpaint``)."""
    ss = st.session_state
    pin = drawn.pin(placing, ss.get("place_lat"), ss.get("place_lon"), t("place_pin", lang))
    names = drawn.counties(m.view.sites)
    counties = outlines(names) if m.counties else None
    mode = t("place_mode", lang) if placing is not None else None
    groups = site_groups(
        drawn.by_layer(m.view, m.shown, m.layers),
        None,
        m.offsets,
        drawn.anchors(m.shown),
        m.basemap,
        lang,
        counties=counties,
        prefectures=prefectures(names) if m.counties else None,
        seats=seats(names) if m.towns else None,
        circles=m.circles,
        pin=pin,
        placing=mode,
        chosen=m.chosen,
        tile_key=tianditu.configured_key() if m.basemap == tianditu.BASEMAP else None,
        switched=switches.state_of(m.layers, m.circles, m.counties, m.towns),
    )
    return site_map(
        base,
        groups,
        center=centre[0],
        zoom=centre[1],  # fractional: see CENTRE_NUDGE
        height=MAP_HEIGHT,
        title=t("map_frame_title", lang),
        on_change=on_map_change,
        wait=wait,
        on_drawn=firstpaint.on_drawn,
    )


def selected_site(out: dict[str, Any], m: MapInput, lang: Lang) -> None:
    """The popup of the site last clicked on the map, drawn below it (the same escaped HTML)."""
    key = clicked_site(
        out.get("last_object_clicked"),
        out.get("last_object_clicked_tooltip"),
        m.shown,
        m.view,
        m.offsets,
        m.basemap,
    )
    if key is None:
        return
    item = m.view.items[key]
    row = m.shown[m.shown["key"] == key].iloc[0]
    st.subheader(t("selected_site", lang))
    tags = tags_of(int(row["flags"]), str(row["origin"]), lang)
    # st.html sanitises the popup's HTML again
    st.html(f"<style>{POPUP_CSS}</style>" + popup_html(item.shown["properties"], item.layer, lang, tags))
