"""What the sidebar's filters and a link to the map may choose from, given the sites."""

from __future__ import annotations

import pandas as pd

from geo.web import urlstate
from geo.web.i18n import LANGS
from geo.web.layers_io import LAYER_NAMES, PRECISIONS, STATUSES
from geo.web.mapview import BASEMAPS
from geo.web.reports import documents_about


def filter_values(sites: pd.DataFrame) -> dict[str, list[str]]:
    """What each filter offers: the counties and documents the sites name (sorted), the statuses
    and precisions they have (in the app's order)."""
    present_status, present_precision = set(sites["status"]), set(sites["precision"])
    return {
        "counties": sorted(c for c in sites["county"].unique() if c),
        "documents": sorted({d for ds in sites["documents"] for d in ds}),
        "statuses": [s for s in STATUSES if s in present_status],
        "precisions": [p for p in PRECISIONS if p in present_precision],
    }


def document_abouts(sites: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each document the sites quote -> its title, issuer and date where known."""
    return documents_about(zip(sites["documents"], sites["abouts"], strict=True))


def url_options(sites: pd.DataFrame, basemaps: tuple[str, ...] = BASEMAPS) -> urlstate.Options:
    """What a link may ask for: the app's languages, base maps (``basemaps``: those offered) and
    layers, the sites' values."""
    return urlstate.Options(
        LANGS,
        basemaps,
        LAYER_NAMES,
        {
            "county": set(sites["county"]),
            "doc": {d for ds in sites["documents"] for d in ds},
            "status": STATUSES,
            "precision": PRECISIONS,
        },
    )
