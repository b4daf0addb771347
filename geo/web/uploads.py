"""Uploaded reports in a session: which files are new, what the build's pipeline makes of each
(or why it refused it, or which known report it repeats), and saving them into the project.
Plain functions; the upload panel (``geo.web.panels.upload``) keeps the entries in the session."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.errors import GeoError
from geo.web import service
from geo.web.i18n import Lang
from geo.web.layers_io import Feature
from geo.web.notices import error_text, refusal_text, unexpected_refusal, unexpected_text
from geo.web.service import Project

Files = dict[str, tuple[str, bytes]]  # signature -> (file name, bytes)


@dataclass
class Upload:
    """One uploaded file and what the build's pipeline made of it (or why it was refused)."""

    name: str
    data: bytes
    county: str | None
    features: list[Feature] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)  # each warning as (code, fields)
    doc_county: str = ""
    error: str | None = None  # why it was refused, as markdown text (see ``error_text``)
    failure: BaseException | None = None  # the refusal itself, said in the interface language (``refused``)
    fingerprint: Any = None  # geo.web.duplicates.Fingerprint
    duplicate: Any = None  # geo.web.duplicates.Duplicate: a known report, not read again

    @property
    def shown(self) -> bool:
        """Read, not refused and not a repeat: its sites are shown and it can be saved."""
        return self.error is None and self.duplicate is None


def signatures(files: Iterable[tuple[str, bytes]], county: str | None) -> Files:
    """Each (name, bytes) under a signature of its bytes, name and county; the same file given
    twice gets two signatures (the second is then a duplicate of the first)."""
    wanted: Files = {}
    for name, data in files:
        sig = hashlib.sha1(data).hexdigest() + "|" + name + "|" + (county or "")
        while sig in wanted:
            sig += "+"
        wanted[sig] = (name, data)
    return wanted


def sync(state: dict[str, Upload], wanted: Files) -> list[tuple[str, str, bytes]]:
    """Forget the entries of files taken out of the uploader; return (signature, name, bytes) of
    the files not read yet, in the uploader's order."""
    for sig in [s for s in state if s not in wanted]:
        del state[sig]
    return [(sig, name, data) for sig, (name, data) in wanted.items() if sig not in state]


def read_upload(
    project: Project,
    name: str,
    data: bytes,
    county: str | None,
    resolver: Any,
    known: Mapping[str, Any],
    earlier: Iterable[Upload],
) -> Upload:
    """One file through the build's pipeline (``project`` untouched), unless its content repeats a
    report of the project (``known``: name -> fingerprint) or an upload read ``earlier``."""
    from geo.web.duplicates import find_duplicate, upload_fingerprint

    entry = Upload(name=name, data=data, county=county, fingerprint=upload_fingerprint(name, data))
    before = [(e.name, e.fingerprint) for e in earlier if e.features and e.fingerprint]
    entry.duplicate = find_duplicate(entry.fingerprint, known, before)
    if entry.duplicate is not None:
        return entry
    try:
        result = service.process_upload(project, name, data, county=county, resolver=resolver)
    except GeoError as error:
        entry.error, entry.failure = error_text(error), error
    except Exception as error:  # an unreadable upload must not stop the app; say why
        entry.error, entry.failure = unexpected_text(name, error), error
    else:
        entry.features = [dict(f) for f in result.features]
        entry.warnings = list(result.warnings)
        entry.notes = list(getattr(result, "notes", ()))
        county = getattr(result.document, "county", None)  # a County, None while it waits
        entry.doc_county = county.key if county is not None else ""
    return entry


def refused(entry: Upload, lang: Lang) -> str | None:
    """Why the upload was refused, in ``lang`` (markdown text); None when it was not."""
    if entry.error is None:
        return None
    if isinstance(entry.failure, GeoError):
        return refusal_text(entry.failure, lang)
    if entry.failure is not None:
        return unexpected_refusal(entry.name, entry.failure, lang)
    return entry.error


def warning_texts(name: str, warnings: list[str], notes: list[Any], lang: Lang) -> list[str]:
    """The warnings about the upload ``name`` in ``lang`` (markdown text), from their notes where
    each warning has one."""
    from geo.web.notices import note_text

    paired = list(notes) if len(notes) == len(warnings) else [None] * len(warnings)
    return [note_text(name, w, n, lang) for w, n in zip(warnings, paired, strict=True)]


def new_resolver(project: Project) -> Any:
    """The build's resolver, reading the project's placements and location data."""
    return project.resolver()


def save(entry: Upload, project: Project) -> Any:
    """Save the upload into the project's reports and rebuild (``geo.project.upload.SaveResult``);
    raises ``GeoError`` when refused."""
    return service.save_upload(project, entry.name, entry.data, county=entry.county)


def shown_features(state: Mapping[str, Upload]) -> list[Feature]:
    """The features of every upload that was read (refused ones bring none)."""
    return [f for e in state.values() if e.error is None for f in e.features]
