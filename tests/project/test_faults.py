"""Faults in the middle of a run: a build killed at any moment, a failing disk, strays, a damaged cache.

The kill tests fork builds from one warmed-up helper process (so each build takes a fraction of
a second) on a copy of ``data/sources``, each into a layers folder that holds a previous build.
Whatever the moment of the kill, the folder must hold exactly the previous four files or the
new four, byte for byte: never a half-written file, never a mix of old and new.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from geo.atomic import stray_siblings, write_bytes_atomic, write_many_atomic
from geo.cli import main
from geo.locate.geocache import GeoCache
from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
RANDOM_KILLS = 16

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL")

# Runs in a subprocess: warms up, then forks builds and kills them (1) after random delays and
# (2) at the k-th file-system call of the layer commit, for every k until a build gets through.
HELPER = textwrap.dedent(
    """
    import json, os, random, signal, sys, time
    from pathlib import Path

    import geo.atomic
    import geo.output.layers
    from geo.cli import main

    src, work, n, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    quiet = os.open(os.devnull, os.O_WRONLY)

    def build(out):
        os.dup2(quiet, 2)
        return main(["build", src, "--out", str(out), "--quiet"])

    build(work / "warm")
    took = 0.0
    for i in range(2):  # how long a forked build takes, start to end
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(build(work / f"time-{i}"))
        os.waitpid(pid, 0)
        took = max(took, time.perf_counter() - start)

    rng = random.Random(seed)
    runs = []
    for i in range(n):
        # half anywhere in the build, half around its end, where the layers are written
        delay = rng.uniform(0, took) if i % 2 else rng.uniform(0.85 * took, 1.1 * took)
        pid = os.fork()
        if pid == 0:
            os._exit(build(work / f"kill-{i}" / "layers"))
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        runs.append({"dir": f"kill-{i}", "delay": delay, "killed": os.WIFSIGNALED(status)})

    DIED = 86
    steps = []
    k = 0
    while k < 200:
        k += 1
        pid = os.fork()
        if pid == 0:
            armed, calls = [False], [0]

            def dying(fn):
                def call(*args, **kwargs):
                    if armed[0]:
                        calls[0] += 1
                        if calls[0] == k:
                            os._exit(DIED)
                    return fn(*args, **kwargs)
                return call

            for name in ("open", "replace", "rename", "fsync", "link", "symlink", "mkdir", "chmod",
                         "unlink", "rmdir", "scandir"):
                setattr(os, name, dying(getattr(os, name)))
            geo.atomic._swap = dying(geo.atomic._swap)
            write = geo.output.layers.write_many_atomic

            def arm(files):
                armed[0] = True
                write(files)

            geo.output.layers.write_many_atomic = arm
            os._exit(build(work / f"step-{k}" / "layers"))
        _, status = os.waitpid(pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
        steps.append({"dir": f"step-{k}", "died": code == DIED})
        if code != DIED:
            break
    print(json.dumps({"took": took, "runs": runs, "steps": steps}))
    """
)


def build(inputs: list[Path], out: Path) -> int:
    return main(["build", *map(str, inputs), "--out", str(out), "--quiet"])


def file_set(folder: Path) -> dict[str, bytes]:
    """Every entry of ``folder`` with its bytes (a sub-folder or link would fail the comparison)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def known_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A copy of the sources, the previous build (one report) and the new build (all of them)."""
    root = tmp_path_factory.mktemp("faults")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    first = sorted(sources.iterdir())[0]
    assert build([first], root / "old") == 0
    assert build([sources], root / "new") == 0
    old, new = file_set(root / "old"), file_set(root / "new")
    assert sorted(old) == sorted(new) == sorted(f"{n}.geojson" for n in LAYERS)
    assert old != new
    return {"root": root, "sources": sources, "old": old, "new": new}


def seeded(known: dict[str, Any], folder: Path) -> Path:
    """``folder`` holding the previous build."""
    folder.mkdir(parents=True)
    for name, data in known["old"].items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def killed(known_sets: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("kills")
    for i in range(RANDOM_KILLS):
        seeded(known_sets, work / f"kill-{i}" / "layers")
    for k in range(1, 201):
        seeded(known_sets, work / f"step-{k}" / "layers")
    cmd = [sys.executable, "-c", HELPER, str(known_sets["sources"]), str(work), str(RANDOM_KILLS), "20240501"]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["work"] = work
    report["seconds"] = time.monotonic() - start
    return report


def which(known: dict[str, Any], folder: Path) -> str:
    found = file_set(folder)
    if found == known["old"]:
        return "old"
    if found == known["new"]:
        return "new"
    names = {
        n: ("old" if d == known["old"].get(n) else "new" if d == known["new"].get(n) else "other")
        for n, d in found.items()
    }
    raise AssertionError(f"{folder}: neither the previous nor the new layers: {names}")


def test_sigkill_at_random_moments_leaves_old_or_new_layers(
    killed: dict[str, Any], known_sets: dict[str, Any]
) -> None:
    outcomes = [which(known_sets, killed["work"] / r["dir"] / "layers") for r in killed["runs"]]
    assert len(outcomes) == RANDOM_KILLS
    print(
        f"build {killed['took']:.3f}s; {len(killed['steps'])} commit steps; {killed['seconds']:.1f}s; "
        + " ".join(
            f"{r['delay']:.3f}:{o}{'' if r['killed'] else '(done)'}"
            for r, o in zip(killed["runs"], outcomes, strict=True)
        )
    )
    for run, outcome in zip(killed["runs"], outcomes, strict=True):
        if not run["killed"]:
            assert outcome == "new"  # the build got through before the kill


def test_kill_at_every_step_of_the_commit(killed: dict[str, Any], known_sets: dict[str, Any]) -> None:
    """Die at the 1st, 2nd, ... file-system call of writing the layers: never a mix."""
    steps = killed["steps"]
    assert len(steps) > 10 and all(s["died"] for s in steps[:-1]) and not steps[-1]["died"]
    outcomes = [which(known_sets, killed["work"] / s["dir"] / "layers") for s in steps]
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    # once the new set is in place it stays: the switch is a single step
    switch = outcomes.index("new")
    assert set(outcomes[switch:]) == {"new"}, outcomes


def test_next_build_cleans_up_after_a_killed_one(killed: dict[str, Any], known_sets: dict[str, Any]) -> None:
    left = [s for s in killed["steps"] if stray_siblings(killed["work"] / s["dir"] / "layers")]
    assert left, "some kill must have left a temporary sibling behind"
    out = killed["work"] / left[0]["dir"] / "layers"
    assert build([known_sets["sources"]], out) == 0
    assert stray_siblings(out) == []
    assert file_set(out) == known_sets["new"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["layers"]


def test_stray_temporaries_are_ignored_by_readers_and_removed(
    known_sets: dict[str, Any], tmp_path: Path
) -> None:
    from geo.web.layers_io import read_layers

    out = seeded(known_sets, tmp_path / "layers")
    strays = [
        tmp_path / ".layers.new-0badc0de",  # a whole half-written folder
        out / ".renewal.geojson.tmp-12345678",  # a file of a killed single-file write
        out / ".parks.geojson.k2j4_x.tmp",  # the name earlier versions used
    ]
    strays[0].mkdir()
    (strays[0] / "renewal.geojson").write_bytes(b'{"type": "FeatureCollection", "feat')
    for p in strays[1:]:
        p.write_bytes(b'{"type": "Feat')
    assert sorted(stray_siblings(out)) == sorted(strays)
    read = read_layers(out)
    assert read.errors == {} and sorted(read.raw) == sorted(LAYERS)
    assert {f"{n}.geojson": d for n, d in read.raw.items()} == known_sets["old"]

    assert build([known_sets["sources"]], out) == 0
    assert stray_siblings(out) == [] and not any(p.exists() for p in strays)
    assert file_set(out) == known_sets["new"]


def test_failure_while_writing_leaves_every_old_file(
    known_sets: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk on the third file: nothing is replaced and nothing is left behind."""
    import geo.atomic

    out = seeded(known_sets, tmp_path / "layers")
    real = geo.atomic.write_new_file
    calls = []

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(geo.atomic, "write_new_file", full_disk)
    assert build([known_sets["sources"]], out) == 2  # a message, not a traceback
    assert file_set(out) == known_sets["old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


def test_layers_are_readable_by_others_and_other_files_are_kept(tmp_path: Path) -> None:
    """New files get the usual mode (not 0600); files the build does not write stay as they were."""
    out = tmp_path / "layers"
    out.mkdir()
    (out / "README.txt").write_text("kept", encoding="utf-8")
    (out / "link.geojson").symlink_to("renewal.geojson")
    inode = (out / "README.txt").stat().st_ino
    umask = os.umask(0o022)
    try:
        write_many_atomic({out / "renewal.geojson": b"{}", out / "parks.geojson": b"[]"})
        write_bytes_atomic(tmp_path / "single.json", b"1")
    finally:
        os.umask(umask)
    assert (out / "renewal.geojson").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "single.json").stat().st_mode & 0o777 == 0o644
    assert (out / "README.txt").stat().st_ino == inode and (out / "README.txt").read_text("utf-8") == "kept"
    assert os.readlink(out / "link.geojson") == "renewal.geojson"
    assert (out / "link.geojson").read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers", "single.json"]


def test_folder_with_a_sub_folder_still_gets_whole_files(tmp_path: Path) -> None:
    """A sub-folder cannot be carried into the swapped folder: files are replaced one by one."""
    out = tmp_path / "layers"
    (out / "archive").mkdir(parents=True)
    (out / "archive" / "2023.geojson").write_bytes(b"old")
    inode = out.stat().st_ino
    write_many_atomic({out / "renewal.geojson": b"{}", out / "parks.geojson": b"[]"})
    assert out.stat().st_ino == inode
    assert (out / "archive" / "2023.geojson").read_bytes() == b"old"
    assert (out / "renewal.geojson").read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]


