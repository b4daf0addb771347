"""Kept results read only when needed: what a build tells of each report, and lazy results.

A build whose reports are all kept needs, of most of them, only a few facts: the county, how it
was decided, the year, the counties of its sites (to know which kept counties it belongs to, see
:mod:`geo.project.county_cache`). Those facts (a :class:`Brief`) are kept for every result key in
one index file beside the results, so unchanged reports are not unpickled at all; a result is
unpickled when its county's sites must be merged again or it waits for a county.

The index is a cache of a function of the result key (a key names one result, a result gives one
brief), so entries written by any build are right for every build; one missing, or an index that
does not check out, only costs loading that result.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo.project.checked_file import read_checked, write_checked

if TYPE_CHECKING:
    from geo.model import County
    from geo.project.result_cache import ResultCache
    from geo.report.pipeline import DocumentResult

_MAGIC = b"renewal-map briefs 2\n"  # 2: counties are County objects, no longer names
_INDEX = "briefs.index"
_MAX_ENTRIES = 200_000  # beyond this, only the entries of the latest build are kept


@dataclass(frozen=True)
class Brief:
    """What a build needs of a report without its text and mentions."""

    name: str
    county: County | None  # None while the report waits for its county
    county_source: str
    county_evidence: tuple[str, ...]
    year: int | None
    mention_count: int
    counties: tuple[County, ...]  # the counties of its mentions, first seen first
    about: tuple[tuple[str, str], ...] = ()  # its title, issuer and date where known

    @classmethod
    def of(cls, r: DocumentResult) -> Brief:
        counties = tuple(dict.fromkeys(m.county for m in r.mentions if m.county is not None))
        return cls(r.name, r.county, r.county_source, tuple(r.county_evidence), r.year, len(r.mentions),
                   counties, tuple(r.about().items()))


class KeptResult:
    """A kept report: its brief now, its whole result on :meth:`result` (unpickled then).

    When the entry cannot be read by then (removed or damaged since it was checked), the report is
    read again, as it would have been had the entry been missing from the start.
    """

    def __init__(self, key: str, brief: Brief, cache: ResultCache,
                 task: tuple[Path, County | None, Path | None], result: DocumentResult | None = None) -> None:
        self.key, self.brief, self._cache, self._task, self._result = key, brief, cache, task, result

    def result(self) -> DocumentResult:
        """Raises GeoError when the report, read again, is refused (it changed since)."""
        if self._result is None:
            found = self._cache.load(self.key)
            if found is None:
                found = _read_again(self._task)
                self._cache.put(self.key, found)
            self._result = found
        return self._result


def _read_again(task: tuple[Path, County | None, Path | None]) -> DocumentResult:
    from geo.report.pipeline import process_file

    path, county, root = task
    return process_file(path, county=county, root=root, pending_ok=True)


def whole(r: DocumentResult | KeptResult) -> DocumentResult:
    """The whole result of a report, kept or just read."""
    return r.result() if isinstance(r, KeptResult) else r


def brief(r: DocumentResult | KeptResult) -> Brief:
    return r.brief if isinstance(r, KeptResult) else Brief.of(r)


class BriefIndex:
    """The briefs of kept results by result key: ``briefs.index`` in the results folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / _INDEX
        self.briefs = self._read()
        self.used: set[str] = set()
        self.added = False

    def _read(self) -> dict[str, Brief]:
        body = read_checked(self.path, _MAGIC)
        if body is None:
            return {}  # missing or damaged: rebuilt from the results as they are loaded
        try:
            found = pickle.loads(body)
        except Exception:
            return {}
        return found if isinstance(found, dict) else {}

    def get(self, key: str) -> Brief | None:
        self.used.add(key)
        return self.briefs.get(key)

    def add(self, key: str, b: Brief) -> None:
        self.used.add(key)
        if self.briefs.get(key) != b:
            self.briefs[key] = b
            self.added = True

    def kept(self, key: str, result: DocumentResult, cache: ResultCache,
             task: tuple[Path, County | None, Path | None]) -> KeptResult:
        """A result just read and kept under ``key``, with its brief recorded."""
        b = Brief.of(result)
        self.add(key, b)
        return KeptResult(key, b, cache, task, result)

    def save(self) -> None:
        """Write the index when it grew (atomically; a folder that cannot be written is no error)."""
        if not self.added:
            return
        keep = self.briefs
        if len(keep) > _MAX_ENTRIES:
            keep = {k: v for k, v in keep.items() if k in self.used}
        write_checked(self.path, _MAGIC, pickle.dumps(keep, protocol=pickle.HIGHEST_PROTOCOL))


def kept_result(key: str, cache: ResultCache, index: BriefIndex,
                task: tuple[Path, County | None, Path | None]) -> KeptResult | None:
    """The kept result under ``key`` (checked whole), or None when it must be read again."""
    b = index.get(key)
    if b is not None:
        return KeptResult(key, b, cache, task) if cache.check(key) else None
    found = cache.get(key)
    if found is None:
        return None
    index.add(key, Brief.of(found))
    return KeptResult(key, Brief.of(found), cache, task, found)

