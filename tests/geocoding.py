"""A site geocoder pointed at the fake map services of ``fakegeo``, and the county and point the
geocoding tests ask about."""

from __future__ import annotations

from pathlib import Path

from fakegeo import FakeGeoServer

from geo.locate.admin import county
from geo.locate.geocoders.config import GeocoderConfig, ProviderSettings
from geo.locate.geocoders.service import SiteGeocoder

YONGKANG = county("永康市")
SITE_WGS = (120.0300, 28.9000)  # a point in 永康市
UA = "renewal-map-tests/1.0 (tests@example.org)"


def settings(server: FakeGeoServer, *names: str, interval: float = 0.0) -> tuple[ProviderSettings, ...]:
    out = []
    for name in names:
        if name == "nominatim":
            out.append(ProviderSettings(name, user_agent=UA, url=server.url, min_interval_s=1.0))
        else:
            key = f"test-{name}-key"
            out.append(ProviderSettings(name, key=key, url=server.url, min_interval_s=interval))
    return tuple(out)


def make(server: FakeGeoServer, tmp_path: Path, *names: str, retries: int = 2,
         sleeps: list[float] | None = None, timeout_s: float = 5.0) -> SiteGeocoder:
    """A geocoder on the fake server; the generous timeout keeps a loaded machine from timing out
    answers that are meant to arrive (the timeout test sets a short one on purpose)."""
    config = GeocoderConfig(providers=settings(server, *names), timeout_s=timeout_s, max_retries=retries,
                            backoff_s=0.01, max_backoff_s=0.05, cache_path=tmp_path / "geocode.sqlite")
    sleep = (lambda s: sleeps.append(s)) if sleeps is not None else (lambda s: None)
    return SiteGeocoder(config, sleep=sleep)
