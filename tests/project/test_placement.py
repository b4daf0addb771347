"""Placing a site by hand: validated, written atomically, every earlier version kept, undoable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from crash_helper import DEQING_REPORT, YONGKANG_REPORT, copy_project, make_project, run_plan, tree
from shapely.geometry import LineString, Point, Polygon

from geo.cli import main
from geo.locate.overrides import OverridesError, load_overrides
from geo.output.layers import LAYERS
from geo.project.placement import (
    PlacementError,
    history_dir,
    history_files,
    history_versions,
    place,
    placements,
    undo,
)
from geo.project.project import Project

PARK = "狮子山休闲公园"
PARK_ID = "parks-cc606647e930"
DEQING = "德清县"
SPOT_A = Point(119.9700, 30.5400)
SPOT_B = Point(119.9650, 30.5450)
YONGKANG_SEAT = Point(120.0425, 28.89083)
WHEN = "2024-05-01T10:00:00+08:00"


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("seeds") / "project", [YONGKANG_REPORT, DEQING_REPORT])


@pytest.fixture
def project(seed_project: Path, tmp_path: Path) -> Path:
    """A private copy of the seed project; the build reads the copy's placements."""
    return copy_project(seed_project, tmp_path / "project")


def overrides(root: Path) -> Path:
    return root / "data" / "overrides.geojson"


def at(path: Path) -> Project:
    """The project whose placements are the file ``path``."""
    return Project.at(path.parent, overrides=path)


def build(root: Path) -> dict[str, dict[str, Any]]:
    """Rebuild the project's layers; its features by id."""
    assert main(["build", str(root / "data" / "sources"), "--out", str(root / "layers"), "--quiet",
                 "--overrides", str(overrides(root))]) == 0
    out = {}
    for name in LAYERS:
        for f in json.loads((root / "layers" / f"{name}.geojson").read_text("utf-8"))["features"]:
            out[f["id"]] = f
    return out


def place_park(path: Path, geometry: Any = SPOT_A, **changes: Any) -> None:
    args: dict[str, Any] = {
        "site_id": PARK_ID,
        "name": PARK,
        "county": DEQING,
        "geometry": geometry,
        "note": "https://example.org/shizishan",
        "who": "Li",
    }
    args.update(changes)
    place(at(path), **args)


def test_a_placement_is_used_by_the_next_build_and_undo_brings_the_old_location_back(project: Path) -> None:
    baseline = build(project)[PARK_ID]
    assert baseline["properties"]["precision"] == "county"

    place_park(overrides(project), note="walked there; https://example.org/shizishan", when=WHEN)
    placed = build(project)[PARK_ID]
    props = placed["properties"]
    assert props["precision"] == "exact" and placed["geometry"] == {
        "type": "Point",
        "coordinates": [119.97, 30.54],
    }
    assert (
        props["location_source"]
        == f"placed by hand: walked there; https://example.org/shizishan (Li, {WHEN})"
    )
    assert props["uncertainty_m"] == 25

    assert undo(at(overrides(project)), site_id=PARK_ID)
    assert build(project)[PARK_ID] == baseline
    assert placements(at(overrides(project))) == []


