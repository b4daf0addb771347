"""What a site's name itself says about where it is: the townships and villages it names.

Reports often name a site after the township it lies in (甲镇老县衙, 乙镇东港工业园区, 丙镇古镇),
name a zone after the towns it spans (龙山—西溪“状元故里”县域风貌区), or name a village outright
(卫星村). The administrative tree (:mod:`geo.locate.admin`) says which township such a word is; the
embedded gazetteer says, for a few townships only, where that township is. A township known by
name but located by no source gives no position: the finding is kept as words for the citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.locate import admin
from geo.locate.county_location import farthest_distance_m
from geo.locate.gazetteer import Gazetteer, GazetteerEntry
from geo.model import Basis, County, Location, basis
from geo.text import lexicon

_GEOD = Geod(ellps="WGS84")
CIRCLE_VERTICES = 64
NAMESAKE_AREAS = Path(__file__).parent / "data" / "namesake_areas.txt"
# The words and thresholds of these rules: ``lexicons/name_places.toml``.


@dataclass(frozen=True)
class NamePlaces:
    """Townships a site's name places it in (several for a zone named after towns)."""

    townships: tuple[str, ...]  # official names, in the order the name gives them
    words: tuple[str, ...]  # the words of the name that gave them (乾元, 龙山, 卫星村)
    unknown: tuple[str, ...] = ()  # parts of a zone name that name no township of the county
    village: str | None = None  # the village the township was found through
    context: str | None = None  # the finding in words when the site's clause, not its name, gave it
    context_basis: Basis | None = None  # the same, as data

    def describe(self) -> str:
        """The finding in words: "the name places it in 乾元镇", "… across 龙山镇 and 西溪镇"."""
        if self.context:
            return self.context
        names = list(self.townships) + list(self.unknown)
        where = f"in {names[0]}" if len(names) == 1 else f"across {_join(names)}"
        if self.village and self.words and self.words[0] != self.village:
            return (f"the name (an area named after {self.village}, a village of {self.townships[0]}) "
                    f"places it {where}")
        if self.village:
            return f"the name ({self.village}, a village of {self.townships[0]}) places it {where}"
        return f"the name places it {where}"

    def basis(self) -> Basis:
        """:meth:`describe` as data."""
        if self.context_basis is not None:
            return self.context_basis
        namesake = bool(self.village and self.words and self.words[0] != self.village) or None
        return basis("name_places", townships=self.townships, unknown=self.unknown or None,
                     village=self.village, namesake=namesake)


