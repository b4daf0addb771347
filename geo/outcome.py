"""How a command ended, in words; the command line alone turns it into an exit code (``geo.cli``)."""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    DONE = "done"  # every input read, everything asked for done
    # done, but something needs a person: inputs refused, missing or waiting for a county, problems found
    PARTIAL = "partial"
    FAILED = "failed"  # nothing done (the reason on stderr); earlier layers left as they were
