"""Online geocoders (Nominatim, Baidu, Amap, Tianditu) behind one call, OFF unless configured.

``geocode_site(name, county)`` returns a WGS-84 :class:`geo.locate.county_location.Location`
or None; it never raises for network faults. Problems met on the way (a provider
down, an answer outside the county) are logged and listed by :func:`problems`.
Configuration: see :mod:`geo.locate.geocoders.config`.
"""

from __future__ import annotations

import threading
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
_default: SiteGeocoder | None = None
_loaded = False


def default_geocoder() -> SiteGeocoder | None:
    """The process's geocoder built from the configuration once; None when geocoding is off."""
    global _default, _loaded
    with _lock:
        if not _loaded:
            config = load_config()
            if config.enabled:
                from geo.locate.geocoders.service import SiteGeocoder

                _default = SiteGeocoder(config)
            _loaded = True
        return _default


def reset() -> None:
    """Forget the process's geocoder (the configuration is read again on next use)."""
    global _default, _loaded
    with _lock:
        if _default is not None and _default.cache is not None:
            _default.cache.close()
        _default, _loaded = None, False


def geocode_site(name: str, county: County) -> Location | None:
    """Place a site of ``county`` with the configured geocoders; None when off or not found."""
    geocoder = default_geocoder()
    return geocoder.geocode_site(name, county) if geocoder is not None else None


def problems() -> list[str]:
    """What went wrong so far with the configured geocoders (for the caller to print)."""
    geocoder = default_geocoder()
    return list(geocoder.problems) if geocoder is not None else []
