"""Reading reports from text, HTML, PDF and Word files, and refusing files that are not reports.

Every input is a real file built here from the reference report; nothing is mocked.
"""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from documents import PARK, TITLE, build_docx, build_html, build_pdf

import geo.text.ingest
from geo.errors import IngestError
from geo.text.ingest import MAX_BYTES, SUPPORTED_SUFFIXES, RawDocument, iter_input_files, read_document

REFERENCE = Path(__file__).resolve().parents[3] / "data" / "sources" / "002_baa0c397a6a27755.txt"
SECTION = "以“统筹集成”为抓手 打造全域大美"

# Site chrome around the article in the HTML page; none of it may reach the text.
CHROME = (
    "德清县人民政府门户网站",
    "部门动态面包屑",
    "甲市建设局召开全市安全生产会议",
    "莫干山镇开展人居环境整治",
    "版权所有",
    "浙ICP备12345678号",
    "技术支持",
    "脚本内容不应出现",
    "统计代码",
    "页尾脚本不应出现",
    "样式表内容不应出现",
    "tracker",
    "console.log",
)


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def report() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def blocks(report: str) -> list[tuple[int, str]]:
    """The report's blocks as (heading level, text); level 0 is a paragraph."""
    out: list[tuple[int, str]] = []
    for block in re.split(r"\n\s*\n", report):
        block = block.strip()
        if not block:
            continue
        level = len(block) - len(block.lstrip("#"))
        out.append((level, block.lstrip("#").strip()))
    return out


def assert_has_report(text: str, blocks: list[tuple[int, str]]) -> None:
    flat = squash(text)
    missing = [body[:30] for _, body in blocks if squash(body) not in flat]
    assert not missing, f"{len(missing)} blocks missing, e.g. {missing[:3]}"
    sentence = next(body for _, body in blocks if PARK in body)
    assert squash(sentence) in flat


def assert_refused(path: Path, *words: str) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_document(path)
    error = info.value
    assert error.path == path
    assert path.name in str(error)
    for word in words:
        assert word in error.reason, f"{word!r} not in {error.reason!r}"
    return error


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory, blocks: list[tuple[int, str]]) -> Path:
    return build_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", blocks)


# ----------------------------------------------------------------------------- the API


def test_public_constants() -> None:
    assert frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"}) == SUPPORTED_SUFFIXES
    assert MAX_BYTES >= 10 * 1024 * 1024


# ----------------------------------------------------------------------------- text


def test_utf8_reference(report: str, blocks: list[tuple[int, str]]) -> None:
    doc = read_document(REFERENCE)
    assert doc == RawDocument(name=REFERENCE.name, path=REFERENCE, fmt="text", text=report)
    assert_has_report(doc.text, blocks)


