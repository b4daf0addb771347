"""Scale: full builds in one process and on a local Dask cluster, and incremental builds.

    .venv/bin/python bench/scale_bench.py [--sizes 1 100 1000 10000] [--cluster-sizes 100 1000]
        [--before DIR] [--repeat 3]

For each size n, on a generated corpus of n reports (``bench/corpus.py``: the seeds and their
variations, then, when ``../shared/eval`` is beside the repository, the development reports with
their paragraphs shuffled, so the text varies beyond the seeds' phrases):

* ``full 1p``: ``python -m geo build --no-cache`` in one process;
* ``full dask``: the same on a local Dask cluster of two worker processes (``--scheduler local
  --workers 2``), for the sizes in ``--cluster-sizes``;
* ``warm``: a build that fills an empty results cache, then ``+1 report``: one report added and
  the build run again with that cache (what a user waits for after adding a report); with
  ``--repeat k`` the median of k such builds, each from the cache as the warm build left it;
  then ``+1 into largest``: one more report added to the county that holds the most reports (a
  variation of that county's seed with its paragraphs shuffled again), from the cache as the
  ``+1 report`` build left it: that whole county is merged and placed again.

``--before DIR`` (a checkout of earlier code, e.g. ``git archive REV | tar -x -C DIR``) runs the
cached builds with that code too, each beside this checkout's, so both see the same machine.

Every build is a child process measured by ``/usr/bin/time -v``: wall seconds, CPU seconds (user +
system, the build and every process it waited for) and the peak resident memory of the largest
process. The layers of every variant of a size are compared with those of ``full 1p``.
Finally a paper estimate of a national corpus from the measured per-report costs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, load_seeds  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
LAYERS = ("renewal.geojson", "parks.geojson", "roads.geojson", "scenic.geojson")


@dataclass
class Timed:
    wall_s: float
    cpu_s: float
    max_rss_mb: float
    code: int


def timed(args: list[str], code: Path = ROOT) -> Timed:
    """Run ``args`` under ``/usr/bin/time -v`` with the ``geo`` of checkout ``code``; its
    whole-process figures."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(["/usr/bin/time", "-v", *args], cwd=code, capture_output=True, text=True,
                          check=False, env=env)

    def field(label: str) -> str:
        m = re.search(rf"^\s*{re.escape(label)}: (.+)$", done.stderr, re.M)
        return m.group(1) if m else "0"

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return Timed(wall, cpu, int(field("Maximum resident set size (kbytes)")) / 1024, done.returncode)


def median_timed(runs: list[Timed]) -> Timed:
    """Each figure's median over ``runs`` (and the first exit code)."""
    return Timed(statistics.median(t.wall_s for t in runs), statistics.median(t.cpu_s for t in runs),
                 statistics.median(t.max_rss_mb for t in runs), runs[0].code)


def development_texts() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for d in ("dev", "dev2") if (EVAL / d).is_dir()
            for p in sorted((EVAL / d).glob("*.txt"))]


