"""Train the learned site check (``geo/extract/site_filter.json``) from the labelled reports.

    python bench/train_site_filter.py [--eval ../shared/eval] [--out geo/extract/site_filter.json]

Every candidate site the rule passes find in the seeds, ``dev/``, ``dev2/`` and
``data/eval/train`` (each report with its county given; never ``data/eval/held``) is labelled
by the gold: a site when it matches a required gold site as the scorer matches names, not a site
when it matches none; candidates matching only optional sites are left out. A logistic
regression (L2, full-batch gradient descent from zero weights: the same files give the same
model, byte for byte) is fitted on their features.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
L2 = 1.0
STEPS = 400
LEARNING_RATE = 0.5
THRESHOLD = 0.35
MIN_COUNT = 2  # features seen fewer times than this are dropped
SETS = ("seeds", "dev", "dev2", "train")  # the labelled reports trained on; held/ never is


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@dataclass(frozen=True)
class Sample:
    doc: str
    feats: tuple[str, ...]
    label: int


def matches(scorer: ModuleType, g: dict, name: str) -> bool:
    """Whether ``name`` matches gold site ``g`` as the scorer matches names (key, alias, loose key,
    containment)."""
    k = scorer.key(name)
    keys = scorer.gold_keys(g)
    loose = scorer.loose_key(g["name"])
    if k in keys or (len(loose) >= 5 and scorer.loose_key(name) == loose):
        return True
    for gk in keys:
        short, long_ = sorted((gk, k), key=len)
        if short and short in long_ and len(short) >= 3 and len(short) / len(long_) >= 0.6:
            return True
    return False


def label(scorer: ModuleType, gold: list[dict], name: str) -> int | None:
    """1 when ``name`` matches a required gold site, None when only an optional one, else 0."""
    optional = False
    for g in gold:
        if matches(scorer, g, name):
            if not g.get("optional"):
                return 1
            optional = True
    return None if optional else 0


def samples(eval_dir: Path) -> list[Sample]:
    """Labelled candidates of every report, in report and text order."""
    from geo.extract.model import SITE
    from geo.extract.sentence import sentence_candidates
    from geo.extract.site_filter import features
    from geo.locate.county import resolve_county
    from geo.report.pipeline import prepare
    from geo.text.clean import clean_text
    from geo.text.sentences import split_sentences

    ev = _load("bench_eval", ROOT / "bench" / "eval.py")
    scorer = ev.load_scorer(eval_dir)
    prepare("given")
    out: list[Sample] = []
    for rep in ev.reports(eval_dir, list(SETS)):
        text = clean_text(rep.path.read_text(encoding="utf-8"))
        c = resolve_county(text, rep.county)
        for s in split_sentences(text):
            st, cands = sentence_candidates(s, (c.name, c.short))
            for cand in cands:
                if cand.shape != SITE:
                    continue
                y = label(scorer, rep.gold, cand.name)
                if y is not None:
                    out.append(Sample(f"{rep.set_name}/{rep.doc}", tuple(features(st, cand)), y))
    return out


def fit(train: list[Sample]):  # -> SiteFilter
    """Logistic regression on the samples' binary features (deterministic)."""
    from geo.extract.site_filter import SiteFilter

    counts: dict[str, int] = {}
    for s in train:
        for f in s.feats:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    # sparse binary rows as (row, column) pairs: sums and scatters, no matrix library threads
    rows, cols = [], []
    for r, s in enumerate(train):
        for f in sorted({f for f in s.feats if f in index}):
            rows.append(r)
            cols.append(index[f])
    row, col = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    y = np.array([s.label for s in train], dtype=float)
    w, b = np.zeros(len(names)), 0.0
    n = len(train)
    for _ in range(STEPS):
        z = np.bincount(row, weights=w[col], minlength=n) + b
        g = 1.0 / (1.0 + np.exp(-z)) - y
        w -= LEARNING_RATE * (np.bincount(col, weights=g[row], minlength=len(names)) / n + L2 * w / n)
        b -= LEARNING_RATE * float(g.mean())
    weights = {f: round(float(v), 4) for f, v in zip(names, w, strict=True) if abs(v) >= 1e-4}
    return SiteFilter(weights, round(b, 4), THRESHOLD)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--out", type=Path, default=ROOT / "geo" / "extract" / "site_filter.json")
    a = ap.parse_args(argv)
    data = samples(a.eval)
    model = fit(data)
    a.out.write_text(model.to_json(), encoding="utf-8")
    pos = sum(s.label for s in data)
    print(f"{len(data)} candidates ({pos} sites, {len(data) - pos} not) from "
          f"{len({s.doc for s in data})} reports; {len(model.weights)} weights → {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
