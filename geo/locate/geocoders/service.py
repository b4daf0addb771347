"""Place a named site with the configured online geocoders, in order, and trust no answer blindly.

Every query carries the county; an answer outside the county (beyond a ~1 km
margin for outline simplification) is rejected whatever its source; each
provider is asked with a timeout, retried with exponential backoff on
timeouts, 429 and 5xx (a bounded number of times), spaced by its rate limit;
a provider that fails is logged and listed in :attr:`SiteGeocoder.problems`,
and the next one is tried. Network faults never escape.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from geopy.adapters import AdapterHTTPError
from geopy.exc import (
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError, printable
from geo.locate.geocache import GeoCache
from geo.locate.geocoders.config import GeocoderConfig
from geo.locate.geocoders.errors import ProviderError
from geo.locate.geocoders.geometry import distance_outside_m
from geo.locate.geocoders.providers import Candidate, Provider, build_provider
from geo.locate.geocoders.ratelimit import spacer_for
from geo.model import Location, basis

if TYPE_CHECKING:
    from geo.locate.admin import County

log = logging.getLogger(__name__)

# What a malformed or unexpected answer raises while being read.
_ANSWER_ERRORS = (GeopyError, KeyError, TypeError, ValueError, IndexError, AttributeError, ShapelyError,
                  RecursionError, OverflowError)


def _default_polygon(county: County) -> BaseGeometry:
    from geo.locate.admin import county_polygon

    return county_polygon(county)


def is_retryable(error: BaseException) -> bool:
    """Timeouts, refused connections, 429 and 5xx are worth another try; refusals and bad answers are not."""
    if isinstance(error, GeocoderTimedOut | GeocoderUnavailable | GeocoderRateLimited):
        return True
    cause = error.__cause__
    return isinstance(cause, AdapterHTTPError) and cause.status_code >= 500


class SiteGeocoder:
    """The configured providers, a cache, and the county check."""

    def __init__(
        self,
        config: GeocoderConfig,
        *,
        cache: GeoCache | None = None,
        polygon_for: Callable[[County], BaseGeometry] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.providers: list[Provider] = [build_provider(s, config.timeout_s) for s in config.providers]
        if cache is None and config.use_cache and config.enabled:
            cache = GeoCache(config.cache_path)
        self.cache = cache
        self.polygon_for = polygon_for or _default_polygon
        self.problems: list[str] = []
        self._sleep = sleep

    # ------------------------------------------------------------ public

    def geocode_site(self, name: str, county: County) -> Location | None:
        """The first acceptable answer over the providers in order, as a WGS-84 Location; None if none."""
        if not self.providers:
            return None
        try:
            area = self.polygon_for(county)
        except GeoError as error:
            self._problem(f"{county.name}: no county outline to check answers with ({error}); not geocoded")
            return None
        for provider in self.providers:
            query = provider.query_for(name, county)
            try:
                raws = self._answers(provider, query, county, area)
            except ProviderError as error:
                self._problem(str(error))
                continue
            found = self._pick(provider, query, raws, county, area)
            if found is not None:
                return found
        return None

    # ------------------------------------------------------------ steps

    def _answers(self, provider: Provider, query: str, county: County, area: BaseGeometry) -> list[Any]:
        """Raw answers from the cache, else from the service (then cached, empty ones included)."""
        key = cache_key(provider)
        if self.cache is not None:
            hit = self.cache.get(key, query)
            if hit is not None and (hit.raw is None or isinstance(hit.raw, list)):
                return list(hit.raw or [])
            # a row of another shape is skipped, asked again and rewritten below
        raws = self._fetch_with_retries(provider, query, county, area)
        readable = [raw for raw in raws if self._readable(provider, raw)]
        if self.cache is not None and len(readable) == len(raws):  # never cache what cannot be read
            self.cache.put(key, query, raws or None)
        return readable

    @staticmethod
    def _readable(provider: Provider, raw: Any) -> bool:
        try:
            provider.interpret(raw)
        except _ANSWER_ERRORS:
            return False
        return True

    def _fetch_with_retries(
        self, provider: Provider, query: str, county: County, area: BaseGeometry
    ) -> list[dict[str, Any]]:
        spacer = spacer_for(provider.name, provider.host, provider.min_interval_s)
        attempts = self.config.max_retries + 1
        for attempt in range(attempts):
            try:
                return spacer.call(lambda: provider.fetch(query, county, area))
            except _ANSWER_ERRORS as error:
                if not is_retryable(error):
                    raise ProviderError(provider.name, f"{query}: {_describe(error)}") from error
                if attempt + 1 == attempts:
                    raise ProviderError(
                        provider.name, f"{query}: gave up after {attempts} attempts: {_describe(error)}"
                    ) from error
                delay = min(self.config.backoff_s * 2**attempt, self.config.max_backoff_s)
                retry_after = getattr(error, "retry_after", None)
                if retry_after:
                    delay = max(delay, min(float(retry_after), self.config.max_backoff_s))
                log.info("%s: %s (attempt %d/%d); retrying in %.2f s", provider.name, _describe(error),
                         attempt + 1, attempts, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pick(
        self, provider: Provider, query: str, raws: list[Any], county: County, area: BaseGeometry
    ) -> Location | None:
        """The first answer that reads, is finer than the county, and lies in it."""
        for raw in raws:
            try:
                cand = provider.interpret(raw)
            except _ANSWER_ERRORS as error:
                self._problem(f"{provider.name}: {query}: unreadable answer ({_describe(error)})")
                continue
            if cand is None:
                log.info("%s: %s: answer no finer than the county; ignored", provider.name, query)
                continue
            outside = distance_outside_m(cand.geometry, area)
            if outside > self.config.county_buffer_m:
                p = cand.geometry.representative_point()
                self._problem(
                    f"{provider.name}: {query}: answer at ({p.x:.5f}, {p.y:.5f}) lies "
                    f"{outside / 1000:.1f} km outside {county.name}; rejected"
                )
                continue
            return _location(provider, query, cand)
        return None

    def _problem(self, text: str) -> None:
        text = printable(text)  # a provider's message is outside text: no terminal escapes
        log.warning("geocoding: %s", text)
        self.problems.append(text)


def cache_key(provider: Provider) -> str:
    """Answers are cached per provider and host: two servers of one provider may disagree."""
    return f"{provider.name}@{provider.host}"


def _location(provider: Provider, query: str, cand: Candidate) -> Location:
    return Location(
        geometry=cand.geometry,
        precision=cand.precision,
        uncertainty_m=cand.uncertainty_m,
        source=f"{provider.name}: {query}",
        basis=(basis("geocoder", provider=provider.name, query=query),),
    )


def _describe(error: BaseException) -> str:
    cause = error.__cause__
    if isinstance(cause, AdapterHTTPError):
        return f"HTTP {cause.status_code}"
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__
