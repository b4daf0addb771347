"""jieba's dictionary cut (``jieba.lcut(text, HMM=False)``) over the stored word frequencies.

The same algorithm as jieba's: every dictionary word that starts at each position (a DAG), the
route of greatest summed log frequency, single Latin letters and digits run together; text
outside runs of Chinese characters, letters, digits and ``+#&._%-`` is cut into its characters,
white space kept whole. Importing jieba itself costs most of a second (it loads
``pkg_resources``) and its shared cache file can be replaced by anyone; this reads neither.
A test checks the cut against jieba's own on the development and held-out reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from math import log

_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ENG = re.compile("[a-zA-Z0-9]")
_MAX_WORD = 64  # longer than any word of jieba's dictionary (16 characters)


@cache
def _table() -> tuple[object, float]:
    from geo.data.tables import tables

    t = tables()
    return t.freq, log(t.small["freq_total"])


def _scored(words: Iterable[tuple[str, int]]) -> list[tuple[int, float]]:
    """(length, log probability) of each of ``words`` that is a word, not only a prefix of others."""
    freq, log_total = _table()
    freqs = freq.freqs  # type: ignore[attr-defined]
    return [(len(w), log(freqs[k]) - log_total) for w, k in words if freqs[k]]


# Most places of a text start no dictionary word of three characters or more: there the words
# are found among the first two characters, remembered for the character pairs last met, and the
# trie walk over the next 64 characters is skipped. The memo holds facts of the dictionary only.
@lru_cache(maxsize=1 << 14)
def _head(pair: str) -> tuple[tuple[tuple[str, int], ...], bool, tuple[tuple[int, float], ...]]:
    """The dictionary words that start ``pair`` (one or two characters), whether a word longer
    than two characters starts with it, and the words scored for the cut."""
    freq = _table()[0]
    words = tuple(freq.prefix_ids(pair))  # type: ignore[attr-defined]
    return words, len(pair) == 2 and freq.has_longer(pair), tuple(_scored(words))  # type: ignore[attr-defined]


def words_at(text: str, i: int, limit: int = _MAX_WORD) -> Sequence[tuple[str, int]]:
    """(word, index into the frequencies) of every dictionary word that starts ``text[i : i + limit]``,
    shortest first, as ``WordFreq.prefix_ids`` gives them (``limit`` at least 2)."""
    words, longer, _ = _head(text[i : i + 2])
    if longer:
        return _table()[0].prefix_ids(text[i : i + limit])  # type: ignore[attr-defined]
    return words


def long_words_at(text: str, i: int) -> bool:
    """Whether a dictionary word of three characters or more starts with ``text[i : i + 2]``."""
    return _head(text[i : i + 2])[1]


def _cut_block(block: str) -> list[str]:
    freq, log_total = _table()
    walk = freq.prefix_ids  # type: ignore[attr-defined]
    n = len(block)
    # the best (score, last position) of the rest of the block from each position, in two lists
    scores, lasts = [0.0] * (n + 1), [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        _, longer, scored = _head(block[i : i + 2])
        if longer:
            scored = _scored(walk(block[i : i + _MAX_WORD]))
        # the best over the words starting at i (shortest first); on equal scores the longer
        top, top_n = -math.inf, 0
        for m, lp in scored:
            here = lp + scores[i + m]
            if here >= top:
                top, top_n = here, m
        if top_n:
            scores[i], lasts[i] = top, i + top_n - 1
        else:
            scores[i], lasts[i] = log(1) - log_total + scores[i + 1], i
    out: list[str] = []
    buf = ""
    i = 0
    while i < n:
        j = lasts[i] + 1
        word = block[i:j]
        if len(word) == 1 and _ENG.match(word):
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        i = j
    if buf:
        out.append(buf)
    return out


def cut(text: str) -> list[str]:
    """The words of ``text``, as ``jieba.lcut(text, HMM=False)`` gives them."""
    out: list[str] = []
    for block in _HAN.split(text):
        if not block:
            continue
        if _HAN.match(block):
            out.extend(_cut_block(block))
            continue
        for piece in _SKIP.split(block):
            if _SKIP.match(piece):
                out.append(piece)
            else:
                out.extend(piece)
    return out
