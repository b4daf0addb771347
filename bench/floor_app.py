"""The floor under the app's first paint: a bare Streamlit page with one map.

The same built sites as the app (one circle marker each, Leaflet served by the app as in
``geo.web.assets``, drawn by the app's map component, ``geo.web.mapcomponent``), and nothing
else: no sidebar, no table, no popups, no geography. What this page takes to draw its first site
is what Streamlit and the map component take by themselves on this machine;
``bench/app_first_paint.py --floor`` times it beside the app, taking turns.

    streamlit run bench/floor_app.py    (RENEWAL_MAP_LAYERS: the layers folder, default layers/)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import folium
import streamlit as st

from geo.web.assets import localize, register_assets
from geo.web.mapcomponent import site_map


@st.cache_data
def points(folder: str) -> list[tuple[float, float]]:
    """(lat, lon) of every point site in the layer files of ``folder``."""
    out = []
    for path in sorted(Path(folder).glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Point":
                lon, lat = geometry["coordinates"][:2]
                out.append((lat, lon))
    return out


st.set_page_config(page_title="floor", layout="wide")
register_assets()
sites = points(os.environ.get("RENEWAL_MAP_LAYERS", "layers"))
m = localize(folium.Map(location=sites[0] if sites else (30.0, 120.0), zoom_start=9, tiles=None))
group = folium.FeatureGroup()
for lat, lon in sites:
    folium.CircleMarker((lat, lon), radius=6).add_to(group)
site_map(m, [group], center=None, zoom=None, height=620, title="map")
