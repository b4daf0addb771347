"""A site's status (completed / in_progress / planned / unknown) from the words around it.

The cue nearest to the mention within its clause decides; failing that, the
nearest in its sentence; failing that, the lead of its paragraph (新的一年 …).
Cues are data: ``lexicons/status_cues.tsv`` and ``lexicons/status_patterns.tsv``.
"""

from __future__ import annotations

import re

from geo import lexicon

STATUSES = ("completed", "in_progress", "planned", "unknown")
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
# Sentence-wide words that put everything in the sentence in the future.
_FUTURE = re.compile(r"新的一年|明年|下一步|今后|将")


def _cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, status) of every cue in ``text``; phrase patterns shadow the words inside them."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pat, status in lexicon.status_patterns():
        for m in pat.finditer(text):
            found.append((m.start(), m.end(), status))
            taken.append((m.start(), m.end()))
    for m in lexicon.status_pattern().finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), m.end(), lexicon.status_cues()[m.group()]))
    return found


def _nearest(cues: list[tuple[int, int, str]], a: int, b: int) -> str | None:
    if not cues:
        return None

    def dist(c: tuple[int, int, str]) -> tuple[int, int]:
        if c[0] >= b:
            return (c[0] - b, 1)
        if c[1] <= a:
            return (a - c[1], 0)
        return (0, 0)

    return min(cues, key=dist)[2]


def status_of(sentence: str, start: int, end: int, lead: str = "") -> str:
    """Status of the mention at ``sentence[start:end]``; ``lead`` is the start of its paragraph."""
    cstart = 0
    for m in _CLAUSE_END.finditer(sentence, 0, start):
        cstart = m.end()
    m = _CLAUSE_END.search(sentence, end)
    cend = m.start() if m else len(sentence)
    clause = sentence[cstart:cend]
    in_clause = _nearest(_cues(clause), start - cstart, end - cstart)
    future = bool(_FUTURE.search(sentence[:start])) or bool(_FUTURE.search(lead))
    if in_clause is not None:
        return "planned" if future and in_clause == "in_progress" else in_clause
    if future:
        return "planned"
    in_sentence = _nearest(_cues(sentence), start, end)
    if in_sentence is not None:
        return in_sentence
    return _nearest(_cues(lead), 0, 0) or "unknown"
