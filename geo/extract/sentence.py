"""The passes run over each sentence in turn."""

from __future__ import annotations

from collections.abc import Iterable

from geo.extract.absorb import absorb_inner
from geo.extract.county_prefix import strip_county
from geo.extract.generic import find_generic_words
from geo.extract.kinds import to_mentions
from geo.extract.left_edge import cut_left_edge
from geo.extract.lists import expand_lists
from geo.extract.model import Candidate
from geo.extract.quoted import quoted_names
from geo.extract.site_filter import SiteFilter, default_filter, filter_sites
from geo.extract.text import SentenceText
from geo.model import Mention, Sentence

_DEFAULT = object()


def find_mentions(sentences: Iterable[Sentence], county_names: tuple[str, ...] = (),
                  site_filter: SiteFilter | object | None = _DEFAULT) -> list[Mention]:
    """Every site mention in ``sentences``, in text order.

    ``county_names`` (official and short names of the report's county) are stripped from the
    front of a name (某某县甲乙路 → 甲乙路). ``site_filter``: the learned check of pass 6b (the
    shipped one by default; None keeps every candidate).
    """
    model = default_filter() if site_filter is _DEFAULT else site_filter
    assert model is None or isinstance(model, SiteFilter)
    out: list[Mention] = []
    for s in sentences:
        st, candidates = sentence_candidates(s, county_names)
        out.extend(to_mentions(st, filter_sites(st, candidates, model)))
    return out


def sentence_candidates(sentence: Sentence,
                        county_names: tuple[str, ...] = ()) -> tuple[SentenceText, tuple[Candidate, ...]]:
    """The sentence's candidates after the rule passes 1–6 (before the learned check and kinds)."""
    st = SentenceText(sentence)
    hits, inside_quotes = find_generic_words(st)
    spans = absorb_inner(st, hits)
    candidates = cut_left_edge(st, spans)
    candidates = expand_lists(st, candidates)
    candidates = quoted_names(st, candidates, inside_quotes)
    return st, strip_county(candidates, county_names)