# --- the geocoder cache -------------------------------------------------------------------


def _fill(path: Path, n: int) -> None:
    with GeoCache(path) as cache:
        for i in range(n):
            cache.put("amap", f"地点{i}", [{"location": f"120.{i:03d},28.9", "pad": "x" * 200}])


def test_truncated_cache_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    _fill(path, 200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy cut short
    with GeoCache(path) as cache:
        assert len(cache) == 0
        cache.put("amap", "q", {"ok": 1})
        assert cache.get("amap", "q") is not None
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_cache_damaged_while_open_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    _fill(path, 200)
    with GeoCache(path) as cache:
        assert cache.get("amap", "地点5") is not None
        with path.open("r+b") as fh:  # another program scribbles over the file
            fh.write(b"\xa5" * path.stat().st_size)
        assert cache.get("amap", "地点150") is None  # not trusted
        cache.put("amap", "after", {"ok": 1})
        assert cache.get("amap", "after") is not None
    with GeoCache(path) as again:
        assert again.get("amap", "after") is not None
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_cache_killed_while_writing_keeps_whole_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        from geo.locate.geocache import GeoCache
        cache = GeoCache({str(path)!r})
        for i in range(100000):
            cache.put("amap", f"q{{i}}", {{"i": i, "pad": "x" * 500}})
            if i == 20:
                print("writing", flush=True)
        """
    )
    for delay in (0.0, 0.05, 0.2):
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with GeoCache(path) as cache:
            n = len(cache)
            assert n >= 21
            for i in range(n):  # rows written in order: the first n are all there, whole
                hit = cache.get("amap", f"q{i}")
                assert hit is not None and hit.raw == {"i": i, "pad": "x" * 500}
        assert not list(tmp_path.glob("*.corrupt-*"))
        path.unlink()
        for side in tmp_path.glob("c.sqlite-*"):
            side.unlink()


def test_cache_that_is_a_folder_or_empty(tmp_path: Path) -> None:
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    with GeoCache(folder) as cache:
        cache.put("amap", "q", None)
        assert cache.get("amap", "q") is not None
    assert folder.is_file() and len(list(tmp_path.glob("folder.sqlite.corrupt-*"))) == 1

    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    with GeoCache(empty) as cache:
        cache.put("amap", "q", None)
        assert cache.get("amap", "q") is not None
    conn = sqlite3.connect(empty)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
