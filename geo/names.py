"""Keys for comparing names written by different hands (reports, gazetteer, placements, queries)."""

from __future__ import annotations

import unicodedata


def compact(text: str) -> str:
    """Every whitespace character removed: dirty extractions and typing split names with spaces."""
    return "".join(text.split())


def name_key(text: str) -> str:
    """NFKC, then compact: 永康市 塔山公园 ≡ 永康市塔山公园, ＡＢＣ１２３ ≡ ABC123."""
    return compact(unicodedata.normalize("NFKC", text))
