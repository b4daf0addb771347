"""Pass 2: generic words inside a longer name are not ends of names (青石路排涝站, 环翠山道路)."""

from __future__ import annotations

from geo.extract.cuts import has_strong_cut
from geo.extract.model import Hit, Span
from geo.extract.text import SentenceText, name_chars_only
from geo.text import lexicon


def absorb_inner(st: SentenceText, hits: tuple[Hit, ...]) -> tuple[Span, ...]:
    """The hits that end a name, each with the leftmost start its name may have.

    A name reaches left to the previous name's end; a part of a site (its 入口) reaches over
    the site it belongs to (甲山公园乙峰入口).
    """
    spans: list[Span] = []
    boundary = 0
    for i, h in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if nxt is not None and absorbed(st, h, nxt):
            continue
        lo = boundary
        if h.suffix.role == "attach" and i > 0:
            lo = st.hard_left(hits[i - 1].start)
        spans.append(Span(h, st.scan_left(h.start, lo)))
        boundary = h.end
    return tuple(spans)


def absorbed(st: SentenceText, h: Hit, nxt: Hit) -> bool:
    """Whether ``h`` sits inside the longer name that ends at ``nxt``."""
    r = lexicon.name_rules()
    gap = st.t[h.end : nxt.start]
    if (nxt.suffix.role == "attach" and gap) or (nxt.suffix.word in r.class_tails and not gap):
        return False  # 甲山公园乙峰入口 keeps its park; 青石路道路工程 is 青石路
    if not name_chars_only(gap):
        return False
    if gap.startswith("—") or "—" in st.t[st.hard_left(h.start) : h.start]:
        # 甲镇—乙镇—丙镇“某某”县域风貌区, 甲镇—丙山“某某”县域风貌区: towns joined by dashes name one zone
        if len(gap) > r.max_zone_gap or gap.count("“") != gap.count("”"):
            return False
    elif len(gap) > r.max_gap or "“" in gap or "”" in gap:
        return False
    return not gap or not has_strong_cut(st, h.end, nxt.start)
