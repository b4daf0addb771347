"""Pass 5: names in quote marks: “甲园”“乙园”风景线 (one site each) and a short “甲乙公园”."""

from __future__ import annotations

import re

from geo.extract.model import SITE, UNNAMED, Candidate, Hit
from geo.extract.names import valid_name
from geo.extract.text import SentenceText, name_chars_only
from geo.text import lexicon

_GROUP = re.compile(r"“[^“”]+”")


def quoted_names(st: SentenceText, candidates: tuple[Candidate, ...],
                 inside: tuple[Hit, ...]) -> tuple[Candidate, ...]:
    """SITE candidates with quote groups split and UNNAMED ones resolved; plus the short quoted
    names that end in a generic word inside quote marks (``inside``, from the first pass)."""
    out: list[Candidate] = []
    for c in candidates:
        if c.shape == UNNAMED:
            out.extend(_groups(st, c))
        elif c.shape == SITE and c.name == st.t[c.start : c.end]:
            out.extend(_groups(st, c) or (c,))
        else:
            out.append(c)
    for h in inside:
        site = _short_quoted(st, h)
        if site is not None:
            out.append(site)
    return tuple(sorted(out, key=lambda c: (c.start, c.end)))


def _groups(st: SentenceText, c: Candidate) -> tuple[Candidate, ...]:
    """“甲园”“乙园”风景线 → one site per quoted name (nothing unless the specific is all quoted)."""
    spec = st.t[c.start : c.end - len(c.suffix.word)]
    groups = _GROUP.findall(spec)
    if len(groups) < 2 or "".join(groups) != spec:
        return ()
    out, pos = [], c.start
    for g in groups:
        out.append(Candidate(pos, pos + len(g), c.suffix, SITE, g + c.suffix.word))
        pos += len(g)
    return tuple(out)


def _short_quoted(st: SentenceText, h: Hit) -> Candidate | None:
    """“甲乙公园”: a quoted short name that ends in a generic word is a site, written with its quotes."""
    t, rules = st.t, lexicon.name_rules()
    q = t.rfind("“", 0, h.start)
    if h.suffix.role or not t.startswith("”", h.end) or q < 0 or not 2 <= h.start - q - 1 <= rules.max_quoted:
        return None
    specific = t[q + 1 : h.start]
    if any(ch in rules.numerals for ch in specific):
        return None  # “一江一河”, “五点一线”: a slogan counts its parts
    if name_chars_only(specific) and valid_name(specific, h.suffix):
        return Candidate(q, h.end + 1, h.suffix, SITE, t[q : h.end + 1])
    return None



