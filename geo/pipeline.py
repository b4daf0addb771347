"""The per-report unit of work: one file in, its cleaned text, county and site mentions out.

``process_file`` depends on nothing but its arguments, so a province-scale run
can hand it to any engine that maps a function over files (a process pool, a
Dask bag, Ray tasks) and merge the results with ``geo.sites.merge``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.extract import Mention, find_mentions
from geo.sentences import Sentence, split_sentences
from geo.sites import SiteMention
from geo.status import status_of

# A report says which county it is about in its title and opening pages; reading a bounded
# sample keeps the detection's time and memory fixed however long the file is.
COUNTY_SAMPLE_CHARS = 200_000
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


@dataclass(frozen=True)
class DocumentResult:
    name: str
    path: Path
    fmt: str
    text: str  # cleaned text; every source's start/end slices it
    county: str
    county_evidence: tuple[str, ...]
    year: int | None
    mentions: tuple[SiteMention, ...]


def prepare(county: str | None = None) -> None:
    """Load the tables ``process_file`` uses (administrative tree and county index, lexicons, word
    frequencies) now rather than on first use, and take them out of the cyclic garbage collector.

    Optional: a long run calls it once before its reports (or before forking its workers, which
    then share the tables). The tables are never freed; without this every collection would walk
    their millions of entries again, which costs more than the reports themselves.
    """
    import gc

    from geo import admin, lexicon
    from geo.county import load_index

    if county:
        admin.counties()
    else:
        load_index()
    for load in (lexicon.suffixes, lexicon.suffix_pattern, lexicon.stopwords, lexicon.generic_pattern,
                 lexicon.word_freq, lexicon.word_tags, lexicon.name_rules, lexicon.context_rules,
                 lexicon.not_name_ends, lexicon.status_cues,
                 lexicon.status_pattern, lexicon.status_patterns):
        load()
    gc.freeze()


def process_file(path: Path, county: str | None = None) -> DocumentResult:
    """Read, clean, and find the sites of one report. Raises IngestError or CountyError."""
    from geo.errors import CountyError, printable
    from geo.ingest import read_document

    raw = read_document(path)
    try:
        return process_text(raw.text, raw.name, path=path, fmt=raw.fmt, county=county)
    except CountyError as e:
        raise CountyError(f"{printable(path)}: {e}") from e


def process_text(raw_text: str, name: str, *, path: Path | None = None, fmt: str = "text",
                 county: str | None = None) -> DocumentResult:
    from geo.clean import clean_text
    from geo.county import detect_county, resolve_county

    text = clean_text(raw_text)
    if county:
        c = resolve_county(text, county)
        evidence: tuple[str, ...] = ("--county",)
    else:
        guess = detect_county(text[:COUNTY_SAMPLE_CHARS])
        c, evidence = guess.county, guess.evidence
    sentences = split_sentences(text)
    mentions = find_mentions(sentences, county_names=(c.name, c.short))
    leads = _paragraph_leads(text)
    site_mentions = tuple(
        SiteMention(m, name, c.name, _status(m, leads)) for m in mentions
    )
    return DocumentResult(name, path or Path(name), fmt, text, c.name, evidence, document_year(text),
                          site_mentions)


def _paragraph_leads(text: str) -> list[tuple[int, str]]:
    """(start, first 12 characters) of each paragraph, for status cues such as 新的一年."""
    leads, pos = [], 0
    for para in text.split("\n"):
        if para.strip():
            leads.append((pos, para.strip()[:12]))
        pos += len(para) + 1
    return leads


def _status(m: Mention, leads: list[tuple[int, str]]) -> str:
    s: Sentence = m.sentence
    i = bisect.bisect_right(leads, s.start, key=lambda lead: lead[0])
    lead = leads[i - 1][1] if i else ""
    return status_of(s.text, m.start - s.start, m.end - s.start, lead)


def document_year(text: str) -> int | None:
    """The year the report speaks of most (the latest on a tie); plans for later years do not count more."""
    limit = date.today().year + 1
    years = Counter(int(y) for y in _YEAR.findall(text) if int(y) <= limit)
    return max(years, key=lambda y: (years[y], y)) if years else None
