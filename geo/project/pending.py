"""``pending.json`` beside the layers: the reports whose county the build could not tell.

Each waits with its ranked guesses and their evidence, the manifest line that would place it,
and every site extracted from it, so nothing found is lost while a person decides. It is never
mixed into the four layers. A build writes it when a report waits, or to empty the list of an
earlier build; a folder that never had a waiting report holds the four layers only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.report.manifest import MANIFEST, manifest_line

if TYPE_CHECKING:
    from geo.model import DocumentResult

PENDING = "pending.json"


def entry(result: DocumentResult, root: Path | None) -> dict[str, Any]:
    """What waits of one report: file, manifest to add it to, line to add, guesses, sites."""
    path = Path(result.path)
    folder = root if root is not None and root.is_dir() else path.parent
    try:
        rel = path.relative_to(folder).as_posix()
    except ValueError:
        folder, rel = path.parent, path.name
    guesses = [g.as_json() for g in result.guesses]
    first = result.guesses[0].county.key if result.guesses else "<county>"
    sites = [{"name": m.mention.name, "category": m.mention.layer, "kind": m.mention.kind,
              "surface": result.text[m.mention.start:m.mention.end], "start": m.mention.start,
              "end": m.mention.end, "status": m.status} for m in result.mentions]
    return {"file": rel, "path": str(path), "manifest": str(folder / MANIFEST),
            "manifest_line": manifest_line(rel, first), "reason": result.pending_reason,
            "reason_code": result.pending_code,
            "guesses": guesses, "sites": sites, **result.about()}


def pending_bytes(entries: list[dict[str, Any]]) -> bytes:
    """Deterministic bytes: same reports, same file."""
    doc = {"pending": sorted(entries, key=lambda e: e["path"])}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_pending(out: Path) -> list[dict[str, Any]]:
    """The reports waiting for a county in the layers folder ``out`` ([] when none or no file)."""
    try:
        doc = json.loads((out / PENDING).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return []
    items = doc.get("pending") if isinstance(doc, dict) else None
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []
