"""Small files of the results folder (indexes) with a magic line and the SHA-256 of their
payload: written atomically, and read as None when they do not check out."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_DIGEST = 32


def read_checked(path: Path, magic: bytes) -> bytes | None:
    """The payload of ``path``; None when missing, unreadable, cut short or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, body = len(magic), data[len(magic) + _DIGEST:]
    if data.startswith(magic) and data[head:head + _DIGEST] == hashlib.sha256(body).digest():
        return body
    return None


def write_checked(path: Path, magic: bytes, body: bytes) -> None:
    """Replace ``path`` in one step; a folder that cannot be written is no error (a cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(magic + hashlib.sha256(body).digest() + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return