def test_every_earlier_version_is_kept_and_undo_restores_the_previous_placement(tmp_path: Path) -> None:
    path = tmp_path / "data" / "overrides.geojson"
    versions: list[bytes] = []

    place_park(path, SPOT_A, when=WHEN)
    assert history_files(path) == []  # nothing was there before
    versions.append(path.read_bytes())
    place_park(path, SPOT_B, who="Wang", note="county planning map, 2023")
    versions.append(path.read_bytes())
    [current] = placements(at(path))
    assert current.geometry.equals(SPOT_B) and current.who == "Wang" and current.site_id == PARK_ID

    assert undo(at(path), name=PARK, county="德清")  # by name; the county in its short form
    [restored] = placements(at(path))
    assert restored.geometry.equals(SPOT_A) and restored.when == WHEN and restored.who == "Li"
    versions.append(path.read_bytes())
    assert undo(at(path), site_id=PARK_ID)
    assert placements(at(path)) == []
    assert not undo(at(path), site_id=PARK_ID)  # nothing left: the file is untouched

    snapshots = history_files(path)  # the first version whole; the changes after it journaled
    assert [p.read_bytes() for p in snapshots] == versions[:1]
    assert all(p.parent == tmp_path / "data" / "overrides.history" for p in snapshots)
    assert [p.name.rsplit("-", 1)[1] for p in snapshots] == ["1.geojson"]
    assert history_versions(path) == [*versions, path.read_bytes()]  # every version, oldest first
    for version in history_versions(path):
        probe = tmp_path / "probe.geojson"
        probe.write_bytes(version)
        load_overrides(probe)  # strictly readable
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_other_sites_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "overrides.geojson"
    place_park(path, when=WHEN)
    road = LineString([(120.03, 28.89), (120.05, 28.90)])
    place(at(path), site_id=None, name="九鼎路", county="永康市", geometry=road, note="survey", who="Li")
    area = Polygon([(119.96, 30.53), (119.98, 30.53), (119.98, 30.55), (119.96, 30.53)])
    place_park(path, area)
    found = {o.label(): o for o in placements(at(path))}
    assert set(found) == {PARK_ID, "九鼎路 (永康市)"}
    assert found[PARK_ID].geometry.equals(area) and found["九鼎路 (永康市)"].geometry.equals(road)
    assert undo(at(path), name="九鼎路")
    assert [o.label() for o in placements(at(path))] == [PARK_ID]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"geometry": YONGKANG_SEAT}, "(120.04250, 28.89083) lies outside 德清县"),
        ({"geometry": Point(30.54, 119.97)}, "lies outside 德清县"),  # lat, lon swapped
        ({"note": "  "}, "a note is required"),
        ({"who": ""}, "say who places it"),
        ({"county": "不存在县"}, "unknown county"),
        ({"site_id": "parks-123"}, "'parks-123' is not a site id"),
        ({"site_id": "parks-0123456789ab"}, "parks-0123456789ab is not the id of 狮子山休闲公园 in 德清县"),
        ({"site_id": None, "name": None}, "no site given"),
        ({"geometry": Point()}, "empty geometry"),
        (
            {"geometry": Polygon([(119.96, 30.53), (119.98, 30.55), (119.98, 30.53), (119.96, 30.55)])},
            "invalid Polygon",
        ),
        ({"when": "yesterday"}, "not an ISO 8601 timestamp"),
    ],
)
def test_refused_placements_change_nothing(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    path = tmp_path / "overrides.geojson"
    place_park(path, when=WHEN)
    before = tree(tmp_path)
    with pytest.raises(PlacementError) as info:
        place_park(path, **changes)
    assert message in str(info.value)
    assert tree(tmp_path) == before


def test_an_unreadable_overrides_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "overrides.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(OverridesError, match="feature 0: no properties"):
        place_park(path)
    with pytest.raises(OverridesError):
        undo(at(path), site_id=PARK_ID)
    assert {k: v for k, v in tree(tmp_path).items() if k != history_dir(path).name} == before


def test_a_name_placed_in_two_counties_needs_the_county_to_undo(tmp_path: Path) -> None:
    path = tmp_path / "overrides.geojson"
    place(
        at(path),
        site_id=None,
        name="塔山公园",
        county="永康市",
        geometry=Point(120.03, 28.90),
        note="n",
        who="w",
    )
    place(at(path), site_id=None, name="塔山公园", county=DEQING, geometry=SPOT_A, note="n", who="w")
    with pytest.raises(PlacementError, match="塔山公园 is placed in more than one county"):
        undo(at(path), name="塔山公园")
    assert undo(at(path), name="塔山公园", county="永康")
    assert [o.county for o in placements(at(path))] == [DEQING]


def test_a_placement_killed_at_any_point_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    template = tmp_path / "template"
    place_park(overrides(template), SPOT_A, when=WHEN)
    old = overrides(template).read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    answer = run_plan(
        {
            "kind": "place",
            "template": str(template),
            "work": str(work),
            "site_id": PARK_ID,
            "site_name": PARK,
            "county": DEQING,
            "lon": SPOT_B.x,
            "lat": SPOT_B.y,
            "note": "survey",
            "who": "Wang",
            "when": "2024-06-01T09:00:00+08:00",
            "random_kills": 8,
            "budget_s": 3,
            "seed": 5,
        },
        tmp_path,
    )
    new = overrides(Path(answer["after"])).read_bytes()
    assert new != old and answer["steps"] >= 5
    ends = set()
    assert len(answer["trials"]) >= 10
    for trial in answer["trials"]:
        root, how = Path(trial["root"]), trial["how"]
        assert trial["outcome"] in {"killed", "done"}, trial
        path = overrides(root)
        assert path.read_bytes() in (old, new), how
        ends.add("new" if path.read_bytes() == new else "old")
        [placed] = load_overrides(path)  # always strictly readable
        assert placed.geometry.equals(SPOT_B if path.read_bytes() == new else SPOT_A)
        for snapshot in history_files(path):
            assert snapshot.read_bytes() == old, how  # a kept version is whole
        # the next placement clears what the killed one left behind
        place_park(path, SPOT_A, when=WHEN)
        leftovers = [
            p.name
            for folder in (path.parent, history_dir(path))
            for p in folder.iterdir()
            if p.name.startswith(".")
        ]
        assert leftovers == [], how
    assert ends == {"old", "new"}
