"""``python -m geo build`` run in the test's process (through ``geo.cli.main``), with what it
said and the layers it wrote."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from geo.cli import main
from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"  # a Deqing county report


@dataclass(frozen=True)
class Built:
    code: int
    stderr: str
    layers: dict[str, bytes]

    def features(self) -> list[dict[str, Any]]:
        return [f for data in self.layers.values() for f in json.loads(data)["features"]]

    def names(self) -> set[str]:
        return {f["properties"]["name"] for f in self.features()}

    def quotes(self) -> list[str]:
        return [s["quote"] for f in self.features() for s in f["properties"]["sources"]]


def run_build(inputs: list[Path], out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Built:
    capsys.readouterr()
    code = main(["build", *map(str, inputs), "--out", str(out), "--quiet", *extra])
    err = capsys.readouterr().err
    layers = {n: (out / f"{n}.geojson").read_bytes() for n in LAYERS if (out / f"{n}.geojson").exists()}
    return Built(code, err, layers)
