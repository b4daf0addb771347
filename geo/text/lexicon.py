"""Lexicons are data: readable files in ``geo/lexicons/``, loaded once and compiled."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from geo.data import lexicon_files

if TYPE_CHECKING:
    from geo.data.tables import WordTags

LEXICON_DIR = lexicon_files.LEXICON_DIR
_lines = lexicon_files.lines
_toml = lexicon_files.toml
admin_names = lexicon_files.admin_names
county_cues = lexicon_files.county_cues


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
    the stored tables of ``geo.data.tables`` (parsed from the dictionary file inside the jieba package,
    never from jieba's shared cache file), mapped in milliseconds.
    """
    from geo.data.tables import tables

    return tables().freq


# The passes ask for the frequency of the same character pairs over and over (路径, 思路 ...):
# remembered for the pairs last asked about, facts of the dictionary only.
@lru_cache(maxsize=1 << 14)
def pair_freq(pair: str) -> int:
    """``word_freq().get(pair, 0)``, for strings of one or two characters."""
    return word_freq().get(pair, 0)


def freq_of(word: str) -> int:
    """``word_freq().get(word, 0)``, remembered for strings of one or two characters."""
    return pair_freq(word) if len(word) <= 2 else word_freq().get(word, 0)


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
def township_context_words() -> dict[str, tuple[str, ...]]:
    """Role (locative, joiner, list) -> words that tie a site to a township named in its clause."""
    out: dict[str, list[str]] = {}
    for ln in _lines("township_context.tsv"):
        word, role = ln.split("\t")[:2]
        out.setdefault(role.strip(), []).append(word.strip())
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in out.items()}


@cache
def not_name_ends() -> frozenset[str]:
    return frozenset(_lines("not_name_ends.txt"))


@cache
def word_tags() -> WordTags:
    """Part of speech of each word of jieba's dictionary (v, vn, p, c, ...), from the stored tables."""
    from geo.data.tables import tables

    return tables().tags


@lru_cache(maxsize=1 << 14)
def word_tag(word: str) -> str | None:
    """``word_tags().get(word)``, remembered for the words last asked about (the segmenter's words
    are looked up again and again)."""
    return word_tags().get(word)


@dataclass(frozen=True)
class NameRules:
    """How a site's name is put together (``name_rules.toml``)."""

    never_first: frozenset[str]
    not_alone: frozenset[str]
    directions: frozenset[str]
    numerals: frozenset[str]
    adjective_endings: tuple[str, ...]
    list_separator: str
    list_conjunctions: tuple[str, ...]
    list_closing_word: str
    list_closing_numerals: str
    max_closing_tag: int
    max_list_item: int
    max_bare_item: int
    max_named_item: int
    bare_site_item: tuple[int, int]
    count_units: tuple[str, ...]
    determiners: str
    classifiers: str
    count_fillers: str
    list_classifiers: str
    class_tails: frozenset[str]
    no_code_tails: frozenset[str]
    landscape_kinds: frozenset[str]
    numbered_lane_words: tuple[str, ...]
    coded_road_word: str
    road_code: re.Pattern[str]
    coded_road: re.Pattern[str]
    higher_divisions: re.Pattern[str]
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
    min_core: int
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
    d = _toml("name_rules.toml")
    sections = ("characters", "lists", "counts", "generic", "patterns", "thresholds", "pos")
    ch, ls, co, ge, pa, th, pos = (d[k] for k in sections)
    low, high = ls["bare_site_item"]
    return NameRules(
        never_first=frozenset(ch["never_first"]), not_alone=frozenset(ch["not_alone"]),
        directions=frozenset(ch["directions"]), numerals=frozenset(ch["numerals"]),
        adjective_endings=tuple(ch["adjective_endings"]),
        list_separator=ls["separator"], list_conjunctions=tuple(ls["conjunctions"]),
        list_closing_word=ls["closing_word"], list_closing_numerals=ls["closing_numerals"],
        max_closing_tag=ls["max_closing_tag"], max_list_item=ls["max_item"],
        max_bare_item=ls["max_bare_item"], max_named_item=ls["max_named_item"], bare_site_item=(low, high),
        count_units=tuple(co["units"]), determiners=co["determiners"], classifiers=co["classifiers"],
        count_fillers=co["count_fillers"],
        list_classifiers=co["list_classifiers"],
        class_tails=frozenset(ge["class_tails"]), no_code_tails=frozenset(ge["no_code_tails"]),
        landscape_kinds=frozenset(ge["landscape_kinds"]),
        numbered_lane_words=tuple(ge["numbered_lane_words"]), coded_road_word=ge["coded_road_word"],
        road_code=re.compile(pa["road_code"]), coded_road=re.compile(pa["coded_road"]),
        higher_divisions=re.compile(pa["higher_divisions"]),
        direction_streets=frozenset(ge["direction_streets"]),
        street_class_words=frozenset(ge["street_class_words"]), street_words=frozenset(ge["street_words"]),
        locative_ends=tuple(ge["locative_ends"]), section_words=ge["section_words"],
        junction_words=frozenset(ge["junction_words"]),
        protect_freq=th["protect_freq"], swallow_freq=th["swallow_freq"],
        common_word_freq=th["common_word_freq"],
        max_name=th["max_name"], min_core=th["min_core"],
        max_zone_gap=th["max_zone_gap"], max_gap=th["max_gap"],
        max_quoted=th["max_quoted"], merge_min_tail=th["merge_min_tail"],
        cut_tags=frozenset(pos["cut_tags"]), single_char_tags=frozenset(pos["single_char_tags"]),
        clause_tags=frozenset(pos["clause_tags"]), class_clause_tags=frozenset(pos["class_clause_tags"]),
    )


