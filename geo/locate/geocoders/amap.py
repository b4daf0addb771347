"""Amap (高德) Web-service geocoder, written as a geopy :class:`~geopy.geocoders.base.Geocoder`.

API: ``GET {scheme}://{domain}/v3/geocode/geo?key=…&address=…&city=…``. Answers
carry ``"location": "lon,lat"`` strings in **GCJ-02**; like geopy's Baidu
classes (which return BD-09), this class returns the service's own coordinates
and leaves datum conversion to the caller (:mod:`geo.locate.geocoders.providers`).
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
)
from geopy.geocoders.base import DEFAULT_SENTINEL
from geopy.location import Location
from geopy.util import logger

from geo.locate.geocoders.keyed import KeyedGeocoder

__all__ = ("Amap",)

_AUTH_CODES = {"10001", "10002", "10005", "10006", "10007", "10008", "10009", "10011", "10012", "10013"}
_QUOTA_CODES = {"10003", "10044", "10045"}
_RATE_CODES = {"10004", "10010", "10014", "10015", "10019", "10020", "10021", "10029"}


class Amap(KeyedGeocoder):
    """Geocoder for the Amap v3 geocoding API (results in GCJ-02)."""

    geocode_path = "/v3/geocode/geo"
    default_domain = "restapi.amap.com"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        city: str | None = None,
    ) -> Location | list[Location] | None:
        """Geocode ``query``; ``city`` (a prefecture-level name or adcode) narrows the search.

        Amap does not accept county-level cities in ``city``; put the county in the query.
        """
        params = {"key": self.api_key, "address": query, "output": "JSON"}
        if city:
            params["city"] = city
        url = "?".join((self.api, urlencode(params)))
        logger.debug("%s.geocode: %s", type(self).__name__, url)
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, page: Any, exactly_one: bool = True) -> Location | list[Location] | None:
        if not isinstance(page, dict):
            raise GeocoderParseError(f"unexpected Amap answer: {page!r:.200}")
        if str(page.get("status")) != "1":
            self._check_status(page)
        places = page.get("geocodes") or []
        locations = [self._parse_place(place) for place in places]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    @staticmethod
    def _parse_place(place: dict[str, Any]) -> Location:
        try:
            lon_s, lat_s = str(place["location"]).split(",")
            point = (float(lat_s), float(lon_s))
        except (KeyError, ValueError) as error:
            raise GeocoderParseError(f"Amap location not 'lon,lat': {place.get('location')!r}") from error
        address = place.get("formatted_address") or ""
        return Location(address if isinstance(address, str) else "", point, place)

    @staticmethod
    def _check_status(page: dict[str, Any]) -> None:
        code = str(page.get("infocode", ""))
        info = f"{page.get('info', 'error')} (infocode {code})"
        if code in _AUTH_CODES:
            raise GeocoderAuthenticationFailure(info)
        if code in _QUOTA_CODES:
            raise GeocoderQuotaExceeded(info)
        if code in _RATE_CODES:
            raise GeocoderRateLimited(info)
        if code.startswith("2"):
            raise GeocoderQueryError(info)
        raise GeocoderServiceError(info)
