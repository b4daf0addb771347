"""Tell the county a report is about from its text.

Every name of the admin tree found in the text is a cue: county names (full, short, or in
compounds such as 宜兴城区), prefectures and provinces (which only raise counties named
otherwise), and township, village and community names, each divided among the counties that
hold it. Words that tell the level (我市, 县建设局) favour counties of that level. The county
with the greatest score wins if the score is high enough and clearly ahead of the next.

A name counts only where it stands as a word: a local segmentation with the word frequencies
of jieba's dictionary rejects 迁安 in 搬迁安置 and 高要 in 更高要求, and names that are
ordinary words (城区, 安全, 市场) are not cues by themselves.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from geo.data.county_index import (
    _BLOCK,
    _CITY,
    _COMPOUND,
    _FULL,
    _MAX_NAME,
    _PROVINCE,
    _SHORT,
    _TOWN,
    _TOWN_SHORT,
    _VILLAGE,
    _VILLAGE_SHORT,
    _Index,
    _place_holders,
)
from geo.errors import CountyError
from geo.locate import admin
from geo.locate.admin import County
from geo.names import name_key
from geo.text import lexicon

_PLACE_KINDS = (_TOWN, _VILLAGE, _TOWN_SHORT, _VILLAGE_SHORT)
_PLACES = frozenset(_PLACE_KINDS)
_COUNTY_KINDS = (_FULL, _COMPOUND, _SHORT)
_MAX_WORD = 8  # longest dictionary word tried by the local segmentation
_HELD_MAX = 100_000  # words whose place holders are kept between texts
_CHECKED = frozenset({_FULL, _CITY, _PROVINCE})  # kinds a name keeps without standing alone as a word
_SHORTS = frozenset({_SHORT, _TOWN_SHORT, _VILLAGE_SHORT})  # kinds a word just after may block


@dataclass(frozen=True)
class CountyGuess:
    """The county a text is about, how strongly, and the words that told it."""

    county: County
    score: float
    evidence: tuple[str, ...]  # the words in the text that led to it, strongest first


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The county index, mapped from the stored tables (``geo.data.tables``) in milliseconds."""
    from geo.data.tables import tables

    t = tables()
    s = t.small["index"]
    return _Index(full=t.small["by_name"], short=t.small["by_short"], city=s["city"],
                  province=s["province"], members=s["members"], places=t.places, stems=t.stems,
                  stop=s["stop"], common=t.common, names=s["names"], freq=t.freq,
                  log_total=math.log(t.freq.total() or 1), finder=t.finder)


def load_index() -> None:
    """Map the index of names now rather than on the first detection."""
    _index()


def _held(word: str, ix: _Index) -> dict[int, set[int]]:
    """``_place_holders``, from those met so far when it is there."""
    found = ix.held.get(word)
    return found if found is not None else _place_holders(word, ix)


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


