"""Small helpers for wording the reasons given in IngestError."""

from __future__ import annotations


def format_size(size: int) -> str:
    """A byte count for people: ``512 bytes``, ``3.2 KiB``, ``50.0 MiB``."""
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def describe(exc: BaseException) -> str:
    """An exception as ``Type: message`` (just ``Type`` when it has no message)."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
