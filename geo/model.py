"""The things the stages hand each other, in one place: a sentence of the text, a mention of a
site in it, the county a report is about and the guesses for it, the report's result, a site
merged from mentions with its sources, and a site's location.

Types only, no behaviour beyond what a value needs; frozen, so a value one stage made cannot be
changed under another (``Site`` apart: a merge adds sources to it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class County:
    """A county-level division: what the stages hand each other once a report's county is known.

    A county given as text (``--county``, a manifest, the app) becomes one through
    ``geo.locate.admin.county``; :attr:`key` is how files and layers name it again.
    """

    name: str  # official name, e.g. "永康市"
    short: str  # e.g. "永康"
    city: str  # prefecture, e.g. "金华市"
    province: str  # e.g. "浙江省"
    adcode: str  # 6 digits
    # another county has the same official name (鼓楼区 of 南京市 and of 福州市); set by geo.locate.admin
    shared: bool = field(default=False, compare=False, repr=False)

    @property
    def key(self) -> str:
        """How manifests, layers and files name the county: its official name, after its
        prefecture's when another county has the same name (南京市鼓楼区)."""
        return self.city + self.name if self.shared else self.name


@dataclass(frozen=True)
class Sentence:
    """A sentence of the cleaned text: ``text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """One mention of a site in one sentence."""

    name: str
    suffix: str
    kind: str
    layer: str
    start: int  # offsets of the mention's surface in the cleaned text
    end: int
    sentence: Sentence


@dataclass(frozen=True)
class SiteMention:
    """A mention in one report, with the report's county and the status the words around it tell."""

    mention: Mention
    doc: str
    county: County | None  # None while the report waits for a person to tell its county
    status: str


@dataclass(frozen=True)
class Source:
    """Where a report names a site: the quote, its offsets, the words used, the status told."""

    doc: str
    quote: str
    start: int  # offsets of the quote in the document's cleaned text
    end: int
    surface: str  # the site's words as the report wrote them
    status: str


@dataclass
class Site:
    """One place, merged from the mentions of one or more reports (each kept as a source)."""

    name: str
    kind: str
    layer: str
    suffix: str
    county: County
    sources: list[Source] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable across builds: derived from what the site is, not from the order it was found in."""
        digest = hashlib.sha1(f"{self.county.key}|{self.layer}|{self.name}".encode()).hexdigest()
        return f"{self.layer}-{digest[:12]}"

    @property
    def status(self) -> str:
        """The first mention that tells a status decides: reports give it where they introduce a site."""
        return next((s.status for s in self.sources if s.status != "unknown"), "unknown")


@dataclass(frozen=True)
class Guess:
    """A county, its score, and the words that voted for it (route, words, weight), strongest first."""

    county: County
    score: float
    votes: tuple[tuple[str, str, float], ...]

    def as_json(self) -> dict[str, Any]:
        c = self.county
        return {"county": c.name, "prefecture": c.city, "province": c.province, "adcode": c.adcode,
                "score": round(self.score, 3),
                "evidence": [{"route": r, "words": w, "weight": round(v, 3)} for r, w, v in self.votes[:8]]}


@dataclass(frozen=True)
class Basis:
    """One step of where a location comes from, as data: a ``kind`` (county_seat, township_seat,
    gazetteer, osm, geocoder, by_hand, unlocated ...) and its fields (place names, dataset, ids,
    licence, query, codes), so that the interface can say it in its own language. Field values
    are text, numbers, booleans or tuples of them."""

    kind: str
    fields: tuple[tuple[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **{k: _json_value(v) for k, v in self.fields}}


def _json_value(value: Any) -> Any:
    return [_json_value(v) for v in value] if isinstance(value, tuple) else value


def basis(kind: str, **fields: Any) -> Basis:
    """A :class:`Basis` step; fields whose value is None are left out."""
    return Basis(kind, tuple((k, v) for k, v in fields.items() if v is not None))


def basis_json(steps: tuple[Basis, ...]) -> dict[str, Any]:
    """The ``location_basis`` property of a feature: ``{"steps": [{"kind": ..., field: value}, ...]}``."""
    return {"steps": [s.as_json() for s in steps]}


@dataclass(frozen=True)
class Location:
    """A point for a site, how precise it is, and where it comes from."""

    geometry: BaseGeometry  # WGS-84 lon/lat
    precision: str  # "exact" | "street" | "township" | "county"
    uncertainty_m: float  # > 0: radius in metres within which the site lies
    source: str  # human-readable citation (English; the layers' ``location_source``)
    basis: tuple[Basis, ...] = ()  # the same, as data (the layers' ``location_basis``)


@dataclass(frozen=True)
class DocumentResult:
    """One report read: its cleaned text, its county (and how it was decided), its site mentions."""

    name: str
    path: Path
    fmt: str
    text: str  # cleaned text; every source's start/end slices it
    county: County | None  # None while the report waits for a person to tell its county
    county_evidence: tuple[str, ...]
    year: int | None
    mentions: tuple[SiteMention, ...]
    county_source: str = ""  # how the county was decided (geo.locate.county.decide: named in text ...)
    county_confidence: float = 1.0
    guesses: tuple[Guess, ...] = ()  # ranked, with their evidence
    pending_reason: str = ""  # why it waits ("" when it has a county)
    title: str = ""  # the report's title (the manifest's, else read from the text); "" when unknown
    issuer: str = ""  # the body that issued it (X县住房和城乡建设局), read from the text
    date: str = ""  # when it was issued: YYYY-MM-DD, YYYY-MM or YYYY (the manifest's, else the text's)
    pending_code: str = ""  # ``pending_reason`` as a code (geo.locate.county.decide.Decision.reason_code)

    def about(self) -> dict[str, str]:
        """Title, issuer and date where known, for the layers and the lists a person reads."""
        return {k: v for k, v in (("title", self.title), ("issuer", self.issuer), ("date", self.date)) if v}
