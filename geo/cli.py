"""Command line: ``python -m geo build | gazetteer check | gazetteer import-osm | place``.

Exit codes: 0 success; 1 the build finished but some input files were refused
(each named on stderr); 2 usage error or nothing could be built (previous
layers left untouched).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_SOME_REFUSED = 1
EXIT_FAILED = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read reports and write one GeoJSON layer per category")
    b.add_argument("inputs", nargs="*", type=Path, default=[Path("data/sources")],
                   help="report files or folders (default: data/sources)")
    b.add_argument("--out", type=Path, default=Path("layers"), help="output folder (default: layers)")
    b.add_argument("--county", help="county of every input, official name (e.g. 永康市); overrides detection")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="processes reading reports in parallel (default: 1; 0: one per CPU); "
                        "the layers are the same whatever N")

    g = sub.add_parser("gazetteer", help="work with the embedded gazetteer")
    gsub = g.add_subparsers(dest="gazetteer_command", required=True)
    gc = gsub.add_parser(
        "check", help="validate the gazetteer: schema, inside its county, a source on every entry"
    )
    gc.add_argument("path", nargs="?", type=Path, default=None)
    go = gsub.add_parser(
        "import-osm", help="index the named parks, water, roads, estates, villages, schools and hospitals "
        "of an OpenStreetMap extract (.osm.pbf) for later builds"
    )
    go.add_argument("extract", type=Path, help="an .osm.pbf extract (e.g. a province)")
    go.add_argument("--county", help="keep only places inside this county")
    go.add_argument("--index", type=Path, default=None,
                    help="index file (default: data/osm_index.sqlite, or RENEWAL_MAP_OSM_INDEX)")

    pl = sub.add_parser("place", help="place a site by hand (kept in data/overrides.geojson), undo, or list")
    pl.add_argument("site", nargs="?", help="site id (e.g. parks-0123456789ab) or site name")
    pl.add_argument("--lon", type=float, help="longitude, WGS-84")
    pl.add_argument("--lat", type=float, help="latitude, WGS-84")
    pl.add_argument("--note", help="where the location comes from: a URL or how it is known")
    pl.add_argument("--who", help="who places it (default: the login user name)")
    pl.add_argument("--county", help="the site's county, to pick among sites of the same name")
    pl.add_argument("--overrides", type=Path, default=None,
                    help="placements file (default: data/overrides.geojson)")
    pl.add_argument("--layers", type=Path, default=Path("layers"),
                    help="built layers to look site names up in (default: layers)")
    pl.add_argument("--undo", action="store_true", help="remove the site's latest placement")
    pl.add_argument("--list", dest="list_only", action="store_true", help="list the placements")
    return p


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per CPU) or more: {n}")
    return n


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from geo.build import run_build

        return run_build(args.inputs, args.out, county=args.county, quiet=args.quiet, workers=args.workers)
    if args.command == "gazetteer" and args.gazetteer_command == "import-osm":
        from geo.locate.osm_cli import import_osm_main

        return import_osm_main(args.extract, county=args.county, index=args.index)
    if args.command == "gazetteer":
        from geo.gazetteer import check_main

        return check_main(args.path)
    if args.command == "place":
        from geo.placement import run_place

        return run_place(args.site, lon=args.lon, lat=args.lat, note=args.note, who=args.who,
                         county=args.county, overrides=args.overrides, layers=args.layers, undo=args.undo,
                         list_only=args.list_only)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
