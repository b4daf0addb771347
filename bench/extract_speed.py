"""Extraction throughput beside jieba's own word cutting, on the same text.

    python bench/extract_speed.py [--mb 1.0] [--repeat 3]

The text is the reports in ``data/sources`` (and the evaluation kit's reports when it is beside
the repository), cleaned, repeated up to ``--mb`` megabytes. Timed: ``jieba.lcut`` over each
paragraph, and ``split_sentences`` + ``find_mentions`` over the whole text, both after their
dictionaries are loaded, the two taking turns ``--repeat`` times. Prints MB/s (wall and CPU) as the
median of the runs, and by the least CPU time (the run least disturbed by other processes), and the
process's peak memory. Compare by CPU time on a shared machine: the load inflates wall time.

``--distinct``: instead, every distinct report once (the seeds, ``data/sources``, the kit's
``dev2/`` and ``dev/``, ``data/eval/train`` and ``data/eval/held``), so that nothing gains from
the text repeating.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def corpus(mb: float) -> str:
    from geo.text.clean import clean_text

    files = sorted((ROOT / "data" / "sources").glob("*.txt")) + sorted(EVAL.glob("dev*/*.txt"))
    texts = [clean_text(f.read_text(encoding="utf-8")) for f in files]
    one = "\n\n".join(texts)
    target = int(mb * 1_000_000)
    reps = max(1, -(-target // len(one.encode("utf-8"))))
    return "\n\n".join([one] * reps)


def distinct_corpus() -> str:
    """Each distinct report of the seeds, the evaluation sets and ``data/sources`` once."""
    from geo.text.clean import clean_text

    dirs = [ROOT.parent / "shared" / "seeds", ROOT / "data" / "sources", EVAL / "dev2", EVAL / "dev",
            ROOT / "data" / "eval" / "train", ROOT / "data" / "eval" / "held"]
    seen: dict[str, None] = {}
    for d in dirs:
        for f in sorted(d.glob("*.txt")):
            seen.setdefault(clean_text(f.read_text(encoding="utf-8")), None)
    return "\n\n".join(seen)


def timed(fns: list[Callable[[], object]], repeat: int) -> list[tuple[list[float], list[float]]]:
    """(wall seconds, CPU seconds) of each run of each function, the functions taking turns so that
    the load of other processes falls on them alike."""
    out: list[tuple[list[float], list[float]]] = [([], []) for _ in fns]
    for _ in range(repeat):
        for fn, (walls, cpus) in zip(fns, out, strict=True):
            w, c = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--distinct", action="store_true", help="every distinct report once, no repeats")
    a = ap.parse_args(argv)

    import jieba

    from geo.extract import find_mentions
    from geo.report.pipeline import prepare
    from geo.text.sentences import split_sentences

    t0 = time.perf_counter()
    prepare("given")
    load_s = time.perf_counter() - t0
    text = distinct_corpus() if a.distinct else corpus(a.mb)
    mb = len(text.encode("utf-8")) / 1e6
    paragraphs = [p for p in text.split("\n") if p.strip()]
    find_mentions(split_sentences(text[:5000]))  # first use: the part-of-speech table

    counts: dict[str, int] = {}

    def cut() -> None:
        counts["words"] = sum(len(jieba.lcut(p)) for p in paragraphs)

    def extract() -> None:
        counts["mentions"] = len(find_mentions(split_sentences(text), ("某某县", "某某")))

    runs = timed([cut, extract], a.repeat)
    print(f"text: {mb:.2f} MB ({len(text):,} characters); tables loaded in {load_s:.1f} s; "
          f"{a.repeat} runs each, taking turns; load average {os.getloadavg()[0]:.1f}")
    print(f"{'what':12} {'wall s':>8} {'MB/s':>7} {'CPU s':>8} {'MB/CPU-s':>9} "
          f"{'least CPU s':>12} {'MB/CPU-s':>9}")
    rows = []
    for name, (walls, cpus) in zip(("jieba.lcut", "extraction"), runs, strict=True):
        wall, cpu, least = statistics.median(walls), statistics.median(cpus), min(cpus)
        rows.append((wall, cpu, least))
        print(f"{name:12} {wall:8.2f} {mb / wall:7.2f} {cpu:8.2f} {mb / cpu:9.2f} "
              f"{least:12.2f} {mb / least:9.2f}")
    (j_wall, j_cpu, j_least), (x_wall, x_cpu, x_least) = rows
    print(f"extraction / jieba.lcut speed: {j_cpu / x_cpu:.2f}x by median CPU time, "
          f"{j_least / x_least:.2f}x by least CPU time, {j_wall / x_wall:.2f}x by median wall time "
          f"(other processes on the machine inflate wall time); words {counts['words']:,}, "
          f"mentions {counts['mentions']:,}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
