"""The lexicon files (``geo/lexicons/``) read as they are: lines and TOML tables.

The layers above compile them (``geo.text.lexicon``); the stored tables read the admin and county
rules from here, below the text stage.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from geo.errors import GeoError

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"


def lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of ``name``, stripped."""
    text = (LEXICON_DIR / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def toml(name: str) -> dict[str, Any]:
    """``name`` parsed; a GeoError naming the file when it is not valid TOML."""
    path = LEXICON_DIR / name
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise GeoError(f"{path}: not valid TOML: {error}") from error


def admin_names() -> dict[str, Any]:
    """``admin_names.toml``: the suffixes, ethnic groups and exclusions of the admin tree's names."""
    return toml("admin_names.toml")


def county_cues() -> dict[str, Any]:
    """``county_cues.toml``: the cues, weights and decision thresholds of county detection."""
    return toml("county_cues.toml")
