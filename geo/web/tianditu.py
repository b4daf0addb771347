"""Tianditu (天地图), the national base map, offered only where a key for it is configured.

Its web-mercator tiles (``vec_w``, with the ``cva_w`` annotation layer over them) are in CGCS2000,
which is within a metre of WGS-84 at a map's scale: the sites are drawn unshifted (unlike Gaode's
GCJ-02 tiles, ``geo.web.display``). The tiles need a browser key ("浏览器端" in Tianditu's console),
which the browser sends with every tile request, so it is in the map's page by necessity; it is
never written into the layers, the address (``geo.web.urlstate`` keeps only the base map's name)
or a log. It is a key of its own, not the geocoder's ``TIANDITU_TK`` (a server key, which must
not reach a browser).

The key is read from the app's secrets (``[basemaps] tianditu_key`` in
``.streamlit/secrets.toml``), else from ``$RENEWAL_MAP_TIANDITU_KEY``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

BASEMAP = "tianditu"
SECRETS_SECTION = "basemaps"
SECRETS_FIELD = "tianditu_key"
KEY_ENV = "RENEWAL_MAP_TIANDITU_KEY"
ATTRIBUTION = "&copy; 天地图 / 国家地理信息公共服务平台"
SUBDOMAINS = "01234567"
MAX_ZOOM = 18
# base map, then its annotations (place names) over it
LAYERS: tuple[str, ...] = ("vec", "cva")
URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
# A Tianditu key is 32 hexadecimal digits; anything but letters and digits is refused outright.
_KEY = re.compile(r"[0-9A-Za-z]{16,64}")


def usable_key(value: Any) -> str | None:
    """``value`` stripped when it can be a key (letters and digits only), else None."""
    if not isinstance(value, str):
        return None
    key = value.strip()
    return key if _KEY.fullmatch(key) else None


def key_from(secrets: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The tile key from the secrets' ``[basemaps] tianditu_key``, else from ``$RENEWAL_MAP_TIANDITU_KEY``;
    None when neither holds a usable one."""
    section = secrets.get(SECRETS_SECTION) if isinstance(secrets, Mapping) else None
    if isinstance(section, Mapping):
        key = usable_key(section.get(SECRETS_FIELD))
        if key:
            return key
    return usable_key(env.get(KEY_ENV))


def configured_key() -> str | None:
    """The key this app is configured with (the running app's secrets, then its environment)."""
    import streamlit as st

    try:
        secrets = st.secrets.to_dict()
    except Exception:  # no secrets file at all
        secrets = {}
    return key_from(secrets, os.environ)


def tile_specs(key: str) -> list[dict[str, Any]]:
    """The tile layers of the base map with ``key``: the map, then its annotations (both with the
    attribution, which Leaflet shows once)."""
    return [
        {
            "tiles": URL.format(layer=layer, key=key),
            "attr": ATTRIBUTION,
            "subdomains": SUBDOMAINS,
            "max_zoom": MAX_ZOOM,
        }
        for layer in LAYERS
    ]


def offered(basemaps: tuple[str, ...], key: str | None) -> tuple[str, ...]:
    """The base maps to offer: ``basemaps``, with Tianditu after OpenStreetMap when a key is set."""
    if not key:
        return basemaps
    at = basemaps.index("osm") + 1 if "osm" in basemaps else len(basemaps)
    return (*basemaps[:at], BASEMAP, *basemaps[at:])
