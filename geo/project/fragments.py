"""A layer file's bytes put together from pieces encoded earlier, the same bytes as
:func:`geo.output.layers.layer_bytes` gives for the whole list of features.

``json.dumps(..., indent=1)`` writes each feature of a FeatureCollection on lines of its own,
indented two levels deep, and strings never hold a raw line break (``\\n`` is escaped). So a
feature encoded alone and indented two more spaces after each line break is the text the whole
collection holds for it; features are joined by ``,\\n`` and two spaces. Keeping these pieces
per county lets a build re-encode only the counties that changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

_ITEM_INDENT = "\n  "  # a feature sits two levels deep: in the collection, in its "features" list
_SEPARATOR = "," + _ITEM_INDENT


def feature_text(feature: dict[str, Any]) -> str:
    """One feature as the layer file writes it, without the indentation of its first line."""
    return json.dumps(feature, ensure_ascii=False, indent=1).replace("\n", _ITEM_INDENT)


def piece(texts: Iterable[str]) -> bytes:
    """Features' texts as one piece of a collection's list, UTF-8 (kept as bytes: half the memory
    of text holding Chinese, and joined into the file without another copy)."""
    return _SEPARATOR.join(texts).encode("utf-8")


def collection_bytes(pieces: Iterable[bytes], attribution: list[str]) -> bytes:
    """The layer file of the features in ``pieces`` (from :func:`piece`, in order; empty ones
    skipped) owing ``attribution``."""
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if attribution:
        fc = {"type": "FeatureCollection", "attribution": attribution, "features": []}
    text = json.dumps(fc, ensure_ascii=False, indent=1) + "\n"
    parts = [p for p in pieces if p]
    if not parts:
        return text.encode("utf-8")
    head = (text[: -len("[]\n}\n")] + "[" + _ITEM_INDENT).encode("utf-8")
    separator = _SEPARATOR.encode("utf-8")
    chunks = [head]
    for i, p in enumerate(parts):
        chunks += [separator, p] if i else [p]
    chunks.append(b"\n ]\n}\n")
    return b"".join(chunks)
