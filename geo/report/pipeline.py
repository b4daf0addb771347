"""The per-report unit of work: one file in, its cleaned text, county and site mentions out.

``process_file`` depends on nothing but its arguments, so a province-scale run
can hand it to any engine that maps a function over files (a process pool, a
Dask bag, Ray tasks) and merge the results with ``geo.extract.sites.merge``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from geo.extract import find_mentions
from geo.extract.status import status_of
from geo.model import County, DocumentResult, Mention, Sentence, SiteMention
from geo.text.sentences import split_sentences

# A report says which county it is about in its title and opening pages; reading a bounded
# sample keeps the detection's time and memory fixed however long the file is.
COUNTY_SAMPLE_CHARS = 200_000  # (geo.locate.county.decide.SAMPLE_CHARS)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


def prepare(county: County | str | None = None) -> None:
    """Load the tables ``process_file`` uses (administrative tree and county index, lexicons, word
    frequencies) now rather than on first use, and take them out of the cyclic garbage collector.

    Optional: a long run calls it once before its reports (or before forking its workers, which
    then share the tables). The tables are never freed; without this every collection would walk
    their millions of entries again, which costs more than the reports themselves.
    """
    import gc

    from geo.locate import admin
    from geo.locate.county import load_index
    from geo.text import lexicon

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


def process_file(path: Path, county: County | str | None = None, *, root: Path | None = None,
                 pending_ok: bool = False) -> DocumentResult:
    """Read, clean, and find the sites of one report. Raises IngestError or CountyError.

    The county comes from ``county`` when given (a name is read by ``geo.locate.admin.county``),
    else from the manifest (``sources.csv``) of its folder up to ``root``, else from every clue
    weighed (``geo.locate.county.decide``). When it stays unclear the report is returned waiting
    (``county`` None) if ``pending_ok``, else refused.
    """
    from geo.errors import CountyError, printable
    from geo.locate.county.decide import Clues
    from geo.report.manifest import row_for
    from geo.text.ingest import read_document

    found = row_for(path, root)
    row = found[1] if found else None
    clues = Clues(path=path, root=root, url=row.url if row else "", title=row.title if row else "",
                  county=row.county if row else "", by_hand=bool(row and row.by_hand))
    raw = read_document(path)
    try:
        result = process_text(raw.text, raw.name, path=path, fmt=raw.fmt, county=county, clues=clues,
                              pending_ok=pending_ok)
    except CountyError as e:
        where = f"{printable(path)}" + (f" (county from {printable(found[0])})" if found and row and
                                        row.county and not county else "")
        raise CountyError(f"{where}: {e}").with_code(e.code, **e.fields) from e
    return with_manifest(result, row.title, row.date) if row else result


def with_manifest(result: DocumentResult, title: str, when: str) -> DocumentResult:
    """The manifest's title and date win over what the text says (a date as written when it is not one
    the date rules read); the issuer comes from the manifest's title when the text names none."""
    from dataclasses import replace

    from geo.text.title import date_text, issuer_in

    if not title and not when:
        return result
    return replace(result, title=title or result.title, issuer=result.issuer or issuer_in(title),
                   date=(date_text(when) or when) if when else result.date)


def process_text(raw_text: str, name: str, *, path: Path | None = None, fmt: str = "text",
                 county: County | str | None = None, clues: Any = None,
                 pending_ok: bool = False) -> DocumentResult:
    from geo.errors import CountyError
    from geo.locate.county.decide import Clues, decide
    from geo.text.clean import clean_text
    from geo.text.title import read_heading

    text = clean_text(raw_text)
    decision = decide(text, clues if clues is not None else Clues(path=path), override=county)
    c: County | None = decision.county
    if c is None:
        guesses = "; ".join(f"{g.county.province}{g.county.city}{g.county.name} ({g.score:.1f})"
                            for g in decision.guesses[:3]) or "none"
        if not pending_ok:
            raise CountyError(f"the county is unclear: {decision.reason} (best guesses: {guesses}); "
                              "name the county explicitly").with_code(
                "county_unclear", why=decision.reason_code,
                guesses=tuple((f"{g.county.province}{g.county.city}{g.county.name}", round(g.score, 1))
                              for g in decision.guesses[:3]))
    # a waiting report's sites are found as its first guess would find them
    named = c or (decision.guesses[0].county if decision.guesses else None)
    sentences = split_sentences(text)
    mentions = find_mentions(sentences, county_names=(named.name, named.short) if named else ())
    leads = _paragraph_leads(text)
    site_mentions = tuple(
        SiteMention(m, name, c, _status(m, leads)) for m in mentions
    )
    heading = read_heading(text)
    return DocumentResult(name, path or Path(name), fmt, text, c, decision.evidence,
                          document_year(text), site_mentions, decision.source, decision.confidence,
                          decision.guesses, decision.reason if c is None else "",
                          heading.title, heading.issuer, heading.date,
                          pending_code=decision.reason_code if c is None else "")


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