@dataclass(frozen=True)
class NamePlaceRules:
    """What a site's name says about its township (``name_places.toml``)."""

    positional: frozenset[str]
    feature_chars: frozenset[str]
    zone_head: re.Pattern[str]  # the towns before a zone's quoted nickname, up to its opening quote
    zone_separators: re.Pattern[str]
    min_village_name: int
    common_word_freq: int


@cache
def name_place_rules() -> NamePlaceRules:
    d = _toml("name_places.toml")
    words, zones, th = d["words"], d["zones"], d["thresholds"]
    quotes = re.escape(zones["quotes"])
    return NamePlaceRules(
        positional=frozenset(words["positional"]), feature_chars=frozenset(words["feature_chars"]),
        zone_head=re.compile(f"^([^{quotes}]+)[{quotes}]"),
        zone_separators=re.compile("[" + re.escape(zones["separators"]) + "]+"),
        min_village_name=th["min_village_name"], common_word_freq=th["common_word_freq"],
    )


@dataclass(frozen=True)
class Layout:
    """How a report's layout is read (``layout.toml``)."""

    stops: str
    closers: str
    clause: re.Pattern[str]
    body: re.Pattern[str]
    marks: frozenset[str]
    doubled_mark: re.Pattern[str]
    sentence_end: re.Pattern[str]
    list_item: re.Pattern[str]
    heading_share: float
    clause_share: float
    region_cover: float


@cache
def layout() -> Layout:
    d = _toml("layout.toml")
    pu, th = d["punctuation"], d["thresholds"]
    return Layout(
        stops=pu["stops"], closers=pu["closers"],
        clause=re.compile(pu["clause"]), body=re.compile(pu["body"]),
        marks=frozenset(pu["marks"]), doubled_mark=re.compile("([" + re.escape(pu["marks"]) + r"])\1"),
        sentence_end=re.compile(d["sentences"]["end"]), list_item=re.compile("|".join(d["lists"]["item"])),
        heading_share=th["heading_share"], clause_share=th["clause_share"], region_cover=th["region_cover"],
    )


def segment(text: str) -> list[str]:
    """jieba's dictionary cut of ``text`` (no HMM: unknown names stay in single characters)."""
    from geo.text.wordcut import cut

    return cut(text)


@dataclass(frozen=True)
class TitleRules:
    """How a report's title, issuing body and date are read (``report_title.toml``)."""

    scan_lines: int
    min_chars: int
    max_chars: int
    bad_ends: str
    bad_inside: str
    heading_marks: str
    cues: tuple[str, ...]
    furniture: re.Pattern[str]
    byline: re.Pattern[str]
    issuer: re.Pattern[str]
    tail_lines: int
    full_date: re.Pattern[str]
    month_date: re.Pattern[str]
    year: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))


@cache
def title_rules() -> TitleRules:
    d = _toml("report_title.toml")
    ti, by, iss, da = d["title"], d["byline"], d["issuer"], d["date"]
    levels = re.escape(iss["levels"])
    issuer = (f"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff]{{0,10}}?[{levels}])?"
              f"(?:[\u4e00-\u9fff]{{0,{iss['field_words']}}}?(?:{_alternation(iss['fields'])}))"
              f"(?:{_alternation(iss['organs'])})")
    return TitleRules(
        scan_lines=ti["scan_lines"], min_chars=ti["min_chars"], max_chars=ti["max_chars"],
        bad_ends=ti["bad_ends"], bad_inside=ti["bad_inside"], heading_marks=ti["heading_marks"],
        cues=tuple(ti["cues"]), furniture=re.compile("|".join(ti["furniture"])),
        byline=re.compile(_alternation(by["cues"])), issuer=re.compile(issuer), tail_lines=iss["tail_lines"],
        full_date=re.compile(da["full"]), month_date=re.compile(da["month"]), year=re.compile(da["year"]),
    )
