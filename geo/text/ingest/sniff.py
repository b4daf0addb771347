"""Tell what a file really holds from its bytes, whatever its name says.

A report renamed by hand (a web page saved as ``.pdf``, a ``.doc`` renamed to
``.docx``) must be refused with a reason that says so, not half-read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

#: How much of the file the checks look at; enough for any header and for markup.
SAMPLE_BYTES = 64 * 1024

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "an old binary Office file such as .doc or .xls"),
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF87a", "image", "a GIF image"),
    (b"GIF89a", "image", "a GIF image"),
    (b"II*\x00", "image", "a TIFF image"),
    (b"MM\x00*", "image", "a TIFF image"),
    (b"\x1f\x8b", "archive", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "archive", "a RAR archive"),
    (b"{\\rtf", "rtf", "an RTF document"),
)

# Control bytes that never occur in text in any encoding the product reads.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_CONTROL_BYTES_TABLE = bytes(sorted(_CONTROL_BYTES))  # to delete them all at once: counted in C, not Python

_HTML_TAGS = (
    r"html|head|body|meta|title|div|p|span|article|section|table|tr|td|br|h[1-6]|ul|ol|li|a|font|center"
)
_HTML_START = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rf"(?:<!doctype\s+html|<(?:{_HTML_TAGS})\b[^<>]*>)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(rf"<(?:{_HTML_TAGS})\b[^<>]*>", re.IGNORECASE)
_HTML_DOC_TAG = re.compile(r"<(?:html|body)\b[^<>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Sniffed:
    """What the content is: a machine ``kind`` and a ``label`` to put in error messages."""

    kind: str  # "pdf" | "docx" | "zip" | "html" | "text" | "binary" | "ole" | "image" | ...
    label: str


def sniff(data: bytes) -> Sniffed:
    """Classify ``data`` by its content alone (magic numbers, ZIP members, markup, control bytes)."""
    if not data:
        return Sniffed("empty", "an empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        # The PDF format lets junk precede the header within the first kilobyte.
        return Sniffed("pdf", "a PDF")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data)
    for magic, kind, label in _MAGIC:
        if data.startswith(magic):
            return Sniffed(kind, label)

    sample = data[:SAMPLE_BYTES]
    bom = bom_encoding(sample) or utf16_without_bom(sample)
    if bom is None:
        if b"\x00" in sample:
            return Sniffed("binary", "binary data with NUL bytes")
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES_TABLE))
        if controls > max(2, len(sample) // 100):
            return Sniffed("binary", "binary data full of control bytes")
        text = sample.decode("latin-1")
    else:
        text = sample.decode(bom, errors="replace")
    if looks_like_html(text):
        return Sniffed("html", "HTML")
    return Sniffed("text", "text")


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for text saved as UTF-16 without a byte-order mark, else None.

    Only looked for when NUL bytes are present (the high byte of ASCII characters, the low byte of
    some CJK ones): the text must then read, in one byte order, almost only as Chinese, ASCII and
    their punctuation.
    """
    sample = data[: SAMPLE_BYTES - SAMPLE_BYTES % 2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    best, best_share = None, 0.0
    for codec in ("utf-16-le", "utf-16-be"):
        text = sample.decode(codec, errors="replace")
        share = sum(1 for c in text if _plausible(c)) / len(text)
        if share > best_share:
            best, best_share = codec, share
    return best if best_share >= 0.95 else None


def _plausible(c: str) -> bool:
    o = ord(c)
    return (32 <= o < 127 or c in "\t\n\r" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0x3400 <= o <= 0x4DBF)


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a leading byte-order mark, if there is one."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    return None


def looks_like_html(text: str) -> bool:
    """True if the text starts like an HTML document or fragment, or is built of HTML tags.

    Markdown may hold a few inline tags; it only counts as HTML if it has a
    ``<html>``/``<body>`` tag and markup throughout.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if _HTML_START.match(stripped):
        return True
    return bool(_HTML_DOC_TAG.search(text)) and len(_HTML_TAG.findall(text)) >= 5


def _sniff_zip(data: bytes) -> Sniffed:
    """A ZIP is a .docx only if it holds ``word/document.xml``; listing members reads no content."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return Sniffed("zip", "a damaged or truncated ZIP archive")
    if "word/document.xml" in names:
        return Sniffed("docx", "a Word .docx document")
    return Sniffed("zip", "a ZIP archive without word/document.xml")
