"""A layer file's bytes put together from pieces encoded earlier, the same bytes as
:func:`geo.layers.layer_bytes` gives for the whole list of features.

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


def joined(texts: Iterable[str]) -> str:
    """Features' texts (or pieces already joined) as one piece of a collection's list."""
    return _SEPARATOR.join(t for t in texts if t)


def collection_bytes(piece: str, attribution: list[str]) -> bytes:
    """The layer file of the features in ``piece`` (from :func:`joined`) owing ``attribution``."""
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    if attribution:
        fc = {"type": "FeatureCollection", "attribution": attribution, "features": []}
    text = json.dumps(fc, ensure_ascii=False, indent=1)
    if piece:
        text = text[: -len("[]\n}")] + "[" + _ITEM_INDENT + piece + "\n ]\n}"
    return (text + "\n").encode("utf-8")
