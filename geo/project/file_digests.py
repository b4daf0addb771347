"""The SHA-256 of report files, hashed again only when a file may have changed.

A build keys each report's kept result by its bytes (:mod:`geo.project.result_cache`), so it
would read and hash every report on every build. This index remembers, by path, the digest of a
file with the file's identity and times when it was hashed: device, inode, size, mtime and ctime
(nanoseconds). A file whose five values are all unchanged is not read again.

What makes that safe enough to stand for the bytes:

* ctime cannot be set by a program (``touch -d`` and ``os.utime`` set mtime, and change ctime to
  now); any write, truncation, rename over the file or change of its metadata sets it to the
  current time; a file replaced by another has another inode.
* A digest is remembered only for a file that was last changed at least ``SETTLED_S`` seconds
  before it was hashed, and whose values did not change while it was read. Otherwise a second
  write within the file system's timestamp granularity (one or two seconds on some) could leave
  all five values as they were (the "racy" case git handles the same way); such a file is
  hashed again next time.

What it does not guard against: the system clock set back past the file's ctime before another
write, file systems that do not keep ctime (some network and FUSE mounts), and bytes changed
under the file system (a disk editor, bit rot). ``--no-cache`` reads every report regardless.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

from geo.project.checked_file import read_checked, write_checked

_MAGIC = b"renewal-map file digests 1\n"
_INDEX = "digests.index"
SETTLED_S = 2.0
_MAX_ENTRIES = 500_000

Stamp = tuple[int, int, int, int, int]


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FileDigests:
    """Digests of files by path, kept in ``folder/digests.index`` between builds."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / _INDEX
        self.known: dict[str, tuple[Stamp, bytes]] = self._read()
        self.changed = False
        self.hashed = 0

    def _read(self) -> dict[str, tuple[Stamp, bytes]]:
        body = read_checked(self.path, _MAGIC)
        if body is None:
            return {}  # missing or damaged: every file is hashed again
        try:
            found = pickle.loads(body)
        except Exception:
            return {}
        return found if isinstance(found, dict) else {}

    def digest(self, path: Path) -> bytes:
        """The SHA-256 of ``path``'s bytes. Raises OSError when it cannot be read."""
        name = os.fsdecode(os.path.abspath(path))
        with open(path, "rb") as f:
            before = _stamp(os.fstat(f.fileno()))
            known = self.known.get(name)
            if known is not None and known[0] == before:
                return known[1]
            h = hashlib.sha256()
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
            after = _stamp(os.fstat(f.fileno()))
        self.hashed += 1
        settled = time.time_ns() - max(after[3], after[4]) >= SETTLED_S * 1e9
        if before == after and settled:
            self.known[name] = (after, h.digest())
            self.changed = True
        elif self.known.pop(name, None) is not None:
            self.changed = True
        return h.digest()

    def save(self) -> None:
        """Write the index when it changed (atomically; a folder that cannot be written is no error)."""
        if not self.changed:
            return
        if len(self.known) > _MAX_ENTRIES:
            self.known = {}
        write_checked(self.path, _MAGIC, pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL))