def test_gbk_text_is_detected(tmp_path: Path, report: str, blocks: list[tuple[int, str]]) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(report.encode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = read_document(path)
    assert doc.fmt == "text"
    assert doc.name == "report.txt"
    assert doc.text == report
    assert_has_report(doc.text, blocks)


def test_utf8_bom_and_crlf(tmp_path: Path, report: str) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(b"\xef\xbb\xbf" + report.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(path).text == report


def test_utf16_with_bom(tmp_path: Path, report: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(report.encode("utf-16"))
    assert read_document(path).text == report


def test_markdown_may_embed_html(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(f'<div align="center">\n\n# 标题\n\n</div>\n\n{PARK}正在有序施工。\n', encoding="utf-8")
    assert PARK in read_document(path).text


# ----------------------------------------------------------------------------- HTML


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gb18030"), (None, "gbk")])
def test_html_article_without_chrome(
    tmp_path: Path, blocks: list[tuple[int, str]], charset: str | None, encoding: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(build_html(blocks, charset).encode(encoding))
    doc = read_document(path)
    assert doc.fmt == "html"
    assert_has_report(doc.text, blocks)
    for chrome in CHROME:
        assert chrome not in doc.text, chrome
    paragraphs = doc.text.split("\n\n")
    assert TITLE in paragraphs
    assert SECTION in paragraphs


def test_short_chinese_page_keeps_out_breadcrumbs(tmp_path: Path) -> None:
    first = f"{PARK}正在有序施工，石笋山入口等4个节点计划年底完成建设。"
    second = "城山郊野公园舞阳街入口计划年底完成建设，13.08km绿道以及配套设施工程计划四季度开工建设。"
    page = (
        "<html><head><meta charset='utf-8'></head><body>"
        "<div class='position'>当前位置：首页 &gt; 部门动态</div>"
        f"<div class='content'><p>{first}</p><p>{second}</p></div>"
        "<ul class='related'><li><a href='/1'>相关文章一</a></li><li><a href='/2'>相关文章二</a></li></ul>"
        "<div class='footer'>版权所有 © 2023 德清县人民政府</div></body></html>"
    )
    path = tmp_path / "notice.htm"
    path.write_text(page, encoding="utf-8")
    text = read_document(path).text
    assert len(first + second) < 250  # shorter than trafilatura's default article size
    assert text == f"{first}\n\n{second}"


def test_html_fragment_falls_back_to_largest_block(tmp_path: Path) -> None:
    path = tmp_path / "fragment.html"
    path.write_text(f"<p>{PARK}正在有序施工。</p>", encoding="utf-8")
    assert read_document(path).text == f"{PARK}正在有序施工。"


def test_fallback_extraction_skips_chrome() -> None:
    from geo.text.ingest.html import _largest_block

    page = (
        "<html><body><nav>首页 &gt; 部门动态</nav>"
        "<div class='breadcrumb'>当前位置：政务公开</div>"
        f"<div id='zoom'>{PARK}正在有序施工。<br>城山郊野公园舞阳街入口计划年底完成建设。</div>"
        "<ul class='related-links'><li><a href='/1'>相关文章一</a></li></ul>"
        "<script>var x = '脚本';</script><footer>版权所有 © 2023</footer></body></html>"
    )
    text = _largest_block(Path("page.html"), page)
    assert text == f"{PARK}正在有序施工。\n城山郊野公园舞阳街入口计划年底完成建设。"


# ----------------------------------------------------------------------------- PDF


def test_pdf_text_layer(pdf_path: Path, blocks: list[tuple[int, str]]) -> None:
    doc = read_document(pdf_path)
    assert doc.fmt == "pdf"
    assert_has_report(doc.text, blocks)
    assert "\n\n" in doc.text  # pages are separated by a blank line


def test_pdf_fake_bold_heading_comes_out_once(pdf_path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        raw = "".join(page.extract_text() or "" for page in pdf.pages)
    assert squash(SECTION) not in squash(raw)  # without de-duplication the heading is garbled
    text = squash(read_document(pdf_path).text)
    assert text.count(squash(SECTION)) == 1
    assert text.count(squash(TITLE)) == 1


def test_pdf_keeps_lines(pdf_path: Path, blocks: list[tuple[int, str]]) -> None:
    text = read_document(pdf_path).text
    sentence = next(body for _, body in blocks if PARK in body)
    assert len(sentence) > 100
    assert squash(sentence) not in text  # wrapped over several lines ...
    assert squash(sentence) in squash(text)  # ... that join up again


# ----------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_headings_and_tables(tmp_path: Path, blocks: list[tuple[int, str]]) -> None:
    path = build_docx(tmp_path / "report.docx", blocks)
    doc = read_document(path)
    assert doc.fmt == "docx"
    assert_has_report(doc.text, blocks)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs.count(TITLE) == 1
    assert paragraphs.index(TITLE) < paragraphs.index(SECTION)
    assert paragraphs[-2:] == ["项目\t地点\t进度", f"{PARK}\t武康街道\t有序施工"]


# ----------------------------------------------------------------------------- bad input


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_refused(path, "empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t\n", encoding="utf-8")
    assert_refused(path, "no text")


def test_random_bytes_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(7).randbytes(4096))
    assert_refused(path, "named .txt", "binary")


def test_control_noise_without_nul_bytes(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "noise.md"
    path.write_bytes(bytes(rng.choice([*range(1, 9), *range(0x80, 0x100)]) for _ in range(4096)))
    assert_refused(path, "binary")


def test_text_named_pdf(tmp_path: Path, report: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_text(report, encoding="utf-8")
    assert_refused(path, "named .pdf but is not a PDF (looks like text)")


def test_html_named_txt(tmp_path: Path, blocks: list[tuple[int, str]]) -> None:
    path = tmp_path / "page.txt"
    path.write_text(build_html(blocks, "utf-8"), encoding="utf-8")
    assert_refused(path, "named .txt", "HTML")


def test_text_named_html(tmp_path: Path, report: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(report, encoding="utf-8")
    assert_refused(path, "named .html", "looks like text")


def test_pdf_named_docx(tmp_path: Path, pdf_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(pdf_path.read_bytes())
    assert_refused(path, "named .docx", "looks like a PDF")


def test_truncated_pdf(tmp_path: Path, pdf_path: Path) -> None:
    data = pdf_path.read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(path, "truncated")


def test_corrupt_pdf_body(tmp_path: Path, pdf_path: Path) -> None:
    data = pdf_path.read_bytes()
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(data[:200] + data[-300:])  # header and trailer, nothing between
    assert_refused(path, "corrupt PDF")


def test_encrypted_pdf(tmp_path: Path, blocks: list[tuple[int, str]]) -> None:
    import pdfplumber

    path = build_pdf(tmp_path / "locked.pdf", blocks[:3], encrypt="secret")
    with pytest.raises(Exception) as info, pdfplumber.open(path) as pdf:
        pdf.pages[0].extract_text()
    assert "PDFPasswordIncorrect" in repr(info.value)
    assert_refused(path, "encrypted", "password")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(scan).rectangle((40, 40, 360, 160), fill=0)
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(scan), 50, 500, width=400, height=200)
    pdf.showPage()
    pdf.rect(50, 50, 100, 100)  # a blank page with vector graphics only
    pdf.save()
    assert_refused(path, "no text layer", "OCR")


def test_zip_that_is_not_docx(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("report.txt", "德清县")
    assert_refused(path, "named .docx", "ZIP archive", "word/document.xml")


def test_old_word_file_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert_refused(path, "named .docx", ".doc")


def test_damaged_docx_parts(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    assert_refused(path, "Word document")


def test_docx_zip_bomb(tmp_path: Path) -> None:
    from geo.text.ingest.docx import MAX_UNPACKED_BYTES

    path = tmp_path / "bomb.docx"
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 8):
            member.write(chunk)
    assert path.stat().st_size < 1 << 20  # small on disk ...
    with zipfile.ZipFile(path) as archive:  # ... but declares more than the limit unpacked
        assert archive.getinfo("word/document.xml").file_size > MAX_UNPACKED_BYTES
    assert_refused(path, "zip bomb", "MiB")


def test_oversized_file(tmp_path: Path, report: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(report, encoding="utf-8")
    monkeypatch.setattr(geo.text.ingest, "MAX_BYTES", 1024)
    assert_refused(path, "too large", "1.0 KiB")


@pytest.mark.parametrize(("name", "words"), [("sheet.xlsx", (".xlsx",)), ("old.doc", (".doc", ".docx"))])
def test_unsupported_suffix(tmp_path: Path, name: str, words: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 not really")
    assert_refused(path, "unsupported file type", *words)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert_refused(tmp_path / "missing.txt", "not found")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert_refused(folder, "folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("德清县", encoding="utf-8")
    path.chmod(0)
    try:
        assert_refused(path, "permission denied")
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert_refused(path, "not a regular file")


def test_no_other_exception_escapes_for_garbage(tmp_path: Path, pdf_path: Path) -> None:
    """Damaged copies of every format fail with IngestError only."""
    rng = random.Random(11)
    pdf = pdf_path.read_bytes()
    docx_buffer = io.BytesIO()
    with zipfile.ZipFile(docx_buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "\x00\x01")
    samples = {
        "a.pdf": pdf[:1000] + bytes(rng.randbytes(3000)) + pdf[-200:],
        "b.docx": docx_buffer.getvalue(),
        "c.docx": docx_buffer.getvalue()[:60],
        "d.html": b"<html><body>" + b"<div>" * 5000 + "德清县".encode() + b"</body></html>",
        "e.htm": b"<html>\xff\xfe\x80\x81\x00</html>",
    }
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            read_document(path)
        except IngestError as error:
            assert error.reason
        # anything else propagates and fails the test


# ----------------------------------------------------------------------------- folders


def test_iter_input_files(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    files = {
        "b.txt": True,
        "a/report.PDF": True,
        "a/deep/x.docx": True,
        "a/deep/y.htm": True,
        "a/deep/z.md": True,
        "a/page.html": True,
        ".hidden.txt": False,
        ".git/config.txt": False,
        "a/.cache/old.pdf": False,
        "a/~$lock.docx": False,
        "notes.doc": False,
        "image.png": False,
        "data.csv": False,
        "README": False,
    }
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    explicit = tmp_path / "sheet.xlsx"
    explicit.write_text("x", encoding="utf-8")

    found = iter_input_files([root, explicit, root / "b.txt"])
    expected = sorted(root / name for name, kept in files.items() if kept)
    assert found == [*expected, explicit]
    assert found[:3] == [root / "a/deep/x.docx", root / "a/deep/y.htm", root / "a/deep/z.md"]
    assert iter_input_files([]) == []
