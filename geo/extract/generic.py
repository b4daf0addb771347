"""Pass 1: the generic words of a sentence that may end a site's name."""

from __future__ import annotations

from geo.extract.cuts import swallowed
from geo.extract.model import Hit
from geo.extract.text import SentenceText
from geo.text import lexicon


def find_generic_words(st: SentenceText) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
    """(hits outside quote marks, hits inside them), in text order.

    A one-character generic word inside or at the end of a common word (路径, 思路), or
    the object of a one-character verb (建园), ends no name; nor does one before 化
    (片区化: an adjective).
    """
    t, table = st.t, lexicon.suffixes()
    outside: list[Hit] = []
    inside: list[Hit] = []
    opens = closes = last = 0
    quotes = "“" in t
    for m in lexicon.suffix_pattern().finditer(t):
        if quotes:
            opens += t.count("“", last, m.start())
            closes += t.count("”", last, m.start())
            last = m.start()
        sfx = table[m.group()]
        one_char = len(sfx.word) == 1
        if one_char and (
            swallowed(t, m.end()) or common_word_end(t, m.start()) or st.inside_word(m.start())
        ):
            continue
        if opens > closes:
            inside.append(Hit(m.start(), m.end(), sfx))  # “资源之乡”, or a short quoted name
            continue
        if one_char and after_verb(t, m.start(), sfx):
            continue
        if not one_char and straddles(t, m.start(), m.end()):
            continue
        if t.startswith(lexicon.name_rules().adjective_endings, m.end()):
            continue
        outside.append(Hit(m.start(), m.end(), sfx))
    return tuple(outside), tuple(inside)


def straddles(t: str, start: int, end: int) -> bool:
    """国家园林: the generic word (家园) begins inside one common word and ends inside the next."""
    fg, least = lexicon.pair_freq, lexicon.name_rules().common_word_freq
    return (start > 0 and end < len(t) and fg(t[start - 1 : start + 1]) >= least
            and fg(t[end - 1 : end + 1]) >= least)


def common_word_end(t: str, start: int) -> bool:
    """思路, 乡村, 开街: the generic character ends a common word, not a name (南路, 一村 are kept)."""
    if start == 0:
        return False
    r = lexicon.name_rules()
    pair = t[start - 1 : start + 1]
    if pair in lexicon.not_name_ends():
        return True
    if t[start - 1] in r.directions or t[start - 1] in r.numerals:
        return False
    return lexicon.pair_freq(pair) >= r.common_word_freq


def after_verb(t: str, start: int, sfx: lexicon.Suffix) -> bool:
    """出门见园, 退楼建园: a landscape word right after a one-character verb is its object, not a name."""
    if sfx.kind not in lexicon.name_rules().landscape_kinds or start < 1:
        return False
    if lexicon.word_tag(t[start - 1]) != "v":
        return False  # the word before would have to be this one character, a verb: no need to cut
    before = lexicon.segment(t[max(start - 3, 0) : start])
    return bool(before) and before[-1] == t[start - 1] and lexicon.word_tag(before[-1]) == "v"
