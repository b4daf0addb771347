"""The attribution owed for the location data a set of features cites (GeoNames, OpenStreetMap).

A layer file carries it as the ``attribution`` member of its FeatureCollection (a foreign member,
allowed by RFC 7946 §6.1) whenever one of its features is placed by such a source; the app shows
the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

GEONAMES = "Township seats: GeoNames (https://www.geonames.org/), CC BY 4.0"
OSM = "Map data © OpenStreetMap contributors (https://www.openstreetmap.org/copyright), ODbL 1.0"
_MARKERS = ((GEONAMES, "geonames.org/"), (OSM, "openstreetmap.org/"))


def attributions(sources: Iterable[str]) -> list[str]:
    """The attribution lines owed for these ``location_source`` texts, in a fixed order."""
    seen = " ".join(sources)
    return [line for line, marker in _MARKERS if marker in seen]


def features_attribution(features: Iterable[dict[str, Any]]) -> list[str]:
    """The attribution lines owed by these features' locations."""
    return attributions(str(f.get("properties", {}).get("location_source") or "") for f in features)
