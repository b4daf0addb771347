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
from functools import cache
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


def _cut_block(block: str) -> list[str]:
    freq, log_total = _table()
    n = len(block)
    prefix_ids, freqs = freq.prefix_ids, freq.freqs  # type: ignore[attr-defined]
    # the best (score, last position) of the rest of the block from each position, in two lists
    scores, lasts = [0.0] * (n + 1), [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        # the best over the words starting at i; on equal scores the longer (they come shortest first)
        top, top_x = -math.inf, -1
        for w, k in prefix_ids(block[i : i + _MAX_WORD]):
            f = freqs[k]
            if f:
                here = log(f) - log_total + scores[i + len(w)]
                if here >= top:
                    top, top_x = here, i + len(w) - 1
        if top_x >= 0:
            scores[i], lasts[i] = top, top_x
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
