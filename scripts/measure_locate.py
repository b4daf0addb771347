"""How finely the build places sites: precision per report set, and GeoNames seats against cited points.

    python scripts/measure_locate.py dev2 ../shared/eval/dev2        # --county from each meta.json
    python scripts/measure_locate.py seeds data/sources ../shared/geodata/places_evidence.csv

For a folder of reports with ``*.meta.json`` (county, province) each report is built with the
county its meta names (as ``--county`` would), and the share of sites finer than county is printed
per province. For the seeds, every GeoNames township seat the build uses is listed with its
distance to the coordinates that the evidence table cites (and whether the cited place names that
township: only those rows check the seat itself). Both print how many sites each resolver step placed
and every site whose own clause names a township (:mod:`geo.locate.context`).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


def _features(files: list[Path], counties: list[str | None]) -> list[dict]:
    from geo.locate.resolver import Resolver
    from geo.output.assemble import located_features
    from geo.report.pipeline import prepare, process_file

    prepare(None)
    results = [process_file(f, county=c) for f, c in zip(files, counties, strict=True)]
    resolver = Resolver()
    feats = located_features(results, resolver)
    print("placed by step:", resolver.step_counts())
    for f in feats:
        p = f["properties"]
        if "its clause names" in p["location_source"] or "its clauses name" in p["location_source"]:
            print(f"  clause: {p['county']} {p['name']} [{p['precision']}]: {p['location_source'][:160]}")
    return feats


def dev(folder: Path) -> None:
    files = sorted(p for p in folder.glob("*.txt"))
    metas = [json.loads(p.with_suffix(".meta.json").read_text("utf-8")) for p in files]
    feats = _features(files, [m["county"] for m in metas])
    province_of = {m["county"]: m["province"] for m in metas}
    by_prov: dict[str, Counter] = defaultdict(Counter)
    for f in feats:
        p = f["properties"]
        by_prov[province_of.get(p["county"], "?")][p["precision"]] += 1
    total: Counter = Counter()
    print("| province | sites | finer than county | share | township | street | exact |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for prov in sorted(by_prov):
        c = by_prov[prov]
        total += c
        _row(prov, c)
    _row("all", total)


def _row(label: str, c: Counter) -> None:
    n, finer = sum(c.values()), sum(c.values()) - c["county"]
    print(f"| {label} | {n} | {finer} | {finer / n:.0%} | {c['township']} | {c['street']} | {c['exact']} |")


def seeds(folder: Path, evidence: Path) -> None:
    from geo.locate import admin
    from geo.locate.townships import county_seats

    files = sorted(p for p in folder.iterdir() if p.is_file())
    feats = _features(files, [None] * len(files))
    precision = Counter(f["properties"]["precision"] for f in feats)
    finer = len(feats) - precision["county"]
    print("precision:", dict(sorted(precision.items())),
          f"finer than county: {finer} of {len(feats)} ({finer / len(feats):.0%})")
    used: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in feats:
        p = f["properties"]
        for town, s in county_seats(admin.county(p["county"])).seats.items():
            if s.place.url in p["location_source"]:
                used[(p["county"], s.place.geonameid)].add(town)
    points = []
    with evidence.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["lat"] and row["lon"] and row["crs"].upper().replace("-", "") == "WGS84":
                lon, lat = float(row["lon"]), float(row["lat"])
                points.append((row["county"], row["name"], lon, lat, row["confidence"]))
    print("| county | township | GeoNames seat | cited point (confidence) | names the township | km |")
    print("| --- | --- | --- | --- | --- | ---: |")
    for (county, gid), towns in sorted(used.items()):
        town = sorted(towns)[0]
        s = county_seats(admin.county(county)).seats[town]
        for c, name, lon, lat, conf in points:
            if c != county:
                continue
            d = _GEOD.inv(s.place.lon, s.place.lat, lon, lat)[2] / 1000
            same = "yes" if admin.township_short(town) in name else "no"
            where = f"{gid} ({s.place.lat}, {s.place.lon})"
            print(f"| {county} | {town} | {where} | {name} ({conf}) | {same} | {d:.2f} |")


if __name__ == "__main__":
    if sys.argv[1] == "dev2":
        dev(Path(sys.argv[2]))
    else:
        seeds(Path(sys.argv[2]), Path(sys.argv[3]))
