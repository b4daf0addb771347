"""Incremental builds: each report's result is kept between builds, and a build that re-reads only
what changed writes the layers of a full build, byte for byte."""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import layer_bytes, rotated, seed_corpus

from geo.project.file_digests import FileDigests
from geo.project.fragments import collection_bytes, feature_text, piece
from geo.project.kept import Brief, BriefIndex, kept_result
from geo.project.result_cache import ResultCache, pipeline_version
from geo.report.manifest import row_for

ROOT = Path(__file__).resolve().parents[2]


def build(inputs: Path, out: Path, *extra: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "geo", "build", str(inputs), "--out", str(out), "--quiet", *extra]
    if cache is not None:
        args += ["--cache-dir", str(cache)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def kept_line(stderr: str) -> str:
    return next(ln.strip() for ln in stderr.splitlines() if "kept results" in ln)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Five reports, and the layers of a full build of them (no kept results)."""
    root = tmp_path_factory.mktemp("full")
    seed_corpus(root / "reports", 5)
    done = build(root / "reports", root / "out", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert "kept results" not in done.stderr
    return root / "reports", layer_bytes(root / "out")


def test_adding_a_report_reads_only_that_report(full: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    reports, expected = full
    cache = tmp_path / "cache"
    four = tmp_path / "reports"
    four.mkdir()
    for path in sorted(reports.iterdir())[:4]:
        shutil.copyfile(path, four / path.name)
    first = build(four, tmp_path / "out4", cache=cache)
    assert first.returncode == 0, first.stderr
    assert kept_line(first.stderr).startswith("kept results: 0 of 4")

    shutil.copyfile(sorted(reports.iterdir())[4], four / sorted(reports.iterdir())[4].name)
    second = build(four, tmp_path / "out5", cache=cache)
    assert second.returncode == 0, second.stderr
    assert kept_line(second.stderr).startswith("kept results: 4 of 5")
    assert layer_bytes(tmp_path / "out5") == expected


def test_a_changed_report_is_read_again(full: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    reports, _ = full
    mine = tmp_path / "reports"
    shutil.copytree(reports, mine)
    cache = tmp_path / "cache"
    assert build(mine, tmp_path / "a", cache=cache).returncode == 0
    changed = sorted(mine.iterdir())[1]
    changed.write_text(rotated(changed.read_text(encoding="utf-8"), 1), encoding="utf-8")
    again = build(mine, tmp_path / "b", cache=cache)
    fresh = build(mine, tmp_path / "c", "--no-cache")
    assert again.returncode == fresh.returncode == 0
    assert kept_line(again.stderr).startswith("kept results: 4 of 5")
    assert layer_bytes(tmp_path / "b") == layer_bytes(tmp_path / "c")


def test_damaged_entries_are_read_again_and_rewritten(full: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    reports, expected = full
    cache = tmp_path / "cache"
    assert build(reports, tmp_path / "a", cache=cache).returncode == 0
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) == 5
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short, as by a crash
    data = bytearray(entries[1].read_bytes())
    data[-10] ^= 0xFF  # one bit flipped on disk
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"")

    again = build(reports, tmp_path / "b", cache=cache)
    assert again.returncode == 0, again.stderr
    assert kept_line(again.stderr).startswith("kept results: 2 of 5")
    assert layer_bytes(tmp_path / "b") == expected
    third = build(reports, tmp_path / "c", cache=cache)
    assert kept_line(third.stderr).startswith("kept results: 5 of 5")
    assert layer_bytes(tmp_path / "c") == expected


def test_no_cache_neither_reads_nor_writes_kept_results(full: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    reports, _ = full
    cache = tmp_path / "cache"
    done = build(reports, tmp_path / "out", "--no-cache", cache=cache)
    assert done.returncode == 0
    assert not cache.exists()


def test_refusals_are_not_kept(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    seed_corpus(reports, 2)
    (reports / "empty.txt").write_bytes(b"")
    cache = tmp_path / "cache"
    first = build(reports, tmp_path / "a", cache=cache)
    second = build(reports, tmp_path / "b", cache=cache)
    assert first.returncode == second.returncode == 1
    assert "empty.txt" in second.stderr  # read again, refused again
    assert kept_line(second.stderr).startswith("kept results: 2 of 3")
    assert len(list(cache.rglob("*.pickle"))) == 2


def test_a_key_changes_with_the_bytes_the_path_and_the_hints(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("同一份报告。", encoding="utf-8")
    b.write_text("同一份报告。", encoding="utf-8")
    key = cache.key(a, ("永康市",))
    assert key == cache.key(a, ("永康市",))
    assert key != cache.key(b, ("永康市",))  # another file name is another document
    assert key != cache.key(a, (None,))  # what the build was told beside the text
    a.write_text("同一份报告。。", encoding="utf-8")
    assert key != cache.key(a, ("永康市",))
    assert len(pipeline_version()) == 64


def test_an_entry_of_another_kind_is_dropped(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    cache.put("ab" * 32, {"x": 1})
    assert cache.get("ab" * 32) == {"x": 1}
    path = next((tmp_path / "cache").rglob("*.pickle"))
    path.write_bytes(b"renewal-map result 1\n" + b"\0" * 32 + pickle.dumps({"x": 2}))  # wrong digest
    assert cache.get("ab" * 32) is None
    assert not path.exists() and cache.dropped == 1


def counties_kept(stderr: str) -> tuple[int, int]:
    """(counties whose sites were kept, counties) from a build's summary."""
    m = re.search(r"(\d+) of (\d+) counties' sites kept", kept_line(stderr))
    assert m is not None, kept_line(stderr)
    return int(m.group(1)), int(m.group(2))


def test_adding_a_report_places_only_its_county_again(full: tuple[Path, dict[str, bytes]],
                                                      tmp_path: Path) -> None:
    reports, expected = full  # five reports of two counties, the fifth of the first county
    cache = tmp_path / "cache"
    four = tmp_path / "reports"
    four.mkdir()
    for path in sorted(reports.iterdir())[:4]:
        shutil.copyfile(path, four / path.name)
    assert counties_kept(build(four, tmp_path / "a", cache=cache).stderr) == (0, 2)
    fifth = sorted(reports.iterdir())[4]
    shutil.copyfile(fifth, four / fifth.name)
    second = build(four, tmp_path / "b", cache=cache)
    assert second.returncode == 0, second.stderr
    assert counties_kept(second.stderr) == (1, 2)  # the county of the added report is placed again
    assert layer_bytes(tmp_path / "b") == expected
    third = build(four, tmp_path / "c", cache=cache)
    assert counties_kept(third.stderr) == (2, 2)
    assert layer_bytes(tmp_path / "c") == expected


def test_a_build_with_every_county_kept_loads_no_geometry_library(full: tuple[Path, dict[str, bytes]],
                                                                  tmp_path: Path) -> None:
    reports, expected = full
    cache = tmp_path / "cache"
    assert build(reports, tmp_path / "a", cache=cache).returncode == 0
    code = ("import sys; from geo.cli import main; rc = main(sys.argv[1:]); "
            "print(sorted(m for m in ('numpy', 'pyproj', 'shapely') if m in sys.modules)); sys.exit(rc)")
    args = ["build", str(reports), "--out", str(tmp_path / "b"), "--quiet", "--cache-dir", str(cache)]
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert counties_kept(done.stderr) == (2, 2)
    assert done.stdout.splitlines()[-1] == "[]"  # placing loads them; nothing was placed
    assert layer_bytes(tmp_path / "b") == expected


def test_damaged_county_entries_and_index_are_rebuilt(full: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    reports, expected = full
    cache = tmp_path / "cache"
    assert build(reports, tmp_path / "a", cache=cache).returncode == 0
    entries = sorted((cache / "counties").rglob("*.county"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:200])  # cut short, as by a crash
    data = bytearray(entries[1].read_bytes())
    data[-10] ^= 0xFF  # one bit flipped on disk
    entries[1].write_bytes(bytes(data))
    index = cache / "briefs.index"
    index.write_bytes(index.read_bytes()[:-5])

    again = build(reports, tmp_path / "b", cache=cache)
    assert again.returncode == 0, again.stderr
    assert kept_line(again.stderr).startswith("kept results: 5 of 5")
    assert counties_kept(again.stderr) == (0, 2)
    assert layer_bytes(tmp_path / "b") == expected
    third = build(reports, tmp_path / "c", cache=cache)
    assert counties_kept(third.stderr) == (2, 2)
    assert layer_bytes(tmp_path / "c") == expected


def test_layer_pieces_put_together_are_the_layer_bytes(full: tuple[Path, dict[str, bytes]]) -> None:
    from geo.output.attribution import GEONAMES, features_attribution
    from geo.output.layers import layer_bytes as whole_layer

    _, expected = full
    for data in expected.values():
        fc = json.loads(data)
        feats = fc["features"]
        half = len(feats) // 2
        pieces = [piece(map(feature_text, feats[:half])), b"", piece(map(feature_text, feats[half:]))]
        assert collection_bytes(pieces, fc.get("attribution", [])) == data
    assert collection_bytes([], []) == collection_bytes([b""], []) == whole_layer([])
    feats = json.loads(expected["renewal"])["features"]
    assert feats
    feats[0]["properties"]["location_source"] = "seat: https://www.geonames.org/1"
    assert features_attribution(feats) == [GEONAMES]
    assert collection_bytes([piece(map(feature_text, feats))], [GEONAMES]) == whole_layer(feats)


def test_a_kept_result_gone_before_it_is_used_is_read_again(full: tuple[Path, dict[str, bytes]],
                                                            tmp_path: Path) -> None:
    from geo.report.pipeline import process_file

    path = sorted(full[0].iterdir())[0]
    cache = ResultCache(tmp_path / "cache")
    result = process_file(path, pending_ok=True)
    key = cache.key(path, (None,))
    first = BriefIndex(cache.folder)
    cache.put(key, first.kept(key, result, cache, (path, None, None)).result())
    first.save()

    index = BriefIndex(cache.folder)  # a later build: the brief is known, the result not unpickled
    kept = kept_result(key, cache, index, (path, None, None))
    assert kept is not None and kept.brief == Brief.of(result) and kept.brief.county == result.county
    cache._path(key).unlink()  # removed after it was checked, before it is needed
    assert kept.result() == result
    assert cache.load(key) == result  # kept again


def test_a_manifest_is_read_once_per_build(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text("file,county\na.txt,永康市\nb.txt,永康市\n", encoding="utf-8")
    read: dict = {}
    found = row_for(tmp_path / "a.txt", tmp_path, read)
    assert found is not None and found[1].county == "永康市"
    (tmp_path / "sources.csv").unlink()
    found = row_for(tmp_path / "b.txt", tmp_path, read)  # from the manifest read for a.txt
    assert found is not None and found[1].county == "永康市"
    assert row_for(tmp_path / "b.txt", tmp_path) is None


def test_a_file_digest_is_remembered_only_while_the_file_is_unchanged(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib
    import os
    import time

    from geo.project import file_digests

    report = tmp_path / "a.txt"
    report.write_bytes(b"first words")
    digests = FileDigests(tmp_path / "cache")
    assert digests.digest(report) == hashlib.sha256(b"first words").digest()
    assert digests.digest(report) == hashlib.sha256(b"first words").digest()
    assert digests.hashed == 2  # changed less than SETTLED_S ago: never taken on trust

    monkeypatch.setattr(file_digests, "SETTLED_S", 0.0)
    digests.digest(report)
    digests.save()
    later = FileDigests(tmp_path / "cache")  # the next build
    assert later.digest(report) == hashlib.sha256(b"first words").digest() and later.hashed == 0
    st = report.stat()
    time.sleep(0.05)  # past the file system's timestamp granularity
    report.write_bytes(b"other words")  # same size
    os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime put back: ctime still moves
    assert report.stat().st_mtime_ns == st.st_mtime_ns and report.stat().st_size == st.st_size
    assert later.digest(report) == hashlib.sha256(b"other words").digest() and later.hashed == 1

    index = tmp_path / "cache" / "digests.index"
    index.write_bytes(index.read_bytes()[:-3])  # damaged: every file hashed again
    again = FileDigests(tmp_path / "cache")
    assert again.digest(report) == hashlib.sha256(b"other words").digest() and again.hashed == 1
