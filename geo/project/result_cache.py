"""Each report's result, kept between builds so that a build re-reads only what changed.

An entry is keyed by everything the result depends on: the report's bytes and the path it is
read under, what the build is told beside the text (``--county`` and any other per-report
hint), and the version of the pipeline — a digest of the ``geo`` package's code, lexicons and
data files and of the versions of the libraries whose tables it reads. A change to any of them
is another key, so a stale entry is never found, only left behind.

An entry is one file: a magic line, the SHA-256 of the payload, the pickled result. One that does
not check out (cut short by a crash, damaged on disk, written by another Python) is removed and
the report is read again. Entries are written to a temporary name and renamed into place, so
workers writing the same entry at once leave one whole copy.

The cache holds only what the build wrote itself (a user's own cache folder, like the geocoding
cache): pickle is safe here because no one else writes there.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from geo.project.checked_file import write_checked

if TYPE_CHECKING:
    from geo.project.file_digests import FileDigests

APP_NAME = "renewal-map"
ENV = "RENEWAL_MAP_RESULTS"  # the results folder; "off" (or "0") turns the cache off
_MAGIC = b"renewal-map result 1\n"
_DIGEST = 32
# what a report's result depends on besides the package's own files
_LIBRARIES = ("jieba", "jionlp", "pypinyin", "pyahocorasick", "trafilatura", "pdfplumber", "python-docx",
              "charset-normalizer")
_PACKAGE_FILES = (".py", ".txt", ".tsv", ".toml", ".csv", ".json", ".bin", ".npz")


def default_folder() -> Path | None:
    """``$RENEWAL_MAP_RESULTS``, else the user's cache folder; None when the variable says off."""
    env = os.environ.get(ENV)
    if env is not None and env.strip().lower() in ("off", "0", "no", "false"):
        return None
    return Path(env) if env else platformdirs.user_cache_path(APP_NAME) / "results"


@cache
def pipeline_version() -> str:
    """A digest of what the per-report pipeline is: its code, lexicons and data, and its libraries."""
    root = Path(__file__).resolve().parents[1]  # the geo package
    h = hashlib.sha256()
    h.update(f"python {sys.version_info[:2]} pickle {pickle.HIGHEST_PROTOCOL}\n".encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    files = sorted(p for p in root.rglob("*") if p.suffix in _PACKAGE_FILES and "__pycache__" not in p.parts)
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class ResultCache:
    """Results by key in ``folder`` (created on the first write), one file ``<key><suffix>`` each."""

    def __init__(self, folder: Path, suffix: str = ".pickle") -> None:
        self.folder = Path(folder)
        self.suffix = suffix
        self.hits = self.misses = self.dropped = 0

    def key(self, path: Path, hints: Iterable[Any] = (), digests: FileDigests | None = None) -> str:
        """The key of reading ``path`` (its bytes as they are now) with ``hints`` beside it;
        ``digests``: the file digests remembered from earlier builds (else the file is hashed)."""
        h = hashlib.sha256()
        h.update(pipeline_version().encode())
        h.update(b"\0" + os.fsencode(str(path)) + b"\0")
        h.update(repr(tuple(hints)).encode("utf-8", "surrogatepass") + b"\0")
        if digests is not None:
            h.update(digests.digest(path))
        else:
            content = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    content.update(block)
            h.update(content.digest())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def _body(self, key: str) -> bytes | None:
        """The payload kept under ``key`` when whole; a damaged entry is removed (counted dropped)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head, body = len(_MAGIC), data[len(_MAGIC) + _DIGEST:]
        if data.startswith(_MAGIC) and data[head:head + _DIGEST] == hashlib.sha256(body).digest():
            return body
        self.dropped += 1
        path.unlink(missing_ok=True)
        return None

    def get(self, key: str) -> Any | None:
        """The result kept under ``key``, or None (missing, or damaged and removed)."""
        result = self.load(key)
        if result is None:
            self.misses += 1
        else:
            self.hits += 1
        return result

    def check(self, key: str) -> bool:
        """Whether a whole entry is kept under ``key`` (counted as a hit), without unpickling it:
        the expensive part of a kept result is unpickling, which a build can then do only when
        the result is needed (:meth:`load`). A damaged entry is removed and counted a miss."""
        whole = self._body(key) is not None
        if whole:
            self.hits += 1
        else:
            self.misses += 1
        return whole

    def load(self, key: str) -> Any | None:
        """The entry under ``key`` (not counted), or None: missing, damaged, or of a class that
        moved or changed (then removed too)."""
        body = self._body(key)
        if body is None:
            return None
        try:
            return pickle.loads(body)
        except Exception:  # a class that moved or changed: read the report again
            self.dropped += 1
            self._path(key).unlink(missing_ok=True)
            return None

    def put(self, key: str, result: Any) -> None:
        """Keep ``result`` under ``key``; a cache that cannot be written is only a slower next build."""
        buf = io.BytesIO()
        pickle.dump(result, buf, protocol=pickle.HIGHEST_PROTOCOL)
        body = buf.getvalue()
        write_checked(self._path(key), _MAGIC, body)
