"""How a command ended, in words; the command line alone turns it into an exit code (``geo.cli``)."""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    DONE = "done"  # every input read, everything asked for done
    PARTIAL = "partial"  # the layers were written, but some inputs were refused, missing or wait for a county
    FAILED = "failed"  # nothing done (the reason on stderr); earlier layers left as they were
