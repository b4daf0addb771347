"""The exception hierarchy: every error the pipeline raises on purpose is a GeoError."""

from __future__ import annotations

import unicodedata
from pathlib import Path

_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable(text: object) -> str:
    """``text`` safe for a terminal line: control and format characters (newlines, ANSI escapes,
    right-to-left overrides) shown as escapes, so a file name cannot forge or hide messages."""
    s = str(text)
    if not any(unicodedata.category(c) in _UNSAFE for c in s):
        return s
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in _UNSAFE else c for c in s
    )


class GeoError(Exception):
    """Base class of every error the product raises on purpose."""


class IngestError(GeoError):
    """A source file could not be read as a report; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{printable(self.path)}: {reason}")


class CountyError(GeoError):
    """The county a report speaks of could not be told (or an unknown --county was given)."""


class BuildError(GeoError):
    """The build could not produce its layers; the previous layers are left untouched."""
