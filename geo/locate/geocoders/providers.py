"""The four providers: how to ask each one, and how to read its answer as WGS-84.

A provider's ``fetch`` goes to the network (through geopy) and returns the raw
answers, which is what the cache stores; ``interpret`` turns one raw answer into
a :class:`Candidate` in WGS-84 with a precision and an uncertainty, or None when
the answer is no finer than the county (it would only restate what is known).

Where a provider gives no extent, uncertainty is estimated from its match level
(the tables below): a point on a road of unknown length or a park's label point
is not known to better than a few hundred metres, and saying so is the point.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import TYPE_CHECKING, Any, ClassVar

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.coords import bd09_to_wgs84, gcj02_to_wgs84
from geo.locate.geocoders.amap import Amap
from geo.locate.geocoders.answers import DEADLINE_FACTOR, finite_point, outline
from geo.locate.geocoders.baidu import BaiduV3Hosted
from geo.locate.geocoders.config import NOMINATIM_MIN_INTERVAL_S, PUBLIC_NOMINATIM, ProviderSettings
from geo.locate.geocoders.errors import GeocoderConfigError
from geo.locate.geocoders.geometry import distance_m, half_diagonal_m
from geo.locate.geocoders.http import BoundedAdapter
from geo.locate.geocoders.nominatim import NominatimV2
from geo.locate.geocoders.tianditu import Tianditu

if TYPE_CHECKING:
    from geo.locate.admin import County

EXACT_MAX_M = 100.0  # a point known to within this is "exact"
TOWNSHIP_DEFAULT_M = 5000.0  # a township matched by name only: its extent is not returned

def _product_version() -> str:
    try:
        return metadata.version("renewal-map")
    except metadata.PackageNotFoundError:
        return "0"


PRODUCT_USER_AGENT = f"renewal-map/{_product_version()}"


@dataclass(frozen=True)
class Candidate:
    """One answer, read: WGS-84 geometry, precision, uncertainty (m) and the provider's level word."""

    geometry: BaseGeometry
    precision: str
    uncertainty_m: float
    level: str


def _point_candidate(lon: float, lat: float, precision: str, uncertainty_m: float, level: str) -> Candidate:
    if not finite_point(lon, lat):
        raise ValueError(f"not a WGS-84 coordinate ({lon}, {lat})")
    if not math.isfinite(uncertainty_m):
        raise ValueError(f"not a finite extent ({uncertainty_m})")
    if precision != "township":
        precision = "exact" if uncertainty_m <= EXACT_MAX_M else "street"
    return Candidate(Point(lon, lat), precision, float(uncertainty_m), level)


def _adapter_factory(proxies: Any, ssl_context: Any, deadline_s: float = 20.0) -> BoundedAdapter:
    # no retries inside (urllib3's silent retries would multiply the geocoding layer's own);
    # a deadline on the whole request and a cap on the answer's size
    return BoundedAdapter(proxies=proxies, ssl_context=ssl_context, deadline_s=deadline_s)


class Provider(ABC):
    """One configured online geocoder."""

    name: ClassVar[str]

    def __init__(self, settings: ProviderSettings, timeout_s: float) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self.geocoder = self._build(self._common_kwargs())

    def _common_kwargs(self) -> dict[str, Any]:
        s = self.settings
        kwargs: dict[str, Any] = {
            "timeout": self.timeout_s,
            "user_agent": s.user_agent or PRODUCT_USER_AGENT,
            "adapter_factory": partial(_adapter_factory, deadline_s=DEADLINE_FACTOR * self.timeout_s),
            "proxies": {} if s.is_local else DEFAULT_SENTINEL,
        }
        if s.scheme:
            kwargs["scheme"] = s.scheme
        if s.domain:
            kwargs["domain"] = s.domain
        return kwargs

    @property
    def host(self) -> str:
        return str(getattr(self.geocoder, "domain", self.name))

    @property
    def min_interval_s(self) -> float:
        """Seconds between two requests to this service."""
        return self.settings.min_interval_s

    @abstractmethod
    def _build(self, kwargs: dict[str, Any]) -> Geocoder: ...

    def query_for(self, name: str, county: County) -> str:
        """The text sent: always carries the county (永康市塔山公园, never bare 塔山公园)."""
        name = "".join(name.split())
        return name if county.name in name else f"{county.name}{name}"

    @abstractmethod
    def fetch(self, query: str, county: County, area: BaseGeometry) -> list[dict[str, Any]]:
        """Ask the service; the raw answers, best first ([] when it found nothing). Raises geopy errors."""

    @abstractmethod
    def interpret(self, raw: dict[str, Any]) -> Candidate | None:
        """Read one raw answer; None when it is no finer than the county. Raises on a malformed answer."""


