"""The four layer files: one RFC 7946 FeatureCollection per category, written together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.atomic import write_many_atomic

LAYERS = ("renewal", "parks", "roads", "scenic")


def layer_bytes(features: list[dict[str, Any]]) -> bytes:
    """Deterministic bytes: same features, same file (UTF-8 Chinese, not \\u escapes)."""
    from geo.output.attribution import features_attribution

    fc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    owed = features_attribution(features)
    if owed:  # GeoNames / OpenStreetMap data behind some locations: their licences ask for this
        fc = {"type": "FeatureCollection", "attribution": owed, "features": features}
    return (json.dumps(fc, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def layer_files(out: Path, features: list[dict[str, Any]]) -> tuple[dict[Path, bytes], dict[str, int]]:
    """The four layer files' bytes (empty layers too) and the feature count per layer."""
    by_layer: dict[str, list[dict[str, Any]]] = {name: [] for name in LAYERS}
    for f in features:
        by_layer[f["properties"]["category"]].append(f)
    files = {out / f"{name}.geojson": layer_bytes(feats) for name, feats in by_layer.items()}
    return files, {name: len(feats) for name, feats in by_layer.items()}


def write_layers(out: Path, features: list[dict[str, Any]],
                 extra: dict[str, bytes] | None = None) -> dict[str, int]:
    """Write all four layers (and ``extra`` files beside them, by name) atomically; returns the
    feature count per layer."""
    files, counts = layer_files(out, features)
    write_layer_files(out, files, extra)
    return counts


def write_layer_files(out: Path, files: dict[Path, bytes], extra: dict[str, bytes] | None = None) -> None:
    """Write the four layer files already encoded (and ``extra`` files beside them) atomically."""
    write_many_atomic({**files, **{out / name: data for name, data in (extra or {}).items()}})
