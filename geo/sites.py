"""Merge mentions into sites: one site per place, every mention kept as a source."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from geo.extract import Mention

_MIN_TAIL = 4  # 禹越东港工业园区 absorbs 东港工业园区; shorter tails are too ambiguous


@dataclass(frozen=True)
class Source:
    doc: str
    quote: str
    start: int  # offsets of the quote in the document's cleaned text
    end: int
    surface: str  # the site's words as the report wrote them
    status: str


@dataclass
class Site:
    name: str
    kind: str
    layer: str
    suffix: str
    county: str
    sources: list[Source] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable across builds: derived from what the site is, not from the order it was found in."""
        digest = hashlib.sha1(f"{self.county}|{self.layer}|{self.name}".encode()).hexdigest()
        return f"{self.layer}-{digest[:12]}"

    @property
    def status(self) -> str:
        """The first mention that tells a status decides: reports give it where they introduce a site."""
        return next((s.status for s in self.sources if s.status != "unknown"), "unknown")


@dataclass(frozen=True)
class SiteMention:
    mention: Mention
    doc: str
    county: str
    status: str


def _same_site(a: Site, name: str, suffix: str, layer: str) -> bool:
    if a.name == name:
        return True
    if a.layer != layer:
        return False
    long_, short = (a.name, name) if len(a.name) >= len(name) else (name, a.name)
    if len(short) >= _MIN_TAIL and long_.endswith(short):
        return True
    # 中兴社区 and 中兴未来社区: the same specific part, one generic word a kind of the other
    spec_a, spec_b = a.name[: len(a.name) - len(a.suffix)], name[: len(name) - len(suffix)]
    return bool(spec_a) and spec_a == spec_b and (a.suffix.endswith(suffix) or suffix.endswith(a.suffix))


def merge(mentions: list[SiteMention]) -> list[Site]:
    """Sites sorted by (county, layer, name); sources in document order."""
    by_county: dict[str, list[Site]] = {}
    for sm in mentions:
        m = sm.mention
        sites = by_county.setdefault(sm.county, [])
        site = next((s for s in sites if _same_site(s, m.name, m.suffix, m.layer)), None)
        if site is None:
            site = Site(m.name, m.kind, m.layer, m.suffix, sm.county)
            sites.append(site)
        elif len(m.name) > len(site.name):
            site.name, site.kind, site.suffix = m.name, m.kind, m.suffix
        src = Source(sm.doc, m.sentence.text, m.sentence.start, m.sentence.end,
                     _surface(m), sm.status)
        if src not in site.sources:
            site.sources.append(src)
    out = [s for sites in by_county.values() for s in sites]
    for s in out:
        s.sources.sort(key=lambda x: (x.doc, x.start))
    return sorted(out, key=lambda s: (s.county, s.layer, s.name))


def _surface(m: Mention) -> str:
    off = m.start - m.sentence.start
    return m.sentence.text[off : off + (m.end - m.start)]
