"""``python -m geo build --workers N``: the layers are byte for byte those of one worker."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
DEV = ROOT.parent / "shared" / "eval" / "dev"


def _build(inputs: Path, out: Path, workers: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "build", str(inputs), "--out", str(out), "--quiet", "--no-cache", "--workers", workers],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, the dev reports when present, and two files that are refused."""
    folder = tmp_path_factory.mktemp("reports")
    for path in [*SOURCES.glob("*.txt"), *(DEV.glob("*.txt") if DEV.is_dir() else [])]:
        shutil.copyfile(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "no_county.txt").write_text("今年完成了很多工作，明年继续努力。\n", encoding="utf-8")
    return folder


def test_two_workers_write_the_layers_of_one(reports: Path, tmp_path: Path) -> None:
    one = _build(reports, tmp_path / "one", "1")
    two = _build(reports, tmp_path / "two", "2")
    # one file is refused, one waits for a county
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    for name in (*LAYERS, "pending"):
        file = "pending.json" if name == "pending" else f"{name}.geojson"
        a = (tmp_path / "one" / file).read_bytes()
        b = (tmp_path / "two" / file).read_bytes()
        assert a == b, name
    # the same summary, warnings in the same (input) order
    assert one.stderr.replace(str(tmp_path / "one"), "OUT") == two.stderr.replace(str(tmp_path / "two"), "OUT")
    warnings = [ln for ln in one.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) >= 1 and any("empty.txt" in w for w in warnings)
    assert f"{len(warnings)} file(s) refused" in one.stderr
    assert "no_county.txt: county unclear" in one.stderr and "report(s) need a county" in one.stderr


def test_workers_must_be_a_count(tmp_path: Path) -> None:
    bad = _build(SOURCES, tmp_path / "out", "-1")
    assert bad.returncode == 2 and "--workers" in bad.stderr
    assert not (tmp_path / "out").exists()
