"""An upload already known is found by the digest of its bytes or of its cleaned text."""

from __future__ import annotations

from pathlib import Path

from conftest import docx_of

from geo.web.duplicates import (
    WHERE_PROJECT,
    WHERE_UPLOAD,
    find_duplicate,
    project_fingerprints,
    upload_fingerprint,
)

TEXT = "某县住房和城乡建设局工作总结\n\n今年推进老街改造工程和滨河公园建设。\n"


def test_same_text_in_another_format_and_name_is_found(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text(TEXT, encoding="utf-8")
    known = project_fingerprints(sources)
    plain = tmp_path / "plain.txt"
    plain.write_text(TEXT, encoding="utf-8")
    as_docx = upload_fingerprint("总结.docx", docx_of(plain))
    found = find_duplicate(as_docx, known)
    assert found is not None and found.name == "a.txt" and found.where == WHERE_PROJECT
    assert not found.same_bytes
    same = find_duplicate(upload_fingerprint("b.txt", TEXT.encode("utf-8")), known)
    assert same is not None and same.same_bytes
    # line breaks and spaces do not make another report
    spaced = upload_fingerprint("c.txt", TEXT.replace("\n", "\r\n  ").encode("utf-8"))
    assert find_duplicate(spaced, known) is not None


def test_another_report_is_not_a_duplicate(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text(TEXT, encoding="utf-8")
    other = upload_fingerprint("b.txt", TEXT.replace("老街", "新街").encode("utf-8"))
    assert find_duplicate(other, project_fingerprints(sources)) is None
    found = find_duplicate(other, {}, [("早先.txt", other)])
    assert found is not None and found.where == WHERE_UPLOAD and found.name == "早先.txt"


def test_unreadable_bytes_still_compare_by_digest() -> None:
    junk = b"\x00\x01\x02\x03" * 50
    fp = upload_fingerprint("x.pdf", junk)
    assert fp.text is None
    assert find_duplicate(fp, {"old.pdf": fp}) is not None
    assert find_duplicate(upload_fingerprint("y.pdf", junk[:-1]), {"old.pdf": fp}) is None
