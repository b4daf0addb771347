"""An upload already known: the same bytes, or the same text once cleaned, as a report of the
project or an upload read earlier in the session.

Two digests per report: of its bytes (the same file again, whatever its name) and of its cleaned
text with every blank removed (the same report as .txt and as .docx, or with other line breaks).
A report that cannot be read has only the first.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError

_BLANKS = re.compile(r"\s+")

WHERE_PROJECT = "project"
WHERE_UPLOAD = "upload"


@dataclass(frozen=True)
class Fingerprint:
    data: str  # SHA-256 of the bytes
    text: str | None  # SHA-256 of the cleaned text without blanks; None when it cannot be read


@dataclass(frozen=True)
class Duplicate:
    """The report an upload repeats: its file name, and whether it is in the project or uploaded."""

    name: str
    where: str  # WHERE_PROJECT or WHERE_UPLOAD
    same_bytes: bool


def data_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str | None:
    """Digest of the text with blanks removed; None for a text with nothing in it."""
    squeezed = _BLANKS.sub("", text)
    return hashlib.sha256(squeezed.encode("utf-8")).hexdigest() if squeezed else None


def cleaned_text_of(path: Path) -> str | None:
    """The report's cleaned text, as the build reads it; None when it cannot be read."""
    from geo.text.clean import clean_text
    from geo.text.ingest import read_document

    try:
        return clean_text(read_document(path).text)
    except (GeoError, OSError, ValueError):
        return None


def file_fingerprint(path: Path) -> Fingerprint:
    text = cleaned_text_of(path)
    return Fingerprint(data_digest(path.read_bytes()), text_digest(text) if text is not None else None)


def upload_fingerprint(name: str, data: bytes) -> Fingerprint:
    """Fingerprint of uploaded bytes, read under their own file name (its suffix tells the format)."""
    base = re.split(r"[\\/]", name)[-1].strip() or "upload.txt"
    with tempfile.TemporaryDirectory(prefix="renewal-dup-") as tmp:
        path = Path(tmp) / base
        try:
            path.write_bytes(data)
        except OSError:  # a name the file system refuses: the digest of the bytes is still known
            return Fingerprint(data_digest(data), None)
        return file_fingerprint(path)


def project_fingerprints(sources: Path) -> dict[str, Fingerprint]:
    """Report file name (relative to ``sources``) -> fingerprint, for every report the build reads."""
    from geo.text.ingest import iter_input_files

    sources = Path(sources)
    if not sources.is_dir():
        return {}
    out: dict[str, Fingerprint] = {}
    for path in iter_input_files([sources]):
        try:
            out[str(path.relative_to(sources))] = file_fingerprint(path)
        except OSError:
            continue
    return out


def find_duplicate(
    fp: Fingerprint,
    project: Mapping[str, Fingerprint],
    uploaded: Iterable[tuple[str, Fingerprint]] = (),
) -> Duplicate | None:
    """The first known report ``fp`` repeats: the project's reports first, then earlier uploads."""
    for where, known in ((WHERE_PROJECT, project.items()), (WHERE_UPLOAD, uploaded)):
        for name, other in known:
            if other.data == fp.data:
                return Duplicate(name, where, True)
            if fp.text is not None and other.text == fp.text:
                return Duplicate(name, where, False)
    return None


def sources_stamp(sources: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, mtime, size) of every report in ``sources``: a cache key for their fingerprints."""
    from geo.text.ingest import iter_input_files

    sources = Path(sources)
    if not sources.is_dir():
        return ()
    out = []
    for path in iter_input_files([sources]):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path.relative_to(sources)), st.st_mtime_ns, st.st_size))
    return tuple(out)
