"""geopy's :class:`~geopy.geocoders.Nominatim`, asking for ``format=jsonv2``.

jsonv2 adds ``category``, ``place_rank`` and ``addresstype``, which tell a
park from a village from a township; geopy documents ``_construct_url`` as the
hook for extending the URL parameters.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from geopy.geocoders import Nominatim

__all__ = ("NominatimV2",)


class NominatimV2(Nominatim):
    """Nominatim geocoder returning jsonv2 records (the parsing is geopy's)."""

    def _construct_url(self, base_api: str, params: dict[str, Any]) -> str:
        params = {**params, "format": "jsonv2"}
        return "?".join((base_api, urlencode(params)))
