"""The text of a Word ``.docx`` file: paragraphs and table rows in document order.

A ``.docx`` is a ZIP archive, so its declared unpacked sizes are checked before
anything is decompressed: a small file may unpack to gigabytes (a zip bomb).
Python's zipfile never inflates a member beyond its declared size, so the check
on declared sizes bounds the memory used.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.errors import IngestError
from geo.text.ingest.messages import describe, format_size

#: Limit on the total declared unpacked size of all members of one .docx.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Limit on the number of members; a real document has a few dozen.
MAX_MEMBERS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    f"{_W}p",
    f"{_W}r",
    f"{_W}tbl",
    f"{_W}tr",
    f"{_W}tc",
    f"{_W}sdt",
    f"{_W}sdtContent",
)
#: Runs under these are not part of the visible text (deleted revisions, text-box copies).
_HIDDEN_RUN_PARENTS = frozenset(
    {f"{_W}del", f"{_W}moveFrom", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
)


def read_docx(path: Path, data: bytes) -> str:
    """Extract paragraphs and table rows, blocks separated by a blank line."""
    check_archive(path, data)

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise IngestError(path, f"not a readable Word document: {describe(exc)}") from None
    blocks = list(_blocks(document.element.body))
    return "\n\n".join(blocks)


def check_archive(path: Path, data: bytes) -> None:
    """Refuse a damaged ZIP, or one whose members declare too much unpacked data."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise IngestError(path, f"damaged Word document: the ZIP container cannot be read ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise IngestError(
            path, f"refused as a possible zip bomb: {len(members)} members (limit {MAX_MEMBERS})"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise IngestError(
            path,
            f"refused as a possible zip bomb: it declares {format_size(unpacked)} unpacked "
            f"(limit {format_size(MAX_UNPACKED_BYTES)})",
        )


def _blocks(container: Any) -> Iterator[str]:
    """Blocks of a body, table cell or content control, in document order."""
    for child in container.iterchildren():
        if child.tag == _P:
            text = _paragraph_text(child).strip()
            if text:
                yield text
        elif child.tag == _TBL:
            yield from _table_blocks(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _table_blocks(table: Any) -> Iterator[str]:
    """One line per row, cells tab-separated.

    A row with a single filled cell is a layout table around running text: its
    paragraphs stay paragraphs.
    """
    for row in table.iterchildren(_TR):
        cells = [list(_blocks(cell)) for cell in row.iterchildren(_TC)]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1:
            yield from filled[0]
        elif filled:
            yield "\t".join(" ".join(" ".join(block.split("\n")) for block in cell) for cell in filled)


def _paragraph_text(paragraph: Any) -> str:
    """Text of the paragraph's own runs, including hyperlinks and tracked insertions."""
    parts: list[str] = []
    for run in paragraph.iter(_R):
        if _belongs_to(run, paragraph):
            parts.append(run.text or "")
    return "".join(parts)


def _belongs_to(run: Any, paragraph: Any) -> bool:
    """False for runs of nested paragraphs (text boxes) and of deleted revisions."""
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == _P or parent.tag in _HIDDEN_RUN_PARENTS:
            return False
        parent = parent.getparent()
    return True
