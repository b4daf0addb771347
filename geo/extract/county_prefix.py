"""Pass 6: the report's county is not part of a site's name (某某县甲乙路 → 甲乙路)."""

from __future__ import annotations

from geo.extract.model import Candidate
from geo.extract.names import valid_name
from geo.text import lexicon


def strip_county(candidates: tuple[Candidate, ...], county_names: tuple[str, ...]) -> tuple[Candidate, ...]:
    """Names without the county in front; a name that is only the county and a class (某县城市公园) goes."""
    names = sorted(county_names, key=len, reverse=True)
    out = []
    for c in candidates:
        name = _strip(c, names)
        if name is not None:
            out.append(c if name == c.name else c._replace(name=name))
    return tuple(out)


def _strip(c: Candidate, county_names: list[str]) -> str | None:
    word, higher = c.suffix.word, lexicon.name_rules().higher_divisions
    for county in county_names:
        if not county:
            continue
        at = c.name.find(county)
        if at < 0 or (at > 0 and not higher.fullmatch(c.name[:at])):
            continue
        if len(c.name) > at + len(county) + len(word):
            rest = c.name[at + len(county) :]
            return rest if valid_name(rest[: len(rest) - len(word)], c.suffix) else None
    return c.name
