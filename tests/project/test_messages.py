"""What a refused or half-readable report says: the file, the reason, and where, never a server path."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import IngestError
from geo.project.project import Project
from geo.project.upload import UploadError, process_upload
from geo.text.ingest import read_document

BODY = "今年开工建设城北休闲公园，推进城南未来社区建设。"


def test_deeply_nested_html_is_read(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 300 + f"<p>{BODY}</p>" + "</div>" * 300 + "</body></html>",
                    encoding="utf-8")
    doc = read_document(page)
    assert BODY in doc.text


def test_html_deeper_than_the_reader_follows_is_named_as_too_deep(tmp_path: Path) -> None:
    page = tmp_path / "deeper.html"
    page.write_text("<html><body>" + "<div>" * 20_000 + f"<p>{BODY}</p>" + "</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="nested"):
        read_document(page)


def test_one_gbk_line_in_a_utf8_report_is_named_with_its_position(tmp_path: Path) -> None:
    report = tmp_path / "mixed.txt"
    lines = [f"第{i}段。{BODY}\n".encode() for i in range(20)]
    lines[12] = "这一行是另一种编码写的。\n".encode("gbk")
    report.write_bytes(b"".join(lines))
    doc = read_document(report)  # read, the line shown as replacement characters
    assert f"第19段。{BODY}" in doc.text and f"第0段。{BODY}" in doc.text
    assert "line 13" in " ".join(doc.notes)


def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        report = tmp_path / f"{codec}.txt"
        report.write_bytes((BODY * 5 + "\n").encode(codec) * 4)
        assert BODY in read_document(report).text, codec


def test_refusals_never_show_the_servers_temporary_folder(tmp_path: Path) -> None:
    with pytest.raises(UploadError) as caught:
        process_upload(Project.at(tmp_path), "无县名.txt", "今年完成了公园建设，道路改造顺利推进。".encode() * 3)
    message = str(caught.value)
    assert "renewal-upload-" not in message and "/tmp" not in message
    assert message.startswith("无县名.txt: ")
