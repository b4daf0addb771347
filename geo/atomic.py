"""Write files so that a reader sees the old content or the new, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_many_atomic({path: data})


def write_many_atomic(files: Mapping[Path, bytes]) -> None:
    """Write every file to a temporary sibling, fsync, then rename each into place.

    Nothing is replaced until every temporary file is complete, so a failure while
    writing leaves all the old files untouched.
    """
    with _staged(files) as staged:
        for tmp, final in staged:
            os.replace(tmp, final)
        for d in {final.parent for _, final in staged}:
            _fsync_dir(d)


@contextmanager
def _staged(files: Mapping[Path, bytes]) -> Iterator[list[tuple[Path, Path]]]:
    staged: list[tuple[Path, Path]] = []
    try:
        for final, data in files.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
            staged.append((Path(name), final))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        yield staged
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
