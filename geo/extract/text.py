"""The sentence as the passes read it: character classes, counts, quotes and the segmenter's verbs."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from geo.model import Sentence
from geo.text import lexicon

# Extension B and later (𠀀, 𪚥) are written as four bytes in GB18030 and UTF-8; place names use them.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
NAME_CHAR = re.compile(rf"[{CJK}A-Za-z0-9〇“”—·+]")
SUBSTANTIVE = re.compile(rf"[{CJK}A-Za-z0-9]")
CJK_CHAR = re.compile(rf"[{CJK}]")
_NAME_CHARS = re.compile(rf"{NAME_CHAR.pattern}*")


def name_chars_only(s: str) -> bool:
    """Whether every character of ``s`` is a name character (true of the empty string)."""
    return _NAME_CHARS.fullmatch(s) is not None


@cache
def number_quant() -> re.Pattern[str]:
    """A number with its units (2023年, 5个, 3.2公里) or a count in words (三个, 这轮)."""
    r = lexicon.name_rules()
    units = "|".join(map(re.escape, sorted(r.count_units, key=lambda u: (-len(u), u))))
    return re.compile(rf"[0-9０-９.]+(?:{units})*|[{r.determiners}]+[{r.count_fillers}]?[{r.classifiers}]")


@cache
def list_closing() -> re.Pattern[str]:
    """等 / a count / a quoted tag between a list's last item and the shared word (等3个, 四个, 等“7+N”)."""
    r = lexicon.name_rules()
    count = rf"[{re.escape(r.list_closing_numerals)}]+[{r.list_classifiers}]"
    closing = re.escape(r.list_closing_word)
    return re.compile(rf"(?:{closing}(?:{count})?|{count})(?:“[^“”]{{1,{r.max_closing_tag}}}”)?$")


@cache
def _stop_index() -> dict[str, tuple[tuple[int, frozenset[str]], ...]]:
    """First character -> (length, the stop words of that length starting with it), shortest first."""
    by_first: dict[str, dict[int, set[str]]] = {}
    for w in lexicon.stopwords():
        by_first.setdefault(w[0], {}).setdefault(len(w), set()).add(w)
    return {ch: tuple((n, frozenset(ws)) for n, ws in sorted(lens.items())) for ch, lens in by_first.items()}


@cache
def _stop_firsts() -> re.Pattern[str]:
    """The characters a stop word starts with."""
    return re.compile("[" + "".join(sorted(map(re.escape, _stop_index()))) + "]")


# The passes ask for the core of the same few strings of one sentence several times (a cut's
# remainder, then the candidate's specific part): remembered for the last few hundred strings only,
# far fewer than a report holds, so a text does not gain from repeating itself.
@lru_cache(maxsize=256)
def core(specific: str) -> str:
    """What is left of a specific part once class words, counts and marks are removed."""
    rest = lexicon.generic_pattern().sub("", specific)
    rest = number_quant().sub("", rest)
    return "".join(SUBSTANTIVE.findall(rest))


def quoted_positions(t: str, lo: int, hi: int) -> set[int]:
    """Positions inside “…” in t[lo:hi]: words there belong to the name (“资源之乡”)."""
    inside: set[int] = set()
    if t.find("“", lo, hi) < 0:
        return inside  # no quote opens in the window
    depth = 0
    for j in range(lo, hi):
        if t[j] == "”":
            depth = max(depth - 1, 0)
        if depth > 0:
            inside.add(j)
        if t[j] == "“":
            depth += 1
    return inside


class SentenceText:
    """One sentence and what is worked out once about it (its verbs, its road codes)."""

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.t = sentence.text
        self.cut_cache: dict[tuple[int, int, bool], list] = {}  # cut points worked out once per window
        self._codes: tuple[tuple[int, int], ...] | None = None

    def inside_word(self, pos: int) -> bool:
        """Whether the character at ``pos`` is inside a dictionary word of three or four characters,
        not at its end (村 in 村容村貌)."""
        freq, t = lexicon.word_freq(), self.t
        for a in range(max(pos - 2, 0), pos + 1):
            for b in range(max(pos + 2, a + 3), min(a + 5, len(t) + 1)):
                if freq.get(t[a:b], 0) > 0:
                    return True
        return False

    def verb_ends(self, lo: int, hi: int) -> dict[int, int]:
        """End → start of each verb or function word in t[lo:hi], as the segmenter cuts that window."""
        rules, tag_of, generic = lexicon.name_rules(), lexicon.word_tag, lexicon.suffixes()
        ends: dict[int, int] = {}
        pos = lo
        for w in lexicon.segment(self.t[lo:hi]):
            tag = tag_of(w)
            if tag in rules.cut_tags and (len(w) > 1 or tag in rules.single_char_tags) and w not in generic:
                ends[pos + len(w)] = pos
            pos += len(w)
        return ends

    @property
    def codes(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of each road code (G60, 国道320), worked out when first asked for (a plain
        attribute: ``functools.cached_property`` takes a lock on every read)."""
        if self._codes is None:
            found = lexicon.name_rules().coded_road.finditer(self.t)
            self._codes = tuple((m.start(), m.end()) for m in found)
        return self._codes

    def stop_words(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, length) of every stop word inside t[lo:hi], in order (overlapping ones too).

        Looked for in the window asked about only: the windows of a sentence's names seldom
        overlap, and most of a sentence lies in none of them."""
        t, index = self.t, _stop_index()
        found = []
        for m in _stop_firsts().finditer(t, lo, hi):
            p = m.start()
            for n, words in index[t[p]]:
                if p + n > hi:
                    break
                if t[p:p + n] in words:
                    found.append((p, n))
        return found

    def scan_left(self, pos: int, lo: int) -> int:
        """Start of the run of name characters ending at ``pos`` (quotes kept balanced)."""
        t, i, depth = self.t, pos, 0
        while i > lo:
            c = t[i - 1]
            if not NAME_CHAR.match(c) or (c == "—" and t[i - 2 : i - 1] == "—"):
                break
            if c == "”":
                depth += 1
            elif c == "“":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        return i

    def hard_left(self, pos: int) -> int:
        i = pos
        while i > 0 and NAME_CHAR.match(self.t[i - 1]):
            i -= 1
        return i

    def list_left(self, pos: int) -> int:
        """Start of the enumeration ending at ``pos``: name characters and 、 back to punctuation."""
        sep, i = lexicon.name_rules().list_separator, pos
        while i > 0 and (NAME_CHAR.match(self.t[i - 1]) or self.t[i - 1] == sep):
            i -= 1
        return i
