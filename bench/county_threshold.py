"""How the county decision's threshold trades right against waiting, on the development sets.

For every report of ``../shared/eval/dev`` and ``dev2`` the decision is made once (text, title,
file name, folder); then each (min_score, margin) pair of a grid is applied to the ranked
scores and the right, wrong and waiting reports are counted, with whether the truth is among
the first three guesses of each waiting one. The truth is read from ``*.meta.json`` here, for
scoring only: the build never reads it.

    PYTHONPATH=$PWD .venv/bin/python bench/county_threshold.py [--text-only]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from geo.locate.county.decide import Clues, decide
from geo.text.clean import clean_text

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text-only", action="store_true", help="no clue beside the text")
    ap.add_argument("--eval", type=Path, default=EVAL)
    args = ap.parse_args()
    rows = []
    for folder in ("dev", "dev2"):
        root = args.eval / folder
        for path in sorted(root.glob("*.txt")):
            truth = json.loads(path.with_name(path.stem + ".meta.json").read_text("utf-8"))["county"]
            d = decide(clean_text(path.read_text("utf-8")), None if args.text_only else Clues(path, root))
            ranked = [(g.county.name, g.score) for g in d.guesses]
            rows.append((truth, ranked))
    print(f"{len(rows)} reports; right / wrong / waiting (waiting with the truth in the first 3)")
    print("min_score " + " ".join(f"margin {m:<9}" for m in (1.1, 1.25, 1.5, 2.0)))
    for min_score in (2.0, 3.2, 4.0, 5.0, 6.0):
        cells = []
        for margin in (1.1, 1.25, 1.5, 2.0):
            right = wrong = wait = top3 = 0
            for truth, ranked in rows:
                top = ranked[0][1] if ranked else 0.0
                second = ranked[1][1] if len(ranked) > 1 else 0.0
                if ranked and top >= min_score and not (second and top < margin * second):
                    right += ranked[0][0] == truth
                    wrong += ranked[0][0] != truth
                else:
                    wait += 1
                    top3 += truth in [n for n, _ in ranked[:3]]
            cells.append(f"{right:2}/{wrong}/{wait:2}({top3:2})")
        print(f"{min_score:9} " + " ".join(f"{c:<16}" for c in cells))
    wrong_tops = sorted(((r[0][1], r[0][1] / (r[1][1] or 1e-9) if len(r) > 1 else float("inf"))
                         for t, r in rows if r and r[0][0] != t), reverse=True)
    print("best-ranked wrong guesses (score, ratio to the next):",
          ", ".join(f"{s:.2f}/{q:.2f}" for s, q in wrong_tops) or "none")


if __name__ == "__main__":
    main()
