"""Split cleaned text into sentences that keep their character offsets."""

from __future__ import annotations

import re

from geo.model import Sentence

# A sentence ends at 。！？ (or an ellipsis), together with any closing quotes or
# brackets right after it; a line break always ends a sentence too, since the
# cleaner has already joined lines broken mid-sentence.
_END = re.compile(r"(?:[。！？!?]|…{1,2}|\.{3,})[”’」』）)\]]*|\n")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``; ``text[s.start:s.end] == s.text`` and no sentence is blank."""
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
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
