"""The exception hierarchy: every error the pipeline raises on purpose is a GeoError."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Self

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
    """Base class of every error the product raises on purpose.

    The message is English (the command line's); where a person reads the error in the app,
    :attr:`code` names what happened and :attr:`fields` holds the names and numbers it needs, so
    that the app can say it in its own language (``geo.web.i18n``: ``refusal_<code>``).
    """

    code: str = ""
    fields: Mapping[str, Any] = MappingProxyType({})

    def with_code(self, code: str, **fields: Any) -> Self:
        """This error, with its code and fields set (``raise Error(...).with_code(...)``)."""
        self.code = code
        self.fields = MappingProxyType(dict(fields))
        return self


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
