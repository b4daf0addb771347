"""What the map draws from the sites shown: each layer's sites, the points stacked sites are
spread around, the counties to outline and the pin of a site being placed. Plain functions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.web.mapview import Shown
from geo.web.view import ORIGIN_UPLOAD, View


def by_layer(view: View, shown: pd.DataFrame, layers: Iterable[str]) -> dict[str, list[Shown]]:
    """The shown sites of each chosen layer, as the map draws them (uploads and flags marked)."""
    out: dict[str, list[Shown]] = {layer: [] for layer in layers}
    for key, layer, origin, flags in zip(
        shown["key"], shown["layer"], shown["origin"], shown["flags"], strict=True
    ):
        if layer in out:
            out[layer].append(Shown(key, view.items[key].shown, origin == ORIGIN_UPLOAD, int(flags)))
    return out


def anchors(shown: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(lon, lat) of every shown site that has a location."""
    return {
        k: (lon, lat)
        for k, lon, lat in zip(shown["key"], shown["lon"], shown["lat"], strict=True)
        if not (pd.isna(lon) or pd.isna(lat))
    }


def counties(sites: pd.DataFrame) -> tuple[str, ...]:
    """The counties the sites name, sorted (the outlines drawn)."""
    return tuple(sorted(c for c in sites["county"].unique() if c))


def pin(
    placing: str | None, lat: float | None, lon: float | None, label: str
) -> tuple[float, float, str] | None:
    """(lon, lat, label) of the pin at the point a site is being placed at, once both are given."""
    if placing is None or lat is None or lon is None:
        return None
    return float(lon), float(lat), label
