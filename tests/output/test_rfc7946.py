"""The strict GeoJSON check (geo/output/rfc7946.py), and the built layers against it and against GDAL."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.output.layers import LAYERS
from geo.output.rfc7946 import Problem, validate, validate_file, validate_text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"

RING = [[120.0, 28.0], [120.1, 28.0], [120.1, 28.1], [120.0, 28.1], [120.0, 28.0]]  # counter-clockwise
HOLE = [[120.02, 28.02], [120.02, 28.08], [120.08, 28.08], [120.08, 28.02], [120.02, 28.02]]  # clockwise


def fc(*geoms: dict[str, Any], **extra: Any) -> dict[str, Any]:
    feats = [
        {"type": "Feature", "id": f"s{i}", "geometry": g, "properties": {"name": "塔山公园"}}
        for i, g in enumerate(geoms)
    ]
    return {"type": "FeatureCollection", "features": feats, **extra}


GOOD = fc(
    {"type": "Point", "coordinates": [120.02, 28.9]},
    {"type": "LineString", "coordinates": [[120.0, 28.86], [120.03, 28.87]]},
    {"type": "Polygon", "coordinates": [RING, HOLE]},
    {"type": "MultiPolygon", "coordinates": [[RING]]},
    {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [120.0, 28.0, 12.5]}]},
)


def problems(doc: Any, **kw: Any) -> list[str]:
    return [str(p) for p in validate(doc, **kw)]


def test_good_collection_passes_as_object_and_as_text() -> None:
    assert problems(GOOD) == []
    assert validate_text(json.dumps(GOOD)) == []
    assert validate_text(json.dumps(GOOD, ensure_ascii=False).encode("utf-8")) == []
    feature_with_null_geometry = {"type": "Feature", "geometry": None, "properties": None}
    assert problems(feature_with_null_geometry) == []


def _with(geom: dict[str, Any]) -> dict[str, Any]:
    return fc(geom)


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (_with({"type": "Polygon", "coordinates": [RING[::-1]]}), "exterior ring is clockwise"),
        (_with({"type": "Polygon", "coordinates": [RING, HOLE[::-1]]}), "hole is counter-clockwise"),
        (
            _with({"type": "MultiPolygon", "coordinates": [[RING], [RING[::-1]]]}),
            "coordinates[1][0]: exterior",
        ),
        (_with({"type": "Polygon", "coordinates": [RING[:-1]]}), "not closed"),
        (_with({"type": "Polygon", "coordinates": [RING[:3]]}), "four or more positions"),
        (
            _with({"type": "Polygon", "coordinates": [[[120, 28], [121, 28], [120, 28], [120, 28]]]}),
            "no area",
        ),
        (_with({"type": "Point", "coordinates": [28.9, 120.02]}), "reads as [lat, lon]"),
        (
            _with({"type": "LineString", "coordinates": [[120.0, 28.0], [28.1, 120.1]]}),
            "coordinates[1]: [28.1, 120.1] reads",
        ),
        (_with({"type": "Point", "coordinates": [200.0, 28.0]}), "out of range"),
        (_with({"type": "Point", "coordinates": [2.35, 48.85]}), "outside China"),
        (_with({"type": "Point", "coordinates": [120.123456789, 28.9]}), "9 decimals"),
        (_with({"type": "Point", "coordinates": [float("nan"), 28.9]}), "non-finite"),
        (_with({"type": "Point", "coordinates": [120.0, float("inf")]}), "non-finite"),
        (_with({"type": "Point", "coordinates": [True, 28.9]}), "must be a number"),
        (_with({"type": "Point", "coordinates": ["120", 28.9]}), "must be a number"),
        (_with({"type": "Point", "coordinates": [120, 28, 1, 2]}), "two or three numbers"),
        (_with({"type": "LineString", "coordinates": [[120, 28]]}), "two or more positions"),
        (_with({"type": "Circle", "coordinates": [120, 28]}), "geometry object or null"),
        (_with({"type": "Point"}), "must have 'coordinates'"),
        (fc(crs={"type": "name", "properties": {"name": "EPSG:4326"}}), "$.crs: a 'crs' member"),
        (_with({"type": "Point", "coordinates": [120, 28], "crs": {}}), "geometry.crs"),
        ({"type": "FeatureCollection"}, "features: must be an array"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Point", "coordinates": [120, 28]}]},
            "holds Feature objects only",
        ),
        ({"type": "Feature", "geometry": None}, "must have a 'properties' member"),
        ({"type": "Feature", "properties": {}}, "must have a 'geometry' member"),
        ({"type": "Feature", "geometry": None, "properties": [1]}, "must be an object or null"),
        (
            {"type": "Feature", "id": None, "geometry": None, "properties": {}},
            "id: must be a string or a number",
        ),
        (
            {"type": "Feature", "geometry": None, "properties": {}, "features": []},
            "must not have a 'features'",
        ),
        ({**GOOD, "geometry": None}, "FeatureCollection must not have a 'geometry'"),
        (
            {"type": "Point", "coordinates": [120, 28], "properties": {}},
            "Geometry must not have a 'properties'",
        ),
        ({**GOOD, "bbox": [120, 29, 121, 28]}, "bbox minimum above its maximum"),  # west > east may wrap
        ({**GOOD, "bbox": [120, 28]}, "4 (or 6) numbers"),
        ({"type": "Topology"}, "unknown or missing type"),
        ([GOOD], "must be a JSON object"),
    ],
)
def test_each_fault_is_caught(doc: Any, words: str) -> None:
    found = problems(doc)
    assert any(words in p for p in found), found


def test_text_checks_numbers_as_written() -> None:
    text = json.dumps(GOOD).replace("120.02", "120.0200000000", 1)
    assert any("10 decimals" in str(p) for p in validate_text(text))
    assert any(
        "9 decimals" in str(p) for p in validate_text(text.replace("120.0200000000", "120020000000e-9"))
    )
    assert validate_text(text.replace("120.0200000000", "12002e-2")) == []
    nan = json.dumps(_with({"type": "Point", "coordinates": [float("nan"), 28.9]}))
    assert "NaN" in nan
    assert any("non-finite" in str(p) for p in validate_text(nan))
    dup = '{"type": "Feature", "geometry": null, "properties": {}, "type": "Feature"}'
    assert any("given twice: type" in str(p) for p in validate_text(dup))
    assert [str(p) for p in validate_text(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())] == [
        "$: starts with a byte-order mark (RFC 8259 §8.1 forbids it)"
    ]
    assert "not UTF-8" in str(validate_text(b'{"type": "\xff"}')[0])
    assert "not JSON" in str(validate_text("{"))
    assert "not JSON" in str(validate_text("[" * 100_000))


def test_outside_china_only_when_asked() -> None:
    paris = _with({"type": "Point", "coordinates": [2.35, 48.85]})
    assert problems(paris, china=False) == []
    assert problems(_with({"type": "Point", "coordinates": [28.9, 120.02]}), china=False) == [
        "$.features[0].geometry.coordinates: [28.9, 120.02] is out of range (longitude ±180, latitude ±90)"
    ]


def test_problem_names_the_place() -> None:
    doc = copy.deepcopy(GOOD)
    doc["features"][2]["geometry"]["coordinates"][1] = HOLE[::-1]
    assert validate(doc) == [
        Problem(
            "$.features[2].geometry.coordinates[1]", "hole is counter-clockwise (RFC 7946 §3.1.6: clockwise)"
        )
    ]


@settings(max_examples=80, derandomize=True, database=None, deadline=None)
@given(
    st.lists(st.tuples(st.floats(73.5, 135.5), st.floats(18.5, 53.5)), min_size=3, max_size=12, unique=True)
)
def test_shapely_oriented_polygons_pass_and_reversed_ones_fail(points: list[tuple[float, float]]) -> None:
    from shapely.geometry import MultiPoint

    from geo.output.features import geometry_json

    hull = MultiPoint(points).convex_hull
    if hull.geom_type != "Polygon" or hull.area < 1e-6:
        return
    geom = geometry_json(hull)  # what the build writes: oriented, rounded to 6 decimals
    assert problems(_with(geom)) == []
    flipped = {"type": "Polygon", "coordinates": [geom["coordinates"][0][::-1]]}
    assert any("clockwise" in p for p in problems(_with(flipped)))


# --- the built layers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rfc7946") / "layers"
    assert main(["build", str(SOURCES), "--out", str(out), "--quiet"]) == 0
    return out


def _layer_files(folder: Path) -> list[Path]:
    files = [folder / f"{n}.geojson" for n in LAYERS]
    assert all(p.is_file() for p in files), folder
    return files


@pytest.mark.parametrize("which", ["fresh build of the seeds", "layers/ in the repository"])
def test_built_layers_pass_and_open_in_gdal(which: str, built: Path) -> None:
    import geopandas
    import pyogrio

    folder = built if which.startswith("fresh") else ROOT / "layers"
    for path in _layer_files(folder):
        assert validate_file(path) == [], path
        n = len(json.loads(path.read_bytes())["features"])
        assert len(pyogrio.read_dataframe(path)) == n
        frame = geopandas.read_file(path)
        assert len(frame) == n and (n == 0 or frame.crs.to_epsg() == 4326)
        if n:
            assert frame.geometry.is_valid.all(), path
    assert main(["check-geojson", *(str(p) for p in _layer_files(folder))]) == 0


def test_downloads_pass_too(built: Path) -> None:
    from geo.web import export
    from geo.web.layers_io import read_layers

    layers = read_layers(built)
    assert validate_text(export.all_layers_bytes(layers)) == []
    assert validate_text(export.feature_collection_bytes(f for _, f in layers.all_features()[:5])) == []


def test_command_line_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(_with({"type": "Point", "coordinates": [28.9, 120.02]})), encoding="utf-8")
    assert main(["check-geojson", str(bad)]) == 1
    assert "reads as [lat, lon]" in capsys.readouterr().out
    assert main(["check-geojson"]) == 2
    assert "usage: python -m geo.output.rfc7946 FILE.geojson..." in capsys.readouterr().err


def test_the_module_command_exits_as_the_cli_does(tmp_path: Path) -> None:
    """``python -m geo.output.rfc7946`` (documented in the README) goes through geo/cli.py's exit codes."""
    good = ROOT / "layers" / "parks.geojson"
    bad = tmp_path / "-bad.geojson"  # a name that looks like an option is still a file
    bad.write_text(json.dumps(_with({"type": "Point", "coordinates": [28.9, 120.02]})), encoding="utf-8")

    def run(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "geo.output.rfc7946", *files], cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                              check=False)

    assert run(str(good)).returncode == 0
    done = run(str(good), bad.name)
    assert done.returncode == 1 and "reads as [lat, lon]" in done.stdout
    empty = run()
    assert empty.returncode == 2 and "usage: python -m geo.output.rfc7946" in empty.stderr
