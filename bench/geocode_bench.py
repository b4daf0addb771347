"""Geocoding economy: network calls per unique site, cold and warm cache, names repeated across reports.

    .venv/bin/python bench/geocode_bench.py [--reports 100] [--providers amap amap,tianditu]

Runs ``python -m geo build`` with the online geocoders switched on and pointed at the local fake
server of the tests (``tests/fakegeo.py``, on 127.0.0.1), which answers "nothing found" (so every
configured provider is asked, and the answer is cached like any other). Corpora: the seeds, and
the first ``--reports`` reports of the generated corpus (``bench/corpus.py``), whose site names
recur across reports. For each: a build on an empty cache (cold), then the same build again
(warm: must make no request). Printed per build: the mentions and sites in the layers, the unique
queries the server saw, its requests, and requests per unique query and per site.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402
from fakegeo import AMAP, BAIDU, EMPTY, NOMINATIM, TIANDITU, FakeGeoServer, Reply  # noqa: E402

LAYER_FILES = ("renewal.geojson", "parks.geojson", "roads.geojson", "scenic.geojson")
_QUERY_PARAM = {AMAP: "address", BAIDU: "address", TIANDITU: "ds", NOMINATIM: "q"}


def _env(server: FakeGeoServer, providers: str, cache: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENEWAL_MAP_", "AMAP_", "TIANDITU_"))}
    env.update({
        "RENEWAL_MAP_GEOCODERS": providers, "RENEWAL_MAP_GEOCODERS_CONFIG": str(config),
        "RENEWAL_MAP_GEOCODE_CACHE": str(cache), "RENEWAL_MAP_GEOCODE_TIMEOUT": "5",
        "AMAP_KEY": "bench", "AMAP_URL": server.url, "AMAP_MIN_INTERVAL": "0",
        "TIANDITU_TK": "bench", "TIANDITU_URL": server.url, "TIANDITU_MIN_INTERVAL": "0",
        "NO_PROXY": "127.0.0.1,localhost",
    })  # fmt: skip
    return env


def _layers(out: Path) -> tuple[int, int]:
    """(mentions, sites) in the built layers."""
    mentions = sites = 0
    for name in LAYER_FILES:
        for f in json.loads((out / name).read_text(encoding="utf-8"))["features"]:
            sites += 1
            mentions += len(f["properties"]["sources"])
    return mentions, sites


def _queries(server: FakeGeoServer, since: int) -> tuple[int, int]:
    """(requests, unique (provider, query) pairs) the server saw after its ``since``-th request."""
    reqs = server.requests[since:]
    keys = {(r.path, r.params.get(_QUERY_PARAM.get(r.path, ""), "")) for r in reqs}
    return len(reqs), len(keys)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100, help="generated reports (names repeated across them)")
    ap.add_argument("--providers", nargs="+", default=["amap", "amap,tianditu"])
    args = ap.parse_args(argv)

    rows = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="geocode-bench-") as tmp_name, FakeGeoServer() as server:
        tmp = Path(tmp_name)
        for path in (AMAP, TIANDITU, BAIDU, NOMINATIM):
            server.script(path, Reply(EMPTY[path]))
        config = tmp / "geocoders.toml"
        config.write_text("", encoding="utf-8")
        corpora = {"seeds": ROOT / "data" / "sources"}
        if args.reports:
            generate(tmp / "corpus", args.reports)
            corpora[f"{args.reports} reports"] = tmp / "corpus"
        for providers in args.providers:
            for label, folder in corpora.items():
                cache = tmp / f"cache-{providers}-{label}.sqlite"
                for state in ("cold", "warm"):
                    out = tmp / "out"
                    since = len(server.requests)
                    proc = subprocess.run(
                        [sys.executable, "-m", "geo", "build", str(folder), "--out", str(out), "--quiet"],
                        cwd=ROOT, env=_env(server, providers, cache, config), capture_output=True, text=True,
                        timeout=1800, check=False,
                    )
                    if proc.returncode not in (0, 1):
                        sys.stderr.write(proc.stderr)
                        raise SystemExit(f"build failed ({proc.returncode})")
                    requests, unique = _queries(server, since)
                    mentions, sites = _layers(out)
                    rows.append((providers, label, state, mentions, sites, unique, requests))
                    if state == "warm" and requests:
                        ok = False
    print(f"{'providers':>14} {'corpus':>12} {'cache':>5} {'mentions':>8} {'sites':>6} "
          f"{'unique queries':>14} {'requests':>8} {'req/unique':>10} {'req/site':>8}")
    for providers, label, state, mentions, sites, unique, requests in rows:
        per_unique = f"{requests / unique:.2f}" if unique else "-"
        print(f"{providers:>14} {label:>12} {state:>5} {mentions:>8} {sites:>6} {unique:>14} {requests:>8} "
              f"{per_unique:>10} {requests / sites:>8.2f}")
    print()
    print("cold: one request per provider and unique query (every provider is asked: none finds it);"
          " warm: none." if ok else "WARM CACHE MADE REQUESTS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
