"""Lexicons are data: readable files in ``geo/lexicons/``, loaded once and compiled."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.tables import WordTags

LEXICON_DIR = Path(__file__).parent / "lexicons"


def _lines(name: str) -> list[str]:
    text = (LEXICON_DIR / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class Suffix:
    word: str
    kind: str
    layer: str
    role: str  # "" (a site), "admin" (ends a name, never a site), "attach" (part of the site before it)


@cache
def suffixes() -> dict[str, Suffix]:
    out: dict[str, Suffix] = {}
    for ln in _lines("suffixes.tsv"):
        cols = ln.split("\t")
        word, kind, layer = cols[0], cols[1], cols[2]
        role = cols[3] if len(cols) > 3 else ""
        out[word] = Suffix(word, kind, layer, role)
    return out


@cache
def suffix_pattern() -> re.Pattern[str]:
    """One alternation of every suffix, longest first, so the longest suffix wins."""
    words = sorted(suffixes(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


@cache
def stopwords() -> frozenset[str]:
    return frozenset(_lines("stopwords.txt"))


@cache
def stopword_pattern() -> re.Pattern[str]:
    words = sorted(stopwords(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


@cache
def generic_words() -> frozenset[str]:
    return frozenset(_lines("generic_words.txt"))


@cache
def generic_pattern() -> re.Pattern[str]:
    words = sorted(generic_words(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


@cache
def status_cues() -> dict[str, str]:
    return dict(ln.split("\t")[:2] for ln in _lines("status_cues.tsv"))


@cache
def status_pattern() -> re.Pattern[str]:
    words = sorted(status_cues(), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, words)))


@cache
def status_future_words() -> tuple[str, ...]:
    """Words that put the rest of a sentence (or a paragraph they open) in the future."""
    return tuple(_lines("status_future.tsv"))


@cache
def clause_end_chars() -> frozenset[str]:
    """Characters that end a clause, for the status rules."""
    return frozenset(_lines("status_clause_ends.tsv"))


@cache
def word_freq() -> Mapping[str, int]:
    """jieba's dictionary frequencies: tells a real word (和平, 向阳) from a cut point.

    Every prefix of a word is a key too (0 when only a prefix), as in jieba's own table. Read from
    the stored tables of ``geo.tables`` (parsed from the dictionary file inside the jieba package,
    never from jieba's shared cache file), mapped in milliseconds.
    """
    from geo.tables import tables

    return tables().freq


@cache
def status_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(p), s) for p, s in (ln.split("\t")[:2] for ln in _lines("status_patterns.tsv"))]


@dataclass(frozen=True)
class ContextRule:
    kind_from: str
    cue: str
    kind_to: str
    layer_to: str


@cache
def context_rules() -> tuple[ContextRule, ...]:
    return tuple(ContextRule(*ln.split("\t")[:4]) for ln in _lines("context_kinds.tsv"))


@cache
def not_name_ends() -> frozenset[str]:
    return frozenset(_lines("not_name_ends.txt"))


@cache
def word_tags() -> WordTags:
    """Part of speech of each word of jieba's dictionary (v, vn, p, c, ...), from the stored tables."""
    from geo.tables import tables

    return tables().tags


@dataclass(frozen=True)
class NameRules:
    """How a site's name is put together (``name_rules.toml``)."""

    never_first: frozenset[str]
    not_alone: frozenset[str]
    directions: frozenset[str]
    numerals: frozenset[str]
    list_separator: str
    list_conjunctions: tuple[str, ...]
    count_units: tuple[str, ...]
    determiners: str
    classifiers: str
    count_fillers: str
    list_classifiers: str
    class_tails: frozenset[str]
    no_code_tails: frozenset[str]
    landscape_kinds: frozenset[str]
    numbered_lane_words: tuple[str, ...]
    direction_streets: frozenset[str]
    street_class_words: frozenset[str]
    street_words: frozenset[str]
    locative_ends: tuple[str, ...]
    section_words: str
    junction_words: frozenset[str]
    protect_freq: int
    swallow_freq: int
    common_word_freq: int
    max_name: int
    max_zone_gap: int
    max_gap: int
    max_quoted: int
    merge_min_tail: int
    cut_tags: frozenset[str]
    single_char_tags: frozenset[str]
    clause_tags: frozenset[str]
    class_clause_tags: frozenset[str]


@cache
def name_rules() -> NameRules:
    import tomllib

    path = LEXICON_DIR / "name_rules.toml"
    with path.open("rb") as f:
        d = tomllib.load(f)
    sections = ("characters", "lists", "counts", "generic", "thresholds", "pos")
    ch, ls, co, ge, th, pos = (d[k] for k in sections)
    return NameRules(
        never_first=frozenset(ch["never_first"]), not_alone=frozenset(ch["not_alone"]),
        directions=frozenset(ch["directions"]), numerals=frozenset(ch["numerals"]),
        list_separator=ls["separator"], list_conjunctions=tuple(ls["conjunctions"]),
        count_units=tuple(co["units"]), determiners=co["determiners"], classifiers=co["classifiers"],
        count_fillers=co["count_fillers"],
        list_classifiers=co["list_classifiers"],
        class_tails=frozenset(ge["class_tails"]), no_code_tails=frozenset(ge["no_code_tails"]),
        landscape_kinds=frozenset(ge["landscape_kinds"]),
        numbered_lane_words=tuple(ge["numbered_lane_words"]),
        direction_streets=frozenset(ge["direction_streets"]),
        street_class_words=frozenset(ge["street_class_words"]), street_words=frozenset(ge["street_words"]),
        locative_ends=tuple(ge["locative_ends"]), section_words=ge["section_words"],
        junction_words=frozenset(ge["junction_words"]),
        protect_freq=th["protect_freq"], swallow_freq=th["swallow_freq"],
        common_word_freq=th["common_word_freq"],
        max_name=th["max_name"], max_zone_gap=th["max_zone_gap"], max_gap=th["max_gap"],
        max_quoted=th["max_quoted"], merge_min_tail=th["merge_min_tail"],
        cut_tags=frozenset(pos["cut_tags"]), single_char_tags=frozenset(pos["single_char_tags"]),
        clause_tags=frozenset(pos["clause_tags"]), class_clause_tags=frozenset(pos["class_clause_tags"]),
    )


def segment(text: str) -> list[str]:
    """jieba's dictionary cut of ``text`` (no HMM: unknown names stay in single characters)."""
    from geo.wordcut import cut

    return cut(text)
