"""``python -m geo place``: a site by id or by name from the built layers, undo, list."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from crash_helper import DEQING_REPORT, YONGKANG_REPORT, copy_project, make_project

from geo.cli import main
from geo.locate.overrides import load_overrides

PARK = "狮子山休闲公园"
PARK_ID = "parks-cc606647e930"
TASHAN_YK = "parks-9b615aaed18a"  # 塔山公园 in 永康市, in the seed layers
TASHAN_DQ = "parks-" + hashlib.sha1("德清县|parks|塔山公园".encode()).hexdigest()[:12]


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("seeds") / "project", [YONGKANG_REPORT, DEQING_REPORT])


@pytest.fixture
def project(seed_project: Path, tmp_path: Path) -> Path:
    root = copy_project(seed_project, tmp_path / "project")
    # a second 塔山公园, in 德清县, so that the name alone is ambiguous
    parks = root / "layers" / "parks.geojson"
    fc = json.loads(parks.read_text("utf-8"))
    twin = json.loads(json.dumps(next(f for f in fc["features"] if f["id"] == TASHAN_YK)))
    twin["id"] = twin["properties"]["id"] = TASHAN_DQ
    twin["properties"]["county"] = "德清县"
    fc["features"].append(twin)
    parks.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    return root


def place(root: Path, *args: str) -> int:
    return main(
        [
            "place",
            *args,
            "--overrides",
            str(root / "data" / "overrides.geojson"),
            "--layers",
            str(root / "layers"),
        ]
    )


def placements(root: Path) -> dict[str, tuple[float, float, str, str]]:
    return {
        o.label(): (o.geometry.x, o.geometry.y, o.who, o.note)
        for o in load_overrides(root / "data" / "overrides.geojson")
    }


def test_place_by_name_and_by_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        place(
            project,
            PARK,
            "--lon",
            "119.97",
            "--lat",
            "30.54",
            "--note",
            "https://example.org/a",
            "--who",
            "Li",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"placed {PARK} ({PARK_ID}, 德清县) at 119.970000, 30.540000" in out
    assert placements(project) == {PARK_ID: (119.97, 30.54, "Li", "https://example.org/a")}
    assert (
        place(project, PARK_ID, "--lon", "119.965", "--lat", "30.545", "--note", "survey", "--who", "Wang")
        == 0
    )
    assert placements(project) == {PARK_ID: (119.965, 30.545, "Wang", "survey")}


def test_who_defaults_to_the_login_name(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "tester")
    assert place(project, PARK, "--lon", "119.97", "--lat", "30.54", "--note", "n") == 0
    assert placements(project)[PARK_ID][2] == "tester"


def test_an_ambiguous_name_lists_the_candidates(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert place(project, "塔山公园", "--lon", "120.03", "--lat", "28.90", "--note", "n", "--who", "w") == 2
    err = capsys.readouterr().err
    assert "error: 塔山公园 names 2 sites" in err and TASHAN_YK in err and TASHAN_DQ in err
    assert "give --county or the site id" in err
    assert not (project / "data" / "overrides.geojson").exists()
    assert (
        place(
            project,
            "塔山公园",
            "--county",
            "永康",
            "--lon",
            "120.03",
            "--lat",
            "28.90",
            "--note",
            "n",
            "--who",
            "w",
        )
        == 0
    )
    assert set(placements(project)) == {TASHAN_YK}


def test_undo_and_list(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert place(project, "--list") == 0
    assert "no placements in" in capsys.readouterr().out
    assert place(project, PARK, "--lon", "119.97", "--lat", "30.54", "--note", "first", "--who", "Li") == 0
    assert place(project, PARK, "--lon", "119.965", "--lat", "30.545", "--note", "second", "--who", "Li") == 0
    capsys.readouterr()
    assert place(project, "--list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].startswith(
        f"{PARK_ID}\t{PARK}\t德清县\tPoint 119.965000,30.545000\tLi\t"
    )
    assert listed[0].endswith("\tsecond")

    assert place(project, PARK, "--undo") == 0
    assert placements(project)[PARK_ID][3] == "first"
    assert place(project, PARK_ID, "--undo") == 0
    assert placements(project) == {}
    assert place(project, PARK, "--undo") == 2
    assert f"error: {PARK}: no placement to undo" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [PARK, "--lon", "120.0425", "--lat", "28.89083", "--note", "n", "--who", "w"],
            "lies outside 德清县",
        ),
        (
            ["狮子山", "--lon", "119.97", "--lat", "30.54", "--note", "n", "--who", "w"],
            f"no site named 狮子山 in the built layers (LAYERS) (similar: {PARK}, {PARK}石笋山入口)",
        ),
        ([PARK, "--lon", "119.97", "--lat", "30.54", "--who", "w"], "give --note (or --undo)"),
        ([PARK, "--note", "n", "--who", "w"], "give --lon, --lat"),
        (["--lon", "119.97", "--lat", "30.54", "--note", "n"], "give the site"),
        ([PARK, "--list"], "--list takes no site"),
        ([PARK, "--lon", "119.97", "--lat", "30.54", "--note", " ", "--who", "w"], "a note is required"),
        (
            ["parks-0123456789ab", "--lon", "119.97", "--lat", "30.54", "--note", "n", "--who", "w"],
            "parks-0123456789ab is not in the built layers (LAYERS): give --county to place it",
        ),
        (
            [PARK_ID, "--county", "永康市", "--lon", "119.97", "--lat", "30.54", "--note", "n", "--who", "w"],
            f"{PARK_ID} is {PARK} in 德清县, not in 永康市",
        ),
    ],
)
def test_refusals_exit_2_with_the_reason(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert place(project, *args) == 2
    err = capsys.readouterr().err.replace(str(project / "layers") + "/", "LAYERS")
    assert err.startswith("error: ") and message in err, err
    assert not (project / "data" / "overrides.geojson").exists()


def test_a_site_id_not_yet_built_is_placed_with_its_county(project: Path) -> None:
    assert (
        place(
            project,
            "parks-0123456789ab",
            "--county",
            "德清",
            "--lon",
            "119.97",
            "--lat",
            "30.54",
            "--note",
            "n",
            "--who",
            "w",
        )
        == 0
    )
    [placed] = load_overrides(project / "data" / "overrides.geojson")
    assert (placed.site_id, placed.name, placed.county) == ("parks-0123456789ab", None, "德清县")
