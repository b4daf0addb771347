"""What the app reads once and keeps across runs and sessions (``st.cache_data``): the layers,
county outlines (with their prefectures and township seats), the all-layers download, the map's
bounds, the project's report fingerprints and the placements file. Each is re-read when the stamp of its files
changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.web import export
from geo.web.centring import layers_bounds
from geo.web.display import shared_spots
from geo.web.layers_io import Layers, county_outlines, read_layers, sites_frame
from geo.web.service import Project
from geo.web.view import point_rows

Stamp = tuple[tuple[str, int, int], ...]


@st.cache_data(show_spinner=False)
def load(folder: str, stamp: Stamp) -> tuple[Layers, pd.DataFrame, dict[str, tuple[float, float]]]:
    """Layers, the sites table and the sites sharing a spot; ``stamp`` re-reads the files when rebuilt."""
    layers = read_layers(folder)
    sites = sites_frame(layers)
    return layers, sites, shared_spots(point_rows(sites))


@st.cache_data(show_spinner=False)
def outlines(counties: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return county_outlines(counties)


@st.cache_data(show_spinner=False)
def prefectures(counties: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    from geo.web.geography import prefecture_outlines

    return prefecture_outlines(counties)


@st.cache_data(show_spinner=False)
def seats(counties: tuple[str, ...]) -> list[Any]:
    """The township seats of the counties (``geo.web.geography.township_seats``)."""
    from geo.web.geography import township_seats

    return township_seats(counties)


@st.cache_data(show_spinner=False)
def all_layers_geojson(folder: str, stamp: Stamp) -> bytes:
    return export.all_layers_bytes(load(folder, stamp)[0])


@st.cache_data(show_spinner=False)
def bounds_of(folder: str, stamp: Stamp) -> tuple[float, float, float, float] | None:
    layers, sites, _ = load(folder, stamp)
    return layers_bounds(layers, sites)


@st.cache_data(show_spinner=False)
def fingerprints_of(sources: str, stamp: Stamp) -> dict[str, Any]:
    from geo.web.duplicates import project_fingerprints

    return project_fingerprints(Path(sources))


def known_reports(project: Project) -> dict[str, Any]:
    """Fingerprints of the project's reports (re-read when one is added or changed)."""
    from geo.web.duplicates import sources_stamp

    return fingerprints_of(str(project.sources), sources_stamp(project.sources))


@st.cache_data(show_spinner=False)
def placements_of(project: Project, stamp: tuple[int, int] | None) -> Any:
    """The project's placements as ``geo.locate.overrides.Overrides`` (re-read when the file changes)."""
    from geo.web.service import Overrides, placements

    return Overrides(placements(project), project.overrides) if stamp is not None else None


def forget_layers() -> None:
    """The layers were rewritten (a rebuild, a saved upload): read them again on the next run."""
    load.clear()
    all_layers_geojson.clear()
    bounds_of.clear()
