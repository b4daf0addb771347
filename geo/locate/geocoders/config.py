"""Which online geocoders to use, and how: OFF unless configured.

Two sources, environment first:

* environment variables — ``RENEWAL_MAP_GEOCODERS=nominatim,amap`` (order = order
  of trial), ``AMAP_KEY``, ``BAIDU_AK`` (and ``BAIDU_SK`` when the key uses SN
  signing), ``TIANDITU_TK``, ``NOMINATIM_USER_AGENT``; ``<PROVIDER>_URL`` points a
  provider at another host (``http://127.0.0.1:8080``); ``<PROVIDER>_MIN_INTERVAL``
  sets seconds between its requests; ``RENEWAL_MAP_GEOCODE_TIMEOUT``,
  ``…_RETRIES``, ``…_BACKOFF``, ``…_CACHE`` (cache file) and
  ``RENEWAL_MAP_GEOCODERS_CONFIG`` (the TOML file's path);
* ``geocoders.toml`` in the user's config folder (platformdirs)::

      providers = ["nominatim", "amap"]
      timeout_s = 5
      [nominatim]
      user_agent = "renewal-map/0.1 (someone@example.org)"
      [amap]
      key = "…"

Keys live only there or in the environment, never in the repository.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from geo.locate.geocoders.errors import GeocoderConfigError

APP_NAME = "renewal-map"
PROVIDERS = ("nominatim", "baidu", "amap", "tianditu")
PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
NOMINATIM_MIN_INTERVAL_S = 1.0  # the public server's usage policy: at most one request per second

# Seconds between requests when not configured: within the free tiers' per-second quotas.
DEFAULT_MIN_INTERVAL_S = {"nominatim": NOMINATIM_MIN_INTERVAL_S, "baidu": 0.34, "amap": 0.34, "tianditu": 0.5}
_KEY_ENV = {"baidu": "BAIDU_AK", "amap": "AMAP_KEY", "tianditu": "TIANDITU_TK"}


@dataclass(frozen=True)
class ProviderSettings:
    """One provider's settings. ``url`` overrides the service's scheme and host."""

    name: str
    key: str | None = None
    security_key: str | None = None  # Baidu SK, for keys that require signed requests
    user_agent: str | None = None
    url: str | None = None
    min_interval_s: float = 0.0

    @property
    def scheme(self) -> str | None:
        return (urlsplit(self.url).scheme or None) if self.url else None

    @property
    def domain(self) -> str | None:
        """host[:port] (and any path prefix) of the URL override."""
        if not self.url:
            return None
        parts = urlsplit(self.url)
        return (parts.netloc + parts.path).rstrip("/") or None

    @property
    def is_local(self) -> bool:
        """True when the override points at this machine (no proxy must be used)."""
        host = urlsplit(self.url).hostname if self.url else None
        return host in {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class GeocoderConfig:
    """The whole configuration; ``providers`` empty means geocoding is off."""

    providers: tuple[ProviderSettings, ...] = ()
    timeout_s: float = 5.0
    max_retries: int = 2  # retries after the first attempt, on timeouts, 429 and 5xx only
    backoff_s: float = 1.0  # wait before the first retry; doubles each time
    max_backoff_s: float = 30.0
    county_buffer_m: float = 1000.0  # answers farther than this outside the county are rejected
    cache_path: Path | None = None  # None: the platform's cache folder
    use_cache: bool = True
    source: str = field(default="defaults", compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.providers)


def default_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "geocoders.toml"


def _float(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise GeocoderConfigError(f"{what}: not a number: {value!r}") from None
    if out < 0:
        raise GeocoderConfigError(f"{what}: must not be negative: {value!r}")
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise GeocoderConfigError(f"{path}: not valid TOML: {error}") from error
    except OSError as error:
        raise GeocoderConfigError(f"{path}: cannot read: {error}") from error


def _provider_names(value: Any, where: str) -> list[str]:
    names = [n.strip().lower() for n in value.split(",")] if isinstance(value, str) else list(value)
    names = [n for n in names if n]
    unknown = [n for n in names if n not in PROVIDERS]
    if unknown:
        raise GeocoderConfigError(f"{where}: unknown geocoder(s) {unknown}; known: {', '.join(PROVIDERS)}")
    if len(set(names)) != len(names):
        raise GeocoderConfigError(f"{where}: a geocoder is listed twice: {names}")
    return names


def load_config(env: Mapping[str, str] | None = None, path: Path | None = None) -> GeocoderConfig:
    """Read the configuration; environment variables override the TOML file.

    ``path`` (or ``RENEWAL_MAP_GEOCODERS_CONFIG``) names the TOML file; the default
    one is read only if it exists. Raises GeocoderConfigError for a listed
    provider without its key (or Nominatim without a user agent).
    """
    env = os.environ if env is None else env
    env_path = env.get("RENEWAL_MAP_GEOCODERS_CONFIG")
    explicit = path or (Path(env_path) if env_path else None)
    toml_path = explicit or default_config_path()
    data: dict[str, Any] = {}
    if explicit is not None or toml_path.is_file():
        data = _read_toml(toml_path)
    source = str(toml_path) if data else "environment"

    if env.get("RENEWAL_MAP_GEOCODERS") is not None:
        names = _provider_names(env["RENEWAL_MAP_GEOCODERS"], "RENEWAL_MAP_GEOCODERS")
    else:
        names = _provider_names(data.get("providers", []), f"{toml_path}: providers")

    def setting(env_name: str, toml_key: str, default: Any, table: Mapping[str, Any] | None = None) -> Any:
        if env.get(env_name):
            return env[env_name]
        return (data if table is None else table).get(toml_key, default)

    providers = []
    for name in names:
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise GeocoderConfigError(f"{toml_path}: [{name}] must be a table")
        up = name.upper()
        key = setting(_KEY_ENV[name], "key", None, table) if name in _KEY_ENV else None
        settings = ProviderSettings(
            name=name,
            key=key,
            security_key=setting("BAIDU_SK", "security_key", None, table) if name == "baidu" else None,
            user_agent=setting(f"{up}_USER_AGENT", "user_agent", None, table),
            url=setting(f"{up}_URL", "url", None, table),
            min_interval_s=_float(
                setting(f"{up}_MIN_INTERVAL", "min_interval_s", DEFAULT_MIN_INTERVAL_S[name], table),
                f"{name} min_interval_s",
            ),
        )
        providers.append(_validated(settings))

    cache = setting("RENEWAL_MAP_GEOCODE_CACHE", "cache", None)
    retries = _float(setting("RENEWAL_MAP_GEOCODE_RETRIES", "max_retries", 2), "max_retries")
    return GeocoderConfig(
        providers=tuple(providers),
        timeout_s=_float(setting("RENEWAL_MAP_GEOCODE_TIMEOUT", "timeout_s", 5.0), "timeout_s"),
        max_retries=int(retries),
        backoff_s=_float(setting("RENEWAL_MAP_GEOCODE_BACKOFF", "backoff_s", 1.0), "backoff_s"),
        max_backoff_s=_float(data.get("max_backoff_s", 30.0), "max_backoff_s"),
        county_buffer_m=_float(data.get("county_buffer_m", 1000.0), "county_buffer_m"),
        cache_path=Path(cache).expanduser() if cache else None,
        source=source,
    )


def _validated(s: ProviderSettings) -> ProviderSettings:
    if s.name in _KEY_ENV and not s.key:
        raise GeocoderConfigError(f"{s.name}: no API key (set {_KEY_ENV[s.name]} or 'key' in [{s.name}])")
    if s.name == "nominatim":
        if not s.user_agent or not s.user_agent.strip():
            raise GeocoderConfigError(
                "nominatim: an identifying user agent is required by the usage policy "
                "(set NOMINATIM_USER_AGENT, e.g. 'renewal-map/0.1 (you@example.org)')"
            )
        if s.min_interval_s < NOMINATIM_MIN_INTERVAL_S and (s.domain or PUBLIC_NOMINATIM) == PUBLIC_NOMINATIM:
            # the public server allows one request per second, whatever the configuration says
            s = replace(s, min_interval_s=NOMINATIM_MIN_INTERVAL_S)
    if s.url and s.scheme not in {"http", "https"}:
        raise GeocoderConfigError(f"{s.name}: URL must start with http:// or https://: {s.url!r}")
    return s
