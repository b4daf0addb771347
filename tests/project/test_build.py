"""The build end to end: real files in, RFC 7946 layers out, scored against the gold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from documents import build_docx, build_html, build_pdf

from geo.cli import main
from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
DEQING = SOURCES / "002_baa0c397a6a27755.txt"
EVAL = ROOT.parent / "shared" / "eval"


def build(inputs: list[Path], out: Path, *extra: str) -> int:
    return main(["build", *map(str, inputs), "--out", str(out), "--quiet", *extra])


def layer_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.geojson").read_bytes() for name in LAYERS}


def features(out: Path) -> list[dict]:
    return [f for name in LAYERS for f in json.loads((out / f"{name}.geojson").read_text("utf-8"))["features"]]


@pytest.fixture(scope="module")
def seed_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("layers")
    assert build([SOURCES], out) == 0
    return out


def test_four_rfc7946_layers(seed_layers: Path) -> None:
    for name in LAYERS:
        raw = (seed_layers / f"{name}.geojson").read_text("utf-8")
        fc = json.loads(raw)
        assert fc["type"] == "FeatureCollection" and "crs" not in fc
        assert "\\u" not in raw  # Chinese as UTF-8, not escapes
        for f in fc["features"]:
            p = f["properties"]
            assert p["category"] == name
            assert p["precision"] in {"exact", "street", "township", "county"} and p["uncertainty_m"] > 0
            lon, lat = f["geometry"]["coordinates"] if f["geometry"]["type"] == "Point" else (0, 0)
            if f["geometry"]["type"] == "Point":
                assert 73 < lon < 136 and 18 < lat < 54  # [lon, lat], in China
            for s in p["sources"]:
                assert s["doc"].endswith(".txt") and s["quote"]


def test_quotes_slice_the_cleaned_text(seed_layers: Path) -> None:
    from geo.text.clean import clean_text

    texts = {p.name: clean_text(p.read_text("utf-8")) for p in SOURCES.glob("*.txt")}
    for f in features(seed_layers):
        for s in f["properties"]["sources"]:
            assert texts[s["doc"]][s["start"] : s["end"]] == s["quote"]
            assert s["surface"] in s["quote"]


def test_rebuild_is_byte_identical_and_ids_stable(seed_layers: Path, tmp_path: Path) -> None:
    assert build([SOURCES], tmp_path) == 0
    assert layer_bytes(tmp_path) == layer_bytes(seed_layers)
    ids = [f["properties"]["id"] for f in features(tmp_path)]
    assert len(ids) == len(set(ids))


def test_committed_layers_are_fresh(seed_layers: Path) -> None:
    """layers/ in the repository must be what the build makes of data/sources (rebuild and commit if not)."""
    assert layer_bytes(ROOT / "layers") == layer_bytes(seed_layers)


def test_failed_run_leaves_previous_layers(seed_layers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([SOURCES], out) == 0
    before = layer_bytes(out)
    bad = tmp_path / "bad.pdf"
    bad.write_text("这不是PDF", encoding="utf-8")
    assert build([bad], out) == 2
    assert layer_bytes(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_bad_file_is_named_and_others_still_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert build([DEQING, bad], tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err
    assert any(f["properties"]["name"] == "狮子山休闲公园" for f in features(tmp_path / "out"))


def test_county_override_and_unknown_county(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build([DEQING], tmp_path / "a", "--county", "德清县") == 0
    assert {f["properties"]["county"] for f in features(tmp_path / "a")} == {"德清县"}
    assert build([DEQING], tmp_path / "b", "--county", "不存在县") == 2
    assert "不存在县" in capsys.readouterr().err


def _names(out: Path) -> set[str]:
    return {f["properties"]["name"] for f in features(out)}


@pytest.fixture(scope="module")
def blocks() -> list[tuple[int, str]]:
    out = []
    for block in re.split(r"\n\s*\n", DEQING.read_text("utf-8")):
        block = block.strip()
        if block:
            level = len(block) - len(block.lstrip("#"))
            out.append((level, block.lstrip("#").strip()))
    return out


@pytest.mark.parametrize("fmt", ["gbk", "docx", "html", "pdf"])
def test_every_format_gives_the_same_sites(fmt: str, tmp_path: Path, blocks: list[tuple[int, str]]) -> None:
    assert build([DEQING], tmp_path / "txt") == 0
    expected = _names(tmp_path / "txt")
    if fmt == "gbk":
        path = tmp_path / "report.txt"
        path.write_bytes(DEQING.read_text("utf-8").encode("gbk"))
    elif fmt == "docx":
        path = build_docx(tmp_path / "report.docx", blocks)
    elif fmt == "html":
        path = tmp_path / "report.html"
        path.write_text(build_html(blocks, "utf-8"), encoding="utf-8")
    else:
        path = build_pdf(tmp_path / "report.pdf", blocks)
    assert build([path], tmp_path / fmt) == 0
    assert _names(tmp_path / fmt) == expected


def _score(layers: Path, *gold: Path) -> dict[str, float]:
    args = [sys.executable, str(EVAL / "score.py"), "--layers", str(layers), "--quiet"]
    if gold:
        args += ["--gold", *map(str, gold)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    summary = next(ln for ln in out.splitlines() if ln.startswith("SUMMARY"))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)(?:\s|$)", summary)}


@pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="the evaluation kit (../shared/eval) is not beside the repo")
def test_seed_gold_bars(seed_layers: Path) -> None:
    s = _score(seed_layers)
    assert s["F1"] >= 0.95 and s["quotes"] >= 0.95 and s["layer"] >= 0.9 and s["status"] >= 0.8
    assert s["property_problems"] == 0


@pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="the evaluation kit (../shared/eval) is not beside the repo")
def test_development_set_generalises(tmp_path: Path) -> None:
    assert build([EVAL / "dev"], tmp_path) in (0, 1)
    s = _score(tmp_path, *sorted((EVAL / "dev").glob("*.gold.jsonl")))
    assert s["F1"] >= 0.75 and s["county"] == 1.0


def test_a_report_whose_county_cannot_be_told_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vague = tmp_path / "没有县名.txt"
    vague.write_text("今年城建进展顺利，改了旧小区25个。", encoding="utf-8")
    assert build([DEQING, vague], tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "没有县名.txt" in err and "county" in err
    assert build([vague], tmp_path / "out2", "--county", "永康市") == 0
