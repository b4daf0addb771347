"""The county index: every name a report's text is searched for (county, prefecture, province,
township and village names, and their short forms), with what each can mean. Built from the
parsed admin tree and jieba's dictionary when the stored tables are (``geo.data.tables``), and
read by ``geo.locate.county.text``, which finds these names in a text.

Also the pinyin of every county, for the clues beside a text (``geo.locate.county.beside``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.data import lexicon_files
from geo.data.admin_tree import _Tree

# Kinds of cue, in order of precedence when two matches of the same length overlap.
_BLOCK, _COMPOUND, _FULL, _SHORT, _CITY, _PROVINCE, _TOWN, _VILLAGE, _TOWN_SHORT, _VILLAGE_SHORT = range(10)

_MAX_NAME = 12  # longer names are not looked for


def _lexicon() -> dict[str, Any]:
    return lexicon_files.county_cues()


@dataclass(frozen=True)
class _Index:
    """Every name the text is searched for, with what each can mean."""

    full: dict[str, list[int]]  # official county name -> counties
    short: dict[str, list[int]]  # short county name -> counties
    city: dict[str, str]  # prefecture name or short name -> prefecture
    province: dict[str, str]  # province name or short name -> province
    members: dict[str, set[int]]  # prefecture or province -> its counties
    places: Any  # township or village name -> [county * 2 + (0 township, 1 village)] (get, in)
    stems: Any  # short place names: a township or village name less its suffix (乾元, 黄棠) (in)
    stop: frozenset[str]  # county names that are ordinary words even in full (老城区)
    common: Any  # ordinary words: not a cue by themselves (和平, 鼓楼, 安全) (in)
    names: dict[str, frozenset[int]]  # county, prefecture or province name -> what it can be
    freq: Any  # WordFreq: jieba's word frequencies for the local segmentation
    log_total: float = 0.0
    # _place_holders of the place names met so far (the texts of a corpus repeat them); emptied when full
    held: dict[str, dict[int, set[int]]] = field(default_factory=dict)
    # every name looked for (2 to _MAX_NAME characters) in a trie: the names that start at a
    # position are its prefixes of the text from there
    finder: Any = None
    # _stands_alone of the (window, start, end) met so far, start and end within the window; emptied when full
    alone: dict[tuple[str, int, int, int], bool] = field(default_factory=dict)


def _jieba_common_words(words: list[tuple[str, int, str]]) -> set[str]:
    """The frequent common (not proper) words of jieba's dictionary (its tags are not in its model)."""
    cfg = _lexicon()["common_word"]
    proper = set(cfg["proper_tags"])
    floor = cfg["min_frequency"]
    return {w for w, f, tag in words if f >= floor and tag not in proper}


def build_parts(tree: _Tree, words: list[tuple[str, int, str]]) -> dict[str, Any]:
    """What the stored county index holds, from the parsed admin tree and jieba's dictionary
    (a few seconds; ``geo.data.tables`` keeps the result)."""
    places: dict[str, list[int]] = {}
    for i, towns in enumerate(tree.towns):
        for town, villages in towns:
            for name, code in ((town, 2 * i), *((v, 2 * i + 1) for v in villages)):
                held = places.setdefault(name, [])
                if not held or held[-1] != code:
                    held.append(code)
    stems = _stems(places)
    lex = _lexicon()
    stop = frozenset(lex["common_names"])
    city: dict[str, str] = {}
    province: dict[str, str] = {}
    members: defaultdict[str, set[int]] = defaultdict(set)
    for i, c in enumerate(tree.counties):
        members[c.city].add(i)
        members[c.province].add(i)
        province[c.province] = c.province
        province[tree.province_short.get(c.province, c.province)] = c.province
        if c.city != c.name:
            city[c.city] = c.city
            short = tree.city_short.get(c.city, "")
            if len(short) >= 2 and short not in tree.by_short:
                city[short] = c.city
    names: dict[str, set[int]] = defaultdict(set)
    for kind, table in ((_FULL, tree.by_name), (_SHORT, tree.by_short), (_CITY, city), (_PROVINCE, province)):
        for word in table:
            names[word].add(kind)
    ix = _Index(full=tree.by_name, short=tree.by_short, city=city, province=province,
                members=dict(members), places=_DictPlaces(places), stems=stems, stop=stop,
                common=frozenset(), names={w: frozenset(k) for w, k in names.items()}, freq=None)
    limit = lex["common_word"]["max_places"]
    everywhere = {s for s in tree.by_short
                  if len(set().union(*_place_holders(s, ix).values())) >= limit}
    finder = {w for table in (ix.names, places, stems) for w in table if 2 <= len(w) <= _MAX_NAME}
    return {"places": places, "stems": stems, "finder": finder,
            "common": stop | everywhere | _jieba_common_words(words),
            "index": {"city": city, "province": province, "members": dict(members), "stop": stop,
                      "names": ix.names}}


