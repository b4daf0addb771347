"""``python -m geo build``: reports in, four GeoJSON layers out.

Every input is processed on its own; a file that cannot be read is named with
its reason and the others go on. Layers are written only when at least one
report was read, all four at once, so a failed run leaves the previous ones.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from geo.cli import EXIT_FAILED, EXIT_OK, EXIT_SOME_REFUSED
from geo.errors import GeoError


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def run_build(inputs: list[Path], out: Path, county: str | None = None, quiet: bool = False) -> int:
    from tqdm import tqdm

    from geo.features import site_feature
    from geo.ingest import iter_input_files
    from geo.layers import write_layers
    from geo.locate import Resolver
    from geo.pipeline import process_file
    from geo.sites import merge

    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        _say(f"error: {p}: no such file or folder")
    files = iter_input_files([p for p in inputs if p.exists()])
    if not files:
        _say("error: no report files to read (supported: .txt .md .html .htm .pdf .docx); "
             "layers left as they were")
        return EXIT_FAILED

    results, refused = [], []
    for path in tqdm(files, desc="reports", unit="doc", disable=quiet, file=sys.stderr):
        try:
            results.append(process_file(path, county=county))
        except GeoError as e:
            refused.append(str(e))
            _say(f"warning: {e}")
    if not results:
        _say(f"error: none of the {len(files)} report(s) could be read; layers left as they were")
        return EXIT_FAILED

    sites = merge([m for r in results for m in r.mentions])
    years = {r.name: r.year for r in results}
    features = []
    resolver = Resolver()  # one per build: overrides and gazetteer read once, results cached
    try:
        for site in sites:
            loc = resolver.locate(site)
            features.append(site_feature(site, loc.geometry, loc.precision, loc.uncertainty_m, loc.source,
                                         years))
    except GeoError as e:  # an unreadable overrides file or gazetteer: never half-used
        _say(f"error: {e}; layers left as they were")
        return EXIT_FAILED
    counts = write_layers(out, features)

    precision = Counter(f["properties"]["precision"] for f in features)
    _say(f"read {len(results)} of {len(files)} report(s); {len(sites)} site(s): "
         + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in results:
        _say(f"  {r.name}: county {r.county} ({', '.join(r.county_evidence[:3])}), "
             f"year {r.year or '?'}, {len(r.mentions)} mention(s)")
    _say("  precision: " + ", ".join(f"{k} {v}" for k, v in sorted(precision.items())))
    _say("  placed by: " + ", ".join(f"{k} {v}" for k, v in resolver.step_counts().items()))
    for problem in resolver.problems():
        _say(f"  location problem: {problem}")
    if refused:
        _say(f"{len(refused)} file(s) refused (see warnings above)")
    _say(f"layers written to {out}/")
    return EXIT_SOME_REFUSED if refused else EXIT_OK
