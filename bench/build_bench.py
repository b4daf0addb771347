"""Build throughput: ``python -m geo build`` over generated corpora of 1, 10, 100 and 1,000 reports.

    .venv/bin/python bench/build_bench.py [--sizes 1 10 100 1000] [--workers 1 2] [--repeat 3]

The corpus (``bench/corpus.py``: the seeds, then variations of them) is generated into a temporary
folder; the corpus of n reports is its first n. Each build runs offline in a child process, as a
user would run it; every (size, workers) build is repeated and the median wall time is kept.
Printed per build: report text in MB (the files' bytes), wall seconds, MB/s, seconds per report,
CPU seconds (user + system of the build and its workers: unlike wall time, not inflated when other
work shares the machine) and MB per CPU second, the peak resident memory of the largest process
(``ru_maxrss`` of the child, which covers the pool workers it waited for) and of the whole process
tree (proportional set size, so pages the workers share with the parent count once; sampled every
20 ms), and whether the layers are byte-identical to those of the first ``--workers`` value.
Then, per workers value, least-squares fits ``seconds = fixed + per_report × n`` (wall and CPU)
and the marginal cost per report between successive sizes: growth is linear when it stays flat.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, load_seeds  # noqa: E402

LAYER_FILES = ("renewal.geojson", "parks.geojson", "roads.geojson", "scenic.geojson")


@dataclass
class Run:
    reports: int
    mb: float
    workers: int
    seconds: float  # median over the repeats
    seconds_all: list[float]
    cpu_s: float  # median over the repeats
    max_rss_mb: float  # largest single process (ru_maxrss), highest over the repeats
    tree_rss_mb: float  # sampled peak of the whole process tree, highest over the repeats
    sites: int
    refused: int
    same_layers: bool

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.seconds

    @property
    def s_per_report(self) -> float:
        return self.seconds / self.reports

    @property
    def mb_per_cpu_s(self) -> float:
        return self.mb / self.cpu_s


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def run_build(folder: Path, out: Path, workers: int, log: Path) -> tuple[float, float, float, float, int]:
    """(wall s, CPU s, ru_maxrss MB, sampled tree PSS MB, exit code) of one ``python -m geo build``."""
    cmd = [sys.executable, "-m", "geo", "build", str(folder), "--out", str(out), "--quiet",
           "--workers", str(workers)]
    peak = [0]
    done = threading.Event()
    with log.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(proc.pid)))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, peak[0] / 1024, proc.returncode


def _summary(log: Path) -> tuple[int, int]:
    """(sites, refused reports) from the build's summary on stderr."""
    text = log.read_text(encoding="utf-8", errors="replace")
    sites = refused = 0
    for line in text.splitlines():
        if line.startswith("read ") and " site(s)" in line:
            sites = int(line.split("; ")[1].split()[0])
        if line.endswith("file(s) refused (see warnings above)"):
            refused = int(line.split()[0])
    return sites, refused


def _same(a: Path, b: Path) -> bool:
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in LAYER_FILES)


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares ``seconds = fixed + per_report × n``."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - slope * mx, slope


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3, help="builds per (size, workers); the median is kept")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="build-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"generating {max(args.sizes)} reports ...", file=sys.stderr)
        paths = generate(tmp / "all", max(args.sizes), seeds=load_seeds())
        for n in args.sizes:
            folder = tmp / f"corpus-{n}"
            folder.mkdir()
            for p in paths[:n]:
                os.link(p, folder / p.name)
            mb = sum(p.stat().st_size for p in paths[:n]) / 1e6
            first_out: Path | None = None
            for w in args.workers:
                out = tmp / f"out-{n}-{w}"
                times, cpus, rss, tree = [], [], 0.0, 0.0
                for k in range(args.repeat):
                    log = tmp / f"log-{n}-{w}-{k}.txt"
                    seconds, cpu, max_rss, tree_rss, code = run_build(folder, out, w, log)
                    if code not in (0, 1):
                        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace"))
                        raise SystemExit(f"build of {n} report(s) with {w} worker(s) failed ({code})")
                    times.append(seconds)
                    cpus.append(cpu)
                    rss, tree = max(rss, max_rss), max(tree, tree_rss)
                    print(f"  {n} reports, {w} worker(s), run {k + 1}: {seconds:.2f} s, CPU {cpu:.2f} s",
                          file=sys.stderr)
                sites, refused = _summary(log)
                first_out = first_out or out
                runs.append(Run(n, mb, w, statistics.median(times), times, statistics.median(cpus), rss, tree,
                                sites, refused, _same(first_out, out)))

    print(f"{'reports':>7} {'MB':>6} {'workers':>7} {'median s':>9} {'MB/s':>6} {'s/report':>9} "
          f"{'CPU s':>6} {'MB/CPU-s':>8} {'max RSS MB':>10} {'tree PSS MB':>11} {'sites':>6} {'refused':>7} "
          f"{'same layers':>11}")
    for r in runs:
        print(f"{r.reports:>7} {r.mb:>6.2f} {r.workers:>7} {r.seconds:>9.2f} {r.mb_per_s:>6.2f} "
              f"{r.s_per_report:>9.3f} {r.cpu_s:>6.1f} {r.mb_per_cpu_s:>8.2f} {r.max_rss_mb:>10.0f} "
              f"{r.tree_rss_mb:>11.0f} {r.sites:>6} {r.refused:>7} {'yes' if r.same_layers else 'NO':>11}")
    print()
    print("growth (seconds = fixed + per_report × n; marginal = extra seconds per extra report)")
    fits = {}
    for w in args.workers:
        mine = sorted((r for r in runs if r.workers == w), key=lambda r: r.reports)
        fixed, slope = fit([(r.reports, r.seconds) for r in mine])
        mb_per_report = mine[-1].mb / mine[-1].reports
        steps = [
            f"{a.reports}→{b.reports}: {(b.seconds - a.seconds) / (b.reports - a.reports):.4f} s"
            for a, b in pairwise(mine)
        ]
        cpu_fixed, cpu_slope = fit([(r.reports, r.cpu_s) for r in mine])
        fits[w] = {"fixed_s": fixed, "per_report_s": slope, "marginal_mb_per_s": mb_per_report / slope,
                   "cpu_fixed_s": cpu_fixed, "cpu_per_report_s": cpu_slope,
                   "marginal_mb_per_cpu_s": mb_per_report / cpu_slope}
        print(f"  {w} worker(s): wall {fixed:.2f} s + {slope:.4f} s/report "
              f"(marginal {mb_per_report / slope:.2f} MB/s); per-report cost {'; '.join(steps)}")
        print(f"  {w} worker(s): CPU  {cpu_fixed:.2f} s + {cpu_slope:.4f} s/report "
              f"(marginal {mb_per_report / cpu_slope:.2f} MB per CPU second)")
    if args.json:
        data = {"runs": [asdict(r) | {"mb_per_s": r.mb_per_s, "mb_per_cpu_s": r.mb_per_cpu_s} for r in runs],
                "fits": fits}
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0 if all(r.same_layers for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