class _DictPlaces:
    """``Places`` over a dict, while the stored tables are built."""

    def __init__(self, places: dict[str, list[int]]) -> None:
        self._d = places

    def __contains__(self, name: object) -> bool:
        return name in self._d

    def get(self, name: str) -> list[int] | None:
        return self._d.get(name)

    def codes(self, name: str) -> list[int]:
        return self._d.get(name) or []


def _stems(places: dict[str, list[int]]) -> frozenset[str]:
    """The short names ``_place_holders`` can find (a name less a suffix of its level, 2 to 5
    characters)."""
    by_last: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})  # township, village
    for level, suffixes in enumerate(_suffixes()):
        for suffix in suffixes:
            by_last[level].setdefault(suffix[-1], []).append(suffix)
    stems: set[str] = set()
    for name, held in places.items():
        size = len(name)
        for level in {code % 2 for code in held}:
            for suffix in by_last[level].get(name[-1], ()):
                short = size - len(suffix)
                if 2 <= short <= 5 and name.endswith(suffix):
                    stems.add(name[:short])
    return frozenset(stems)


def _place_holders(word: str, ix: _Index) -> dict[int, set[int]]:
    """Place kind -> counties holding ``word`` as a township or village name, full or short."""
    out: dict[int, set[int]] = {}
    codes = ix.places.codes
    for code in codes(word):
        out.setdefault(_VILLAGE if code % 2 else _TOWN, set()).add(code // 2)
    if word in ix.stems:  # 2 to 5 characters, and some name is this word and a suffix
        towns, villages = _suffixes()
        for kind, level, suffixes in ((_TOWN_SHORT, 0, towns), (_VILLAGE_SHORT, 1, villages)):
            for suffix in suffixes:
                found = [code // 2 for code in codes(word + suffix) if code % 2 == level]
                if found:
                    out.setdefault(kind, set()).update(found)
    return out


@lru_cache(maxsize=1)
def _suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    lex = _lexicon()["place_suffixes"]
    return tuple(lex["township"]), tuple(lex["village"])


def pinyin_tables(counties: list[Any]) -> dict[str, dict[str, list[int]]]:
    """Full pinyin and initials of every county's short and official name -> counties.

    Built with the stored tables (pypinyin is slow to import).
    """
    from pypinyin import Style, lazy_pinyin

    full: dict[str, list[int]] = {}
    initials: dict[str, list[int]] = {}
    for i, c in enumerate(counties):
        for name in {c.short, c.name}:
            if not name:
                continue
            key = "".join(lazy_pinyin(name)).lower()
            if key.isascii() and key.isalpha():
                full.setdefault(key, []).append(i)
            ini = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
            if ini.isascii() and ini.isalpha():
                initials.setdefault(ini, []).append(i)
    return {"full": {k: sorted(set(v)) for k, v in full.items()},
            "initials": {k: sorted(set(v)) for k, v in initials.items()}}
