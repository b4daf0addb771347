"""The placement history grows with the number of changes, not with changes × file size."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import Point

from geo.project.placement import (
    history_dir,
    history_files,
    history_versions,
    journal_path,
    place,
    undo,
)
from geo.project.project import Project

N = 120


def _place(path: Path, i: int, note: str = "walked there") -> None:
    place(Project.at(path.parent, overrides=path), site_id=f"parks-{i:012x}", name=None, county="德清县",
          geometry=Point(119.97, 30.54 + i * 1e-5), note=note, who="Li")


def test_history_grows_linearly_and_gives_every_version_back(tmp_path: Path) -> None:
    path = tmp_path / "overrides.geojson"
    seen = []
    for i in range(N):
        _place(path, i)
        seen.append(path.read_bytes())
    assert undo(Project.at(path.parent, overrides=path), site_id=f"parks-{7:012x}")
    seen.append(path.read_bytes())
    kept = sum(p.stat().st_size for p in history_dir(path).iterdir())
    final = path.stat().st_size
    # whole copies of each version would hold about N/2 times the final file (quadratic)
    assert kept < 2 * final, f"history {kept:,} bytes for a file of {final:,}"
    assert history_versions(path) == seen


def test_a_hand_edit_and_a_torn_journal_line_are_kept_whole(tmp_path: Path) -> None:
    path = tmp_path / "overrides.geojson"
    _place(path, 1)
    _place(path, 2)
    edited = path.read_bytes().replace(b"walked there", b"walked there, twice")
    path.write_bytes(edited)  # by hand, outside the tool
    with journal_path(path).open("ab") as fh:
        fh.write(b'{"n": 99, "from": "cut sho')  # a writer killed mid-line
    _place(path, 3)
    versions = history_versions(path)
    assert edited in versions and versions[-1] == path.read_bytes()
    assert len(history_files(path)) == 2  # the first version, and the hand-edited one
