"""A geopy :class:`Geocoder` for key-authenticated web services whose host can be chosen."""

from __future__ import annotations

from typing import Any, ClassVar

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder


class KeyedGeocoder(Geocoder):
    """geopy's constructor plus an API key and a ``domain`` (host[:port]), so tests can point at 127.0.0.1."""

    geocode_path: ClassVar[str]
    default_domain: ClassVar[str]

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
        domain: str | None = None,
    ) -> None:
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.api_key = api_key
        self.domain = (domain or self.default_domain).strip("/")
        self.api = f"{self.scheme}://{self.domain}{self.geocode_path}"
