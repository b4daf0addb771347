"""A site's status (completed / in_progress / planned / unknown) from the words around it.

The cue nearest to the mention within its clause decides; failing that, the
nearest in its sentence; failing that, the lead of its paragraph (新的一年 …).
Cues are data: ``lexicons/status_cues.tsv``, ``status_patterns.tsv``, ``status_future.tsv``
(words that put a sentence in the future) and ``status_clause_ends.tsv``.

The work is linear in the sentence, however many mentions it holds: a sentence's cues and
clause ends are found once (and each clause's cues once), and each mention then looks its
nearest cue up by bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from geo.text import lexicon

STATUSES = ("completed", "in_progress", "planned", "unknown")


def _cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, status) of every cue in ``text``; phrase patterns shadow the words inside them."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pat, status in lexicon.status_patterns():
        for m in pat.finditer(text):
            found.append((m.start(), m.end(), status))
            taken.append((m.start(), m.end()))
    taken.sort()
    starts = [a for a, _ in taken]
    reach = _running_max([b for _, b in taken])
    cues = lexicon.status_cues()
    for m in lexicon.status_pattern().finditer(text):
        i = bisect_left(starts, m.start() + 1)  # phrases starting at or before the word
        if not (i and reach[i - 1] > m.start()):
            found.append((m.start(), m.end(), cues[m.group()]))
    return found


def _running_max(values: list[int]) -> list[int]:
    out, best = [], -1
    for v in values:
        best = max(best, v)
        out.append(best)
    return out


@dataclass
class _Index:
    """The cues of one text, ordered for nearest-cue lookups that keep the first-listed on ties."""

    cues: list[tuple[int, int, str]]
    order: list[int] = field(init=False)  # cue indexes by start, then by listing order
    starts: list[int] = field(init=False)
    reach: list[int] = field(init=False)  # running max of ends, in ``order``
    longest: int = field(init=False)

    def __post_init__(self) -> None:
        self.order = sorted(range(len(self.cues)), key=lambda i: (self.cues[i][0], i))
        self.starts = [self.cues[i][0] for i in self.order]
        self.reach = _running_max([self.cues[i][1] for i in self.order])
        self.longest = max((b - a for a, b, _ in self.cues), default=0)

    def nearest(self, a: int, b: int) -> str | None:
        """The status of the cue nearest to ``[a, b)``: inside or before it wins a tie with after."""
        if not self.cues:
            return None
        k = bisect_left(self.starts, b)  # order[:k] start before b, order[k:] at or after b
        before: int | None = None
        if k:
            best_end = min(self.reach[k - 1], a)  # the closest a cue starting before b comes
            lo = bisect_left(self.starts, best_end - self.longest)
            hits = [self.order[j] for j in range(lo, k) if min(self.cues[self.order[j]][1], a) == best_end]
            before_d = a - best_end
            before = min(hits)
        if k < len(self.order):
            first = self.starts[k]
            after = min(self.order[j] for j in range(k, bisect_left(self.starts, first + 1)))
            if before is None or first - b < before_d:
                return self.cues[after][2]
        return self.cues[before][2] if before is not None else None


@dataclass
class _Sentence:
    text: str
    ends: list[int]  # positions of clause-ending characters
    future_from: int  # a future word lies wholly before any start ≥ this
    whole: _Index
    clauses: dict[tuple[int, int], _Index] = field(default_factory=dict)

    def clause(self, a: int, b: int) -> _Index:
        if (a, b) not in self.clauses:
            self.clauses[(a, b)] = _Index(_cues(self.text[a:b]))
        return self.clauses[(a, b)]


def _future_from(text: str) -> int:
    """The smallest end of a future word in ``text`` (beyond its length when there is none)."""
    ends = [i + len(w) for w in lexicon.status_future_words() if (i := text.find(w)) >= 0]
    return min(ends, default=len(text) + 1)


@lru_cache(maxsize=32)
def _sentence(text: str) -> _Sentence:
    ends_at = lexicon.clause_end_chars()
    ends = [i for i, c in enumerate(text) if c in ends_at]
    return _Sentence(text, ends, _future_from(text), _Index(_cues(text)))


@lru_cache(maxsize=32)
def _lead(text: str) -> tuple[bool, str | None]:
    return _future_from(text) <= len(text), _Index(_cues(text)).nearest(0, 0)


def status_of(sentence: str, start: int, end: int, lead: str = "") -> str:
    """Status of the mention at ``sentence[start:end]``; ``lead`` is the start of its paragraph."""
    s = _sentence(sentence)
    i = bisect_left(s.ends, start)
    cstart = s.ends[i - 1] + 1 if i else 0
    j = bisect_left(s.ends, end)
    cend = s.ends[j] if j < len(s.ends) else len(sentence)
    in_clause = s.clause(cstart, cend).nearest(start - cstart, end - cstart)
    lead_future, lead_status = _lead(lead)
    future = s.future_from <= start or lead_future
    if in_clause is not None:
        return "planned" if future and in_clause == "in_progress" else in_clause
    if future:
        return "planned"
    in_sentence = s.whole.nearest(start, end)
    if in_sentence is not None:
        return in_sentence
    return lead_status or "unknown"
