"""Online geocoders (Nominatim, Baidu, Amap, Tianditu) behind one call, OFF unless configured.

``geocode_site(name, county)`` returns a WGS-84 :class:`geo.locate.county_location.Location`
or None; it never raises for network faults. Problems met on the way (a provider
down, an answer outside the county) are logged and listed by :func:`problems`.
Configuration: see :mod:`geo.locate.geocoders.config`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from geo.locate.geocoders.config import GeocoderConfig, ProviderSettings, load_config
from geo.locate.geocoders.errors import GazetteerError, GeocoderConfigError, GeocodingError, ProviderError

if TYPE_CHECKING:
    from geo.locate.admin import County
    from geo.locate.geocoders.service import SiteGeocoder
    from geo.model import Location

__all__ = [
    "GazetteerError",
    "GeocoderConfig",
    "GeocoderConfigError",
    "GeocodingError",
    "ProviderError",
    "ProviderSettings",
    "default_geocoder",
    "geocode_site",
    "load_config",
    "problems",
    "reset",
]

_lock = threading.Lock()
_geocoders: dict[Path | None, SiteGeocoder | None] = {}  # per settings file (None: the default one)


def default_geocoder(config: Path | None = None) -> SiteGeocoder | None:
    """The process's geocoder built once from the settings ``config`` (None: the environment's or
    the user's, see :func:`load_config`); None when geocoding is off."""
    with _lock:
        if config not in _geocoders:
            settings = load_config(path=config)
            geocoder = None
            if settings.enabled:
                from geo.locate.geocoders.service import SiteGeocoder

                geocoder = SiteGeocoder(settings)
            _geocoders[config] = geocoder
        return _geocoders[config]


def reset() -> None:
    """Forget the process's geocoders (the settings are read again on next use)."""
    with _lock:
        for geocoder in _geocoders.values():
            if geocoder is not None and geocoder.cache is not None:
                geocoder.cache.close()
        _geocoders.clear()


def geocode_site(name: str, county: County, config: Path | None = None) -> Location | None:
    """Place a site of ``county`` with the geocoders of ``config``; None when off or not found."""
    geocoder = default_geocoder(config)
    return geocoder.geocode_site(name, county) if geocoder is not None else None


def problems(config: Path | None = None) -> list[str]:
    """What went wrong so far with the geocoders of ``config`` (for the caller to print)."""
    geocoder = default_geocoder(config)
    return list(geocoder.problems) if geocoder is not None else []
