"""A build and a save into the same project must not lose each other's work.

A save (:func:`geo.project.upload.save_upload`) holds a lock on the sources folder while it reads,
builds and writes. A build takes the same lock only for its last step: it checks, under the
lock, that its inputs are those it read (same files, sizes, times, inodes), writes the layers
and lets go. Inputs that changed while it read them (a save finished meanwhile) make it read
them again, this time holding the lock from the start, so the layers always hold every saved
report's sites.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from geo.atomic import directory_lock

Fingerprint = tuple[tuple[str, int, int, int], ...]


def fingerprint(files: list[Path]) -> Fingerprint:
    """What identifies the content of ``files`` without reading them."""
    out = []
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            out.append((str(path), -1, -1, -1))
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def lock_folders(inputs: list[Path], out: Path) -> list[Path]:
    """The folders a save may write reports into: each input folder, and the folder of each input file.

    Sorted, so two builds take them in the same order. The folder the layers are written into is
    left out: the layer write locks it itself, and a second lock from this process would wait for ever.
    """
    out_parent = Path(out).absolute().resolve().parent
    folders = set()
    for p in inputs:
        p = Path(p).absolute().resolve()
        folder = p if p.is_dir() else p.parent
        if folder.is_dir() and folder != out_parent and folder != Path(out).absolute().resolve():
            folders.add(folder)
    return sorted(folders)


@contextlib.contextmanager
def inputs_locked(inputs: list[Path], out: Path) -> Iterator[None]:
    """Hold the lock a save holds on every folder the inputs come from."""
    with contextlib.ExitStack() as stack:
        for folder in lock_folders(inputs, out):
            with contextlib.suppress(OSError):
                stack.enter_context(directory_lock(folder))
        yield
