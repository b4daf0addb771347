"""The status rules in bounded work: one pass over a sentence however many sites it names.

A reference implementation (the rules written plainly, rescanning the clause for every mention)
pins the answers; the indexed one must agree with it on random texts made of cues, future words,
clause ends and filler, and scan a very long unpunctuated line a bounded number of times.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from geo.extract import status
from geo.extract.status import status_of
from geo.text import lexicon


def _ref_cues(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pat, st in lexicon.status_patterns():
        for m in pat.finditer(text):
            found.append((m.start(), m.end(), st))
            taken.append((m.start(), m.end()))
    for m in lexicon.status_pattern().finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), m.end(), lexicon.status_cues()[m.group()]))
    return found


def _ref_nearest(cues: list[tuple[int, int, str]], a: int, b: int) -> str | None:
    def dist(c: tuple[int, int, str]) -> tuple[int, int]:
        if c[0] >= b:
            return (c[0] - b, 1)
        if c[1] <= a:
            return (a - c[1], 0)
        return (0, 0)

    return min(cues, key=dist)[2] if cues else None


def reference_status(sentence: str, start: int, end: int, lead: str = "") -> str:
    ends = "".join(sorted(lexicon.clause_end_chars()))
    clause_end = re.compile(f"[{re.escape(ends)}]")
    future_re = re.compile("|".join(map(re.escape, lexicon.status_future_words())))
    cstart = 0
    for m in clause_end.finditer(sentence, 0, start):
        cstart = m.end()
    m = clause_end.search(sentence, end)
    cend = m.start() if m else len(sentence)
    in_clause = _ref_nearest(_ref_cues(sentence[cstart:cend]), start - cstart, end - cstart)
    future = bool(future_re.search(sentence[:start])) or bool(future_re.search(lead))
    if in_clause is not None:
        return "planned" if future and in_clause == "in_progress" else in_clause
    if future:
        return "planned"
    return _ref_nearest(_ref_cues(sentence), start, end) or _ref_nearest(_ref_cues(lead), 0, 0) or "unknown"


def _pieces() -> list[str]:
    cues = list(lexicon.status_cues())
    return [*cues, *lexicon.status_future_words(), *sorted(lexicon.clause_end_chars()),
            "完成设计", "计划开工", "按计划推进", "甲", "乙丙", "公园", "道路", "丁戊己"]


def _texts(n: int) -> Iterator[tuple[str, int, int, str]]:
    rng = random.Random(16)
    pieces = _pieces()
    for _ in range(n):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        lead = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.randint(0, 4))
        yield text, a, b, lead


def test_indexed_rules_agree_with_the_reference() -> None:
    for text, a, b, lead in _texts(4000):
        assert status_of(text, a, b, lead) == reference_status(text, a, b, lead), (text, a, b, lead)


class _Counting:
    """A compiled pattern that adds the length of every text it is given to a shared count."""

    def __init__(self, pattern: re.Pattern[str], seen: list[int]) -> None:
        self.pattern, self.seen = pattern, seen

    def finditer(self, text: str, *args: Any) -> Iterator[re.Match[str]]:
        self.seen[0] += len(text)
        return self.pattern.finditer(text, *args)

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        self.seen[0] += len(text)
        return self.pattern.search(text, *args)


def test_a_long_unpunctuated_line_is_scanned_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen = [0]
    patterns = [(_Counting(p, seen), s) for p, s in lexicon.status_patterns()]
    cues = _Counting(lexicon.status_pattern(), seen)
    monkeypatch.setattr(lexicon, "status_patterns", lambda: patterns)
    monkeypatch.setattr(lexicon, "status_pattern", lambda: cues)
    for f in ('_sentence', '_lead'):
        getattr(status, f, None) and getattr(status, f).cache_clear()
    unit = "甲乙丙公园丁戊己推进道路"  # no punctuation: one clause of the whole line
    line = unit * (144_000 // len(unit))
    mentions = range(0, len(line), len(unit) * 6)
    got = [status_of(line, i + 3, i + 5) for i in mentions]
    assert len(mentions) > 1_500 and set(got) == {"in_progress"}
    passes = seen[0] / len(line) / (len(patterns) + 1)
    assert passes <= 3, f"{passes:.1f} scans of the line for {len(mentions)} mentions"


def test_a_long_line_is_quoted_by_a_window_around_each_site() -> None:
    from geo.extract.sites import MAX_QUOTE_CHARS, merge
    from geo.report.pipeline import process_text

    chars = "东南西北中上下前后左右春夏秋冬梅兰竹菊松柏桃李杏柳金木水火土山川河湖海"
    line = "".join(f"推进{a}{b}公园建设完成{b}{a}未来社区改造" for a in chars for b in chars)  # no punctuation
    result = process_text(f"德清县建设局工作总结\n{line}\n", name="line.txt", county="德清县")
    sites = merge(list(result.mentions))
    assert len(sites) > 50
    clean = result.text
    for site in sites:
        for src in site.sources:
            assert len(src.quote) <= MAX_QUOTE_CHARS and clean[src.start:src.end] == src.quote
            assert src.surface in src.quote