# ---------------------------------------------------------------- Nominatim


class NominatimProvider(Provider):
    """OpenStreetMap Nominatim: outlines of roads and parks (geojson), place_rank for the level."""

    name = "nominatim"

    def __init__(self, settings: ProviderSettings, timeout_s: float) -> None:
        if not (settings.user_agent or "").strip():
            raise GeocoderConfigError("nominatim: an identifying user agent is required by the usage policy")
        super().__init__(settings, timeout_s)

    def _build(self, kwargs: dict[str, Any]) -> Geocoder:
        return NominatimV2(**kwargs)

    @property
    def min_interval_s(self) -> float:
        if self.host == PUBLIC_NOMINATIM:  # the public server's policy, whatever was configured
            return max(self.settings.min_interval_s, NOMINATIM_MIN_INTERVAL_S)
        return self.settings.min_interval_s

    def query_for(self, name: str, county: County) -> str:
        # A comma lets Nominatim match the county against the address part.
        name = "".join(name.split())
        return name if county.name in name else f"{name}, {county.name}"

    def fetch(self, query: str, county: County, area: BaseGeometry) -> list[dict[str, Any]]:
        minx, miny, maxx, maxy = area.bounds
        found = self.geocoder.geocode(
            query,
            exactly_one=False,
            limit=5,
            country_codes="cn",
            viewbox=[(miny, minx), (maxy, maxx)],  # geopy takes (lat, lon) pairs here
            bounded=True,
            geometry="geojson",
        )
        return [loc.raw for loc in found or []]

    def interpret(self, raw: dict[str, Any]) -> Candidate | None:
        rank = int(raw.get("place_rank", 30))
        level = str(raw.get("addresstype") or raw.get("type") or rank)
        if rank <= 12:  # county, region, state, country
            return None
        lon, lat = float(raw["lon"]), float(raw["lat"])
        if rank <= 18:  # city, town, township, subdistrict
            extent = _nominatim_extent_m(raw)
            return _point_candidate(lon, lat, "township", extent or TOWNSHIP_DEFAULT_M, level)
        shape_ = outline(raw.get("geojson"))  # None: no outline, or one that cannot be used
        if shape_ is not None:
            # the outline is the place itself: exact, however large it is
            return Candidate(shape_, "exact", max(half_diagonal_m(shape_), 1.0), level)
        return _point_candidate(lon, lat, "street", max(_nominatim_extent_m(raw), 10.0), level)


def _nominatim_extent_m(raw: dict[str, Any]) -> float:
    """Half-diagonal of Nominatim's boundingbox [south, north, west, east]; 0 when absent."""
    bbox = raw.get("boundingbox")
    if not bbox or len(bbox) != 4:
        return 0.0
    south, north, west, east = (float(v) for v in bbox)
    return distance_m(west, south, east, north) / 2.0


# ---------------------------------------------------------------- Baidu

# Baidu documents ``confidence`` as the absolute error of the point:
# 100 → < 20 m, ≥ 90 → < 50 m, ≥ 80 → < 100 m, … ≥ 20 → < 10 km.
_BAIDU_CONFIDENCE_M = ((100, 20), (90, 50), (80, 100), (75, 200), (70, 300), (60, 500), (50, 1000),
                       (40, 2000), (30, 5000), (25, 8000), (20, 10000))
_COARSE = {"国家", "省", "城市", "市", "区县", "县", "地级市", "行政区划"}
_TOWNSHIP = {"乡镇", "乡", "镇", "街道", "开发区"}


def baidu_uncertainty_m(confidence: Any) -> float:
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        return TOWNSHIP_DEFAULT_M
    for floor, metres in _BAIDU_CONFIDENCE_M:
        if value >= floor:
            return float(metres)
    return 20000.0


