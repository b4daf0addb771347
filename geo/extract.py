"""Find the named, mappable sites in cleaned report text.

A site's name in Chinese ends in a generic place word (its 通名: 公园, 路, 片区,
未来社区 ...) preceded by its specific part (专名: 塔山, 解放南, 南苑). The
extractor finds every generic word from ``lexicons/suffixes.tsv``, walks left
over name characters to the nearest hard boundary, then cuts the candidate
after the rightmost word that cannot belong to a name (``stopwords.txt``:
开工建设塔山公园 → 塔山公园) as long as what is left is still a real name
(``generic_words.txt``: 老旧小区 and 试点片区 are classes, not names).
Enumerations share one generic word (南苑、塔海、黄棠等5个区块 → 南苑区块 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geo import lexicon
from geo.sentences import Sentence

# Extension B and later (𠀀, 𪚥) are written as four bytes in GB18030 and UTF-8; place names use them.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME_CHAR = re.compile(rf"[{_CJK}A-Za-z0-9〇“”—·+]")
_SUBSTANTIVE = re.compile(rf"[{_CJK}A-Za-z0-9]")
_DIRECTIONS = frozenset("东南西北中上下前后内外左右")
_NUMBER_QUANT = re.compile(
    r"[0-9０-９.]+(?:年度|年|月|日|届|个|条|座|处|家|项|期|所|户|栋|幢|套|间|宗|亩|公顷|平方米|平方|km|公里|米|万|亿|%|G)*"
    r"|[一二两三四五六七八九十百千几多这那该此本每各]+[个条座处家项期届轮批所户栋幢套间宗亩]"
)
_CODE = re.compile(r"[A-Z]{0,2}[0-9]{1,4}")  # 104国道, G228国道, S2线
# 等 / a count / a quoted tag between the last item of a list and the shared word:
# 站前、河头、胜利街等“7+N”区块, 上柏、工大、南湖等3个社区, 盈一、盈二、新中、丰北四个村.
_LIST_CLOSING = re.compile(
    r"(?:等(?:[0-9一二两三四五六七八九十百几多]+[个条座处家项])?|[0-9一二两三四五六七八九十百几多]+[个条座处家项])"
    r"(?:“[^“”]{1,15}”)?$"
)
_LIST_SEP = "、"
_NEVER_FIRST = frozenset("的了着过和及与或等在对把被从于向至到为由以将已也都均又再是而并式型")
_LIST_CONJ = ("以及", "和", "及", "与")
_PROTECT_FREQ = 100  # a stop character inside a common word (和平, 向阳, 共和) is no cut point
_SWALLOW_FREQ = 30  # 路径, 路网, 村民: a one-character generic word inside a common word
_MAX_NAME = 24
_CLASS_TAILS = frozenset({"道路", "公路", "城中村", "安置房", "国道", "省道"})
_COMMON_WORD_FREQ = 500
_NUMERALS = frozenset("一二三四五六七八九十0123456789")
_MAX_ZONE_GAP = 20
_NOT_ALONE = _NEVER_FIRST | frozenset("大小新老主原总全各")  # 大片区, 式绿地: no name on their own
_CODED_ROAD = re.compile(r"(?:国道|省道|县道)[0-9]{1,4}线?|(?<![A-Za-z0-9])[GSX][0-9]{2,4}(?![0-9A-Za-z])")
_NUMBERED_LANE = re.compile(r"[0-9]+(?:巷|弄|胡同|号)")
_MAX_QUOTED = 4  # “甲乙公园” is a name; a longer quoted phrase is an honour or a slogan
_LANDSCAPE_KINDS = frozenset({"garden", "mountain", "island", "lake", "river"})
_MAX_GAP = 6  # 鹿山路商贸步行街: characters between an inner generic word and the name's end



@dataclass(frozen=True)
class Mention:
    """One mention of a site in one sentence."""

    name: str
    suffix: str
    kind: str
    layer: str
    start: int  # offsets of the mention's surface in the cleaned text
    end: int
    sentence: Sentence


@dataclass(frozen=True)
class _Cut:
    pos: int  # a name may start here
    word_start: int  # where the word before the cut starts
    strong: bool  # a word that cannot be part of a name (True), or a weaker sign (False)
    number: bool = False  # a count or a number: 5个, 2023年, 203
    verb: bool = False  # after a verb or function word the segmenter found (提档升级, 注重)


@dataclass(frozen=True)
class _Hit:
    start: int  # of the generic word, in sentence coordinates
    end: int
    suffix: lexicon.Suffix


def find_mentions(sentences: Iterable[Sentence], county_names: tuple[str, ...] = ()) -> list[Mention]:
    """Every site mention in ``sentences``, in text order.

    ``county_names`` (official and short names of the report's county) are
    stripped from the front of a name (德清县环鄞子山道路 → 环鄞子山道路).
    """
    out: list[Mention] = []
    for s in sentences:
        out.extend(_SentenceExtractor(s, county_names).run())
    return out


class _SentenceExtractor:
    def __init__(self, sentence: Sentence, county_names: tuple[str, ...]) -> None:
        self.s = sentence
        self.t = sentence.text
        self.county_names = tuple(sorted(county_names, key=len, reverse=True))
        # mentions keyed by their start in the sentence: a list item replaces a plain hit there
        self.found: dict[tuple[int, int], tuple[str, lexicon.Suffix]] = {}
        self._verb_ends: dict[int, int] | None = None

    # -- driver -----------------------------------------------------------------
    def run(self) -> list[Mention]:
        self.codes = [(m.start(), m.end()) for m in _CODED_ROAD.finditer(self.t)]
        hits = self._hits()
        boundary = 0
        for i, h in enumerate(hits):
            nxt = hits[i + 1] if i + 1 < len(hits) else None
            if nxt is not None and self._absorbed(h, nxt):
                continue  # 长泰路排涝站, 环鄞子山道路: not the name's end; the next hit takes it
            lo = boundary
            if h.suffix.role == "attach" and i > 0:
                lo = self._hard_left(hits[i - 1].start)
            span_start = self._scan_left(h.start, lo)
            self._handle_hit(h, span_start)
            boundary = h.end
        self._coded_roads()
        self._numbered_lanes()
        return self._mentions()

    def _numbered_lanes(self) -> None:
        """甲街181巷和192巷: a lane numbered off a road is named with the road (甲街181巷, 甲街192巷)."""
        road = ""
        for (a, b), (name, sfx) in sorted(self.found.items()):
            m = _NUMBERED_LANE.fullmatch(name)
            if not m or sfx.layer != "roads":
                continue
            parent = next(((c, d) for (c, d), (_, s) in self.found.items() if d == a and s.layer == "roads"), None)
            if parent is not None:
                road = self.found.pop(parent)[0]
                del self.found[(a, b)]
                self.found[(parent[0], b)] = (road + name, sfx)
            elif road and self.t[a - 1 : a] in ("和", "及", "与", _LIST_SEP):
                self.found[(a, b)] = (road + name, sfx)

    def _coded_roads(self) -> None:
        """国道232, 省道516, G220 (a code with no generic word after it): numbered roads."""
        road = lexicon.suffixes()["国道"]
        for m in _CODED_ROAD.finditer(self.t):
            if not any(a < m.end() and m.start() < b for a, b in self.found):
                self.found[(m.start(), m.end())] = (m.group(), road)

    def _absorbed(self, h: _Hit, nxt: _Hit) -> bool:
        """Whether ``h`` sits inside the longer name that ends at ``nxt``."""
        gap = self.t[h.end : nxt.start]
        if (nxt.suffix.role == "attach" and gap) or (
            nxt.suffix.word in _CLASS_TAILS and not gap
        ):
            return False  # 狮子山休闲公园石笋山入口 keeps its park; 振兴路道路工程 is 振兴路
        if not all(_NAME_CHAR.match(c) for c in gap):
            return False
        if gap.startswith("—"):
            # 乾元—下渚湖—康乾“智富茗溪”县域风貌区: towns joined by dashes name one zone
            if len(gap) > _MAX_ZONE_GAP or gap.count("“") != gap.count("”"):
                return False
        elif len(gap) > _MAX_GAP or "“" in gap or "”" in gap:
            return False
        return not gap or not any(c.strong for c in self._cut_points(h.end, nxt.start))

    def _hits(self) -> list[_Hit]:
        table = lexicon.suffixes()
        hits = []
        opens = closes = 0
        last = 0
        for m in lexicon.suffix_pattern().finditer(self.t):
            opens += self.t.count("“", last, m.start())
            closes += self.t.count("”", last, m.start())
            last = m.start()
            sfx = table[m.group()]
            if opens > closes:
                # inside quote marks: an honour (“新时代富春山居图样板区”) or a short quoted name (“甲乙公园”)
                if len(sfx.word) > 1 or not (self._swallowed(m.end()) or self._common_word_end(m.start())):
                    self._quoted_name(m.start(), m.end(), sfx)
                continue
            if len(sfx.word) == 1 and (
                self._swallowed(m.end()) or self._common_word_end(m.start()) or self._after_verb(m.start(), sfx)
            ):
                continue
            if self.t.startswith("化", m.end()):
                continue  # 片区化, 社区化: an adjective, not a name
            hits.append(_Hit(m.start(), m.end(), sfx))
        return hits

    def _quoted_name(self, start: int, end: int, sfx: lexicon.Suffix) -> None:
        """“甲乙公园”: a quoted short name that ends in a generic word is a site, written with its quotes."""
        q = self.t.rfind("“", 0, start)
        if sfx.role or not self.t.startswith("”", end) or q < 0 or not 2 <= start - q - 1 <= _MAX_QUOTED:
            return
        specific = self.t[q + 1 : start]
        if any(c in _NUMERALS for c in specific):
            return  # “一江一河”, “五点一线”: a slogan counts its parts
        if all(_NAME_CHAR.match(c) for c in specific) and self._valid_name(specific, sfx):
            self._add(q, end + 1, self.t[q : end + 1], sfx)

    def _swallowed(self, end: int) -> bool:
        """路径, 村民, 桥梁: a one-character generic word that starts a common word is not a name's end."""
        pair = self.t[end - 1 : end + 1]
        if len(pair) < 2:
            return False
        return pair in lexicon.not_name_ends() or lexicon.word_freq().get(pair, 0) >= _SWALLOW_FREQ

    def _common_word_end(self, start: int) -> bool:
        """思路, 乡村, 开街: the generic character ends a common word, not a name (南路, 一村 are kept)."""
        if start == 0:
            return False
        pair = self.t[start - 1 : start + 1]
        if pair in lexicon.not_name_ends():
            return True
        if self.t[start - 1] in _DIRECTIONS or self.t[start - 1] in _NUMERALS:
            return False
        return lexicon.word_freq().get(pair, 0) >= _COMMON_WORD_FREQ

    def _after_verb(self, start: int, sfx: lexicon.Suffix) -> bool:
        """出门见园, 退楼建园: a landscape word right after a one-character verb is its object, not a name."""
        if sfx.kind not in _LANDSCAPE_KINDS or start < 1:
            return False
        before = lexicon.segment(self.t[max(start - 3, 0) : start])
        return bool(before) and before[-1] == self.t[start - 1] and lexicon.word_tags().get(before[-1]) == "v"

    def _scan_left(self, pos: int, lo: int) -> int:
        """Start of the run of name characters ending at ``pos`` (quotes kept balanced)."""
        i, depth = pos, 0
        while i > lo:
            c = self.t[i - 1]
            if not _NAME_CHAR.match(c) or (c == "—" and self.t[i - 2 : i - 1] == "—"):
                break
            if c == "”":
                depth += 1
            elif c == "“":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        return i

    def _hard_left(self, pos: int) -> int:
        i = pos
        while i > 0 and _NAME_CHAR.match(self.t[i - 1]):
            i -= 1
        return i

    def _list_left(self, pos: int) -> int:
        """Start of the enumeration ending at ``pos``: name characters and 、 back to punctuation."""
        i = pos
        while i > 0 and (_NAME_CHAR.match(self.t[i - 1]) or self.t[i - 1] == _LIST_SEP):
            i -= 1
        return i

    # -- one generic word ---------------------------------------------------------
    def _handle_hit(self, h: _Hit, span_start: int) -> None:
        t = self.t
        if h.suffix.role == "admin":
            return
        closing = self._closing_start(span_start, h.start)
        if closing is not None:
            self._list_with_closing(h, closing)
            return
        cut = self._best_cut(span_start, h)
        if cut is None:
            self._quote_groups(h, span_start)
            return
        name_start = cut
        if not self._quote_groups(h, name_start) and not self._compound(h, name_start):
            self._add(name_start, h.end, t[name_start : h.end], h.suffix)
        self._bare_items_before(h, name_start)

    def _closing_start(self, span_start: int, pos: int) -> int | None:
        """Start of 等5个 / 等“7+N” / 等重点 / 四个 before a shared generic word, if any."""
        before = self.t[span_start:pos]
        i = before.rfind("等")
        if i >= 0 and not _core(before[i + 1 :]):
            return span_start + i
        m = _LIST_CLOSING.search(before)
        return span_start + m.start() if m else None

    def _best_cut(self, span_start: int, h: _Hit) -> int | None:
        """Start of the name: after the rightmost stop word that leaves a real name.

        A lexicon stop word followed by a class noun (累计创成8个省级未来社区) rejects
        the candidate; a verb right before the generic word with more text before it
        (公司接管社区, 提升公园) does too. A verb that is the whole specific part is
        the name itself (建设路, 振兴路). Cuts guessed by the segmenter are weaker:
        when they leave no name, the whole span is tried (乾元更新省级试点片区).
        """
        t = self.t
        for cut in self._cut_points(span_start, h.start, verbs=h.suffix.role == ""):
            rem = t[cut.pos : h.start]
            if not rem:
                if cut.number:
                    if t[cut.word_start : cut.pos].isdigit():
                        continue  # S203省道, 104国道: the number is the name
                    return None  # 这轮城中村, 3个社区: a count, not a name
                # 建设路, 解放路: roads are often named with a verb; 接管社区, 提升公园 are not names
                named_by_verb = h.suffix.layer == "roads" and h.suffix.word not in _CLASS_TAILS and (
                    cut.word_start == span_start
                    or any(c.pos == cut.word_start for c in self._cut_points(span_start, h.start))
                )
                if not named_by_verb:
                    if cut.verb and cut.word_start == span_start:
                        continue  # 振兴村: a verb may be the whole specific part
                    return None
                if cut.word_start > span_start:
                    return cut.word_start
                continue
            if self._valid_name(rem, h.suffix) and not (cut.verb and len(_core(rem)) < 2):
                return cut.pos
            tag = lexicon.word_tags().get(t[cut.word_start : cut.pos]) if cut.verb else None
            if (tag == "v" and not set(rem) <= _DIRECTIONS | _NUMERALS) or (tag == "vn" and not _core(rem)):
                return None  # 突出重要街区, 抓好背街: a verb, then no name
            if cut.verb:
                continue  # 产城融合示范带: what follows the verb is no name, so the verb is in it
            if cut.strong or not _core(rem):
                # 累计创成8个省级未来社区, 实施整村, 推进南苑: a stop word, then no name
                return None
        return span_start if self._valid_name(t[span_start : h.start], h.suffix) else None

    def _cut_points(self, lo: int, hi: int, *, verbs: bool = False) -> list[_Cut]:
        """Places after which a name may start, rightmost first."""
        stops, freq, t = lexicon.stopwords(), lexicon.word_freq(), self.t
        cuts: dict[int, _Cut] = {}
        for j in range(lo, hi):
            for n in range(1, 5):
                if j + n > hi:
                    break
                w = t[j : j + n]
                if w not in stops:
                    continue
                if n == 1 and (
                    freq.get(t[j : j + 2], 0) >= _PROTECT_FREQ
                    or (j > lo and freq.get(t[j - 1 : j + 1], 0) >= _PROTECT_FREQ)
                ):
                    continue
                cuts[j + n] = _Cut(j + n, j, True)
        for m in _NUMBER_QUANT.finditer(t, lo, hi):
            cuts[m.end()] = _Cut(m.end(), m.start(), True, number=True)
        table = lexicon.suffixes()
        for m in lexicon.suffix_pattern().finditer(t, lo, hi):
            if table[m.group()].role == "admin" and m.end() < hi and not self._swallowed(m.end()):
                cuts.setdefault(m.end(), _Cut(m.end(), m.start(), False))  # 宁围街道盈一 (but 镇府路)
        for end, start in (self._verbs() if verbs else {}).items():
            if lo <= start and end < hi:  # 休闲公园, 实验中学: right before the generic word it is a modifier
                cuts.setdefault(end, _Cut(end, start, False, verb=True))
        quoted = _quoted_positions(t, lo, hi)
        inside_numbers = {p for c in cuts.values() if c.number for p in range(c.word_start + 1, c.pos)}
        kept = (
            c for c in cuts.values()
            if c.pos <= hi and c.word_start not in quoted and (c.number or c.pos not in inside_numbers)
        )
        return sorted(kept, key=lambda c: -c.pos)

    def _verbs(self) -> dict[int, int]:
        """End → start of each verb or function word of the sentence, as the segmenter cuts it."""
        if self._verb_ends is None:
            tags, cut_tags = lexicon.word_tags(), lexicon.cut_tags()
            ends: dict[int, int] = {}
            pos = 0
            for w in lexicon.segment(self.t):
                if len(w) > 1 or tags.get(w) in ("p", "c", "u"):
                    if tags.get(w) in cut_tags:
                        ends[pos + len(w)] = pos
                pos += len(w)
            self._verb_ends = ends
        return self._verb_ends

    def _valid_name(self, specific: str, suffix: lexicon.Suffix) -> bool:
        if not specific or len(specific) + len(suffix.word) > _MAX_NAME:
            return False
        if specific.count("“") != specific.count("”") or specific[0] in "”—·":
            return False
        if specific[0] in _NEVER_FIRST and lexicon.word_freq().get(specific[:2], 0) < _PROTECT_FREQ:
            return False  # 的整村: a particle cannot start a name (和平路, 向阳新村 can)
        if _CODE.fullmatch(specific) and suffix.word not in ("道路", "公路"):
            return True  # S203省道, 104国道: the code is the name
        core = _core(specific)
        if not core or set(core) <= _DIRECTIONS:
            return False
        if len(core) < 2 and (core != specific or suffix.word in _CLASS_TAILS or core in _NOT_ALONE
                              or not re.match(rf"[{_CJK}]", core)):
            return False  # 城住宅小区, 县安置房: one character beside class words names nothing
        return not (len(suffix.word) == 1 and len(_SUBSTANTIVE.findall(specific)) < 2)

    def _strip_county(self, name: str, suffix: lexicon.Suffix) -> str | None:
        """德清县环鄞子山道路 → 环鄞子山道路; None when only a class noun is left (德清城市公园)."""
        for c in self.county_names:
            if name.startswith(c) and len(name) > len(c) + len(suffix.word):
                rest = name[len(c) :]
                return rest if self._valid_name(rest[: len(rest) - len(suffix.word)], suffix) else None
        return name

    # -- enumerations ---------------------------------------------------------------
    def _list_with_closing(self, h: _Hit, closing_start: int) -> None:
        """南苑、塔海、黄棠等5个区块 → every item gets the shared generic word."""
        lo = self._list_left(closing_start)
        items = self._split_items(lo, closing_start)
        if len(items) < 2 and not self.t.startswith("等", closing_start):
            return  # 德清县3个风貌区: a count, not a list
        area = h.suffix.layer in ("renewal", "scenic")
        for a, b in items:
            inner = [k for k in self.found if a <= k[0] and k[1] <= b]
            if inner:
                # 中兴社区 in 春晖、…、中兴社区等4个社区 and 金胜路 in 金胜路、飞凤路等道路 keep their own
                # name; 胜利街 in 站前、河头、胜利街等区块 names a block, not the street
                own = self.found[inner[-1]][1]
                if not area or own.layer == h.suffix.layer or inner[-1][1] != b:
                    continue
                for k in inner:
                    del self.found[k]
            elif self._ends_with_site_word(self.t[a:b]) or self.t[a:b] in lexicon.suffixes():
                continue
            item = self.t[a:b]
            if self._valid_name(item, h.suffix) and len(item) <= 8:
                self._add(a, b, item + h.suffix.word, h.suffix)

    def _bare_items_before(self, h: _Hit, name_start: int) -> None:
        """Short bare items before a name in a list.

        At the list's end they share its generic word (金一、金二、宁东和宁税社区 →
        金一社区 …); inside a list of sites they are sites as written (外华阳、神马花园、
        … 老共和、岳南新村).
        """
        t = self.t
        if t.startswith("等", h.end):
            return  # 胜利街等“7+N”区块: the list goes on to its shared generic word
        conj = next((c for c in _LIST_CONJ if t[:name_start].endswith(c)), None)
        if t[name_start - 1 : name_start] != _LIST_SEP and conj is None:
            return
        lo = self._list_left(name_start)
        items = self._split_items(lo, name_start)
        if not items:
            return
        with_site = [any(a <= k[0] and k[1] <= b for k in self.found) for a, b in items]
        list_goes_on = t[h.end : h.end + 1] == _LIST_SEP
        if not any(with_site) and not list_goes_on and all(b - a <= 3 for a, b in items):
            if len(items) == 1 and conj is not None:
                return  # X和Y社区 with one bare X is too weak a sign of a shared generic word
            for a, b in items:
                if self._valid_name(t[a:b], h.suffix):
                    self._add(a, b, t[a:b] + h.suffix.word, h.suffix)
            return
        if sum(with_site) + 1 < 2:
            return
        bare = lexicon.Suffix("", h.suffix.kind, h.suffix.layer, "")
        for (a, b), site in zip(items, with_site, strict=True):
            item = t[a:b]
            name_like = all(_NAME_CHAR.match(c) for c in item) and len(_core(item)) >= 2
            bare_word = not self._ends_with_site_word(item, named=False)
            if not site and 2 <= len(item) <= 4 and name_like and bare_word:
                self._add(a, b, item, bare)

    def _split_items(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Items of a list in t[lo:hi] separated by 、 (and a last 和/及/与), lead-in words trimmed."""
        t = self.t
        end = hi  # drop the one separator before the name that follows the list: 、 or 和
        if end > lo and t[end - 1] == _LIST_SEP:
            end -= 1
        else:
            end -= next((len(c) for c in _LIST_CONJ if t[lo:end].endswith(c)), 0)
        bounds: list[tuple[int, int]] = []
        a = lo
        for i in range(lo, end):
            if t[i] == _LIST_SEP:
                bounds.append((a, i))
                a = i + 1
        bounds.append((a, end))
        # the last item may hold a conjunction: 宁东和宁税
        items: list[tuple[int, int]] = []
        for a, b in bounds:
            if a >= b:
                continue
            cut = [c for c in self._cut_points(a, b) if c.pos < b]
            start = cut[0].pos if cut else a
            if start < b:
                items.append((start, b))
        return items

    def _ends_with_site_word(self, text: str, *, named: bool = True) -> bool:
        """Whether ``text`` ends in a generic word (with a real name before it, when ``named``)."""
        return any(
            sfx.role == "" and text.endswith(word)
            and (not named or self._valid_name(text[: len(text) - len(word)], sfx))
            for word, sfx in lexicon.suffixes().items()
        )

    def _compound(self, h: _Hit, name_start: int) -> bool:
        """甲街区和乙街区 read as one name: two sites when both halves end in the generic word."""
        text = self.t[name_start : h.end]
        for conj in _LIST_CONJ:
            i = text.find(conj)
            while i > 0:
                left, right = text[:i], text[i + len(conj) :]
                word = h.suffix.word
                if (left.endswith(word) and right.endswith(word)
                        and self._valid_name(left[: -len(word)], h.suffix)
                        and self._valid_name(right[: -len(word)], h.suffix)):
                    self._add(name_start, name_start + i, left, h.suffix)
                    self._add(name_start + i + len(conj), h.end, right, h.suffix)
                    return True
                i = text.find(conj, i + 1)
        return False

    def _quote_groups(self, h: _Hit, name_start: int) -> bool:
        """“城市绿链”“夜漓江”风景线 → one site per quoted name."""
        spec = self.t[name_start : h.start]
        groups = re.findall(r"“[^“”]+”", spec)
        if len(groups) < 2 or "".join(groups) != spec:
            return False
        pos = name_start
        for g in groups:
            self._add(pos, pos + len(g), g + h.suffix.word, h.suffix)
            pos += len(g)
        return True

    # -- output -----------------------------------------------------------------------
    def _add(self, a: int, b: int, name: str, suffix: lexicon.Suffix) -> None:
        for c, d in self.codes:
            if c < a < d < b - len(suffix.word):  # 省道280线包茂高速: the highway starts after the code
                if not self._valid_name(self.t[d : b - len(suffix.word)], suffix):
                    return
                a, name = d, self.t[d:b]
        stripped = self._strip_county(name, suffix)
        if stripped is not None:
            self.found[(a, b)] = (stripped, suffix)

    def _mentions(self) -> list[Mention]:
        out = []
        off = self.s.start
        ends = {b: sfx.layer for (_, b), (_, sfx) in self.found.items()}
        for (a, b), (name, sfx) in sorted(self.found.items()):
            if a >= 1 and self.t[a - 1] in "(（" and ends.get(a - 1) == sfx.layer:
                continue  # 市新医院(市人民医院异地迁建): another name for the site just named
            kind, layer = _contextual_kind(sfx, self.t)
            out.append(Mention(name, sfx.word, kind, layer, off + a, off + b, self.s))
        return out


def _quoted_positions(t: str, lo: int, hi: int) -> set[int]:
    """Positions inside “…” in t[lo:hi]: words there belong to the name (“资源之乡”)."""
    inside, depth = set(), 0
    for j in range(lo, hi):
        if t[j] == "”":
            depth = max(depth - 1, 0)
        if depth > 0:
            inside.add(j)
        if t[j] == "“":
            depth += 1
    return inside


def _core(specific: str) -> str:
    """What is left of a specific part once class words, counts and marks are removed."""
    rest = lexicon.generic_pattern().sub("", specific)
    rest = _NUMBER_QUANT.sub("", rest)
    return "".join(_SUBSTANTIVE.findall(rest))


def _contextual_kind(sfx: lexicon.Suffix, sentence: str) -> tuple[str, str]:
    for rule in lexicon.context_rules():
        if rule.kind_from == sfx.kind and rule.cue in sentence:
            return rule.kind_to, rule.layer_to
    return sfx.kind, sfx.layer

