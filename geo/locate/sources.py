"""The files that placing sites reads, and the steps it reports, named without loading placing.

Kept counties (``geo.project.county_cache``) are keyed by these files; naming them here lets a
build whose counties are all kept skip shapely, pyproj and numpy, which placing needs.
"""

from __future__ import annotations

import os
from pathlib import Path

_DATA = Path(__file__).resolve().parents[2] / "data"
OVERRIDES_PATH = _DATA / "overrides.geojson"
GAZETTEER_PATH = _DATA / "gazetteer.csv"
SEATS_CSV = _DATA / "county_seats.csv"
DEFAULT_OSM_INDEX = _DATA / "osm_index.sqlite"
OSM_INDEX_ENV = "RENEWAL_MAP_OSM_INDEX"

#: The resolver's steps, in the order it tries them and its summaries list them.
STEPS = ("override", "gazetteer", "osm", "name", "geocoder", "context", "county")


def index_path(path: Path | None = None) -> Path:
    """The imported OpenStreetMap index: ``path``, else ``$RENEWAL_MAP_OSM_INDEX``, else the default."""
    if path is not None:
        return Path(path)
    env = os.environ.get(OSM_INDEX_ENV)
    return Path(env) if env else DEFAULT_OSM_INDEX
