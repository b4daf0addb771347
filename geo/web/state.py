"""The app's session state (``st.session_state``): one-shot messages, view requests, map clicks.

Widget callbacks live here so that the page script only names them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.web import switches
from geo.web.centring import LAYER_SRC, click_point


def flash(kind: str, text: str) -> None:
    """A message shown once on the next run (``text`` is markdown; escape what it quotes)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def show_flashes(where: Any) -> None:
    for kind, text in st.session_state.pop("flash", []):
        getattr(where, kind)(text)


def bump_view(src: str | None = None) -> None:
    """A new request to centre the map (see ``geo.web.centring.choose_view``), from ``src``."""
    if src is not None:
        st.session_state["view_src"] = src
    st.session_state["view_seq"] = st.session_state.get("view_seq", 0) + 1


def on_table_select(table_key: str) -> None:
    """A row was chosen (or unchosen) in the sites table: a chosen row is a new request to centre."""
    selected = st.session_state.get(table_key)
    if selected and selected["selection"]["rows"]:
        bump_view("table")


def on_zoom_layer(layer: str) -> None:
    """A layer's zoom button: fit the view to the layer's shown sites."""
    bump_view(LAYER_SRC + layer)


def on_place_site() -> None:
    """Another site chosen for placing: its form starts empty and the map goes to it."""
    st.session_state["place_lat"] = None
    st.session_state["place_lon"] = None
    bump_view("place")


def on_map_change() -> None:
    """A click on the map while a site is being placed fills its coordinates (WGS-84); a click
    in the map's layer control sets the sidebar's switches (``geo.web.switches``)."""
    out = st.session_state.get("map") or {}
    switches.apply(st.session_state, out)
    clicked = out.get("last_clicked")
    if not clicked or clicked == st.session_state.get("_click_seen"):
        return
    st.session_state["_click_seen"] = clicked
    if st.session_state.get("place_site"):
        point = click_point(clicked, st.session_state.get("basemap", "none"))
        if point is not None:
            st.session_state["place_lat"], st.session_state["place_lon"] = point


def table_rows(table_key: str) -> list[int]:
    """Rows chosen in the sites table (kept in the session since the click)."""
    selected = st.session_state.get(table_key)
    return list(selected["selection"]["rows"]) if selected else []
