"""Small real file systems for tests: a tmpfs of a given size, read-only if asked.

Mounting needs root (or a user namespace); tests that use it are skipped where it is refused.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(args: list[str]) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "4m", *, read_only: bool = False) -> Iterator[Path]:
    """Mount a fresh tmpfs of ``size`` on ``where`` (created); unmounted on exit."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _mount(["-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)]):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def remount_read_only(where: Path) -> None:
    if not _mount(["-o", "remount,ro", str(where)]):
        pytest.skip("cannot remount read-only here")
