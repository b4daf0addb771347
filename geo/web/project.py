"""The project the app works on: its layers, its reports and its hand placements.

By default the app shows ``layers/`` and writes into ``data/`` of the working directory (what
``python -m geo build`` reads and writes). Environment variables point it elsewhere, so that a
test or a second copy never touches the project's own files:

* ``RENEWAL_MAP_LAYERS``    — the built layers (read; rewritten by "save" and "rebuild");
* ``RENEWAL_MAP_DATA``      — the data folder: reports in ``<data>/sources``;
* ``RENEWAL_MAP_OVERRIDES`` — the hand placements (default ``<data>/overrides.geojson``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.web.layers_io import layers_folder

DATA_ENV = "RENEWAL_MAP_DATA"
OVERRIDES_ENV = "RENEWAL_MAP_OVERRIDES"
DEFAULT_DATA = "data"
OVERRIDES_NAME = "overrides.geojson"
BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class Project:
    layers: Path
    data: Path
    overrides: Path

    @property
    def sources(self) -> Path:
        return self.data / "sources"


def current_project() -> Project:
    data = Path(os.environ.get(DATA_ENV) or DEFAULT_DATA)
    overrides = Path(os.environ.get(OVERRIDES_ENV) or data / OVERRIDES_NAME)
    return Project(layers=layers_folder(), data=data, overrides=overrides)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime, size) of a file, or None when it does not exist: a cache key for its content."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@dataclass(frozen=True)
class BuildRun:
    returncode: int
    log: str

    @property
    def ok(self) -> bool:
        # 1: the layers were written but some reports were refused (named in the log);
        # 2: nothing built, 3: internal error, anything else (a signal, Python's own): failure
        return self.returncode in (0, 1)


def build_command(project: Project) -> list[str]:
    """The command that rebuilds this project's layers: ``python -m geo build`` of its reports,
    reading its placements."""
    return [
        sys.executable,
        "-m",
        "geo",
        "build",
        str(project.sources),
        "--out",
        str(project.layers),
        "--overrides",
        str(project.overrides),
        "--quiet",
    ]


def rebuild(project: Project) -> BuildRun:
    """Rebuild the project's layers from its reports and its placements, as the build command does.

    Runs in its own process; the project's layers are replaced only when the build succeeds.
    """
    try:
        done = subprocess.run(
            build_command(project),
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return BuildRun(returncode=2, log=str(error))
    return BuildRun(returncode=done.returncode, log=(done.stderr or "") + (done.stdout or ""))