@lru_cache(maxsize=1)
def _after_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What may follow a short name: compound, level (+ organ), road or building, township."""
    lex = lexicon.county_cues()
    compound = re.compile(_alternation([*lex["compounds"], *lex["organs"]]))
    level = re.compile("[" + re.escape(lex["level_chars"]) + "]" + _alternation(lex["organs"]) + "?")
    block = re.compile("|".join(f"(?:{p})" for p in lex["not_after"]))
    town = re.compile(_alternation(lex["township_after"]))
    return compound, level, block, town


class _WordLogs:
    """The dictionary words that start at each position of a text, looked up once per text.

    Once ``fill`` has covered ``p``: ``ones[p]`` is the log frequency of the character ``text[p]``
    (1 when unknown), ``words[p]`` the (n, log frequency) of each word ``text[p:p + n]``,
    2 <= n <= _MAX_NAME, shortest first: the words of jieba's table that are prefixes of the text
    from ``p`` (one look-up in its trie).
    """

    def __init__(self, text: str, ix: _Index) -> None:
        self.text = text
        self.freq = ix.freq
        self.ones: list[float] = [-1.0] * len(text)  # -1: not looked up yet (a log frequency is >= 0)
        self.words: list[list[tuple[int, float]]] = [_NO_WORDS] * len(text)

    def fill(self, lo: int, hi: int) -> None:
        """Look up the words that start in text[lo:hi]."""
        text, ones, found, log = self.text, self.ones, self.words, math.log
        prefix_ids, freqs = self.freq.prefix_ids, self.freq.freqs
        for p in range(lo, hi):
            if ones[p] >= 0.0:
                continue
            one = 0.0
            words = []
            for w, k in prefix_ids(text[p:p + _MAX_NAME]):
                f = freqs[k]
                if len(w) == 1:
                    one = log(f or 1)
                elif f:
                    words.append((len(w), log(f)))
            ones[p] = one
            if words:
                found[p] = words


_NO_WORDS: list[tuple[int, float]] = []  # shared, never appended to


def _stands_alone(text: str, start: int, end: int, ix: _Index, logs: _WordLogs | None = None,
                  floor: int = 10) -> bool:
    """Whether text[start:end] is a word of the likeliest segmentation of its surroundings.

    The segmentation of a window of four characters either side, by dynamic programming over the
    dictionary words in it (at most ``_MAX_WORD`` characters, or the name's length); on equal
    scores the path whose last word starts first wins.
    """
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    key = (text[lo:hi], start - lo, end - lo, floor)  # the answer depends on the window alone
    known = ix.alone.get(key)
    if known is not None:
        return known
    if len(ix.alone) > _HELD_MAX:
        ix.alone.clear()
    logs = logs if logs is not None else _WordLogs(text, ix)
    logs.fill(lo, hi)
    ones, words_at = logs.ones, logs.words
    size = hi - lo
    s, e = start - lo, end - lo
    best = [0.0] + [-math.inf] * size
    cut = [0] * (size + 1)
    longest = max(_MAX_WORD, e - s)
    log_total = ix.log_total
    # a known name: at least a rare word (``floor``), unless it is made of ordinary words
    named = math.log(max(ix.freq.get(text[start:end], 0), floor))
    for i in range(size):
        # best[i] is final: every word ending at i starts before it
        base = best[i]
        score = base + ones[lo + i] - log_total
        if score > best[i + 1] and not (i == s and e == i + 1):
            best[i + 1], cut[i + 1] = score, i
        for n, lg in words_at[lo + i]:
            j = i + n
            if n > longest or j > size:
                break
            if i == s and j == e:
                continue
            score = base + lg - log_total
            if score > best[j]:
                best[j], cut[j] = score, i
        if i == s:
            score = base + named - log_total
            if score > best[e]:
                best[e], cut[e] = score, i
    bounds = set()
    j = size
    while j > 0:
        bounds.add(j)
        j = cut[j]
    bounds.add(0)
    alone = ix.alone[key] = s in bounds and e in bounds
    return alone


def _spans(text: str, ix: _Index) -> list[tuple[int, int, frozenset[int], str]]:
    """Every name found in ``text`` as (start, end, kinds, name); the longest win where they overlap.

    For a compound the name is the short county name it holds.
    """
    compound_re, level_re, block_re, town_re = _after_res()
    floor = lexicon.county_cues()["common_word"]["min_frequency"]
    # (start, end, kinds, name, the kinds it keeps when it does not stand alone as a word; None: no check)
    found: list[tuple[int, int, frozenset[int], str, frozenset[int] | None]] = []
    held = ix.held
    if len(held) > _HELD_MAX:
        held.clear()
    # every name in the text, leftmost first, then longest first
    prefixes = ix.finder.prefixes
    hits = [(i, -len(w)) for i in range(len(text) - 1) for w in prefixes(text[i:i + _MAX_NAME])]
    hits.sort()
    for i, minus_n in hits:
        j = i - minus_n
        word = text[i:j]
        named = ix.names.get(word)
        if named is None and word in ix.common:
            continue  # an ordinary word that could only be a place name: never a cue (工程, 建设)
        kinds: set[int] = set(named or ())
        holders = held.get(word)
        if holders is None:
            placelike = word in ix.places or word in ix.stems
            holders = held[word] = _place_holders(word, ix) if placelike else {}
        kinds.update(holders)
        if not kinds or (kinds <= _PLACES and word in ix.common):
            continue  # an ordinary word that could only be a place name: never a cue (工程, 建设)
        if not kinds.isdisjoint(_SHORTS):
            rest = text[j:j + 8]
            m = None if word in ix.common else block_re.match(rest)  # 金东区江北: no 东区江
            if m and text[i:j + m.end()] in ix.places:
                m = None  # 崇福镇, 北干街道: the full name of a township or village, found as such
            if m and not (_SHORT in kinds and level_re.match(rest)):
                found.append((i, j + m.end(), frozenset({_BLOCK}), word, None))
                continue
            if _SHORT in kinds:
                m = compound_re.match(rest) or level_re.match(rest)
                if m and text[i:j + 1] not in ix.full and any(
                        (ix.freq.get(text[i:j + k]) or 0) >= floor for k in range(1, m.end() + 1)):
                    m = None  # 大城市, 平原区域: an ordinary word runs on past the name
                if m and text[i:j + 1] in ix.full and word in ix.common and not _stands_alone(
                        text, i, j + 1, ix, None, 1):
                    m = None  # 古城东区: a name made of ordinary words, not standing as one here
                if m and text[i:j + 1] in ix.full:  # 嵊州市域, 永康市住建局: the official name counts
                    found.append((i, j + m.end(), frozenset({_FULL}), text[i:j + 1], None))
                elif m:
                    found.append((i, j + m.end(), frozenset({_COMPOUND}), word, None))
                if town_re.match(rest):  # 新市古镇: the township, not a county
                    kinds.discard(_SHORT)
        keep: frozenset[int] | None = None if kinds <= _CHECKED else frozenset(kinds & _CHECKED)
        if _FULL in kinds and any(short in ix.common for short in _shorts_of(word, ix)):
            keep = frozenset(kinds & _CHECKED - {_FULL})  # 城东区 in 古城东区: made of ordinary words
        found.append((i, j, frozenset(kinds), word, keep))
    return _longest_first_spans(text, ix, found)


def _shorts_of(full: str, ix: _Index) -> list[str]:
    counties = admin._tree().counties
    return [counties[k].short for k in ix.full.get(full, ())]


def _longest_first_spans(
    text: str, ix: _Index, found: list[tuple[int, int, frozenset[int], str, frozenset[int] | None]]
) -> list[tuple[int, int, frozenset[int], str]]:
    """The spans that win: longest first, then by kind, then leftmost; none overlaps another.

    A name that must stand alone as a word keeps only its county, prefecture and province kinds
    (a county name made of ordinary words, only the prefecture and province ones) when it does not
    (and is no span at all when that leaves none). That check is costly, so it is
    made only when the span comes up and is not already overlapped: its kinds can only shrink, so
    the first key it comes up with is never later than its real one; after a failed check it is
    queued again under its real key.
    """
    queue = [(start - end, min(kinds), start, k, kinds, keep is not None)
             for k, (start, end, kinds, _, keep) in enumerate(found)]
    heapq.heapify(queue)
    logs = _WordLogs(text, ix)
    taken = [False] * len(text)
    chosen = []
    while queue:
        key, first_kind, start, k, kinds, check = heapq.heappop(queue)
        end = found[k][1]
        if any(taken[start:end]):
            continue
        keep = found[k][4] or frozenset()
        floor = 10 if _FULL in keep or _FULL not in kinds else 1  # 1: made of ordinary words (城东区)
        if check and not _stands_alone(text, start, end, ix, logs, floor):
            kinds &= keep
            if not kinds:
                continue
            if min(kinds) != first_kind:
                heapq.heappush(queue, (key, min(kinds), start, k, kinds, False))
                continue
        taken[start:end] = [True] * (end - start)
        chosen.append((start, end, kinds, found[k][3]))
    chosen.sort()
    return chosen


def _level(c: County) -> str:
    return "区" if c.name.endswith("区") else "市" if c.name.endswith("市") else "县"


@lru_cache(maxsize=1)
def _levels() -> tuple[str, ...]:
    """The level of every county, by its index."""
    return tuple(_level(c) for c in admin._tree().counties)


def _level_counts(text: str) -> Counter[str]:
    """How often the text speaks as a 市, a 县 or a 区 (我市, 县建设局 ...)."""
    lex = lexicon.county_cues()
    organs = _alternation(lex["organs"])
    counts: Counter[str] = Counter()
    for level, words in lex["level_words"].items():
        counts[level] = len(re.findall(_alternation(words) + f"|{level}{organs}", text))
    return counts


class _Tally:
    """Every county's score and the words that gave it (word → share), added up vote by vote."""

    def __init__(self) -> None:
        self.score: defaultdict[int, float] = defaultdict(float)
        self.why: defaultdict[int, Counter[str]] = defaultdict(Counter)

    def add(self, i: int, word: str, value: float) -> None:
        self.score[i] += value
        self.why[i][word] += value

    def once(self, holders: set[int], word: str, value: float) -> None:
        """``value`` for each holder the word has not voted for yet (one reading per word and
        county: the strongest, as the strongest come first)."""
        score, why = self.score, self.why
        for i in holders:
            said = why[i]
            if said[word] == 0:
                score[i] += value
                said[word] += value


_Named = Counter[tuple[int, str]]


def _mentions(spans: list[tuple[int, int, frozenset[int], str]], ix: _Index,
              ) -> tuple[_Named, Counter[str], dict[str, set[int]]]:
    """How often each (kind, word) is named, the place names inside road and site names
    (桓台大道), and the counties a county name can be when right after its region (湖州德清)."""
    named: _Named = Counter()
    inside: Counter[str] = Counter()
    qualified: defaultdict[str, set[int]] = defaultdict(set)
    county_kinds = set(_COUNTY_KINDS)
    for k, (start, _, kinds, word) in enumerate(spans):
        if _BLOCK in kinds:
            inside[word] += 1
            continue
        for kind in kinds:
            named[(kind, word)] += 1
        prev = spans[k - 1] if k else None
        if kinds & county_kinds and prev is not None and prev[1] == start:
            region = ix.city.get(prev[3]) or ix.province.get(prev[3])
            if region:
                pool = ix.full.get(word, []) + ix.short.get(word, [])
                qualified[word] |= ix.members.get(region, set()) & set(pool)
    return named, inside, qualified


def _name_votes(tally: _Tally, named: _Named, qualified: dict[str, set[int]], ix: _Index,
                w: dict[str, Any]) -> None:
    """The votes of county names, then of township, village and community names."""
    counties = admin._tree().counties
    place_weight = {_TOWN: w["township"], _VILLAGE: w["village"], _TOWN_SHORT: w["township_short"],
                    _VILLAGE_SHORT: w["village_short"]}
    county_weight = {_FULL: w["full"], _COMPOUND: w["compound"], _SHORT: w["short"]}
    for (kind, word), n in sorted(named.items()):  # county kinds first, then places, strongest first
        if kind in _COUNTY_KINDS:
            pool = ix.full[word] if kind == _FULL else ix.short[word]
            if word in qualified:
                pool = sorted(qualified[word])
            elif kind == _FULL:
                if word in ix.stop or any(counties[i].short in ix.stop for i in pool):
                    continue
            elif word in ix.common:
                continue
            weight = county_weight[kind] * (1.0 + math.log(n)) / len(pool)
            if kind == _SHORT and word not in qualified:
                # 龙川 alone may as well be one of the many townships and villages of that name
                places = set().union(*_held(word, ix).values()) - set(pool)
                weight /= 1.0 + len(places) / w["short_places"]
            for i in pool:
                tally.add(i, word, weight)
        elif kind in _PLACE_KINDS and word not in ix.common:
            holders = _held(word, ix).get(kind, set())
            if 0 < len(holders) <= w["max_holders"]:
                tally.once(holders, word, place_weight[kind] * (1.0 + 0.5 * math.log(n)) / len(holders))


def _inside_votes(tally: _Tally, inside: Counter[str], ix: _Index, w: dict[str, Any]) -> None:
    """The votes of county and place names inside road and site names (桓台大道)."""
    for word, n in sorted(inside.items()):
        if word in ix.common:
            continue
        holders = set(ix.short.get(word, ())).union(*_held(word, ix).values())
        if 0 < len(holders) <= w["max_holders"]:
            tally.once(holders, word, w["inside_name"] * (1.0 + 0.5 * math.log(n)) / len(holders))


def _agreeing(tally: _Tally, text: str, named: _Named, ix: _Index, w: dict[str, Any]) -> None:
    """Prefecture and province names raise the counties already voted for that lie in them; the
    level words (我市, 县建设局) those of that level."""
    candidates = set(tally.score)
    for (kind, word), n in named.items():
        region = ix.city.get(word) if kind == _CITY else ix.province.get(word) if kind == _PROVINCE else None
        if region:
            weight = w["prefecture"] if kind == _CITY else w["province"]
            for i in candidates & ix.members.get(region, set()):
                tally.add(i, word, weight * (1.0 + math.log(n)))
    levels = _level_counts(text)
    total = sum(levels.values())
    if total:
        level_of, score = _levels(), tally.score
        for i in candidates:
            score[i] *= 1.0 + w["level"] * levels[level_of[i]] / total


def _scores(text: str, extra: dict[int, list[tuple[str, float]]] | None = None,
            ) -> tuple[dict[int, float], dict[int, Counter[str]]]:
    """Score of every county the text names, and the words that named it (word → share).

    ``extra``: votes from beside the text (label, weight) per county, added before the
    prefecture, province and level words raise the counties they agree with.
    """
    ix = _index()
    w = lexicon.county_cues()["weights"]
    named, inside, qualified = _mentions(_spans(text, ix), ix)
    tally = _Tally()
    _name_votes(tally, named, qualified, ix, w)
    _inside_votes(tally, inside, ix, w)
    for i, votes in (extra or {}).items():
        for label, value in votes:
            tally.add(i, label, value)
    _agreeing(tally, text, named, ix, w)
    return dict(tally.score), dict(tally.why)


def _describe(i: int, score: float) -> str:
    c = admin._tree().counties[i]
    return f"{c.province}{c.city}{c.name} ({score:.1f})"


def detect_county(text: str) -> CountyGuess:
    """The county ``text`` is about; CountyError when no county is named clearly enough."""
    w = lexicon.county_cues()["weights"]
    score, why = _scores(name_key(text))
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < w["min_score"]:
        near = ", ".join(_describe(i, s) for i, s in ranked[:3]) or "none"
        raise CountyError(f"the text does not tell its county clearly enough (best guesses: {near}); "
                          "name the county explicitly")
    best, top = ranked[0]
    if len(ranked) > 1 and top < ranked[1][1] * w["margin"]:
        tied = ", ".join(_describe(i, s) for i, s in ranked[:3])
        raise CountyError(f"the text names more than one county about equally: {tied}; "
                          "name the county explicitly")
    evidence = tuple(word for word, _ in why[best].most_common())
    return CountyGuess(county=admin._tree().counties[best], score=round(top, 3), evidence=evidence)


def resolve_county(text: str, override: str | None) -> County:
    """The county given by ``override`` (official or short name) if any, else the one detected."""
    if override is not None and override.strip():
        return admin.county(override)
    return detect_county(text).county


def is_county_word(word: str) -> bool:
    """Whether ``word`` (a piece of evidence) is a county, prefecture or province name, rather than
    a township, village or community name."""
    return word in _index().names


def text_votes(text: str, names_only: bool = False) -> list[tuple[int, str, float]]:
    """(county, word, share) of every word that speaks for a county in ``text``; a full county
    name gives 1.0. ``names_only`` keeps county names (a folder or file name says nothing by
    holding a village name)."""
    w = lexicon.county_cues()["weights"]
    ix = _index()
    _, why = _scores(name_key(text))
    return [(i, word, value / w["full"]) for i, words in why.items() for word, value in words.items()
            if value > 0 and (not names_only or word in ix.full or word in ix.short)]


def scores(text: str, extra: dict[int, list[tuple[str, float]]] | None = None,
           ) -> tuple[dict[int, float], dict[int, Counter[str]]]:
    """Score of every county ``text`` (and the ``extra`` votes) speak for, level words included,
    and the words' shares."""
    return _scores(name_key(text), extra)


def describe(i: int) -> str:
    c = admin._tree().counties[i]
    return f"{c.province}{c.city}{c.name}"
