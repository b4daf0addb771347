"""Pass 7: each site's kind and layer, and the mentions handed on."""

from __future__ import annotations

from geo.extract.model import SITE, Candidate
from geo.extract.text import SentenceText
from geo.model import Mention
from geo.text import lexicon


def to_mentions(st: SentenceText, candidates: tuple[Candidate, ...]) -> list[Mention]:
    """Mentions in text order, with the kind the sentence gives them (a village being cleared is renewal).

    A name in brackets right after a site of the same layer is that site's other name, not a second site.
    """
    sites = [c for c in candidates if c.shape == SITE]
    ends = {c.end: c.suffix.layer for c in sites}
    off, t = st.sentence.start, st.t
    out = []
    for c in sites:
        if c.start >= 1 and t[c.start - 1] in "(（" and ends.get(c.start - 1) == c.suffix.layer:
            continue
        kind, layer = contextual_kind(c.suffix, t)
        out.append(Mention(c.name, c.suffix.word, kind, layer, off + c.start, off + c.end, st.sentence))
    return out


def contextual_kind(sfx: lexicon.Suffix, sentence: str) -> tuple[str, str]:
    for rule in lexicon.context_rules():
        if rule.kind_from == sfx.kind and rule.cue in sentence:
            return rule.kind_to, rule.layer_to
    return sfx.kind, sfx.layer
