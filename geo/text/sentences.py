"""Split cleaned text into sentences that keep their character offsets."""

from __future__ import annotations

from geo.model import Sentence
from geo.text import lexicon

# Where a sentence ends: ``[sentences]`` in ``lexicons/layout.toml``.


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``; ``text[s.start:s.end] == s.text`` and no sentence is blank."""
    out: list[Sentence] = []
    pos = 0
    for m in lexicon.layout().sentence_end.finditer(text):
        _add(text, pos, m.end(), out)
        pos = m.end()
    _add(text, pos, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
