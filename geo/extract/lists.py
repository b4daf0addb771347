"""Pass 4: names to sites, enumerations expanded, compounds split, numbered lanes and bare codes."""

from __future__ import annotations

import re
from functools import cache

from geo.extract.cuts import cut_points
from geo.extract.model import LIST, NAME, SITE, UNNAMED, Candidate
from geo.extract.names import ends_with_site_word, valid_name
from geo.extract.text import SentenceText, core, name_chars_only, number_quant
from geo.text import lexicon

Found = dict[tuple[int, int], Candidate]


def expand_lists(st: SentenceText, candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """SITE candidates for the names and enumerations of the sentence; UNNAMED ones pass through.

    The candidates are read in text order: an enumeration sees the sites named before it.
    """
    found: Found = {}
    unnamed = []
    for c in candidates:
        if c.shape == LIST:
            _list_with_closing(st, c, found)
        elif c.shape == NAME:
            if not _compound(st, c, found):
                _emit(st, found, c.start, c.end, st.t[c.start : c.end], c.suffix)
            _bare_items_before(st, c, found)
        elif c.shape == UNNAMED:
            unnamed.append(c)
    _coded_roads(st, found)
    _numbered_lanes(st, found)
    return tuple(sorted(found.values(), key=lambda c: (c.start, c.end))) + tuple(unnamed)


def _emit(st: SentenceText, found: Found, a: int, b: int, name: str, suffix: lexicon.Suffix) -> None:
    for c, d in st.codes:
        if c < a < d < b - len(suffix.word):  # 省道12线甲乙高速: the highway starts after the code
            if not valid_name(st.t[d : b - len(suffix.word)], suffix):
                return
            a, name = d, st.t[d:b]
    found[(a, b)] = Candidate(a, b, suffix, SITE, name)


def _list_with_closing(st: SentenceText, c: Candidate, found: Found) -> None:
    """甲、乙、丙等5个区块 → every item gets the shared generic word."""
    t, h = st.t, c.suffix
    lo = st.list_left(c.start)
    items = split_items(st, lo, c.start)
    rules = lexicon.name_rules()
    if len(items) < 2 and not t.startswith(rules.list_closing_word, c.start):
        return  # 某县3个风貌区: a count, not a list
    area = h.layer in ("renewal", "scenic")
    for a, b in items:
        if _counted(t, lo, a):
            continue  # 5条道路、3个节点、2个公园: a count of another thing, not a name sharing 公园
        inner = [k for k in found if a <= k[0] and k[1] <= b]
        if inner:
            # 丙社区 in 甲、乙、丙社区等4个社区 and 甲路 in 甲路、乙路等道路 keep their own name;
            # 丙街 in 甲、乙、丙街等区块 names a block, not the street
            own = found[inner[-1]].suffix
            class_tail = h.word in rules.class_tails  # 甲园、乙苑等安置房: the estates
            if not area or class_tail or own.layer == h.layer or inner[-1][1] != b:
                continue
            for k in inner:
                del found[k]
        elif ends_with_site_word(t[a:b]) or t[a:b] in lexicon.suffixes():
            continue
        item = t[a:b]
        if valid_name(item, h) and len(item) <= rules.max_list_item:
            _emit(st, found, a, b, item + h.word, h)


def _bare_items_before(st: SentenceText, c: Candidate, found: Found) -> None:
    """Short bare items before a name in a list.

    At the list's end they share its generic word (甲一、甲二和乙东社区 → 甲一社区 …);
    inside a list of sites they are sites as written (甲乙、丙丁花园、戊己新村).
    """
    t, h, name_start = st.t, c.suffix, c.start
    rules = lexicon.name_rules()
    if t.startswith(rules.list_closing_word, c.end):
        return  # 丙街等“7+N”区块: the list goes on to its shared generic word
    conj = next((w for w in rules.list_conjunctions if t.endswith(w, 0, name_start)), None)
    if t[name_start - 1 : name_start] != rules.list_separator and conj is None:
        return
    lo = st.list_left(name_start)
    items = split_items(st, lo, name_start)
    if not items:
        return
    with_site = [any(a <= k[0] and k[1] <= b for k in found) for a, b in items]
    list_goes_on = t[c.end : c.end + 1] == rules.list_separator
    # the items share the generic word only when the named item is as short as they are
    # (甲一、甲二和乙东社区), not after a long descriptive one (甲、乙、丙丁戊己服务站)
    short_name = c.end - c.start - len(h.word) <= rules.max_named_item
    bare_items = all(b - a <= rules.max_bare_item for a, b in items)
    if not any(with_site) and not list_goes_on and short_name and bare_items:
        if len(items) == 1 and conj is not None:
            return  # X和Y社区 with one bare X is too weak a sign of a shared generic word
        for a, b in items:
            if valid_name(t[a:b], h):
                _emit(st, found, a, b, t[a:b] + h.word, h)
        return
    if sum(with_site) + 1 < 2:
        return
    bare = lexicon.Suffix("", h.kind, h.layer, "")
    low, high = rules.bare_site_item
    for (a, b), site in zip(items, with_site, strict=True):
        item = t[a:b]
        name_like = name_chars_only(item) and len(core(item)) >= rules.min_core
        bare_word = not ends_with_site_word(item, named=False)
        if not site and low <= len(item) <= high and name_like and bare_word:
            _emit(st, found, a, b, item, bare)


@cache
def _count_at_end() -> re.Pattern[str]:
    return re.compile(rf"(?:{number_quant().pattern})$")


def _counted(t: str, lo: int, a: int) -> bool:
    """Whether the list item starting at ``a`` is led by a count of its own (…、9个道路节点、…)."""
    prefix = t[max(t.rfind(lexicon.name_rules().list_separator, lo, a) + 1, lo) : a]
    m = _count_at_end().search(prefix)
    return bool(m) and not m.group().replace(".", "").isdigit()


def split_items(st: SentenceText, lo: int, hi: int) -> list[tuple[int, int]]:
    """Items of a list in t[lo:hi] separated by 、 (and a last 和/及/与), lead-in words trimmed."""
    t, rules = st.t, lexicon.name_rules()
    sep = rules.list_separator
    end = hi  # drop the one separator before the name that follows the list: 、 or 和
    if end > lo and t[end - 1] == sep:
        end -= 1
    else:
        end -= next((len(w) for w in rules.list_conjunctions if t.endswith(w, lo, end)), 0)
    bounds: list[tuple[int, int]] = []
    a = lo
    for i in range(lo, end):
        if t[i] == sep:
            bounds.append((a, i))
            a = i + 1
    bounds.append((a, end))
    items: list[tuple[int, int]] = []
    for a, b in bounds:
        if a >= b:
            continue
        cut = [c for c in cut_points(st, a, b) if c.pos < b]
        start = cut[0].pos if cut else a
        if start < b:
            items.append((start, b))
    return items


def _compound(st: SentenceText, c: Candidate, found: Found) -> bool:
    """甲街区和乙街区 read as one name: two sites when both halves end in the generic word."""
    text, word = st.t[c.start : c.end], c.suffix.word
    if _adjacent_streets(st, c, found):
        return True
    for conj in lexicon.name_rules().list_conjunctions:
        i = text.find(conj, 1)  # 和 opening the name (和平路) joins nothing
        while i > 0:
            left, right = text[:i], text[i + len(conj) :]
            left_sfx = _site_word_at_end(left, c.suffix.layer)
            if (left_sfx is not None and right.endswith(word)
                    and valid_name(left[: -len(left_sfx.word)], left_sfx)
                    and valid_name(right[: -len(word)], c.suffix)):
                _emit(st, found, c.start, c.start + i, left, left_sfx)
                _emit(st, found, c.start + i + len(conj), c.end, right, c.suffix)
                return True
            i = text.find(conj, i + 1)
    return False


def _adjacent_streets(st: SentenceText, c: Candidate, found: Found) -> bool:
    """甲乙大街丙丁大街 with no mark between: two streets when the two-character street word
    (大街, 大道) closes both halves and each half is a name."""
    text, word = st.t[c.start : c.end], c.suffix.word
    if len(word) < 2 or word not in lexicon.name_rules().direction_streets:
        return False
    i = text.find(word)
    while i > 0 and i + len(word) < len(text) - len(word):
        cut = i + len(word)
        right = text[cut:]
        if valid_name(text[:i], c.suffix) and valid_name(right[: -len(word)], c.suffix) \
                and len(core(right[: -len(word)])) >= 2:
            _emit(st, found, c.start, c.start + cut, text[:cut], c.suffix)
            _emit(st, found, c.start + cut, c.end, right, c.suffix)
            return True
        i = text.find(word, i + 1)
    return False


def _site_word_at_end(text: str, layer: str) -> lexicon.Suffix | None:
    """The longest generic word of ``layer`` that ``text`` ends in."""
    table = lexicon.suffixes()
    for k in range(min(len(text) - 1, 6), 0, -1):
        sfx = table.get(text[-k:])
        if sfx is not None and sfx.role == "" and sfx.layer == layer:
            return sfx
    return None


def _coded_roads(st: SentenceText, found: Found) -> None:
    """国道123, 省道45, G200 (a code with no generic word after it): numbered roads."""
    road = lexicon.suffixes()[lexicon.name_rules().coded_road_word]
    for a, b in st.codes:
        if not any(x < b and a < y for x, y in found):
            found[(a, b)] = Candidate(a, b, road, SITE, st.t[a:b])


@cache
def _lane_pattern() -> re.Pattern[str]:
    words = lexicon.name_rules().numbered_lane_words
    return re.compile(r"[0-9]+(?:" + "|".join(map(re.escape, words)) + ")")


def _numbered_lanes(st: SentenceText, found: Found) -> None:
    """甲街18巷和19巷: a lane numbered off a road is named with the road (甲街18巷, 甲街19巷)."""
    if not any(c.name[:1].isdigit() for c in found.values()):
        return
    rules, lane = lexicon.name_rules(), _lane_pattern()
    road = ""
    for (a, b), c in sorted(found.items()):
        if not lane.fullmatch(c.name) or c.suffix.layer != "roads":
            continue
        parent = next(((x, y) for (x, y), p in found.items() if y == a and p.suffix.layer == "roads"), None)
        if parent is not None:
            road = found.pop(parent).name
            del found[(a, b)]
            found[(parent[0], b)] = Candidate(parent[0], b, c.suffix, SITE, road + c.name)
        elif road and st.t[a - 1 : a] in (*rules.list_conjunctions, rules.list_separator):
            found[(a, b)] = Candidate(a, b, c.suffix, SITE, road + c.name)
