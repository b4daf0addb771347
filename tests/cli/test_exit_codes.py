"""Every failure of ``python -m geo build`` is a message and a documented exit code, never a traceback.

0 every input read; 1 layers written but some inputs refused; 2 nothing built (previous layers
left as they were); 3 internal error. Real file systems stand in for the faults: a tmpfs that is
full, one mounted read-only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from builds import GOOD, run_build
from mounts import remount_read_only, tmpfs

import geo.locate.gazetteer
import geo.project.county_cache
from geo.cli import EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_SOME_REFUSED, exit_code, main
from geo.output.layers import LAYERS
from geo.project.build import build
from geo.project.project import Project


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert err.strip(), "a failure must say something"


@pytest.fixture(scope="module")
def good_layers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("good") / "layers"
    assert main(["build", str(GOOD), "--out", str(out), "--quiet"]) == EXIT_OK
    return {n: (out / f"{n}.geojson").read_bytes() for n in LAYERS}


def test_out_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "layers"
    out.write_bytes(b"keep me")
    built = run_build([GOOD], out, capsys)
    assert built.code == EXIT_FAILED
    _no_traceback(built.stderr)
    assert "not a folder" in built.stderr and str(out) in built.stderr
    assert out.read_bytes() == b"keep me"


def test_out_on_a_read_only_mount(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  good_layers: dict[str, bytes]) -> None:
    with tmpfs(tmp_path / "ro") as mnt:
        out = mnt / "layers"
        out.mkdir()
        for n, data in good_layers.items():
            (out / f"{n}.geojson").write_bytes(data + b"\n")
        remount_read_only(mnt)
        built = run_build([GOOD], out, capsys)
        assert built.code == EXIT_FAILED
        _no_traceback(built.stderr)
        assert "cannot write" in built.stderr and "layers left as they were" in built.stderr
        assert all(built.layers[n] == good_layers[n] + b"\n" for n in LAYERS)


def test_out_whose_parent_is_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with tmpfs(tmp_path / "ro") as mnt:
        remount_read_only(mnt)
        built = run_build([GOOD], mnt / "new" / "layers", capsys)
        assert built.code == EXIT_FAILED
        _no_traceback(built.stderr)
        assert "cannot write" in built.stderr


def test_full_disk_keeps_the_old_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        good_layers: dict[str, bytes]) -> None:
    with tmpfs(tmp_path / "small", "128k") as mnt:
        out = mnt / "layers"
        out.mkdir()
        old = {n: data.replace(b"\n", b" \n") for n, data in good_layers.items()}
        for n, data in old.items():
            (out / f"{n}.geojson").write_bytes(data)
        free = shutil.disk_usage(mnt).free
        (mnt / "filler").write_bytes(b"x" * max(0, free - 8192))
        built = run_build([GOOD], out, capsys)
        assert built.code == EXIT_FAILED
        _no_traceback(built.stderr)
        assert "No space left" in built.stderr or "no space" in built.stderr.lower()
        assert built.layers == old
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.geojson" for n in LAYERS)


@pytest.mark.parametrize("content", [
    "[" * 100_000 + "]" * 100_000,
    '{"type": "FeatureCollection", "features": [], "n": ' + "9" * 5000 + "}",
], ids=["nested-100000-deep", "5000-digit-number"])
def test_overrides_that_cannot_be_parsed(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    overrides = tmp_path / "overrides.geojson"
    overrides.write_text(content, encoding="utf-8")
    built = run_build([GOOD], tmp_path / "layers", capsys, "--overrides", str(overrides))
    assert built.code == EXIT_FAILED
    _no_traceback(built.stderr)
    assert "overrides.geojson" in built.stderr and not built.layers


def _build_code(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The exit code and messages of a build of ``project`` from GOOD, as the command line would give."""
    capsys.readouterr()
    code = exit_code(build(project, [GOOD], quiet=True))
    return code, capsys.readouterr().err


def test_gazetteer_geometry_collection_is_refused_by_check_and_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gaz = tmp_path / "gazetteer.csv"
    header = ",".join(geo.locate.gazetteer.COLUMNS)
    gaz.write_text(f"{header}\n上渚山公园,,德清县,park,\"GEOMETRYCOLLECTION (POINT (119.95 30.55))\","
                   "exact,50,https://example.org/a,evidence\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["gazetteer", "check", str(gaz)]) != 0
    said = capsys.readouterr()
    assert "GeometryCollection" in said.out + said.err
    code, err = _build_code(Project.at(tmp_path, gazetteer=gaz, cache=None), capsys)
    assert code == EXIT_FAILED
    _no_traceback(err)
    assert "gazetteer.csv" in err and not (tmp_path / "layers").exists()


def test_bad_number_in_county_seats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seats = tmp_path / "county_seats.csv"
    seats.write_text("county,lat,lon,crs,source_url,evidence\n德清县,30.5x,119.97,WGS84,https://example.org,e\n",
                     encoding="utf-8")
    code, err = _build_code(Project.at(tmp_path, county_seats=seats, cache=None), capsys)
    assert code == EXIT_FAILED
    _no_traceback(err)
    assert "county_seats.csv" in err and "line 2" in err and "30.5x" in err


def test_missing_input_beside_a_good_one_is_not_success(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    built = run_build([GOOD, tmp_path / "nope.txt"], tmp_path / "layers", capsys)
    assert built.code == EXIT_SOME_REFUSED
    assert "nope.txt" in built.stderr and built.layers


def test_internal_error_exits_3_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("coordinates")

    monkeypatch.setattr(geo.project.county_cache, "assemble", broken)
    built = run_build([GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_INTERNAL
    _no_traceback(built.stderr)
    assert "internal error" in built.stderr and "KeyError" in built.stderr


def test_app_rebuild_counts_only_written_layers_as_success(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from geo.web.project import BuildRun, build_command

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(geo.project.county_cache, "assemble", broken)
    overrides = tmp_path / "overrides.geojson"
    overrides.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(GOOD, sources)
    command = build_command(Project.at(tmp_path, sources=sources, overrides=overrides))
    assert command[1:4] == ["-m", "geo", "build"]
    code = main(command[3:])
    assert code in (EXIT_FAILED, EXIT_INTERNAL)
    assert "Traceback" not in capsys.readouterr().err
    assert not BuildRun(code, "").ok
    assert [c for c in range(5) if BuildRun(c, "").ok] == [EXIT_OK, EXIT_SOME_REFUSED]


@pytest.mark.parametrize(("given", "said"), [("没有这个县", "unknown county: '没有这个县'"),
                                             ("鼓楼区", "ambiguous county '鼓楼区': one of ")])
def test_a_county_that_names_none_or_several_stops_the_build_before_any_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    good_layers: dict[str, bytes], given: str, said: str,
) -> None:
    import geo.report.pipeline

    out = tmp_path / "layers"
    out.mkdir()
    for n, data in good_layers.items():
        (out / f"{n}.geojson").write_bytes(data)
    read: list[Path] = []
    monkeypatch.setattr(geo.report.pipeline, "process_file", lambda path, *a, **k: read.append(path))
    built = run_build([GOOD.parent], out, capsys, "--county", given)  # a folder of two reports
    assert built.code == EXIT_FAILED
    _no_traceback(built.stderr)
    (line,) = built.stderr.strip().splitlines()  # once, not once per report
    assert line.startswith(f"error: --county: {said}") and line.endswith("; no report was read, layers left "
                                                                         "as they were"), line
    assert read == [] and built.layers == good_layers
