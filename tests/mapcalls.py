"""What the map's feature groups ask of ``window.siteMap``, for the tests of the map drawing."""

from __future__ import annotations

import json
from typing import Any

import folium

from geo.web.mapview import SiteData


def site_calls(groups: list[folium.FeatureGroup]) -> list[tuple[str, str, list[Any]]]:
    """(group name, method, arguments) of every ``window.siteMap`` call the groups make."""
    out = []
    for g in groups:
        for c in g._children.values():
            if isinstance(c, SiteData):
                out.append((g.layer_name, c.method, json.loads("[" + c.args + "]")))
    return out
