"""Pass 3: where each name starts, or that there is no name (a class, a count, a clause)."""

from __future__ import annotations

from geo.extract.cuts import cut_points
from geo.extract.model import LIST, NAME, UNNAMED, Candidate, Span
from geo.extract.names import valid_name
from geo.extract.text import SentenceText, core, list_closing
from geo.text import lexicon


def cut_left_edge(st: SentenceText, spans: tuple[Span, ...]) -> tuple[Candidate, ...]:
    """One candidate per span that is not an administrative unit: a name, the end of an
    enumeration (甲、乙等3个区块) or no name (UNNAMED, left for quoted names)."""
    out: list[Candidate] = []
    for sp in spans:
        h = sp.hit
        if h.suffix.role == "admin":
            continue
        closing = closing_start(st.t, sp.start, h.start)
        if closing is not None:
            out.append(Candidate(closing, h.end, h.suffix, LIST))
            continue
        cut = best_cut(st, sp)
        if cut is None:
            out.append(Candidate(sp.start, h.end, h.suffix, UNNAMED))
        else:
            out.append(Candidate(cut, h.end, h.suffix, NAME))
    return tuple(out)


def closing_start(t: str, span_start: int, pos: int) -> int | None:
    """Start of 等5个 / 等“7+N” / 等重点 / 四个 before a shared generic word, if any."""
    before = t[span_start:pos]
    i = before.rfind(lexicon.name_rules().list_closing_word)
    if i >= 0 and not core(before[i + 1 :]):
        return span_start + i
    m = list_closing().search(before)
    return span_start + m.start() if m else None


def best_cut(st: SentenceText, sp: Span) -> int | None:
    """Start of the name: after the rightmost cut that leaves a real name, or None.

    A stop word followed by a class noun (累计创成8个省级未来社区) rejects the candidate;
    so does a stop word right before the generic word with more text before it (公司接管社区).
    A verb that is the whole specific part of a road is its name (建设路). A verb the
    segmenter tags rejects the candidate when no name follows it (抓好背街, 突出重要街区);
    other cuts it guesses are weaker: when they leave no name, the whole span is tried
    (甲乙更新省级试点片区).
    """
    t, h, span_start = st.t, sp.hit, sp.start
    rules, tags = lexicon.name_rules(), lexicon.word_tags()
    for cut in cut_points(st, span_start, h.start, verbs=h.suffix.role == ""):
        rem = t[cut.pos : h.start]
        if not rem:
            if cut.number:
                if t[cut.word_start : cut.pos].isdigit():
                    continue  # S203省道, 104国道: the number is the name
                return None  # 这批城中村, 3个社区: a count, not a name
            # 建设路, 解放路: roads are often named with a verb; 接管社区, 提升公园 are not names
            named_by_verb = h.suffix.layer == "roads" and h.suffix.word not in rules.class_tails and (
                cut.word_start == span_start
                or any(c.pos == cut.word_start for c in cut_points(st, span_start, h.start))
            )
            if not named_by_verb:
                return None
            if cut.word_start > span_start:
                return cut.word_start
            continue
        if cut.number and t[cut.pos - 1] in rules.classifiers:
            return None  # 3个健身公园, 45处社区游园: what a count counts is a class
        if valid_name(rem, h.suffix) and not (cut.verb and len(core(rem)) < rules.min_core):
            return cut.pos
        if cut.verb:
            tag = tags.get(t[cut.word_start : cut.pos])
            named_road = h.suffix.layer == "roads" and set(rem) <= rules.directions | rules.numerals
            if (tag in rules.clause_tags and not named_road) or (
                tag in rules.class_clause_tags and not core(rem)
            ):
                return None  # 抓好背街, 突出重要街区: a verb, then no name
            continue  # 甲乙共建协作示范带: what follows the verb is no name, so the verb is in it
        if cut.strong or not core(rem):
            return None  # 累计创成8个省级未来社区, 实施整村, 推进某村: a stop word, then no name
    return span_start if valid_name(t[span_start : h.start], h.suffix) else None
