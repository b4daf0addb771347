"""``python -m geo county FILE [--explain]``: the county the build would give a report, and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.outcome import Outcome


def run_county(files: list[Path], explain: bool = False, county: str | None = None) -> Outcome:
    """Print each report's county (how, confidence) or its guesses; with ``explain`` the words that
    voted for each guess. DONE when every report has a county, PARTIAL when one waits, FAILED on an
    error."""
    from geo.errors import GeoError, printable
    from geo.locate.county.decide import explain as explain_lines
    from geo.outcome import Outcome
    from geo.project.pending import entry
    from geo.report.pipeline import process_file

    status = Outcome.DONE
    for path in files:
        try:
            doc = process_file(path, county=county, root=path.parent, pending_ok=True)
        except GeoError as e:
            print(f"error: {e}", file=sys.stderr)
            status = Outcome.FAILED
            continue
        if doc.county is not None:
            print(f"{printable(path)}: {doc.county.key} (how: {doc.county_source}; "
                  f"confidence {doc.county_confidence:.2f})")
        else:
            e = entry(doc, path.parent)
            print(f"{printable(path)}: county unclear ({doc.pending_reason}); to place it, add to "
                  f"{printable(e['manifest'])}: {e['manifest_line']}")
            if status is Outcome.DONE:
                status = Outcome.PARTIAL
        if explain:
            from geo.locate.county.decide import Decision

            d = Decision(doc.county, doc.county_source, doc.county_confidence, doc.guesses,
                         doc.pending_reason)
            for line in explain_lines(d)[1:]:
                print(line)
    return status
