"""Generated report corpora for the benchmarks: the seeds plus variations of them, never committed.

    .venv/bin/python bench/corpus.py OUT_DIR [--reports 1000] [--seed 0]

Report ``k`` of a corpus is the same whatever the corpus's size, so the corpus of 100 reports is
the first 100 of the corpus of 1,000. The first reports are the seeds (``data/sources/*.txt``) as
they are; every later one is a variation of a seed:

* its paragraphs (blocks separated by a blank line) after the first are shuffled;
* the village and community names of the seed's county that it names (``geo.locate.admin.places_in``)
  are replaced by other names of that county with the same generic word (卫星村 → 东衡村);
* its townships (``geo.locate.admin.townships``) by other townships of the county (乾元镇 → 新安镇);
* the specific part of each site the seed names with a village-like generic word (塔海未来社区,
  南苑区块) by the short name of a village of the county (塔海 → 芝英), the same one throughout
  the report, so the sites change from report to report and the same names recur across reports.

Replacements stay inside the seed's county, so every variation still tells its county.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "data" / "sources"
# Generic words after which the specific part of a site is a village-like name worth replacing.
_VILLAGE_LIKE = ("未来社区", "社区", "新村", "村", "区块", "片区", "小区")
_MIN_SPECIFIC = 2


@dataclass(frozen=True)
class Seed:
    path: Path
    text: str
    county: str
    villages: tuple[str, ...]  # the county's village and community names
    towns: tuple[str, ...]  # its townships
    specifics: tuple[str, ...]  # specific parts of the village-like sites the seed names


def _generic(name: str) -> str:
    return next((w for w in ("社区", "嘎查", "村") if name.endswith(w)), "")


def load_seeds(folder: Path = SEEDS) -> list[Seed]:
    """The seed reports with their county's place names (runs the pipeline once per seed)."""
    from geo.locate.admin import places_in, townships, village_short
    from geo.report.pipeline import process_file

    seeds = []
    for path in sorted(folder.glob("*.txt")):
        result = process_file(path)
        assert result.county is not None, f"{path}: a seed tells its county"
        villages = tuple(sorted(v for v in places_in(result.county) if village_short(v)))
        specifics = sorted({
            sm.mention.name[: -len(sm.mention.suffix)]
            for sm in result.mentions
            if sm.mention.suffix in _VILLAGE_LIKE
            and len(sm.mention.name) - len(sm.mention.suffix) >= _MIN_SPECIFIC
            and re.fullmatch(r"[\u4e00-\u9fff]+", sm.mention.name[: -len(sm.mention.suffix)])
        })
        seeds.append(Seed(path, path.read_text(encoding="utf-8"), result.county.key, villages,
                          tuple(townships(result.county)), tuple(specifics)))
    return seeds


def _replace_all(text: str, table: dict[str, str]) -> str:
    """Every key of ``table`` in ``text`` replaced at once (longest key first where two overlap)."""
    if not table:
        return text
    pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    return pattern.sub(lambda m: table[m.group()], text)


def variation(seed: Seed, rnd: random.Random) -> str:
    """One variation of ``seed``: paragraphs shuffled, its county's place names swapped for others."""
    from geo.locate.admin import village_short

    table: dict[str, str] = {}
    by_generic: dict[str, list[str]] = {}
    for v in seed.villages:
        by_generic.setdefault(_generic(v), []).append(v)
    for v in seed.villages:
        if v in seed.text:
            table[v] = rnd.choice(by_generic[_generic(v)])
    for t in seed.towns:
        if t in seed.text:
            table[t] = rnd.choice(seed.towns)
    shorts = [s for s in (village_short(v) for v in seed.villages) if len(s) >= _MIN_SPECIFIC]
    for s in seed.specifics:
        if s not in table:
            table[s] = rnd.choice(shorts)
    text = _replace_all(seed.text, table)
    paragraphs = text.split("\n\n")
    head, body = paragraphs[:1], paragraphs[1:]
    rnd.shuffle(body)
    return "\n\n".join(head + body)


def generate(out: Path, n: int, seed: int = 0, seeds: list[Seed] | None = None) -> list[Path]:
    """Write reports 0 … n-1 of the corpus into ``out``; returns their paths in order."""
    seeds = seeds if seeds is not None else load_seeds()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        src = seeds[k % len(seeds)]
        if k < len(seeds):
            path = out / f"r{k:05d}_{src.path.name}"
            shutil.copyfile(src.path, path)
        else:
            path = out / f"r{k:05d}_{src.path.stem}_v.txt"
            path.write_text(variation(src, random.Random(f"{seed}:{k}")), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.reports, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} report(s), {size / 1e6:.2f} MB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
