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
from geopy.geocoders.base import DEFAULT_SENTINEL
from geopy.location import Location
from geopy.util import logger

from geo.locate.geocoders.keyed import KeyedGeocoder

__all__ = ("Tianditu",)

_NO_RESULT = "101"


class Tianditu(KeyedGeocoder):
    """Geocoder for the Tianditu geocoding API (results in CGCS2000 ≈ WGS-84)."""

    geocode_path = "/geocoder"
    default_domain = "api.tianditu.gov.cn"

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
