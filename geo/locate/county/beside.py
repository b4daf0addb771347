"""Evidence beside a report's text: the folder it sits in, its file name, the web address it
came from, its title line.

Each clue is a list of votes (county index, weight, the words that gave it). Government web
sites are named for their county in pinyin, in full (``haian.gov.cn``) or by initials
(``lhk.gov.cn``); file names often are too (``2021_tongxiang.txt``). The pinyin of every county
comes from pypinyin when the stored tables are built (``geo.data.tables``), not from a hand list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlsplit

from geo.text import lexicon

_WORD = re.compile(r"[a-z]+")
# host labels that name no place, and the shortest pinyin words that count: ``[pinyin]`` in
# ``lexicons/county_cues.toml``


@dataclass(frozen=True)
class Vote:
    """One clue for one county: its route (folder, file name, url, title ...), words, weight."""

    county: int
    route: str
    words: str
    weight: float


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, dict[str, list[int]]]:
    from geo.data.tables import tables

    return tables().small["pinyin"]  # type: ignore[no-any-return]


def _spread(route: str, word: str, holders: list[int], weight: float) -> list[Vote]:
    return [Vote(i, route, word, weight / len(holders)) for i in holders]


def pinyin_votes(words: list[str], route: str, weight: float, initials: bool) -> list[Vote]:
    """Votes of the words that are a county's pinyin (and, when ``initials``, its initials)."""
    table, rules = _pinyin(), lexicon.county_cues()["pinyin"]
    votes: list[Vote] = []
    seen: set[str] = set()
    for word in words:
        if word in seen:
            continue
        seen.add(word)
        holders = table["full"].get(word) if len(word) >= rules["min_full"] else None
        if not holders and initials and len(word) >= rules["min_initials"]:
            holders = table["initials"].get(word)
        if holders:
            votes += _spread(route, word, holders, weight)
    return votes


def _names_in(text: str) -> list[tuple[int, str, float]]:
    """(county, word, weight) for every county named in a short string, by the text rules."""
    from geo.locate.county.text import text_votes

    return text_votes(text, names_only=True)


def folder_votes(path: PurePath, root: PurePath | None, weight: float) -> list[Vote]:
    """A folder from the input folder ``root`` down to the file named for a county
    (报告/桐乡市/2021.txt). Without a root (a file read on its own) no folder says anything."""
    if root is None:
        return []
    base = root if root != path else root.parent
    try:
        parts = (*base.parts[-1:], *path.parent.relative_to(base).parts)
    except ValueError:
        return []
    votes: list[Vote] = []
    for part in parts[-3:]:
        votes += [Vote(i, "folder", w, weight * s) for i, w, s in _names_in(part)]
        votes += pinyin_votes(_WORD.findall(part.lower()), "folder", weight, initials=False)
    return votes


def file_name_votes(path: PurePath, weight: float) -> list[Vote]:
    """County names, or their pinyin, in the file's name."""
    stem = path.stem
    votes = [Vote(i, "file name", w, weight * s) for i, w, s in _names_in(stem)]
    return votes + pinyin_votes(_WORD.findall(stem.lower()), "file name", weight, initials=False)


def url_votes(url: str, weight: float) -> list[Vote]:
    """The county a web address names: its host's labels in pinyin or initials (haian.gov.cn)."""
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return []
    noise = frozenset(lexicon.county_cues()["pinyin"]["host_noise"])
    labels = [w for w in re.split(r"[.\-]", host) if w and w not in noise and w.isalpha()]
    return pinyin_votes(labels, "url", weight, initials=host.endswith(".gov.cn"))


def title_line(text: str, limit: int = 80) -> str:
    """The report's title: its first line that is not empty nor only a date, when short."""
    for line in text.split("\n")[:6]:
        line = line.strip()
        if not line or re.fullmatch(r"[\d\s年月日.\-/:：]+", line):
            continue
        return line if len(line) <= limit else ""
    return ""
