"""Test projects, and saves and placements killed part-way: ``python tests/crash_helper.py PLAN.json``.

The tests import :func:`make_project`, :func:`tree` and :func:`run_plan` from here.

The helper loads the pipeline once, then runs every trial in a forked child on its own copy of a
project and SIGKILLs it: either just before its k-th file-system call that changes something
(replace, rename, link, unlink, mkdir, rmdir, fsync) for every k, or after a random delay. A first
child runs to completion and counts those calls; its copy is the state after a complete run.
Prints one JSON object: ``{"steps": n, "after": root, "trials": [{"root", "how", "outcome"}]}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_COUNTED = ("replace", "rename", "link", "unlink", "mkdir", "rmdir", "fsync")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "sources"
YONGKANG_REPORT = SEEDS / "000_adb8b547a985f849.txt"
DEQING_REPORT = SEEDS / "002_baa0c397a6a27755.txt"


# ------------------------------------------------------------------ for the tests


def make_project(root: Path, reports: list[Path]) -> Path:
    """A project at ``root``: ``data/sources`` holding ``reports`` (writable copies) and built ``layers``.

    Placements are read from ``root/data/overrides.geojson`` (absent), never from the real project.
    """
    from geo.cli import main

    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    for report in reports:
        (sources / report.name).write_bytes(report.read_bytes())
    assert main(["build", str(sources), "--out", str(root / "layers"), "--quiet",
                 "--overrides", str(root / "data" / "overrides.geojson")]) == 0
    return root


def copy_project(template: Path, root: Path) -> Path:
    shutil.copytree(template, root, symlinks=True)
    return root


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (as None) below ``root``, hidden ones included."""
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = None if path.is_dir() else path.read_bytes()
    return out


def stamps(root: Path) -> dict[str, int]:
    """Modification time of everything below ``root``."""
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in sorted(root.rglob("*"))}


def run_plan(plan: dict[str, Any], folder: Path, timeout_s: float = 120) -> dict[str, Any]:
    """Run this module on ``plan`` in a new Python process; its JSON answer."""
    import subprocess

    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, __file__, str(plan_file)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ the helper process


def _runner(plan: dict[str, Any]) -> Callable[[Path], None]:
    """What one trial does to the project at ``root``."""
    from geo.project.project import Project

    if plan["kind"] == "save":
        from geo.project.upload import save_upload

        data = Path(plan["upload"]).read_bytes()

        def save(root: Path) -> None:
            save_upload(Project.at(root), plan["name"], data)

        return save

    from shapely.geometry import Point

    from geo.project.placement import place as place_site

    def place(root: Path) -> None:
        place_site(
            Project.at(root),
            site_id=plan["site_id"],
            name=plan["site_name"],
            county=plan["county"],
            geometry=Point(plan["lon"], plan["lat"]),
            note=plan["note"],
            who=plan["who"],
            when=plan["when"],
        )

    return place


def _count_calls(kill_at: int | None) -> list[int]:
    """Count changing file-system calls in this (child) process; SIGKILL it before call ``kill_at``."""
    calls = [0]

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)

        return counted

    for name in _COUNTED:
        setattr(os, name, wrap(getattr(os, name)))
    return calls


def _start(run: Callable[[Path], None], root: Path, kill_at: int | None = None) -> tuple[int, int]:
    """Fork a child that runs ``run(root)``; (its pid, the pipe it reports its call count on)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            os.close(read_fd)
            calls = _count_calls(kill_at)
            run(root)
            os.write(write_fd, str(calls[0]).encode())
            code = 0
        except BaseException as error:  # reported through the exit code
            print(f"trial failed: {error!r}", file=sys.stderr)
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _finish(pid: int, read_fd: int) -> tuple[str, int]:
    """Wait for a child: ("killed" | "done" | "failed", calls counted when it completed)."""
    _, status = os.waitpid(pid, 0)
    counted = os.read(read_fd, 64)
    os.close(read_fd)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return "killed", 0
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return "done", int(counted or b"0")
    return "failed", 0


def main(plan_path: str) -> None:
    clock = time.monotonic()
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    template, work = Path(plan["template"]), Path(plan["work"])
    if "reports" in plan:  # build the template here: this process needs the pipeline loaded anyway
        make_project(template, [Path(p) for p in plan["reports"]])
    run = _runner(plan)

    def fresh(label: str) -> Path:
        root = work / label
        shutil.copytree(template, root, symlinks=True)
        return root

    run(fresh("warm"))  # once in this process, so that every child starts with everything loaded
    timings = {"ready_s": round(time.monotonic() - clock, 2)}
    after = fresh("after")
    started = time.monotonic()
    outcome, steps = _finish(*_start(run, after))
    if outcome != "done":
        raise SystemExit(f"a complete run did not complete: {outcome}")
    duration = time.monotonic() - started
    deadline = time.monotonic() + float(plan.get("budget_s", 10))

    trials: list[dict[str, Any]] = []
    parallel = max(1, os.cpu_count() or 1)
    rng = random.Random(plan.get("seed", 0))
    pending = rng.sample(range(1, steps + 1), steps)  # any part of it covers early and late kills
    while pending and time.monotonic() < deadline:  # each step in its own child, a few at a time
        batch, pending = pending[:parallel], pending[parallel:]
        started_children = [(k, fresh(f"step-{k}")) for k in batch]
        running = [(k, root, _start(run, root, kill_at=k)) for k, root in started_children]
        for k, root, child in running:
            trials.append(
                {"root": str(root), "how": f"killed before call {k}", "outcome": _finish(*child)[0]}
            )
    for i in range(int(plan.get("random_kills", 10))):
        if time.monotonic() > deadline:
            break
        delay = rng.uniform(0, duration * 1.2)
        root = fresh(f"delay-{i}")
        pid, read_fd = _start(run, root)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.kill(pid, signal.SIGKILL)
        trials.append(
            {"root": str(root), "how": f"killed after {delay:.3f} s", "outcome": _finish(pid, read_fd)[0]}
        )
    timings["total_s"] = round(time.monotonic() - clock, 2)
    print(json.dumps({"steps": steps, "after": str(after), "trials": trials, "timings": timings}))


if __name__ == "__main__":
    main(sys.argv[1])
