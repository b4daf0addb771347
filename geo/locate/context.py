"""What a site's own clause says about where it is: a township, or a village of one, named beside it.

Reports often put the township in the sentence rather than in the name (在新建镇实施甲公园提升,
翻建新建镇乙中心). Such a township places the site only when the clause ties the two together:

- the clause is the stretch of the site's sentence between two clause marks (，；：。 …, the status
  rules' ``status_clause_ends.tsv``); an enumeration comma (、) does not end it;
- the clause names exactly one township of the site's county, counting every township written in
  full or with another township suffix (新建镇, 新建乡) and every village or community written in
  full whose township the administrative tree knows (新建村 → its township); two or more: nothing
  is placed and the finding says so;
- that township is tied to the site in one of three ways (words in ``lexicons/township_context.tsv``):
  *locative* — a locative word right before it and the site after it in the clause (在新建镇 … 甲公园),
  or the site, a locative word and the township (甲公园位于新建镇);
  *before the name* — it stands right before the site's name, a joiner word (的) at most between, or
  before a list of sites the site is in (新建镇的甲村、乙社区: each item ends with a site's generic word
  from ``lexicons/suffixes.tsv`` and a list word);
  *heading* — an earlier clause of the sentence is the township alone (perhaps after the county's
  name) ending with a colon, and no clause between names a township (缙云县新建镇：甲公园 …，乙路 …);
- it is not followed by a list word (新建镇等) or an event word (在新建镇召开 … : the venue of a
  meeting, not of the work), and it is not inside the site's own name (the name rules of
  :mod:`geo.locate.name_places` see those).

Every mention of the site is read; mentions that tie it to different townships cancel out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from geo.extract.sites import Site
from geo.locate import admin
from geo.locate.name_places import NamePlaces
from geo.model import Basis, County, basis
from geo.text import lexicon

_HEADING_ENDS = frozenset("：:")
MAX_LIST_ITEM = 15  # characters of one listed site's name


_HOW_CODES = {"before the name": "before_name", "before a list": "before_list"}


@dataclass(frozen=True)
class ClauseTownship:
    """A township that a site's clause ties it to."""

    township: str  # official name
    word: str  # as the clause writes it (新建镇, 新建乡, 新建村)
    how: str  # "locative", "before the name" or "heading"
    clause: str

    def places(self) -> NamePlaces:
        """The finding as the name rules write theirs, with its own words for the citation."""
        return NamePlaces((self.township,), (self.word,), context=self.describe(), context_basis=self.basis())

    def basis(self) -> Basis:
        """:meth:`describe` as data (``how``: locative, before_name, before_list, heading)."""
        return basis("clause_township", word=self.word, township=self.township,
                     how=_HOW_CODES.get(self.how, self.how), clause=self.clause)

    def describe(self) -> str:
        what = self.word if self.word == self.township else f"{self.word} (of {self.township})"
        ties = {
            "locative": "as where the work is",
            "before the name": "right before its name",
            "before a list": "right before a list of sites that its name is in",
            "heading": "as the heading of its sentence",
        }[self.how]
        return f"its clause names {what} {ties} (“{self.clause}”); that places it in {self.township}"


@dataclass(frozen=True)
class ClauseFinding:
    """What a site's clauses say: one township, or several that cancel out (then ``township`` is None)."""

    township: ClauseTownship | None
    named: tuple[str, ...] = ()  # the townships named when they disagree or a clause names several

    def note(self) -> str:
        """Why the clauses place nothing, for the county fallback's citation."""
        if self.township is not None:
            return f"{self.township.describe()}, which no embedded source locates"
        towns = " and ".join(self.named)
        return f"its clauses name {towns}: more than one township, so none is used"

    def note_basis(self) -> tuple[Basis, ...]:
        """:meth:`note` as data."""
        if self.township is not None:
            return self.township.basis(), basis("unlocated", townships=(self.township.township,))
        return (basis("clause_several", townships=self.named),)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    word: str
    township: str


@cache
def _words(county: County) -> tuple[tuple[str, str], ...]:
    """(word, township) for every township name and suffix variant and every known village, longest first."""
    suffixes = tuple(lexicon.admin_names()["township_suffixes"])
    pairs: dict[str, set[str]] = {}
    for town in admin.townships(county):
        pairs.setdefault(town, set()).add(town)
        short = admin.township_short(town)
        if len(short) >= 2:
            for s in suffixes:
                pairs.setdefault(short + s, set()).add(town)
    for village, town in admin.places_in(county).items():
        if len(village) >= lexicon.name_place_rules().min_village_name:
            pairs.setdefault(village, set()).add(town)
    usable = [(w, next(iter(ts))) for w, ts in pairs.items() if len(ts) == 1]
    return tuple(sorted(usable, key=lambda p: (-len(p[0]), p[0])))


@cache
def _pattern(county: County) -> re.Pattern[str] | None:
    words = [w for w, _ in _words(county)]
    return re.compile("|".join(map(re.escape, words))) if words else None


