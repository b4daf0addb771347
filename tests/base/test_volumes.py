"""Layers written into a container volume (a mount point) and into a folder owned by someone else.

A folder that is a mount point cannot be swapped with a sibling on another file system
(``EXDEV``): each file is then written beside its old version inside the folder and renamed
over it. A folder that is swapped keeps its owner, group and mode.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builds import GOOD, run_build
from mounts import tmpfs

from geo.atomic import write_many_atomic
from geo.cli import EXIT_OK


def test_write_many_into_a_mount_point(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "volume") as vol:
        (vol / "renewal.geojson").write_bytes(b"old")
        (vol / "notes.txt").write_bytes(b"kept")
        write_many_atomic({vol / "renewal.geojson": b"{}", vol / "parks.geojson": b"[]"})
        assert (vol / "renewal.geojson").read_bytes() == b"{}"
        assert (vol / "parks.geojson").read_bytes() == b"[]"
        assert sorted(p.name for p in vol.iterdir()) == ["notes.txt", "parks.geojson", "renewal.geojson"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["volume"]


def test_build_into_a_mount_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with tmpfs(tmp_path / "volume") as vol:
        first = run_build([GOOD], vol, capsys)
        assert first.code == EXIT_OK, first.stderr
        again = run_build([GOOD], vol, capsys)
        assert again.code == EXIT_OK, again.stderr
        assert again.layers == first.layers and len(first.layers) == 4
        assert not [p for p in vol.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another owner needs root")
def test_swapped_folder_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    out.mkdir()
    (out / "renewal.geojson").write_bytes(b"old")
    os.chown(out, 1234, 2345)
    os.chmod(out, 0o2750)
    write_many_atomic({out / "renewal.geojson": b"{}", out / "parks.geojson": b"[]"})
    st = out.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 2345, 0o2750)
    assert (out / "renewal.geojson").read_bytes() == b"{}"
