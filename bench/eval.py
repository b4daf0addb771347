"""Score extraction on the seeds, ``dev/`` and ``dev2/`` in one process.

    python bench/eval.py [--eval ../shared/eval] [--set dev2] [--details]

Each report is run through ``geo.report.pipeline.process_text`` with its county given (from
``meta.json``, or the gold's ``county`` for the seeds): this measures extraction alone, not
county detection. Mentions are merged into sites as the build merges them and scored with the
kit's own ``score.py`` matching. Prints a per-report table and one SUMMARY line per set.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
HELD = ROOT / "data" / "eval" / "held"
TRAIN = ROOT / "data" / "eval" / "train"


@dataclass
class Report:
    set_name: str
    doc: str
    path: Path
    county: str
    gold: list[dict] = field(default_factory=list)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    layer_ok: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, o: Score) -> None:
        self.tp += o.tp
        self.fp += o.fp
        self.fn += o.fn
        self.layer_ok += o.layer_ok
        self.matched += o.matched

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: {path}: cannot be loaded")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_scorer(eval_dir: Path) -> ModuleType:
    return _load_module("eval_score", eval_dir / "score.py")


def _gold_lines(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def reports(eval_dir: Path, sets: list[str]) -> list[Report]:
    """Every report of the chosen sets with its gold and the county it is about."""
    out: list[Report] = []
    if "seeds" in sets:
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for g in _gold_lines(eval_dir / "gold_seeds.jsonl"):
            by_doc[Path(g["doc"]).stem].append(g)
        for doc, gold in sorted(by_doc.items()):
            path = eval_dir.parent / "seeds" / f"{doc}.txt"
            out.append(Report("seeds", doc, path, gold[0]["county"], gold))
    for name in ("dev", "dev2", "train", "held"):
        if name not in sets:
            continue
        # train and held live in the repository; held is never trained on, never tuned to
        folder = {"held": HELD, "train": TRAIN}.get(name, eval_dir / name)
        for txt in sorted(folder.glob("*.txt")):
            meta = json.loads(txt.with_suffix(".meta.json").read_text(encoding="utf-8"))
            gold = _gold_lines(txt.with_suffix(".gold.jsonl"))
            out.append(Report(name, txt.stem, txt, meta["county"], gold))
    return out


_SHIPPED = "shipped"


def predicted_sites(report: Report, site_filter: object = _SHIPPED) -> list[dict]:
    """The report's sites as the build would write them (name, layer), without locating them.

    The same steps as ``geo.report.pipeline.process_text`` with the county given; ``site_filter`` is the
    learned check to use (the shipped one by default, None for none).
    """
    from geo.extract import find_mentions
    from geo.extract.sites import merge
    from geo.locate.county import resolve_county
    from geo.model import SiteMention
    from geo.text.clean import clean_text
    from geo.text.sentences import split_sentences

    text = clean_text(report.path.read_text(encoding="utf-8"))
    c = resolve_county(text, report.county)
    kw = {} if site_filter == _SHIPPED else {"site_filter": site_filter}
    mentions = find_mentions(split_sentences(text), (c.name, c.short), **kw)
    sites = merge([SiteMention(m, report.path.name, c, "unknown") for m in mentions])
    return [{"properties": {"name": s.name, "category": s.layer}} for s in sites]


def score_report(scorer: ModuleType, report: Report, pred: list[dict]) -> Score:
    pairs, used = scorer.match(report.gold, pred)
    matched = {gi for gi, _ in pairs}
    sc = Score()
    sc.tp = sum(1 for gi, _ in pairs if not report.gold[gi].get("optional"))
    sc.misses = [g["name"] for gi, g in enumerate(report.gold) if gi not in matched and not g.get("optional")]
    sc.extras = [f["properties"]["name"] for pi, f in enumerate(pred) if pi not in used]
    sc.fn, sc.fp = len(sc.misses), len(sc.extras)
    sc.matched = len(pairs)
    sc.layer_ok = sum(pred[pi]["properties"]["category"] == report.gold[gi].get("layer") for gi, pi in pairs)
    return sc


def summary(label: str, sc: Score, n: int) -> str:
    p, r, f = sc.prf()
    layer = sc.layer_ok / sc.matched if sc.matched else 0.0
    return (f"SUMMARY {label:13} F1={f:.3f} P={p:.3f} R={r:.3f} tp={sc.tp} fp={sc.fp} fn={sc.fn} "
            f"layer={layer:.3f} reports={n}")


def evaluate(eval_dir: Path, sets: list[str], mode: str = _SHIPPED
             ) -> dict[str, tuple[Score, list[tuple[Report, Score]]]]:
    """Scores per set. ``mode``: "shipped" (the shipped learned check), "rules" (none), or "loo"
    (each report with a check trained on every other report: leave one report out)."""
    from geo.report.pipeline import prepare

    prepare("given")
    scorer = load_scorer(eval_dir)
    trainer = samples = None
    if mode == "loo":
        trainer = _load_module("bench_train_site_filter", Path(__file__).parent / "train_site_filter.py")
        samples = trainer.samples(eval_dir)
    out: dict[str, tuple[Score, list[tuple[Report, Score]]]] = {}
    for rep in reports(eval_dir, sets):
        total, rows = out.setdefault(rep.set_name, (Score(), []))
        if mode == "loo":
            doc = f"{rep.set_name}/{rep.doc}"
            model = trainer.fit([s for s in samples if s.doc != doc])
            pred = predicted_sites(rep, model)
        else:
            pred = predicted_sites(rep, None if mode == "rules" else _SHIPPED)
        sc = score_report(scorer, rep, pred)
        total.add(sc)
        rows.append((rep, sc))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the evaluation kit folder")
    ap.add_argument("--set", action="append", choices=("seeds", "dev", "dev2", "train", "held"),
                    help="default: seeds, dev and dev2 (train: data/eval/train, a tuning set; "
                         "held: data/eval/held, never trained on)")
    ap.add_argument("--details", action="store_true", help="list every miss and extra")
    ap.add_argument("--mode", choices=("shipped", "rules", "loo", "all"), default="all",
                    help="learned site check: the shipped one, none, leave-one-report-out, or all three")
    a = ap.parse_args(argv)
    if not (a.eval / "score.py").exists():
        print(f"error: {a.eval}: no evaluation kit (score.py) there", file=sys.stderr)
        return 2
    sets = a.set or ["seeds", "dev", "dev2"]
    modes = ["rules", "loo", "shipped"] if a.mode == "all" else [a.mode]
    summaries = []
    for mode in modes:
        results = evaluate(a.eval, sets, mode)
        _table(results, sets, mode, a.details)
        summaries += [summary(f"{name}:{mode}", *_total(results, name)) for name in sets]
    print()
    for line in summaries:
        print(line)
    return 0


def _total(results: dict, name: str) -> tuple[Score, int]:
    total, rows = results.get(name, (Score(), []))
    return total, len(rows)


def _table(results: dict, sets: list[str], mode: str, details: bool) -> None:
    print(f"\n== site check: {mode}")
    for name in sets:
        _, rows = results.get(name, (Score(), []))
        head = f"{'report':24} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"
        print(f"\n{name}: {head}")
        for rep, sc in rows:
            p, r, f = sc.prf()
            print(f"{'':{len(name) + 2}}{rep.doc:24} {sc.tp + sc.fn:5} {sc.tp:4} {sc.fp:4} {sc.fn:4} "
                  f"{p:6.3f} {r:6.3f} {f:6.3f}")
            if details:
                for m in sc.misses:
                    print(f"{'':{len(name) + 6}}missed: {m}")
                for e in sc.extras:
                    print(f"{'':{len(name) + 6}}extra:  {e}")


if __name__ == "__main__":
    sys.exit(main())
