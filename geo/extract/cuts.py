"""Places after which a name may start: stop words, counts, administrative units, verbs."""

from __future__ import annotations

from geo.extract.model import Cut
from geo.extract.text import SentenceText, number_quant, quoted_positions
from geo.text import lexicon


def swallowed(t: str, end: int) -> bool:
    """路径, 村民, 桥梁: a one-character generic word that starts a common word is not a name's end."""
    pair = t[end - 1 : end + 1]
    if len(pair) < 2:
        return False
    if pair in lexicon.not_name_ends():
        return True
    r = lexicon.name_rules()
    if pair[1] in r.directions and t[end + 1 : end + 2] in tuple(r.section_words):
        return False  # 甲路南段, 乙路东延: a section of the road, not 路南
    if pair in r.junction_words:
        return False  # 甲路口: 甲路 where it meets another road
    return lexicon.pair_freq(pair) >= r.swallow_freq


def cut_points(st: SentenceText, lo: int, hi: int, *, verbs: bool = False) -> list[Cut]:
    """Places in t[lo:hi] after which a name may start, rightmost first.

    ``verbs``: also after the verbs and function words the segmenter tags (提档升级, 注重),
    except right before ``hi``, where a verb is the generic word's modifier (休闲公园, 实验中学).
    """
    key = (lo, hi, verbs)
    if key not in st.cut_cache:
        st.cut_cache[key] = _cut_points(st, lo, hi, verbs)
    return st.cut_cache[key]


def has_strong_cut(st: SentenceText, lo: int, hi: int) -> bool:
    """Whether any of ``cut_points(st, lo, hi)`` is strong (a stop word or a count), worked out
    without the weak cuts (administrative units), which cannot hide a strong one."""
    key = (lo, hi, False)
    if key in st.cut_cache:
        return any(c.strong for c in st.cut_cache[key])
    cuts = _strong_cuts(st, lo, hi)
    return bool(cuts) and any(c.strong for c in _kept(st.t, lo, hi, cuts))


def _strong_cuts(st: SentenceText, lo: int, hi: int) -> dict[int, Cut]:
    """The cuts after stop words and counts in t[lo:hi], by position (a count wins over a stop word)."""
    fg, t, rules = lexicon.pair_freq, st.t, lexicon.name_rules()
    protect = rules.protect_freq
    cuts: dict[int, Cut] = {}
    for j, n in st.stop_words(lo, hi):
        if n == 1 and (
            fg(t[j : j + 2]) >= protect
            or (j > lo and fg(t[j - 1 : j + 1]) >= protect)
            # an adverb (都, 也) qualifies verbs, not the place word right after it: 丽都花园
            or (j > lo and j + 1 == hi and lexicon.word_tags().get(t[j]) == "d")
        ):
            continue
        cuts[j + n] = Cut(j + n, j, True)
    for m in number_quant().finditer(t, lo, hi):
        cuts[m.end()] = Cut(m.end(), m.start(), True, number=True)
    return cuts


def _kept(t: str, lo: int, hi: int, cuts: dict[int, Cut]) -> list[Cut]:
    """The cuts not inside quote marks nor inside a number, rightmost first."""
    quoted = quoted_positions(t, lo, hi)
    inside_numbers = {p for c in cuts.values() if c.number for p in range(c.word_start + 1, c.pos)}
    kept = (
        c for c in cuts.values()
        if c.pos <= hi and c.word_start not in quoted and (c.number or c.pos not in inside_numbers)
    )
    return sorted(kept, key=lambda c: -c.pos)


def _cut_points(st: SentenceText, lo: int, hi: int, verbs: bool) -> list[Cut]:
    t, rules = st.t, lexicon.name_rules()
    cuts = _strong_cuts(st, lo, hi)
    table = lexicon.suffixes()
    for m in lexicon.suffix_pattern().finditer(t, lo, hi):
        if table[m.group()].role == "admin" and m.end() < hi and not swallowed(t, m.end()):
            cuts.setdefault(m.end(), Cut(m.end(), m.start(), False))  # 城东街道桂园 (but 镇府路)
    if verbs and hi - lo > rules.min_core:  # in so few characters a verb cut leaves no name to keep or reject
        for end, start in st.verb_ends(lo, hi).items():
            if lo <= start and end < hi:
                cuts.setdefault(end, Cut(end, start, False, verb=True))
    if not cuts:
        return []
    return _kept(t, lo, hi, cuts)
