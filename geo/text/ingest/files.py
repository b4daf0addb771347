"""Finding input files in folders and reading their bytes safely."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from geo.errors import IngestError
from geo.text.ingest.messages import format_size

#: Name prefixes of files that are not reports: hidden files and Office lock files (``~$x.docx``).
_SKIPPED_PREFIXES = (".", "~$")


def iter_input_files(inputs: Iterable[Path], suffixes: frozenset[str]) -> list[Path]:
    """Expand folders into the report files below them; keep explicitly named files as given.

    Folders are walked recursively without following symlinked folders; hidden
    files and folders are skipped, and only names ending in one of ``suffixes``
    (case-insensitive) are kept, sorted by path. A file named explicitly is kept
    whatever its suffix so that reading it can say why it is refused. Each path
    appears once, in first-seen order.
    """
    found: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found.extend(_walk_folder(path, suffixes))
        else:
            found.append(path)
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in found:
        key = path.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _walk_folder(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(_SKIPPED_PREFIXES)]
        for name in files:
            if name.startswith(_SKIPPED_PREFIXES):
                continue
            if Path(name).suffix.lower() in suffixes:
                found.append(Path(root) / name)
    return sorted(found)


def stat_file(path: Path) -> int:
    """The size of a regular file; missing files, folders, pipes and unreadable paths are refused."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(path, "file not found") from None
    except PermissionError:
        raise IngestError(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise IngestError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or a device would block or never end.
        raise IngestError(path, "not a regular file (a pipe, socket or device)")
    return info.st_size


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole regular file of at most ``max_bytes``; every failure is an IngestError."""
    known = stat_file(path)
    check_size(path, known, max_bytes)
    try:
        with path.open("rb") as handle:
            # read(n) sets aside n bytes first: ask for what the file holds, not for the limit
            data = handle.read(known + 1)
            if len(data) > known:  # it grew since: read on, up to just past the limit
                data += handle.read(max_bytes + 1 - len(data))
    except PermissionError:
        raise IngestError(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise IngestError(path, f"cannot read the file: {exc.strerror or exc}") from None
    check_size(path, len(data), max_bytes)  # the file may have grown since it was checked
    return data


def check_size(path: Path, size: int, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes``."""
    if size > max_bytes:
        shown, limit = format_size(size), format_size(max_bytes)
        if shown == limit:  # "50.0 MiB exceeds the limit of 50.0 MiB" says nothing: give the bytes
            shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes ({limit})"
        raise IngestError(path, f"file too large: {shown} exceeds the limit of {limit}").with_code(
            "too_large", size=shown, limit=limit)
