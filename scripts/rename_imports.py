"""Rewrite imports and mentions of the flat module names of ``geo`` to the stage packages.

Code written against the earlier layout (``geo.pipeline``, ``from geo import admin``,
``from geo.locate import Resolver``, ``geo/upload.py`` in a comment) is brought to the present
one in place; what already uses the present names is left as it is. Run it on a branch
started before the stage packages, after merging:

    python scripts/rename_imports.py geo tests bench scripts streamlit_app.py README.md
"""

# rename-imports: leave this file

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

MOVED = {  # old module -> its place now
    "geo.ingest": "geo.text.ingest", "geo.clean": "geo.text.clean", "geo.sentences": "geo.text.sentences",
    "geo.wordcut": "geo.text.wordcut", "geo.lexicon": "geo.text.lexicon", "geo.tables": "geo.data.tables",
    "geo.sites": "geo.extract.sites", "geo.status": "geo.extract.status",
    "geo.admin": "geo.locate.admin", "geo.gazetteer": "geo.locate.gazetteer",
    "geo.name_places": "geo.locate.name_places", "geo.county_location": "geo.locate.county_location",
    "geo.geocache": "geo.locate.geocache", "geo.overrides": "geo.locate.overrides",
    "geo.geocoders": "geo.locate.geocoders",
    "geo.county.command": "geo.project.county_command", "geo.county": "geo.locate.county",
    "geo.pipeline": "geo.report.pipeline", "geo.project.manifest": "geo.report.manifest",
    "geo.features": "geo.output.features", "geo.layers": "geo.output.layers",
    "geo.rfc7946": "geo.output.rfc7946", "geo.assemble": "geo.output.assemble",
    "geo.attribution": "geo.output.attribution",
    "geo.build_guard": "geo.project.build_guard", "geo.build": "geo.project.build",
    "geo.upload": "geo.project.upload", "geo.placement": "geo.project.placement",
    "geo.project.outcome": "geo.outcome",
}
PACKAGES = {"geo.ingest", "geo.geocoders", "geo.county"}
SKIP = "rename-imports: leave this file"  # a file holding this line is not rewritten (this one, its test)
# what geo/locate/__init__.py held before it became geo/locate/resolver.py
RESOLVER = {"log", "STEPS", "COUNTY_BUFFER_DEG", "Placement", "Resolver", "locate_site", "_clipped",
            "_POLYGONAL", "_LINEAL", "_RANK"}

_DOTTED = [(re.compile(r"(?<![\w.])" + re.escape(old) + r"(?!\w)"), new)
           for old, new in sorted(MOVED.items(), key=lambda item: -len(item[0]))]


def _path_pattern(old: str) -> re.Pattern[str]:
    end = "/" if old in PACKAGES else r"\.py(?!\w)"
    return re.compile(r"(?<![\w/.])" + re.escape(old.replace(".", "/")) + end)


_PATHS = [(_path_pattern(old), new.replace(".", "/") + ("/" if old in PACKAGES else ".py"))
          for old, new in MOVED.items()]
_FROM_GEO = re.compile(r"^(\s*)from geo import ([\w ,]+?)(\s*#.*)?$")
_FROM_LOCATE = re.compile(r"^(\s*)from geo\.locate import ([\w ,]+?)(\s*#.*)?$")
_LOCATE_ATTR = re.compile(r"(?<![\w.])geo\.locate\.(" + "|".join(sorted(RESOLVER)) + r")(?!\w)")


def _split_from(line: str, pattern: re.Pattern[str], place: Callable[[str], str]) -> str:
    """``from X import a, b`` as one line per place the names now come from."""
    m = pattern.match(line)
    if m is None:
        return line
    groups: dict[str, list[str]] = {}
    for name in (n.strip() for n in m.group(2).split(",")):
        groups.setdefault(place(name.split(" as ")[0].strip()), []).append(name)
    lines = [f"{m.group(1)}from {where} import {', '.join(names)}" for where, names in groups.items()]
    return "\n".join(lines) + (m.group(3) or "")


def _geo_place(name: str) -> str:
    moved = MOVED.get(f"geo.{name}")
    return moved.rpartition(".")[0] if moved and moved.rpartition(".")[2] == name else "geo"


def _locate_place(name: str) -> str:
    return "geo.locate.resolver" if name in RESOLVER else "geo.locate"


def rewrite_line(line: str) -> str:
    line = _split_from(line, _FROM_GEO, _geo_place)
    if "\n" not in line:
        line = _split_from(line, _FROM_LOCATE, _locate_place)
    line = _LOCATE_ATTR.sub(r"geo.locate.resolver.\1", line)
    for pattern, new in (*_DOTTED, *_PATHS):
        line = pattern.sub(new, line)
    return line


def rewrite(text: str) -> str:
    return "\n".join(rewrite_line(line) for line in text.split("\n"))


def _files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".py", ".md", ".toml") and p.is_file())
        elif path.is_file():
            out.append(path)
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for path in _files(argv):
        text = path.read_text(encoding="utf-8")
        if SKIP in text:
            continue
        new = rewrite(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
