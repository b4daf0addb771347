"""``python -m geo.output.rfc7946 FILE...``: the same as ``python -m geo check-geojson FILE...``."""

import sys

from geo.cli import main

raise SystemExit(main(["check-geojson", "--", *sys.argv[1:]]))
