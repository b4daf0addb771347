"""Reading reports: text, web pages, PDFs and Word files become one plain text each.

Every way a file can fail to be a readable report (missing, empty, too large,
misnamed, encrypted, scanned, damaged) is an :class:`~geo.errors.IngestError`
that names the file and the reason; no other exception escapes for bad content.
The file's real type is told from its bytes, and a file whose content does not
match its name is refused rather than read as something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import IngestError
from geo.text.ingest import files
from geo.text.ingest.messages import describe
from geo.text.ingest.plaintext import normalise_newlines, take_notes
from geo.text.ingest.sniff import Sniffed, sniff

__all__ = ["MAX_BYTES", "SUPPORTED_SUFFIXES", "RawDocument", "iter_input_files", "read_document"]

#: File name suffixes (lower case) of the formats that can be read.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})

#: Size limit for one input file; larger files are refused before being read.
MAX_BYTES: int = 50 * 1024 * 1024

_FORMAT_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: What each format is called in "named .x but is not ..." messages.
_FORMAT_LABEL: dict[str, str] = {
    "text": "plain text",
    "html": "an HTML page",
    "pdf": "a PDF",
    "docx": "a Word .docx document",
}

#: Said when a whole file yields no text at all.
_NO_TEXT: dict[str, str] = {
    "text": "no text: the file holds only whitespace",
    "html": "no text: no article text was found in the page",
    "pdf": "no text layer: OCR is not supported",
    "docx": "no text: the Word document holds no paragraphs or table text",
}


@dataclass(frozen=True)
class RawDocument:
    """The text of one input file, before any cleaning.

    ``text`` has paragraphs separated by a blank line and headings on their own
    line (PDFs keep their printed lines; a page break is a blank line).
    """

    name: str  # the file's name (path.name), used as ``doc`` in outputs
    path: Path
    fmt: str  # "text" | "html" | "pdf" | "docx"
    text: str
    notes: tuple[str, ...] = ()  # what was read in an unusual way (lines in another encoding)


def iter_input_files(inputs: Iterable[Path]) -> list[Path]:
    """Expand folders (recursively, sorted, supported suffixes only, hidden files skipped).

    Files given explicitly are kept even with an unsupported suffix, so that
    :func:`read_document` can refuse them with a reason.
    """
    return files.iter_input_files(inputs, SUPPORTED_SUFFIXES)


def read_document(path: Path) -> RawDocument:
    """Read one report file; raises IngestError(path, reason) if it cannot be read as a report."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = _FORMAT_BY_SUFFIX.get(suffix)
    size = files.stat_file(path)
    if fmt is None:
        supported = tuple(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(path, _unsupported(suffix)).with_code("unsupported", suffix=suffix,
                                                                supported=supported)
    if size == 0:
        raise IngestError(path, "empty file (0 bytes)").with_code("empty")
    data = files.read_bytes(path, MAX_BYTES)
    if not data:
        raise IngestError(path, "empty file (0 bytes)").with_code("empty")

    found = sniff(data)
    _check_content(path, suffix, fmt, found)
    take_notes()
    try:
        text = _READERS[fmt](path, data)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(path, f"cannot read the {fmt} content: it is nested too deeply").with_code(
            "unreadable_content", format=fmt) from None
    except Exception as exc:  # a library failing on malformed content must not escape as anything else
        raise IngestError(path, f"cannot read the {fmt} content: {describe(exc)}").with_code(
            "unreadable_content", format=fmt) from exc
    # A font may map glyphs to lone surrogates (D800-DFFF), which no UTF-8 writer accepts.
    text = _LONE_SURROGATE.sub("\ufffd", normalise_newlines(text).removeprefix("\ufeff"))
    if not text.strip():
        raise IngestError(path, _NO_TEXT[fmt]).with_code("no_text", format=fmt)
    return RawDocument(name=path.name, path=path, fmt=fmt, text=text, notes=tuple(take_notes()))


def _unsupported(suffix: str) -> str:
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    if suffix == ".doc":
        return f"unsupported file type .doc (old Word format): save it as .docx (supported: {supported})"
    shown = suffix or "(no suffix)"
    return f"unsupported file type {shown} (supported: {supported})"


def _check_content(path: Path, suffix: str, fmt: str, found: Sniffed) -> None:
    """Refuse content that is not what the name says; Markdown may embed HTML, so .md accepts it."""
    if found.kind == fmt or (fmt == "text" and suffix == ".md" and found.kind == "html"):
        return
    said = f"named {suffix} but is not {_FORMAT_LABEL[fmt]} (looks like {found.label})"
    raise IngestError(path, said).with_code("wrong_content", suffix=suffix, format=fmt, found=found.kind)


def _read_text(path: Path, data: bytes) -> str:
    from geo.text.ingest.plaintext import read_plain_text

    return read_plain_text(path, data)


def _read_html(path: Path, data: bytes) -> str:
    from geo.text.ingest.html import read_html

    return read_html(path, data)


def _read_pdf(path: Path, data: bytes) -> str:
    from geo.text.ingest.pdf import read_pdf

    return read_pdf(path, data)


def _read_docx(path: Path, data: bytes) -> str:
    from geo.text.ingest.docx import read_docx

    return read_docx(path, data)


_READERS: dict[str, Callable[[Path, bytes], str]] = {
    "text": _read_text,
    "html": _read_html,
    "pdf": _read_pdf,
    "docx": _read_docx,
}
