"""Find sites by name: Chinese characters, full pinyin (``tashan``) or initials (``tsgy``).

pypinyin (about a second to import, most of it its phrase dictionary) is imported on the first
name read, not with this module: the map's first paint in the Chinese interface needs no pinyin.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import Any, cast

import pandas as pd

_KEEP = "\x00"  # marks a run of characters pypinyin left as written (digits, Latin letters)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"[\s'’·•・_-]+")


def _as_written(chars: str) -> list[str]:
    return [_KEEP + chars]


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of ``name``, lower case without tones or spaces.

    Runs that are not Chinese (``G60``, ``104``) are kept whole in both, so ``G60高速`` gives
    ``g60gaosu`` and ``g60gs``.
    """
    from pypinyin import lazy_pinyin

    full: list[str] = []
    initials: list[str] = []
    # pypinyin takes a list from ``errors`` as the chunks to keep (its type hints say str)
    for chunk in lazy_pinyin(name, errors=cast(Any, _as_written)):
        if chunk.startswith(_KEEP):
            kept = _NOT_ALNUM.sub("", chunk[1:].lower())
            full.append(kept)
            initials.append(kept)
        elif chunk:
            full.append(chunk.lower())
            initials.append(chunk[0].lower())
    return "".join(full), "".join(initials)


@lru_cache(maxsize=65536)
def reading(name: str) -> str:
    """How a Chinese name reads, for the English interface: pinyin with tone marks, one syllable
    per character, runs that are not Chinese kept as written (``G60高速`` gives ``G60 gāo sù``);
    "" for a name without Chinese characters."""
    if not _has_cjk(name):
        return ""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.TONE, errors=cast(Any, _as_written))
    return " ".join(p[1:].strip() if p.startswith(_KEEP) else p for p in parts if p.strip(_KEEP + " "))


def normalize_query(query: str) -> str:
    return _SPACES.sub("", query.strip().lower())


def _has_cjk(s: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in s)


def matches(query: str, name: str, full: str | None = None, initials: str | None = None) -> bool:
    """True when ``query`` is part of the name, of its full pinyin, or of its initials."""
    q = normalize_query(query)
    if not q:
        return True
    if q in _SPACES.sub("", name.lower()):
        return True
    if _has_cjk(q):
        return False
    if full is None or initials is None:
        full, initials = pinyin_keys(name)
    q = _NOT_ALNUM.sub("", q)
    return bool(q) and (q in full or q in initials)


def search_mask(query: str, names: Iterable[str]) -> list[bool]:
    """``matches`` for many names at once (a column of the sites table); the pinyin of each name
    is worked out on the first search that needs it and remembered (``pinyin_keys``)."""
    return [matches(query, n) for n in names]


def filter_sites(
    sites: pd.DataFrame,
    query: str = "",
    counties: Collection[str] = (),
    documents: Collection[str] = (),
    statuses: Collection[str] = (),
    precisions: Collection[str] = (),
    layers: Collection[str] | None = None,
) -> pd.DataFrame:
    """Rows of the sites table that pass every filter; an empty choice means no filter.

    ``layers`` is different: the layers shown (None: all of them; empty: none).
    """
    mask = pd.Series(True, index=sites.index)
    if layers is not None:
        mask &= sites["layer"].isin(list(layers))
    if counties:
        mask &= sites["county"].isin(list(counties))
    if statuses:
        mask &= sites["status"].isin(list(statuses))
    if precisions:
        mask &= sites["precision"].isin(list(precisions))
    if documents:
        wanted = set(documents)
        mask &= sites["documents"].map(lambda ds: any(d in wanted for d in ds)).astype(bool)
    if normalize_query(query):
        mask &= pd.Series(
            search_mask(query, sites["name"]),
            index=sites.index,
            dtype=bool,
        )
    return sites[mask]
