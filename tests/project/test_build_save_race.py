"""A build and a save at the same time, in two real processes: no saved report loses its sites.

The build runs in its own process and is held, by a wrapper around one of its steps, after it has
read the reports and before it writes the layers; this process then saves a new report into the
same project (``geo.project.upload.save_upload``) and lets the build go on. The layers must end as a
fresh build of the whole project gives them: the saved report's sites included.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geo.cli import EXIT_OK, main
from geo.output.layers import LAYERS
from geo.project.project import Project
from geo.project.upload import save_upload

ROOT = Path(__file__).resolve().parents[2]
FIRST = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"
SAVED = ROOT / "data" / "sources" / "000_adb8b547a985f849.txt"

# The build, held after reading: it says so through a file, then waits for another.
HELD_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import geo.project.county_cache
    from geo.cli import main

    sources, out, flag = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    real = geo.project.county_cache.assemble
    held = []

    def assemble(*args):
        if not held:
            held.append(1)
            flag.with_suffix(".read").write_text("read")
            while not flag.with_suffix(".go").exists():
                time.sleep(0.05)
        return real(*args)

    geo.project.county_cache.assemble = assemble
    sys.exit(main(["build", sources, "--out", out, "--quiet"]))
    """
)


def _layers(folder: Path) -> dict[str, bytes]:
    return {n: (folder / f"{n}.geojson").read_bytes() for n in LAYERS}


def _documents(layers: dict[str, bytes]) -> set[str]:
    return {s["doc"] for data in layers.values() for f in json.loads(data)["features"]
            for s in f["properties"]["sources"]}


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the build ended early: {proc.communicate()[1]}")
        time.sleep(0.05)


def test_a_save_during_a_build_keeps_its_sites(tmp_path: Path) -> None:
    sources, layers = tmp_path / "sources", tmp_path / "layers"
    sources.mkdir()
    shutil.copy(FIRST, sources)
    assert main(["build", str(sources), "--out", str(layers), "--quiet"]) == EXIT_OK
    flag = tmp_path / "flag"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen([sys.executable, "-c", HELD_BUILD, str(sources), str(layers), str(flag)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(flag.with_suffix(".read"), build)
        project = Project.at(tmp_path, sources=sources, layers=layers)
        saved = save_upload(project, SAVED.name, SAVED.read_bytes())
        assert saved.added and SAVED.name in _documents(_layers(layers))
        flag.with_suffix(".go").write_text("go")
        _, err = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == EXIT_OK, err
    assert "reading them again" in err
    final = _layers(layers)
    assert _documents(final) == {FIRST.name, SAVED.name}
    fresh = tmp_path / "fresh"
    assert main(["build", str(sources), "--out", str(fresh), "--quiet"]) == EXIT_OK
    assert final == _layers(fresh)
