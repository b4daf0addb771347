"""geopy's :class:`~geopy.geocoders.BaiduV3`, with a configurable host and the ``city`` filter.

geopy hard-codes ``api.map.baidu.com``; the product needs to point it elsewhere
(a test server, a proxy). Answers stay in **BD-09**, as geopy returns them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from geopy.geocoders import BaiduV3
from geopy.geocoders.base import DEFAULT_SENTINEL
from geopy.location import Location
from geopy.util import logger

__all__ = ("BaiduV3Hosted",)


class BaiduV3Hosted(BaiduV3):
    """Baidu Maps v3 geocoder whose host can be chosen (results in BD-09)."""

    def __init__(self, api_key: str, *, domain: str = "api.map.baidu.com", **kwargs: Any) -> None:
        super().__init__(api_key, **kwargs)
        self.domain = domain.strip("/")
        self.api = f"{self.scheme}://{self.domain}{self.api_path}"
        self.reverse_api = f"{self.scheme}://{self.domain}{self.reverse_path}"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        city: str | None = None,
    ) -> Location | list[Location] | None:
        """Geocode ``query``; ``city`` filters among same-named places (it does not bound the answer)."""
        params = {"ak": self.api_key, "output": "json", "address": query}
        if city:
            params["city"] = city
        url = self._construct_url(self.api, self.api_path, params)
        logger.debug("%s.geocode: %s", type(self).__name__, url)
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)
