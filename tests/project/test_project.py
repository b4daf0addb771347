"""The project a build, a save and a placement are given (geo/project/project.py): every file named
once, and two projects in one process never reading each other's."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point

from geo.locate.sources import GAZETTEER_PATH, SEATS_CSV
from geo.outcome import Outcome
from geo.output.layers import LAYERS
from geo.project.build import build
from geo.project.placement import place, placements, undo
from geo.project.project import Project

ROOT = Path(__file__).resolve().parents[2]
DEQING_REPORT = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"
PARK_ID = "parks-cc606647e930"


def test_a_project_names_its_files_from_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWAL_MAP_RESULTS", "off")
    monkeypatch.setenv("RENEWAL_MAP_OSM_INDEX", str(tmp_path / "osm.sqlite"))
    project = Project.at(tmp_path)
    assert (project.sources, project.layers, project.overrides) == (
        tmp_path / "data" / "sources", tmp_path / "layers", tmp_path / "data" / "overrides.geojson")
    assert (project.gazetteer, project.county_seats) == (GAZETTEER_PATH, SEATS_CSV)  # shipped with the package
    assert (project.osm_index, project.cache, project.geocoders) == (tmp_path / "osm.sqlite", None, None)
    monkeypatch.setenv("RENEWAL_MAP_RESULTS", str(tmp_path / "kept"))
    assert Project.at(tmp_path, layers=tmp_path / "out").cache == tmp_path / "kept"
    assert Project.at(tmp_path, layers=tmp_path / "out").layers == tmp_path / "out"
    with pytest.raises(dataclasses.FrozenInstanceError):
        project.layers = tmp_path  # type: ignore[misc]


def test_the_apps_project_from_the_environment(tmp_path: Path) -> None:
    env = {"RENEWAL_MAP_DATA": str(tmp_path / "d"), "RENEWAL_MAP_LAYERS": str(tmp_path / "l")}
    project = Project.from_environment(env)
    assert (project.sources, project.layers, project.overrides) == (
        tmp_path / "d" / "sources", tmp_path / "l", tmp_path / "d" / "overrides.geojson")
    placed = Project.from_environment({**env, "RENEWAL_MAP_OVERRIDES": str(tmp_path / "o.geojson")})
    assert placed.overrides == tmp_path / "o.geojson"
    assert Project.from_environment({}).sources == Path("data") / "sources"


def _park(project: Project) -> dict[str, Any]:
    parks = json.loads((project.layers / "parks.geojson").read_text("utf-8"))["features"]
    return next(f for f in parks if f["id"] == PARK_ID)


def _layers(project: Project) -> dict[str, bytes]:
    return {name: (project.layers / f"{name}.geojson").read_bytes() for name in LAYERS}


def test_two_projects_in_one_process_keep_their_own_placements(tmp_path: Path) -> None:
    kept = tmp_path / "kept"  # one folder of kept results for both: a county placed for one is not the other's
    a, b = (Project.at(tmp_path / name, cache=kept) for name in ("a", "b"))
    for project in (a, b):
        project.sources.mkdir(parents=True)
        shutil.copy(DEQING_REPORT, project.sources)
    assert build(b, quiet=True) is Outcome.DONE  # its sources, into its layers
    assert _park(b)["properties"]["precision"] == "county"

    place(a, site_id=PARK_ID, name=None, county="德清县", geometry=Point(119.97, 30.54), note="survey", who="Li")
    assert [o.site_id for o in placements(a)] == [PARK_ID] and placements(b) == []
    assert not b.overrides.exists()
    assert build(a, quiet=True) is Outcome.DONE
    assert _park(a)["geometry"] == {"type": "Point", "coordinates": [119.97, 30.54]}
    before = _layers(b)
    assert build(b, quiet=True) is Outcome.DONE
    assert _layers(b) == before and _park(b)["properties"]["precision"] == "county"

    assert undo(a, site_id=PARK_ID) and placements(a) == []
    assert build(a, quiet=True) is Outcome.DONE
    assert _layers(a) == _layers(b)
