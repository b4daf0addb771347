"""Command line: ``python -m geo build | gazetteer check | place``.

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

    g = sub.add_parser("gazetteer", help="work with the embedded gazetteer")
    gsub = g.add_subparsers(dest="gazetteer_command", required=True)
    gc = gsub.add_parser(
        "check", help="validate the gazetteer: schema, inside its county, a source on every entry"
    )
    gc.add_argument("path", nargs="?", type=Path, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from geo.build import run_build

        return run_build(args.inputs, args.out, county=args.county, quiet=args.quiet)
    if args.command == "gazetteer":
        from geo.gazetteer import check_main

        return check_main(args.path)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
