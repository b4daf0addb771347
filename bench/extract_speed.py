"""Extraction throughput beside jieba's own word cutting, on the same text.

    python bench/extract_speed.py [--mb 1.0] [--repeat 3]

The text is the reports in ``data/sources`` (and the evaluation kit's reports when it is beside
the repository), cleaned, repeated up to ``--mb`` megabytes. Timed: ``jieba.lcut`` over each
paragraph, and ``split_sentences`` + ``find_mentions`` over the whole text, both after their
dictionaries are loaded. Prints MB/s (wall and CPU) as the median of ``--repeat`` runs and the
process's peak memory. Compare by CPU time on a shared machine: the load inflates wall time.
"""

from __future__ import annotations

import argparse
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


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)

    import jieba

    from geo.extract import find_mentions
    from geo.report.pipeline import prepare
    from geo.text.sentences import split_sentences

    t0 = time.perf_counter()
    prepare("given")
    load_s = time.perf_counter() - t0
    text = corpus(a.mb)
    mb = len(text.encode("utf-8")) / 1e6
    paragraphs = [p for p in text.split("\n") if p.strip()]
    find_mentions(split_sentences(text[:5000]))  # first use: the part-of-speech table

    counts: dict[str, int] = {}

    def cut() -> None:
        counts["words"] = sum(len(jieba.lcut(p)) for p in paragraphs)

    def extract() -> None:
        counts["mentions"] = len(find_mentions(split_sentences(text), ("某某县", "某某")))

    rows = [("jieba.lcut", *timed(cut, a.repeat)), ("extraction", *timed(extract, a.repeat))]
    print(f"text: {mb:.2f} MB ({len(text):,} characters); tables loaded in {load_s:.1f} s; "
          f"median of {a.repeat} runs")
    print(f"{'what':12} {'wall s':>8} {'MB/s':>7} {'CPU s':>8} {'MB/CPU-s':>9}")
    for name, wall, cpu in rows:
        print(f"{name:12} {wall:8.2f} {mb / wall:7.2f} {cpu:8.2f} {mb / cpu:9.2f}")
    wall_ratio, cpu_ratio = rows[0][1] / rows[1][1], rows[0][2] / rows[1][2]
    print(f"extraction / jieba.lcut speed: {cpu_ratio:.2f}x by CPU time, {wall_ratio:.2f}x by wall time "
          f"(other processes on the machine inflate wall time); words {counts['words']:,}, "
          f"mentions {counts['mentions']:,}")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
