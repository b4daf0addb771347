"""Merge mentions into sites: one site per place, every mention kept as a source."""

from __future__ import annotations

from geo.errors import CountyError
from geo.model import County, Mention, Site, SiteMention, Source
from geo.text import lexicon

#: Longest quote kept with a source (the longest sentence of the development reports is 418).
MAX_QUOTE_CHARS = 1_000
# 乙镇东港工业园区 absorbs 东港工业园区; shorter tails are too ambiguous (lexicons/name_rules.toml)
_MIN_TAIL = lexicon.name_rules().merge_min_tail


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


class _CountySites:
    """The sites of one county in the order they were found, indexed by the keys under which a
    mention can be the same site (``_same_site``), so a mention is compared with a few sites, not all.

    A site renamed to a longer name is indexed under that name too; its old keys stay and are
    filtered out by ``_same_site``.
    """

    def __init__(self) -> None:
        self.sites: list[Site] = []
        self.seen: list[set[Source]] = []  # the sources of each site, for a quick membership test
        self.by_name: dict[str, list[int]] = {}  # any layer
        self.by_layer_name: dict[tuple[str, str], list[int]] = {}
        self.by_tail: dict[tuple[str, str], list[int]] = {}  # every tail of _MIN_TAIL characters or more
        self.by_specific: dict[tuple[str, str], list[int]] = {}

    def find(self, name: str, suffix: str, layer: str) -> int | None:
        """Index of the first site ``_same_site`` matches, as a scan of every site in order would find."""
        found: set[int] = set(self.by_name.get(name, ()))
        found.update(self.by_tail.get((layer, name), ()))
        for k in range(len(name) - _MIN_TAIL + 1):
            found.update(self.by_layer_name.get((layer, name[k:]), ()))
        specific = name[: len(name) - len(suffix)]
        if specific:
            found.update(self.by_specific.get((layer, specific), ()))
        return next((i for i in sorted(found) if _same_site(self.sites[i], name, suffix, layer)), None)

    def add(self, site: Site) -> int:
        self.sites.append(site)
        self.seen.append(set())
        index = len(self.sites) - 1
        self.index(index)
        return index

    def index(self, i: int) -> None:
        site = self.sites[i]
        name, layer = site.name, site.layer
        self.by_name.setdefault(name, []).append(i)
        self.by_layer_name.setdefault((layer, name), []).append(i)
        for k in range(len(name) - _MIN_TAIL + 1):
            self.by_tail.setdefault((layer, name[k:]), []).append(i)
        specific = name[: len(name) - len(site.suffix)]
        if specific:
            self.by_specific.setdefault((layer, specific), []).append(i)


def merge(mentions: list[SiteMention]) -> list[Site]:
    """Sites sorted by (county key, layer, name); sources in document order. Every mention has its
    county (a waiting report's mentions are not merged)."""
    by_county: dict[County, _CountySites] = {}
    for sm in mentions:
        m, county = sm.mention, sm.county
        if county is None:
            raise CountyError(f"{sm.doc}: waits for its county; its sites cannot be placed yet")
        sites = by_county.setdefault(county, _CountySites())
        i = sites.find(m.name, m.suffix, m.layer)
        if i is None:
            i = sites.add(Site(m.name, m.kind, m.layer, m.suffix, county))
        elif len(m.name) > len(sites.sites[i].name):
            site = sites.sites[i]
            site.name, site.kind, site.suffix = m.name, m.kind, m.suffix
            sites.index(i)
        site, seen = sites.sites[i], sites.seen[i]
        quote, qstart, qend = _quote(m)
        src = Source(sm.doc, quote, qstart, qend, _surface(m), sm.status)
        if src not in seen:
            seen.add(src)
            site.sources.append(src)
    out = [s for county in by_county.values() for s in county.sites]
    for s in out:
        s.sources.sort(key=lambda x: (x.doc, x.start))
    return sorted(out, key=lambda s: (s.county.key, s.layer, s.name))


def _quote(m: Mention) -> tuple[str, int, int]:
    """The mention's sentence, or a window of it around the mention when the sentence is longer
    than :data:`MAX_QUOTE_CHARS` (a line without punctuation would otherwise be copied into the
    layers once per site it names); with its offsets in the cleaned text."""
    text, start, end = m.sentence.text, m.sentence.start, m.sentence.end
    if len(text) <= MAX_QUOTE_CHARS:
        return text, start, end
    room = max(0, MAX_QUOTE_CHARS - (m.end - m.start)) // 2
    a = max(start, m.start - room)
    b = min(end, max(m.end, a + MAX_QUOTE_CHARS))
    a = max(start, min(a, b - MAX_QUOTE_CHARS))
    return text[a - start : b - start], a, b


def _surface(m: Mention) -> str:
    off = m.start - m.sentence.start
    return m.sentence.text[off : off + (m.end - m.start)]
