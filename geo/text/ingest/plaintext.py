"""Decoding text files: UTF-8, GBK/GB18030 and whatever else a report was saved in.

Chinese reports come as UTF-8 or GB18030 (or its subsets GB2312/GBK), usually
unlabelled. Strict UTF-8 is tried first (GBK bytes are almost never valid UTF-8),
then strict GB18030, and only then statistical detection, which is unreliable on
Chinese text. The text is returned as it is apart from newlines: later steps
repair broken text and need to see it unchanged.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
import unicodedata
from pathlib import Path

from geo.errors import IngestError, printable
from geo.text.ingest.sniff import bom_encoding, utf16_without_bom

log = logging.getLogger(__name__)

#: Declared encodings that are subsets of GB18030; decoding them as GB18030 reads the same
#: bytes and also the characters that mislabelled pages use from beyond the subset.
_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "euc_cn", "hz", "gb18030", "x-gbk", "ms936"})

#: Share of bad characters (U+FFFD and control characters) above which text is refused.
MAX_GARBLED_SHARE = 0.05
#: Share of private-use characters above which a GB18030 decoding is not trusted; text in
#: another double-byte encoding (e.g. Big5) decodes as GB18030 but lands in its user areas.
MAX_PRIVATE_USE_SHARE = 0.01

#: Codecs that accept any byte sequence, so decoding with them proves nothing.
_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"})

_NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def read_plain_text(path: Path, data: bytes) -> str:
    """Decode a ``.txt``/``.md`` file and normalise its newlines to ``\\n``."""
    return normalise_newlines(decode_text(path, data))


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line separators into ``\\n``."""
    return _NEWLINES.sub("\n", text)


def decode_text(path: Path, data: bytes, declared: str | None = None) -> str:
    """Decode bytes of unknown encoding; ``declared`` is a charset the file names itself.

    Order: byte-order mark, strict UTF-8, the declared charset, strict GB18030,
    then charset-normalizer; a declared single-byte charset comes only after
    GB18030. Raises IngestError if nothing yields readable text.
    """
    bom = bom_encoding(data)
    if bom is None and (bomless := utf16_without_bom(data)) is not None:
        try:
            return _check_readable(path, data.decode(bomless), bomless)
        except UnicodeDecodeError:
            pass
    if bom is not None:
        try:
            return _check_readable(path, data.decode(bom), bom)
        except UnicodeDecodeError:
            raise IngestError(
                path, f"not readable text: it starts with a {bom} byte-order mark but is not valid {bom}"
            ) from None

    codec = _codec_name(declared)
    candidates = ["utf-8"]
    if codec is not None and codec not in _SINGLE_BYTE:
        candidates.append(codec)
    candidates.append("gb18030")
    if codec in _SINGLE_BYTE:
        # Chinese pages often carry a copied Western label; a single-byte codec decodes
        # any bytes, so it is only a last resort.
        candidates.append(codec)
    candidates = list(dict.fromkeys(candidates))
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8" and (mixed := _utf8_with_other_lines(path, data)) is not None:
                return _check_readable(path, mixed, "utf-8")
            continue
        except LookupError:
            continue
        if encoding == "gb18030" and _private_use_share(text) > MAX_PRIVATE_USE_SHARE:
            continue
        return _check_readable(path, text, encoding)
    return _detect(path, data)


#: A UTF-8 file may hold this share of its lines in GB18030 (a pasted line) and still be read.
MAX_OTHER_LINES_SHARE = 0.1
_notes = threading.local()


def take_notes() -> list[str]:
    """What the last decodings in this thread noticed (lines read in another encoding); cleared."""
    notes = getattr(_notes, "items", [])
    _notes.items = []
    return notes


def _utf8_with_other_lines(path: Path, data: bytes) -> str | None:
    """A mostly UTF-8 file with a few lines in GB18030: every line decoded, those lines named.

    None when the file is not mostly UTF-8 (then it is decoded as a whole, another way).
    """
    lines = data.split(b"\n")
    out, other = [], []
    utf8_non_ascii = 0
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_non_ascii += not line.isascii()
        except UnicodeDecodeError as error:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                text = line.decode("utf-8", errors="replace")
            if _private_use_share(text) > MAX_PRIVATE_USE_SHARE:
                text = line.decode("utf-8", errors="replace")
            other.append((number, error.start))
        out.append(text)
    if not other or utf8_non_ascii <= len(other) or len(other) > MAX_OTHER_LINES_SHARE * len(lines):
        return None
    shown = ", ".join(f"line {n} (byte {b + 1})" for n, b in other[:5])
    more = f" and {len(other) - 5} more" if len(other) > 5 else ""
    note = f"{printable(path.name)}: not UTF-8 at {shown}{more}; read as GB18030"
    log.warning("%s", note)
    _notes.items = [*getattr(_notes, "items", []), note]
    return "\n".join(out)


def _codec_name(declared: str | None) -> str | None:
    """Python's name for a declared charset, mapping the GB family to GB18030; None if unknown."""
    if not declared:
        return None
    key = declared.strip().lower()
    if key in _GB_FAMILY:
        return "gb18030"
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def _detect(path: Path, data: bytes) -> str:
    from charset_normalizer import from_bytes  # imported late: only odd files get here

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "not readable text: no known character encoding fits its bytes").with_code(
            "no_encoding")
    return _check_readable(path, str(best), best.encoding)


def _check_readable(path: Path, text: str, encoding: str) -> str:
    """Refuse text that decodes mostly to replacement or control characters."""
    text = text.removeprefix("\ufeff")
    if not text:
        return text
    bad = len(_GARBLED.findall(text))
    if bad / len(text) > MAX_GARBLED_SHARE:
        raise IngestError(
            path,
            f"not readable text: decoded as {encoding} it is mostly replacement or control characters",
        ).with_code("garbled", encoding=encoding)
    return text


# Replacement characters, and control characters (category Cc: U+0000-001F, U+007F-009F) but
# for \t \n \v \f \r ESC and NEL.
_GARBLED = re.compile(r"[\ufffd\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x84\x86-\x9f]")


def _private_use_share(text: str) -> float:
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return 0.0
    private = sum(1 for ch in non_ascii if unicodedata.category(ch) == "Co")
    return private / len(non_ascii)
