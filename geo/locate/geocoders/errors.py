"""Errors of the location layer: the gazetteer file and the online geocoders.

They live here, beside the code that raises them, and all subclass
:class:`geo.errors.GeoError` so that a caller catching GeoError sees them.
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import GeoError


class GazetteerError(GeoError):
    """The gazetteer file cannot be read; names the file and, for a bad row, its line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


class GeocodingError(GeoError):
    """Base class of the online-geocoding errors."""


class GeocoderConfigError(GeocodingError):
    """The geocoder configuration is unusable (unknown provider, missing key or user agent, bad TOML)."""


class ProviderError(GeocodingError):
    """One provider failed to answer (network fault, refusal, unreadable answer).

    Raised inside the geocoding layer only: :func:`geo.locate.geocoders.geocode_site`
    turns it into a logged warning and a problem line, then tries the next provider.
    """

    def __init__(self, provider: str, reason: str) -> None:
        self.provider = provider
        self.reason = reason
        super().__init__(f"{provider}: {reason}")
