"""Start-up of the build and the cost of the county step.

1. A cold ``python -m geo build`` of one ~12 KB report (a new process each time, the stored
   tables already in the cache folder), under ``/usr/bin/time -v``: wall seconds, CPU seconds
   (user + system), peak RSS. Median of ``--repeat`` runs. Also the first run ever, when the
   tables are built into an empty cache folder (once per installation and input versions).
2. The county step (``geo.locate.county.decide.decide``: text, title, file name, folder) per report,
   in CPU milliseconds (least of ``--county-repeat`` runs, with what detection remembers of earlier
   texts emptied first), over the 12 KB report, the seeds and the development sets, in one warm
   process.

    PYTHONPATH=$PWD .venv/bin/python bench/startup_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"
EVAL = ROOT.parent / "shared" / "eval"


def timed_build(folder: Path, out: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall s, cpu s, peak RSS MB, exit code) of one build in a new process."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "geo", "build", str(folder), "--out", str(out),
           "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    err = done.stderr

    def field(name: str) -> str:
        m = re.search(rf"{re.escape(name)}: (.+)", err)
        return m.group(1).strip() if m else "0"

    wall_txt = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall_txt.split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss, done.returncode


def county_step_ms(paths: list[tuple[Path, Path]], repeat: int = 15) -> list[tuple[str, float]]:
    from geo.locate.county.decide import Clues, decide
    from geo.locate.county.text import _index
    from geo.text.clean import clean_text

    decide("预热")  # tables mapped once per process: not part of a report's cost
    ix = _index()
    out = []
    for root, path in paths:
        text = clean_text(path.read_text("utf-8"))
        runs = []
        for _ in range(repeat):  # CPU time of this process, the least: other people's jobs do not count
            ix.alone.clear()  # as for a report never seen: nothing remembered from earlier texts
            ix.held.clear()
            t = time.process_time()
            decide(text, Clues(path=path, root=root))
            runs.append((time.process_time() - t) * 1000)
        out.append((path.name, min(runs)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--county-repeat", type=int, default=15,
                    help="runs of the county step per report (the least is kept)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        # as an installed copy runs: bytecode compiled once and kept (here in a private folder)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pyc")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        no_pyc = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        folder = Path(tmp) / "one"
        folder.mkdir()
        shutil.copy(REPORT, folder / REPORT.name)
        size = REPORT.stat().st_size / 1000
        print(f"report: {REPORT.name}, {size:.1f} kB; load average {os.getloadavg()[0]:.1f}")
        empty = {**env, "RENEWAL_MAP_CACHE": str(Path(tmp) / "cache")}
        first = timed_build(folder, Path(tmp) / "out0", empty)
        print(f"first run, tables built into an empty cache: wall {first[0]:.2f} s, CPU {first[1]:.2f} s, "
              f"peak RSS {first[2]:.0f} MB, exit {first[3]}")
        timed_build(folder, Path(tmp) / "out_pyc", env)  # compiles the bytecode once
        for label, e in (("bytecode cached", env), ("no bytecode cache", no_pyc)):
            runs = [timed_build(folder, Path(tmp) / f"out{i + 1}", e) for i in range(args.repeat)]
            for name, k in (("wall s", 0), ("CPU s", 1), ("peak RSS MB", 2)):
                vals = [r[k] for r in runs]
                med = statistics.median(vals)
                print(f"cold build, tables cached, {label:<17}: {name:<12} median {med:6.2f}"
                      f"  (min {min(vals):.2f}, max {max(vals):.2f}, {len(vals)} runs)")
    paths = [(REPORT.parent, REPORT)]
    for folder in (EVAL.parent / "seeds", EVAL / "dev", EVAL / "dev2"):
        paths += [(folder, p) for p in sorted(folder.glob("*.txt"))]
    ms = county_step_ms(paths, args.county_repeat)
    vals = [v for _, v in ms]
    print(f"county step per report ({len(ms)} reports): median {statistics.median(vals):.1f} ms, "
          f"max {max(vals):.1f} ms ({max(ms, key=lambda x: x[1])[0]}); 12 kB report {ms[0][1]:.1f} ms")


if __name__ == "__main__":
    main()
