"""The app's project (:class:`geo.project.project.Project`, from the environment) and its rebuild.

By default the app shows ``layers/`` and writes into ``data/`` of the working directory (what
``python -m geo build`` reads and writes); ``RENEWAL_MAP_LAYERS``, ``RENEWAL_MAP_DATA`` and
``RENEWAL_MAP_OVERRIDES`` point it elsewhere (:meth:`Project.from_environment`), so that a test
or a second copy never touches the project's own files.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.web.service import Project

BUILD_TIMEOUT_S = 600


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
