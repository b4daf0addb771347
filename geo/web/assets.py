"""Leaflet's JavaScript and CSS served by the app itself, so the map works without internet.

folium points every map at CDNs (Leaflet, jQuery, Bootstrap, Font Awesome, ...). The map here
needs only Leaflet, which the ``XStatic-Leaflet`` package ships. Its folder is registered as a
Streamlit component, so the Streamlit server serves its files under ``/component/<name>/``;
the map, itself drawn inside the map component's frame (``geo.web.mapcomponent``) at
``/component/geo.web.mapcomponent.site_map_frame/``, loads them by a relative URL, which also
works when the app runs under a base URL path.
"""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit.components.v1 as components
import xstatic.pkg.leaflet as xleaflet

LEAFLET_VERSION: str = xleaflet.VERSION
LEAFLET_DIR = Path(xleaflet.BASE_DIR)
ASSET_COMPONENT = "leaflet_assets"
# Full name Streamlit gives a component declared in this module.
ASSET_COMPONENT_NAME = f"{__name__}.{ASSET_COMPONENT}"
_BASE = f"../{ASSET_COMPONENT_NAME}/"
LEAFLET_JS = _BASE + "leaflet.js"
LEAFLET_CSS = _BASE + "leaflet.css"

LOCAL_JS: list[tuple[str, str]] = [("leaflet", LEAFLET_JS)]
LOCAL_CSS: list[tuple[str, str]] = [("leaflet_css", LEAFLET_CSS)]


def register_assets() -> None:
    """Register Leaflet's folder with the running Streamlit server (idempotent, once per run).

    Streamlit registers a component only while a script runs, so this is called from the app
    and not at import time.
    """
    components.declare_component(ASSET_COMPONENT, path=str(LEAFLET_DIR))


def localize(m: folium.Map) -> folium.Map:
    """Make ``m`` load Leaflet from the app instead of folium's CDN list; returns ``m``."""
    m.default_js = list(LOCAL_JS)
    m.default_css = list(LOCAL_CSS)
    return m