def _found(text: str, county: County) -> list[_Word]:
    """Township and village words in ``text``, longest match first, not overlapping."""
    pattern = _pattern(county)
    if pattern is None:
        return []
    town_of = dict(_words(county))
    return [_Word(m.start(), m.end(), m.group(), town_of[m.group()]) for m in pattern.finditer(text)]


def _clauses(text: str) -> list[tuple[int, int]]:
    ends = lexicon.clause_end_chars()
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _ends_with(text: str, words: tuple[str, ...]) -> bool:
    return any(text.endswith(w) for w in words)


def _starts_with(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if text.startswith(w)), None)


def _is_heading(text: str, county: County) -> _Word | None:
    """The township a heading clause (缙云县新建镇：) is, or None."""
    if not text or text[-1] not in _HEADING_ENDS:
        return None
    body = text[:-1].strip()
    found = _found(body, county)
    if len(found) != 1 or found[0].end != len(body):
        return None
    rest = body[: found[0].start]
    c = county
    heads = ("", c.name, c.short, c.city + c.name, c.province + c.city + c.name)
    return found[0] if rest in heads else None


def clause_township(quote: str, surface: str, county: County) -> ClauseFinding | None:
    """What the clause of ``surface`` (the site as written) in ``quote`` (its sentence) ties it to."""
    at = quote.find(surface)
    if not surface or at < 0:
        return None
    spans = _clauses(quote)
    index = next(i for i, (a, b) in enumerate(spans) if a <= at < b)
    a, b = spans[index]
    clause = quote[a:b]
    site_start, site_end = at - a, at - a + len(surface)
    words = [w for w in _found(clause, county) if w.end <= site_start or w.start >= site_end]
    towns = sorted({w.township for w in words})
    if len(towns) > 1:
        return ClauseFinding(None, tuple(towns))
    shown = clause.rstrip("".join(lexicon.clause_end_chars()))
    if not words:
        return _heading(quote, spans, index, county)
    roles = lexicon.township_context_words()
    for w in words:
        after = clause[w.end:]
        if _starts_with(after, roles.get("list", ())) or _starts_with(after, roles.get("event", ())):
            continue
        if w.end <= site_start and _ends_with(clause[: w.start], roles.get("locative", ())):
            return ClauseFinding(ClauseTownship(w.township, w.word, "locative", shown))
        between = clause[w.end:site_start]
        if w.end <= site_start and (between == "" or between in roles.get("joiner", ())):
            return ClauseFinding(ClauseTownship(w.township, w.word, "before the name", shown))
        if w.end <= site_start and _sites_list(between):
            return ClauseFinding(ClauseTownship(w.township, w.word, "before a list", shown))
        if w.start >= site_end and clause[site_end:w.start] in roles.get("locative", ()):
            return ClauseFinding(ClauseTownship(w.township, w.word, "locative", shown))
    return None


@cache
def _list_item() -> re.Pattern[str]:
    """A list's items before the site: each ends with a site's generic word and a list word."""
    roles = lexicon.township_context_words()
    ends = sorted((w for w, x in lexicon.suffixes().items() if x.role != "admin"), key=len, reverse=True)
    stops = "".join(lexicon.clause_end_chars()) + "".join(w for w in roles.get("and", ()) if len(w) == 1)
    joiners = "|".join(map(re.escape, roles.get("and", ())))
    generic = "|".join(map(re.escape, ends))
    return re.compile(rf"(?:[^{re.escape(stops)}]{{1,{MAX_LIST_ITEM}}}?(?:{generic})(?:{joiners}))+")


def _sites_list(between: str) -> bool:
    """True when ``between`` (township to site) is a list of other sites, a joiner word at most before it."""
    for joiner in (*lexicon.township_context_words().get("joiner", ()), ""):
        rest = between[len(joiner):] if between.startswith(joiner) else None
        if rest and _list_item().fullmatch(rest):
            return True
    return False


def _heading(quote: str, spans: list[tuple[int, int]], index: int, county: County) -> ClauseFinding | None:
    """The township a heading earlier in the sentence gives (缙云县新建镇：…), when no clause between
    names a township."""
    for k in range(index - 1, -1, -1):
        pa, pb = spans[k]
        head = _is_heading(quote[pa:pb], county)
        if head is not None:
            shown = quote[pa : spans[index][1]].rstrip("".join(lexicon.clause_end_chars()))
            return ClauseFinding(ClauseTownship(head.township, head.word, "heading", shown))
        if _found(quote[pa:pb], county):
            return None
    return None


def site_clause_township(site: Site, county: County) -> ClauseFinding | None:
    """What the site's clauses, over all its mentions, tie it to in ``county``;
    None when they say nothing."""
    found = [f for s in site.sources if (f := clause_township(s.quote, s.surface, county)) is not None]
    if not found:
        return None
    named = sorted({t for f in found for t in ((f.township.township,) if f.township else f.named)})
    if len(named) > 1 or any(f.township is None for f in found):
        return ClauseFinding(None, tuple(named))
    return next(f for f in found if f.township is not None)
