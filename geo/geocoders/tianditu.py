"""Tianditu (天地图) geocoder, written as a geopy :class:`~geopy.geocoders.base.Geocoder`.

API: ``GET {scheme}://{domain}/geocoder?ds={"keyWord": …}&tk=…``. The answer is
``{"status": "0", "msg": "ok", "location": {"lon": …, "lat": …, "level": …}}``;
status ``"101"`` means no result, anything else an error. Coordinates are
CGCS2000, which agrees with WGS-84 to a few centimetres: no conversion needed.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.exc import GeocoderParseError, GeocoderServiceError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.util import logger

__all__ = ("Tianditu",)

_NO_RESULT = "101"


class Tianditu(Geocoder):
    """Geocoder for the Tianditu geocoding API (results in CGCS2000 ≈ WGS-84)."""

    geocode_path = "/geocoder"

    def __init__(
        self,
        api_key: str,
        *,
        scheme: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
        proxies: Any = DEFAULT_SENTINEL,
        user_agent: str | None = None,
        ssl_context: Any = DEFAULT_SENTINEL,
        adapter_factory: Any = None,
        domain: str = "api.tianditu.gov.cn",
    ) -> None:
        """:param api_key: a Tianditu server key (``tk``). :param domain: host[:port] of the service."""
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.api_key = api_key
        self.domain = domain.strip("/")
        self.api = f"{self.scheme}://{self.domain}{self.geocode_path}"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """Geocode ``query``; the service returns at most one location."""
        ds = json.dumps({"keyWord": query}, ensure_ascii=False)
        url = "?".join((self.api, urlencode({"ds": ds, "tk": self.api_key})))
        logger.debug("%s.geocode: %s", type(self).__name__, url)
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, page: Any, exactly_one: bool = True) -> Location | list[Location] | None:
        if not isinstance(page, dict):
            raise GeocoderParseError(f"unexpected Tianditu answer: {page!r:.200}")
        status = str(page.get("status"))
        if status == _NO_RESULT:
            return None
        if status != "0":
            raise GeocoderServiceError(f"Tianditu status {status}: {page.get('msg', '')}")
        place = page.get("location")
        if not place:
            return None
        try:
            point = (float(place["lat"]), float(place["lon"]))
        except (KeyError, TypeError, ValueError) as error:
            raise GeocoderParseError(f"Tianditu location without lon/lat: {place!r:.200}") from error
        location = Location(str(place.get("keyWord", "")), point, place)
        return location if exactly_one else [location]
