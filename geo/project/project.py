"""The project a build, a save or a placement works on, every file it reads or writes named once.

A :class:`Project` is passed to :func:`geo.project.build.build`, :func:`geo.project.upload.save_upload`
and :func:`geo.project.placement.place` (and ``undo``, ``placements``), which take every path
from it, so two projects in one process never read or write each other's files.

:meth:`Project.at` gives the defaults of a project folder; :meth:`Project.from_environment` adds
what the app reads from the environment (``RENEWAL_MAP_LAYERS``, ``RENEWAL_MAP_DATA``,
``RENEWAL_MAP_OVERRIDES``); ``python -m geo`` builds one from its options (``geo/cli.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.locate.sources import GAZETTEER_PATH, SEATS_CSV, index_path

if TYPE_CHECKING:
    from geo.locate.resolver import Resolver

LAYERS_ENV = "RENEWAL_MAP_LAYERS"  # the built layers the app shows (default layers/)
DATA_ENV = "RENEWAL_MAP_DATA"  # the data folder: reports in <data>/sources (default data/)
OVERRIDES_ENV = "RENEWAL_MAP_OVERRIDES"  # the hand placements (default <data>/overrides.geojson)
DATA_NAME = "data"
SOURCES_NAME = "sources"
LAYERS_NAME = "layers"
OVERRIDES_NAME = "overrides.geojson"


@dataclass(frozen=True)
class Project:
    """Where a project's reports, layers, placements and location data are, and how it geocodes."""

    sources: Path  # the reports a build reads when given no inputs, and a save adds to
    layers: Path  # the four layers (and pending.json) a build or a save writes
    overrides: Path  # the hand placements (geo.locate.overrides), written by place and undo
    gazetteer: Path = GAZETTEER_PATH  # the embedded gazetteer (shipped with the package)
    county_seats: Path = SEATS_CSV  # the cited county seats (shipped with the package)
    osm_index: Path = field(default_factory=index_path)  # an imported OpenStreetMap index (none: empty)
    geocoders: Path | None = None  # geocoder settings (TOML); None: $RENEWAL_MAP_GEOCODERS_CONFIG or default
    cache: Path | None = None  # the folder of results kept between builds; None: read every report

    @classmethod
    def at(cls, root: Path | str, **given: Any) -> Project:
        """The project of the folder ``root``: reports in ``data/sources``, placements in
        ``data/overrides.geojson``, layers in ``layers/``; the shipped gazetteer and county seats;
        the OpenStreetMap index (``$RENEWAL_MAP_OSM_INDEX`` or ``data/osm_index.sqlite`` of the
        package) and the kept results' folder (``$RENEWAL_MAP_RESULTS`` or the user's cache folder)
        as the command line finds them. ``given`` replaces any of them."""
        from geo.project.result_cache import default_folder

        root = Path(root)
        data = root / DATA_NAME
        project = cls(sources=data / SOURCES_NAME, layers=root / LAYERS_NAME, overrides=data / OVERRIDES_NAME,
                      cache=default_folder())
        return replace(project, **given)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, **given: Any) -> Project:
        """The project the app works on: the working directory's, with ``$RENEWAL_MAP_LAYERS``,
        ``$RENEWAL_MAP_DATA`` (reports in ``<data>/sources``) and ``$RENEWAL_MAP_OVERRIDES``
        (default ``<data>/overrides.geojson``) pointing elsewhere, so that a test or a second copy
        never touches the project's own files. ``env`` (default the process's) gives these three;
        the OpenStreetMap index and kept results are found as :meth:`at` finds them."""
        env = os.environ if env is None else env
        data = Path(env.get(DATA_ENV) or DATA_NAME)
        overrides = Path(env.get(OVERRIDES_ENV) or data / OVERRIDES_NAME)
        layers = Path(env.get(LAYERS_ENV) or LAYERS_NAME)
        return cls.at(Path(), sources=data / SOURCES_NAME, layers=layers, overrides=overrides, **given)

    def resolver(self) -> Resolver:
        """A resolver reading this project's placements, gazetteer, county seats, OpenStreetMap
        index and geocoder settings (one per build: files read once, results cached)."""
        from geo.locate.resolver import Resolver

        return Resolver(overrides_path=self.overrides, gazetteer_path=self.gazetteer,
                        osm_index_path=self.osm_index, seats_path=self.county_seats,
                        geocoders_config=self.geocoders)