def _join(items: list[str], conjunction: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def is_common_word(short: str) -> bool:
    """True when a township's short form is an everyday word that must not be taken for the township."""
    return (
        short in lexicon.name_place_rules().positional
        or short in lexicon.generic_words()
        or lexicon.word_freq().get(short, 0) >= lexicon.name_place_rules().common_word_freq
    )


@cache
def _shorts(county: County) -> tuple[tuple[str, str], ...]:
    """(short form, township) pairs usable as a name's prefix, longest first; shared short forms left out."""
    pairs: dict[str, set[str]] = {}
    for town in admin.townships(county):
        short = admin.township_short(town)
        if len(short) >= 2 and not is_common_word(short):
            pairs.setdefault(short, set()).add(town)
    usable = [(s, next(iter(ts))) for s, ts in pairs.items() if len(ts) == 1]
    return tuple(sorted(usable, key=lambda p: (-len(p[0]), p[0])))


def _township(word: str, county: County) -> str | None:
    """The township this whole word is: its official name or its (uncommon) short form."""
    if word in admin.townships(county):
        return word
    return next((t for s, t in _shorts(county) if s == word), None)


def _prefix_township(name: str, county: County) -> tuple[str, str] | None:
    """(short form, township) when the name begins with a township's short form.

    Not when that short form is also the county's own (梁山 of 梁山街道 in 梁山县): a name that
    begins with it is more often named after the county.
    """
    county_short = county.short
    for short, town in _shorts(county):
        if name.startswith(short) and short != county_short:
            rest = name[len(short):]
            if rest and rest[0] in lexicon.name_place_rules().feature_chars:
                continue
            return short, town
    return None


def _zone(name: str, county: County) -> NamePlaces | None:
    """Towns named before a zone's quoted nickname (龙山—西溪“状元故里”县域风貌区)."""
    rules = lexicon.name_place_rules()
    m = rules.zone_head.match(name)
    if m is None:
        return None
    parts = [p for p in rules.zone_separators.split(m.group(1)) if p]
    towns: list[str] = []
    words: list[str] = []
    unknown: list[str] = []
    for part in parts:
        town = _township(part, county)
        if town is None:
            unknown.append(part)
        elif town not in towns:
            towns.append(town)
            words.append(part)
    if not towns or (len(parts) == 1 and unknown):
        return None
    return NamePlaces(tuple(towns), tuple(words), tuple(unknown))


def name_places(name: str, county: County) -> NamePlaces | None:
    """The townships ``name`` places its site in within ``county``; None when it names none.

    A zone's towns before its quoted nickname; else every township written in full anywhere in
    the name and one whose short form begins it (乾元老县衙 → 乾元镇); else a village whose full
    name begins it (卫星村 → 乾元镇); else an area named after a village, its short form followed
    by an area word only (黄泥区块, ``locate/data/namesake_areas.txt``). A short form that is an
    everyday word (城南, 中心) never counts.
    """
    name = "".join(name.split())
    zone = _zone(name, county)
    if zone is not None:
        return zone
    found: list[tuple[int, str, str]] = []  # (position, word, township)
    for town in admin.townships(county):
        at = name.find(town)
        if at >= 0:
            found.append((at, town, town))
    prefix = _prefix_township(name, county)
    if prefix is not None and all(t != prefix[1] for _, _, t in found):
        found.append((0, *prefix))
    if found:
        found.sort()
        return NamePlaces(tuple(t for _, _, t in found), tuple(w for _, w, _ in found))
    shortest = lexicon.name_place_rules().min_village_name
    villages = [v for v in admin.places_in(county) if len(v) >= shortest and name.startswith(v)]
    if villages:
        village = max(villages, key=len)
        return NamePlaces((admin.places_in(county)[village],), (village,), village=village)
    return _village_namesake(name, county)


@cache
def _namesake_words() -> frozenset[str]:
    lines = NAMESAKE_AREAS.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def _village_shorts(county: County) -> dict[str, tuple[str, str]]:
    """Village short form -> (village, township), for short forms that only one township's villages have."""
    towns: dict[str, set[str]] = {}
    village: dict[str, str] = {}
    for v, t in sorted(admin.places_in(county).items()):
        short = admin.village_short(v)
        if len(short) >= 2 and not is_common_word(short):
            towns.setdefault(short, set()).add(t)
            village.setdefault(short, v)
    return {s: (village[s], next(iter(ts))) for s, ts in towns.items() if len(ts) == 1}


def _village_namesake(name: str, county: County) -> NamePlaces | None:
    """An area named after a village: its short form and an area word only (黄泥区块 → 黄泥村's township)."""
    for short, (village, town) in _village_shorts(county).items():
        if name.startswith(short) and name[len(short):] in _namesake_words():
            return NamePlaces((town,), (short,), village=village)
    return None


# ---------------------------------------------------------------- where the named townships are


def township_extent(town: str, county: County, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The gazetteer's cited geometry of a township, when it has one."""
    entry = gazetteer.lookup(town, county)
    return entry if entry is not None and entry.kind == "township" else None


def _area(entry: GazetteerEntry) -> BaseGeometry:
    """An extent as an area: a point stands for the circle of its uncertainty."""
    geom = entry.geometry
    if geom.geom_type != "Point":
        return geom
    n = CIRCLE_VERTICES
    azimuths = [360.0 * i / n for i in range(n)]
    lons, lats, _ = _GEOD.fwd([geom.x] * n, [geom.y] * n, azimuths, [entry.uncertainty_m] * n)
    return Polygon(zip(lons, lats, strict=True))


def locate_by_name(found: NamePlaces, county: County, gazetteer: Gazetteer) -> Location | None:
    """The known extent of the township(s) the name gives; None unless every one of them is located.

    One township: its gazetteer geometry and uncertainty as cited. Several (a zone named after
    towns): the union of their extents, with an uncertainty that covers the union.
    """
    if found.unknown:
        return None
    entries = [township_extent(t, county, gazetteer) for t in found.townships]
    known = [e for e in entries if e is not None]
    if len(known) != len(entries) or not known:
        return None
    if len(known) == 1:
        (entry,) = known
        return Location(
            geometry=entry.geometry,
            precision="township",
            uncertainty_m=entry.uncertainty_m,
            source=f"{found.describe()}; extent of {entry.name}: gazetteer: {entry.source_url}",
            basis=(found.basis(), basis("township_extent", township=entry.name, url=entry.source_url)),
        )
    union = unary_union([_area(e) for e in known])
    radius = max(farthest_distance_m(union.centroid, union), *(e.uncertainty_m for e in known))
    cites = "; ".join(f"{e.name}: gazetteer: {e.source_url}" for e in known)
    return Location(
        geometry=union,
        precision="township",
        uncertainty_m=float(round(radius)),
        source=f"{found.describe()}; extents: {cites}",
        basis=(found.basis(), *(basis("township_extent", township=e.name, url=e.source_url) for e in known)),
    )


def unlocated_note(found: NamePlaces, county: County, gazetteer: Gazetteer,
                   seated: frozenset[str] = frozenset()) -> str:
    """Why the finding gives no position: "the name places it in 乾元镇, which no embedded source locates".

    ``seated`` are the townships another source (GeoNames seats) locates.
    """
    missing = [t for t in found.townships
               if t not in seated and township_extent(t, county, gazetteer) is None]
    if not missing and not found.unknown:
        return f"{found.describe()}; their locations together would cover most of the county"
    if len(found.townships) == 1 and not found.unknown:
        return f"{found.describe()}, which no embedded source locates"
    reasons = []
    if missing:
        reasons.append(f"no embedded source locates {_join(missing, 'or')}")
    if found.unknown:
        reasons.append(f"{_join(list(found.unknown))} names no township of {county.name}")
    return f"{found.describe()}; {'; '.join(reasons) or 'no extent is claimed'}"


def unlocated_basis(found: NamePlaces, county: County, gazetteer: Gazetteer,
                    seated: frozenset[str] = frozenset()) -> tuple[Basis, ...]:
    """:func:`unlocated_note` as data."""
    missing = tuple(t for t in found.townships
                    if t not in seated and township_extent(t, county, gazetteer) is None)
    if not missing and not found.unknown:
        return found.basis(), basis("too_wide")
    if len(found.townships) == 1 and not found.unknown:
        return found.basis(), basis("unlocated", townships=found.townships)
    steps = [found.basis()]
    if missing:
        steps.append(basis("unlocated", townships=missing))
    if found.unknown:
        steps.append(basis("not_township", names=found.unknown, county=county.name))
    return tuple(steps)
