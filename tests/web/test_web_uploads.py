"""Uploads in a session (``geo.web.uploads``): new files, repeats caught by content, refusals."""

from __future__ import annotations

from pathlib import Path

from geo.web.duplicates import WHERE_PROJECT, WHERE_UPLOAD, upload_fingerprint
from geo.web.service import Project
from geo.web.uploads import Upload, read_upload, shown_features, signatures, sync

TEXT = "某县二〇二四年工作安排：推进示范片区改造，新建口袋公园两处。".encode()


def test_the_same_file_twice_gets_two_signatures_and_the_county_counts() -> None:
    wanted = signatures([("a.txt", TEXT), ("a.txt", TEXT), ("b.txt", b"x")], None)
    assert len(wanted) == 3 and [n for n, _ in wanted.values()] == ["a.txt", "a.txt", "b.txt"]
    other = signatures([("a.txt", TEXT)], "武义县")
    assert set(other).isdisjoint(wanted)


def test_sync_forgets_removed_files_and_lists_new_ones_in_order() -> None:
    wanted = signatures([("a.txt", b"1"), ("b.txt", b"2"), ("c.txt", b"3")], None)
    sig_a, sig_b, sig_c = list(wanted)
    state = {sig_a: Upload("a.txt", b"1", None), "gone": Upload("old.txt", b"0", None)}
    new = sync(state, wanted)
    assert list(state) == [sig_a]
    assert new == [(sig_b, "b.txt", b"2"), (sig_c, "c.txt", b"3")]
    assert sync(state, {}) == [] and state == {}


def test_a_report_of_the_project_is_named_and_not_read_again(tmp_path: Path) -> None:
    known = {"sources/县报告.txt": upload_fingerprint("县报告.txt", TEXT)}
    # resolver None: a repeat never reaches the pipeline
    entry = read_upload(Project.at(tmp_path), "copy.txt", TEXT, None, None, known, [])
    assert entry.duplicate is not None and entry.duplicate.name == "sources/县报告.txt"
    assert entry.duplicate.where == WHERE_PROJECT and entry.duplicate.same_bytes
    assert not entry.shown and entry.features == []


def test_the_same_text_in_another_format_repeats_an_earlier_upload(tmp_path: Path) -> None:
    earlier = Upload("first.txt", TEXT, None, features=[{"type": "Feature"}])
    earlier.fingerprint = upload_fingerprint("first.txt", TEXT)
    spaced = TEXT.decode().replace("，", "， \n").encode()
    entry = read_upload(Project.at(tmp_path), "second.md", spaced, None, None, {}, [earlier])
    assert entry.duplicate is not None and entry.duplicate.name == "first.txt"
    assert entry.duplicate.where == WHERE_UPLOAD and not entry.duplicate.same_bytes


def test_a_refused_file_says_why_with_its_name_escaped(tmp_path: Path) -> None:
    entry = read_upload(Project.at(tmp_path), "*空*.txt", b"", None, None, {}, [])
    assert entry.error is not None and entry.duplicate is None and not entry.shown
    assert "\\*空\\*.txt" in entry.error.replace("\\.", ".")
    assert shown_features({"s": entry}) == []


def test_shown_features_leave_out_refused_files() -> None:
    ok = Upload("a.txt", b"1", None, features=[{"id": 1}, {"id": 2}])
    refused = Upload("b.txt", b"2", None, features=[{"id": 3}], error="no")
    assert shown_features({"a": ok, "b": refused}) == [{"id": 1}, {"id": 2}]
    assert ok.shown and not refused.shown
