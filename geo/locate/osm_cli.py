"""``python -m geo gazetteer import-osm EXTRACT [--county C] [--index PATH]``."""

from __future__ import annotations

import sys
from pathlib import Path

from geo.errors import GeoError
from geo.outcome import Outcome


def import_osm_main(extract: Path, county: str | None = None, index: Path | None = None) -> Outcome:
    """Index the extract's named places; FAILED when the extract, county or index is unusable."""
    from geo.locate.osm_index import import_extract, index_path

    try:
        summary = import_extract(extract, index, county)
    except GeoError as error:
        print(f"import-osm: {error}", file=sys.stderr)
        return Outcome.FAILED
    kinds = ", ".join(f"{k} {n}" for k, n in summary.by_kind.items()) or "none"
    where = f" inside {county}" if county else ""
    print(f"import-osm {extract}: {summary.kept} named place(s){where} indexed ({kinds}); "
          f"{summary.outside} outside; index {index_path(index)}")
    return Outcome.DONE