def make_corpus(out: Path, n: int) -> list[Path]:
    """Seeds and their variations for even k, development reports shuffled for odd k (when present)."""
    dev = development_texts()
    seeds = load_seeds()
    if not dev:
        return generate(out, n, seeds=seeds)
    own = generate(out, (n + 1) // 2, seeds=seeds)
    paths = list(own)
    for k in range(n // 2):
        stem, text = dev[k % len(dev)]
        head, *body = text.split("\n\n")
        random.Random(k).shuffle(body)
        path = out / f"d{k:05d}_{stem}.txt"
        path.write_text("\n\n".join([head, *body]), encoding="utf-8")
        paths.append(path)
    return paths


def same_layers(a: Path, b: Path) -> bool:
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in LAYERS)


def build_args(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "geo", "build", str(src), "--out", str(out), "--quiet", *extra]


Row = tuple[int, float, str, Timed, str]


def size_rows(n: int, tmp: Path, codes: dict[str, Path], cluster: bool, repeat: int) -> list[Row]:
    """Full builds of ``n`` reports, then for each checkout in ``codes`` a build filling its
    cache and ``repeat`` builds after one report is added (each from that same filled cache)."""
    src = tmp / f"c{n}"
    src.mkdir()
    paths = make_corpus(src, n + 1)
    held = tmp / f"extra{n}"
    held.mkdir()
    extra = paths[-1].rename(held / paths[-1].name)
    mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6
    ref = tmp / f"o{n}-full"
    rows: list[Row] = [(n, mb, "full 1p", timed(build_args(src, ref, "--no-cache")), "ref")]
    if cluster:
        out = tmp / f"o{n}-dask"
        t = timed(build_args(src, out, "--no-cache", "--scheduler", "local", "--workers", "2"))
        rows.append((n, mb, "full dask 2w", t, "same" if same_layers(ref, out) else "DIFFERENT"))
    for label, code in codes.items():
        cache, out = tmp / f"cache{n}{label}", tmp / f"o{n}-warm{label}"
        t = timed(build_args(src, out, "--cache-dir", str(cache)), code)
        same = "same" if same_layers(ref, out) else "DIFFERENT"
        rows.append((n, mb, f"warm (fills cache){label}", t, same))
        shutil.copytree(cache, tmp / f"filled{n}{label}")
    extra.rename(src / extra.name)
    full = tmp / f"o{n}-plus1-full"
    subprocess.run(build_args(src, full, "--no-cache"), cwd=ROOT, capture_output=True, check=False)
    runs: dict[str, list[Timed]] = {label: [] for label in codes}
    alike = dict.fromkeys(codes, True)
    for _ in range(repeat):  # interleaved, so both checkouts see the same load
        for label, code in codes.items():
            cache, out = tmp / f"cache{n}{label}", tmp / f"o{n}-plus1{label}"
            shutil.rmtree(cache)
            shutil.copytree(tmp / f"filled{n}{label}", cache)
            runs[label].append(timed(build_args(src, out, "--cache-dir", str(cache)), code))
            alike[label] = alike[label] and same_layers(full, out)
    for label in codes:
        rows.append((n + 1, mb, f"+1 report, cached{label}", median_timed(runs[label]),
                     "same" if alike[label] else "DIFFERENT"))
    rows += _into_largest(n, mb, src, tmp, codes, repeat)
    return rows


def _largest_county_report(src: Path) -> Path:
    """A new report of the county with the most reports: the variations of one seed are named
    ``KKKKK_SSS_...``; a variation of the most varied seed with its paragraphs shuffled again."""
    groups: dict[str, list[Path]] = {}
    for p in sorted(src.iterdir()):
        if m := re.match(r"[a-z]?\d+_(\d{3})_", p.name):
            groups.setdefault(m.group(1), []).append(p)
    seed, paths = max(groups.items(), key=lambda kv: len(kv[1]))
    head, *body = paths[-1].read_text(encoding="utf-8").split("\n\n")
    random.Random(1).shuffle(body)
    out = src / f"z_largest_{seed}.txt"
    out.write_text("\n\n".join([head, *body]), encoding="utf-8")
    return out


def _into_largest(n: int, mb: float, src: Path, tmp: Path, codes: dict[str, Path], repeat: int) -> list[Row]:
    """``repeat`` builds after one more report is added to the largest county, each from the
    cache as the last ``+1 report`` build left it."""
    for label in codes:
        shutil.copytree(tmp / f"cache{n}{label}", tmp / f"filled{n}+1{label}")
    _largest_county_report(src)
    full = tmp / f"o{n}-plus2-full"
    subprocess.run(build_args(src, full, "--no-cache"), cwd=ROOT, capture_output=True, check=False)
    runs: dict[str, list[Timed]] = {label: [] for label in codes}
    alike = dict.fromkeys(codes, True)
    for _ in range(repeat):
        for label, code in codes.items():
            cache, out = tmp / f"cache{n}{label}", tmp / f"o{n}-plus2{label}"
            shutil.rmtree(cache)
            shutil.copytree(tmp / f"filled{n}+1{label}", cache)
            runs[label].append(timed(build_args(src, out, "--cache-dir", str(cache)), code))
            alike[label] = alike[label] and same_layers(full, out)
    return [(n + 2, mb, f"+1 into largest{label}", median_timed(runs[label]),
             "same" if alike[label] else "DIFFERENT") for label in codes]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    ap.add_argument("--cluster-sizes", type=int, nargs="*", default=[100, 1000])
    ap.add_argument("--before", type=Path, default=None,
                    help="a checkout of earlier code: its cached builds run beside this one's, interleaved")
    ap.add_argument("--repeat", type=int, default=1, help="runs of '+1 report' (median)")
    args = ap.parse_args(argv)
    codes = {"": ROOT} if args.before is None else {" [before]": args.before.resolve(), "": ROOT}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp_s:
        for n in args.sizes:
            rows += size_rows(n, Path(tmp_s), codes, n in args.cluster_sizes, args.repeat)
            print(f"  done {n}", file=sys.stderr, flush=True)
    print(f"{'reports':>8} {'MB':>7} {'build':<29} {'wall s':>8} {'CPU s':>8} {'max RSS MB':>11} {'exit':>4} "
          "layers")
    for n, mb, what, t, same in rows:
        print(f"{n:>8} {mb:>7.2f} {what:<29} {t.wall_s:>8.2f} {t.cpu_s:>8.2f} {t.max_rss_mb:>11.0f} "
              f"{t.code:>4} {same}")
    single = [(n, t) for n, _, what, t, _ in rows if what == "full 1p"]
    if len(single) >= 2:
        (n0, t0), (n1, t1) = single[-2], single[-1]
        per_report = (t1.cpu_s - t0.cpu_s) / (n1 - n0)
        print(f"\nmarginal CPU per report (full 1p, {n0}→{n1}): {per_report * 1000:.1f} ms")
        reports, cores = 100_000, 64
        print(f"paper estimate, {reports:,} reports on a {cores}-core cluster: per-report work "
              f"{per_report * reports / cores / 60:.1f} min if it spreads evenly, plus the client's merge, "
              f"location and writing (serial; see the README for the measured share)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
