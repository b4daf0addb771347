"""The exception hierarchy: every error the pipeline raises on purpose is a GeoError."""

from __future__ import annotations

from pathlib import Path


class GeoError(Exception):
    """Base class of every error the product raises on purpose."""


class IngestError(GeoError):
    """A source file could not be read as a report; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class CountyError(GeoError):
    """The county a report speaks of could not be told (or an unknown --county was given)."""


class BuildError(GeoError):
    """The build could not produce its layers; the previous layers are left untouched."""
