"""The text layer of a PDF, page by page.

Scanned reports (images only) are refused rather than read as empty: OCR is
not supported. Headings set in "fake bold" (each glyph drawn twice a fraction
of a point apart) are de-duplicated so that a heading comes out once.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from geo.errors import IngestError
from geo.ingest.messages import describe

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
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise IngestError(path, "truncated or corrupt PDF: no pages could be found in it")
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    text = page.dedupe_chars().extract_text(layout=False) or ""
                except Exception as exc:  # pdfminer raises many types on damaged content streams
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
        raise IngestError(path, _open_failure(exc)) from None

    if not pages:
        raise IngestError(path, "no text layer: the PDF holds only images or nothing; OCR is not supported")
    text = "\n\n".join(pages)
    _check_mapped(path, text)
    return text


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
