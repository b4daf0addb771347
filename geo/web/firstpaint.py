"""The page's first run in a browser draws the map and little else; the rest once it has drawn.

The browser runs every element's code in one thread, and a first run that sends the sidebar's
panels, the upload panel and the tables with the map keeps the map waiting for all of them: about
2.5 s more before its first site is drawn (``bench/app_first_paint.py``). So a new session's
first run draws a line in the sidebar (so the page keeps its layout), the title, the counts and
the map, with the language, base map, layers and filters as the session holds them (defaults, or
what a link set); the map says when it has drawn (``geo.web.mapcomponent``, ``drawn``), and that
starts the run that draws everything.

A script run with no page (``AppTest``, bare mode) has nothing to wait for and draws everything.
"""

from __future__ import annotations

import streamlit as st

DRAWN = "_map_drawn"  # session key: the map has drawn once in this session


def waiting() -> bool:
    """Whether this run is a browser session's first, before its map has drawn."""
    return not st.session_state.get(DRAWN) and st.context.url is not None


def on_drawn() -> None:
    """The map has drawn (or could not be): from now on every run draws the whole page."""
    st.session_state[DRAWN] = True
