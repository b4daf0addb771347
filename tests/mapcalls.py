"""What the map's feature groups ask of ``window.siteMap``, for the tests of the map drawing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import folium

from geo.web.display import shared_spots
from geo.web.layers_io import read_layers, sites_frame
from geo.web.mapview import SiteData


def site_calls(groups: list[folium.FeatureGroup]) -> list[tuple[str, str, list[Any]]]:
    """(group name, method, arguments) of every ``window.siteMap`` call the groups make."""
    out = []
    for g in groups:
        for c in g._children.values():
            if isinstance(c, SiteData):
                out.append((g.layer_name, c.method, json.loads("[" + c.args + "]")))
    return out


def shown_sites(folder: Path) -> tuple[dict, dict, dict]:
    """What the map draws of the layers in ``folder``, every site shown: the features by layer
    (with their keys), each site's point, and the offsets of sites that share a point."""
    layers = read_layers(folder)
    sites = sites_frame(layers)
    by_layer: dict = {}
    anchors = {}
    for key, layer, i, lon, lat in zip(
        sites["key"], sites["layer"], sites["index"], sites["lon"], sites["lat"], strict=True
    ):
        by_layer.setdefault(layer, []).append((key, layers.features[layer][i]))
        anchors[key] = (lon, lat)
    offsets = shared_spots(zip(sites["key"], sites["lon"], sites["lat"], sites["uncertainty_m"], strict=True))
    return by_layer, anchors, offsets
