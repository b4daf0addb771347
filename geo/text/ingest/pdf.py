"""The text layer of a PDF, page by page.

Scanned reports (images only) are refused rather than read as empty: OCR is
not supported. Headings set in "fake bold" (each glyph drawn twice a fraction
of a point apart) are de-duplicated so that a heading comes out once.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.errors import IngestError
from geo.text.ingest.messages import describe, format_size

#: A report's pages and the bytes its streams may inflate to; a PDF beyond either is refused.
#: A person can raise them for one run with these environment variables.
MAX_PAGES = 1_000
MAX_DECODED_BYTES = 128 * 1024 * 1024
PAGES_ENV = "RENEWAL_MAP_PDF_MAX_PAGES"
DECODED_ENV = "RENEWAL_MAP_PDF_MAX_DECODED_MB"

#: How far from the end the ``%%EOF`` marker may sit; producers append a little junk at most.
_EOF_WINDOW = 16 * 1024
#: pdfminer writes a glyph that has no Unicode mapping as ``(cid:123)``.
_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: Path, data: bytes) -> str:
    """Extract the text of every page (lines kept), pages separated by a blank line."""
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise IngestError(path, "truncated or corrupt PDF: the end-of-file marker (%%EOF) is missing")

    import pdfplumber

    pages: list[str] = []
    max_pages = _limit(PAGES_ENV, MAX_PAGES, 1)
    try:
        with _inflate_budget(_limit(DECODED_ENV, MAX_DECODED_BYTES, 1024 * 1024)), \
                pdfplumber.open(io.BytesIO(data)) as pdf:
            count = _page_count(pdf)
            if count > max_pages:
                raise IngestError(path, f"refused: {count:,} pages, more than the limit of {max_pages:,} "
                                        f"(set {PAGES_ENV} to raise it)")
            if not pdf.pages:
                raise IngestError(path, "truncated or corrupt PDF: no pages could be found in it")
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    text = page.dedupe_chars().extract_text(layout=False) or ""
                except Exception as exc:  # pdfminer raises many types on damaged content streams
                    _raise_if_too_large(path, exc)
                    raise IngestError(
                        path, f"corrupt PDF: page {number} cannot be read ({describe(exc)})"
                    ) from None
                finally:
                    page.close()
                text = text.strip()
                if text:
                    pages.append(text)
    except IngestError:
        raise
    except Exception as exc:  # opening: wrong password, broken xref, bad objects
        _raise_if_too_large(path, exc)
        raise IngestError(path, _open_failure(exc)) from None

    if not pages:
        raise IngestError(path, "no text layer: the PDF holds only images or nothing; OCR is not supported")
    text = "\n\n".join(pages)
    _check_mapped(path, text)
    return text


# --- bounds ---------------------------------------------------------------------------------


class _TooLarge(Exception):
    """The PDF's streams inflate past the budget (raised from inside pdfminer)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


_budget = threading.local()


def _limit(env: str, default: int, unit: int) -> int:
    raw = os.environ.get(env, "").strip()
    try:
        return max(1, int(float(raw) * unit)) if raw else default
    except ValueError:
        return default


@contextlib.contextmanager
def _inflate_budget(limit: int) -> Iterator[None]:
    _install()
    _budget.left, _budget.limit = limit, limit
    try:
        yield
    finally:
        _budget.left = _budget.limit = None


def _spend(n: int) -> None:
    left = getattr(_budget, "left", None)
    if left is None:
        return
    _budget.left = left - n
    if _budget.left < 0:
        raise _TooLarge(_budget.limit)


class _BoundedZlib:
    """pdfminer's ``zlib``: inflating stops as soon as the document's budget is spent."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes, *args: Any) -> bytes:
        left = getattr(_budget, "left", None)
        if left is None:
            return zlib.decompress(data, *args)
        d = zlib.decompressobj()
        out = d.decompress(data, max(left, 0) + 1)
        if len(out) > left or d.unconsumed_tail:
            raise _TooLarge(_budget.limit)
        tail = d.flush()
        return out + tail if tail else out  # no copy of what may be hundreds of MiB


def _install() -> None:
    """Count every stream pdfminer decodes against the budget (once per process)."""
    from pdfminer import pdftypes

    if getattr(pdftypes, "_geo_bounded", False):
        return
    pdftypes.zlib = _BoundedZlib  # type: ignore[attr-defined]
    plain = pdftypes.PDFStream.decode

    def decode(self: Any) -> None:
        plain(self)
        _spend(len(self.data or b""))  # LZW, run-length and the rest: counted once decoded

    pdftypes.PDFStream.decode = decode  # type: ignore[method-assign]
    pdftypes._geo_bounded = True  # type: ignore[attr-defined]


def _page_count(pdf: Any) -> int:
    """Pages as the page tree declares them, without reading the pages."""
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(pdf.doc.catalog["Pages"]).get("Count")
        return int(resolve1(count))
    except Exception:  # a broken tree: counted by reading it
        return len(pdf.pages)


def _raise_if_too_large(path: Path, exc: BaseException) -> None:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, _TooLarge):
            raise IngestError(path, "refused as a possible decompression bomb: its streams inflate to "
                                    f"more than {format_size(cause.limit)} (set {DECODED_ENV} to raise it)"
                              ) from None
        seen.add(id(cause))
        inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = inner or cause.__cause__ or cause.__context__


def _open_failure(exc: Exception) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _root_cause(exc)
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF: a password is needed to open it"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF: its encryption is not supported ({describe(cause)})"
    return f"truncated or corrupt PDF: it cannot be opened ({describe(cause)})"


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions; find the one that says what went wrong."""
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc


def _check_mapped(path: Path, text: str) -> None:
    """Refuse a text layer that is mostly glyph numbers without Unicode meaning."""
    unmapped = len(_CID.findall(text))
    readable = len("".join(_CID.sub("", text).split()))
    if unmapped > readable:
        raise IngestError(
            path,
            "no usable text layer: its fonts have no Unicode mapping (glyphs come out as (cid:N)); "
            "OCR is not supported",
        )