class BaiduProvider(Provider):
    """Baidu Maps geocoding v3 (geopy BaiduV3); answers are BD-09."""

    name = "baidu"

    def _build(self, kwargs: dict[str, Any]) -> Geocoder:
        return BaiduV3Hosted(self.settings.key or "", security_key=self.settings.security_key, **kwargs)

    def fetch(self, query: str, county: County, area: BaseGeometry) -> list[dict[str, Any]]:
        found = self.geocoder.geocode(query, exactly_one=True, city=county.city)
        return [found.raw] if found else []

    def interpret(self, raw: dict[str, Any]) -> Candidate | None:
        level = str(raw.get("level", ""))
        if level in _COARSE:
            return None
        loc = raw["location"]
        lon, lat = bd09_to_wgs84(float(loc["lng"]), float(loc["lat"]))
        uncertainty = baidu_uncertainty_m(raw.get("confidence"))
        if level in _TOWNSHIP:
            return _point_candidate(lon, lat, "township", max(uncertainty, TOWNSHIP_DEFAULT_M), level)
        if uncertainty > 2 * TOWNSHIP_DEFAULT_M:  # no finer than the county
            return None
        if str(raw.get("precise", "0")) != "1":  # a fuzzy match is never "exact"
            uncertainty = max(uncertainty, 2 * EXACT_MAX_M)
        precision = "township" if uncertainty >= TOWNSHIP_DEFAULT_M else "street"
        return _point_candidate(lon, lat, precision, uncertainty, level)


# ---------------------------------------------------------------- Amap

# Amap gives a point and a match level, no extent.
_AMAP_LEVEL_M = {
    "门牌号": 50.0, "单元号": 30.0, "道路交叉路口": 50.0, "公交站台、地铁站": 50.0, "公交地铁站点": 50.0,
    "兴趣点": 300.0,  # a park or a compound is labelled by one point
    "道路": 1000.0,  # somewhere along a road of unknown length
    "村庄": 1500.0, "热点商圈": 1500.0,
}


class AmapProvider(Provider):
    """Amap (高德) geocoding v3; answers are GCJ-02."""

    name = "amap"

    def _build(self, kwargs: dict[str, Any]) -> Geocoder:
        return Amap(self.settings.key or "", **kwargs)

    def fetch(self, query: str, county: County, area: BaseGeometry) -> list[dict[str, Any]]:
        # Amap's city filter does not take county-level cities: give the prefecture.
        found = self.geocoder.geocode(query, exactly_one=False, city=county.city)
        return [loc.raw for loc in found or []]

    def interpret(self, raw: dict[str, Any]) -> Candidate | None:
        level = str(raw.get("level", ""))
        if level in _COARSE:
            return None
        lon_s, lat_s = str(raw["location"]).split(",")
        lon, lat = gcj02_to_wgs84(float(lon_s), float(lat_s))
        if level in _TOWNSHIP or level not in _AMAP_LEVEL_M:  # 乡镇, 开发区, 未知
            return _point_candidate(lon, lat, "township", TOWNSHIP_DEFAULT_M, level)
        return _point_candidate(lon, lat, "street", _AMAP_LEVEL_M[level], level)


# ---------------------------------------------------------------- Tianditu

_TIANDITU_LEVEL_M = {"门址": 50.0, "门牌": 50.0, "兴趣点": 300.0, "POI": 300.0, "地名地址": 500.0,
                     "道路": 1000.0, "交叉口": 100.0, "村庄": 1500.0}


class TiandituProvider(Provider):
    """Tianditu (天地图) geocoder; answers are CGCS2000, taken as WGS-84."""

    name = "tianditu"

    def _build(self, kwargs: dict[str, Any]) -> Geocoder:
        return Tianditu(self.settings.key or "", **kwargs)

    def fetch(self, query: str, county: County, area: BaseGeometry) -> list[dict[str, Any]]:
        found = self.geocoder.geocode(query, exactly_one=True)
        return [found.raw] if found else []

    def interpret(self, raw: dict[str, Any]) -> Candidate | None:
        level = str(raw.get("level", ""))
        if level in _COARSE or level in {"行政区", "区县级"}:
            return None
        lon, lat = float(raw["lon"]), float(raw["lat"])
        if level in _TOWNSHIP or level not in _TIANDITU_LEVEL_M:
            return _point_candidate(lon, lat, "township", TOWNSHIP_DEFAULT_M, level)
        return _point_candidate(lon, lat, "street", _TIANDITU_LEVEL_M[level], level)


PROVIDER_CLASSES: dict[str, type[Provider]] = {
    cls.name: cls for cls in (NominatimProvider, BaiduProvider, AmapProvider, TiandituProvider)
}


def build_provider(settings: ProviderSettings, timeout_s: float) -> Provider:
    return PROVIDER_CLASSES[settings.name](settings, timeout_s)
