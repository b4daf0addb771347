"""The passes run over each sentence in turn."""

from __future__ import annotations

from collections.abc import Iterable

from geo.extract.absorb import absorb_inner
from geo.extract.county_prefix import strip_county
from geo.extract.generic import find_generic_words
from geo.extract.kinds import to_mentions
from geo.extract.left_edge import cut_left_edge
from geo.extract.lists import expand_lists
from geo.extract.model import Mention
from geo.extract.quoted import quoted_names
from geo.extract.text import SentenceText
from geo.sentences import Sentence


def find_mentions(sentences: Iterable[Sentence], county_names: tuple[str, ...] = ()) -> list[Mention]:
    """Every site mention in ``sentences``, in text order.

    ``county_names`` (official and short names of the report's county) are stripped from the
    front of a name (某某县甲乙路 → 甲乙路).
    """
    out: list[Mention] = []
    for s in sentences:
        out.extend(sentence_mentions(s, county_names))
    return out


def sentence_mentions(sentence: Sentence, county_names: tuple[str, ...] = ()) -> list[Mention]:
    st = SentenceText(sentence)
    hits, inside_quotes = find_generic_words(st)
    spans = absorb_inner(st, hits)
    candidates = cut_left_edge(st, spans)
    candidates = expand_lists(st, candidates)
    candidates = quoted_names(st, candidates, inside_quotes)
    candidates = strip_county(candidates, county_names)
    return to_mentions(st, candidates)
