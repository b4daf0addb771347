"""Command line: ``python -m geo build | county | gazetteer check|import-osm | place | check-geojson``.

Exit codes: 0 success, every input read; 1 the layers were written but some
inputs were refused or wait for a person to tell their county (``pending.json``; each
named on stderr); 2 usage error or nothing could be built (previous layers left
untouched); 3 internal error (a one-line message; ``GEO_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.outcome import Outcome

if TYPE_CHECKING:
    from geo.project.project import Project

EXIT_OK = 0
EXIT_SOME_REFUSED = 1
EXIT_FAILED = 2
EXIT_INTERNAL = 3
_EXIT = {Outcome.DONE: EXIT_OK, Outcome.PARTIAL: EXIT_SOME_REFUSED, Outcome.FAILED: EXIT_FAILED}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read reports and write one GeoJSON layer per category")
    b.add_argument("inputs", nargs="*", type=Path, default=[Path("data/sources")],
                   help="report files or folders (default: data/sources)")
    b.add_argument("--out", type=Path, default=Path("layers"), help="output folder (default: layers)")
    b.add_argument("--county", help="county of every input, official name (e.g. 永康市); overrides "
                                    "detection; one naming no county, or several, stops the build (exit 2)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--overrides", type=Path, default=None,
                   help="placements file (default: data/overrides.geojson)")
    b.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="processes reading reports in parallel (default: 1; 0: one per CPU); "
                        "the layers are the same whatever N")
    b.add_argument("--no-cache", action="store_true",
                   help="read every report again instead of reusing results kept from earlier builds")
    b.add_argument("--cache-dir", type=Path, default=None,
                   help="folder of kept results (default: $RENEWAL_MAP_RESULTS or the user's cache folder)")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="read the reports on a Dask cluster: tcp://HOST:PORT of its scheduler, or 'local' "
                        "for a local cluster of --workers processes (default: $RENEWAL_MAP_SCHEDULER)")

    c = sub.add_parser("county", help="the county a report is about, how it was decided, and why")
    c.add_argument("files", nargs="+", type=Path, help="report files")
    c.add_argument("--explain", action="store_true", help="print the words that voted for each guess")
    c.add_argument("--county", help="county given for the run (as for build)")

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

    _place_parser(sub)
    ch = sub.add_parser("check-geojson", help="check GeoJSON files against RFC 7946 (ring winding, ranges, "
                                              "[lat, lon] swaps, no crs, precision); exit 1 on a problem")
    ch.add_argument("files", nargs="*", help="GeoJSON files (e.g. layers/*.geojson)")
    return p


def _place_parser(sub: Any) -> None:
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
    return guarded(_run, args)


def guarded(run: Callable[..., int], *args: Any) -> int:
    """``run(*args)``, with any unexpected exception turned into one line and exit code 3.

    Errors the product expects are reported by the commands themselves (exit 1 or 2); what
    reaches here is a fault, named by its type, never a traceback (unless ``GEO_DEBUG=1``).
    """
    try:
        return run(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # the last line of defence
        if os.environ.get("GEO_DEBUG"):
            raise
        from geo.errors import printable

        text = printable(str(error))
        if len(text) > 300:
            text = text[:300] + "…"
        print(f"internal error: {type(error).__name__}: {text}; layers left as they were "
              "(GEO_DEBUG=1 shows where)", file=sys.stderr)
        return EXIT_INTERNAL


def exit_code(outcome: Outcome) -> int:
    """The exit code of a command that ended so."""
    return _EXIT[outcome]


def _project(args: argparse.Namespace, layers: Path) -> Project:
    """The project a command works on: the working directory's, its layers ``layers``, its
    placements ``--overrides`` (default: the package's ``data/overrides.geojson``)."""
    from geo.locate.sources import OVERRIDES_PATH
    from geo.project.project import Project

    return Project.at(Path(), layers=layers, overrides=args.overrides or OVERRIDES_PATH)


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from dataclasses import replace

        from geo.project.build import build

        project = _project(args, args.out)
        if args.no_cache or args.cache_dir:
            project = replace(project, cache=None if args.no_cache else args.cache_dir)
        scheduler = args.scheduler or os.environ.get("RENEWAL_MAP_SCHEDULER") or None
        if scheduler == "local":
            scheduler = ""
        return _EXIT[build(project, args.inputs, county=args.county, quiet=args.quiet, workers=args.workers,
                           scheduler=scheduler)]
    if args.command == "county":
        from geo.project.county_command import run_county

        return _EXIT[run_county(args.files, explain=args.explain, county=args.county)]
    if args.command == "gazetteer" and args.gazetteer_command == "import-osm":
        from geo.locate.osm_cli import import_osm_main

        return _EXIT[import_osm_main(args.extract, county=args.county, index=args.index)]
    if args.command == "gazetteer":
        from geo.locate.gazetteer import check_main

        return _EXIT[check_main(args.path)]
    if args.command == "place":
        from geo.project.placement import run_place

        project = _project(args, args.layers)
        return _EXIT[run_place(project, args.site, lon=args.lon, lat=args.lat, note=args.note, who=args.who,
                               county=args.county, undo_latest=args.undo, list_only=args.list_only)]
    if args.command == "check-geojson":
        from geo.output.rfc7946 import check_files

        return _EXIT[check_files(args.files)]
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
