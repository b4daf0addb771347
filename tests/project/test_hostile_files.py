"""Hostile files through the whole build (``python -m geo build`` via ``geo.cli.main``).

Each hostile file goes in beside a good report. The build must name the file and say what is
wrong with it, go on with the good report, and write layers holding the good report's sites:
byte for byte the layers of the good report alone when the hostile file is refused.
(``test_ingest.py`` checks the reader's answer for each kind of damage; this checks the build.)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from builds import GOOD, Built, run_build
from documents import build_pdf

import geo.text.ingest
from geo.cli import EXIT_OK, EXIT_SOME_REFUSED, main
from geo.output.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = [(1, "德清县建设局2023年工作总结"), (0, "德清县今年开工建设狮子山休闲公园，推进城北未来社区建设。")]


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The good report built on its own."""
    folder = tmp_path_factory.mktemp("alone")
    out = folder / "layers"
    assert main(["build", str(GOOD), "--out", str(out), "--quiet"]) == EXIT_OK
    return Built(EXIT_OK, "", {n: (out / f"{n}.geojson").read_bytes() for n in LAYERS})


# --- the hostile files ------------------------------------------------------------------------


def empty(p: Path) -> None:
    p.write_bytes(b"")


def noise(p: Path) -> None:
    p.write_bytes(random.Random(p.name).randbytes(64 * 1024))


def text_named_pdf(p: Path) -> None:
    p.write_text(GOOD.read_text("utf-8"), encoding="utf-8")


def encrypted_pdf(p: Path) -> None:
    build_pdf(p, BLOCKS, encrypt="secret")


def truncated_pdf(p: Path) -> None:
    build_pdf(p, BLOCKS)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def scanned_pdf(p: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = Image.new("L", (300, 120), 255)
    ImageDraw.Draw(scan).text((20, 50), "scan", fill=0)
    pdf = canvas.Canvas(str(p))
    pdf.drawImage(ImageReader(scan), 50, 500, width=300, height=120)
    pdf.save()


def zip_bomb_docx(p: Path) -> None:
    from geo.text.ingest.docx import MAX_UNPACKED_BYTES

    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 8):
            member.write(chunk)
    assert p.stat().st_size < 2 << 20


def _docx_with(p: Path, replace: dict[str, bytes]) -> None:
    """A real Word document with some of its parts replaced."""
    import docx

    document = docx.Document()
    document.add_paragraph("德清县今年开工建设狮子山休闲公园。")
    document.save(str(p))
    with zipfile.ZipFile(p) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts.update(replace)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def docx_of_nested_tags(p: Path) -> None:
    """A small, valid Word file whose document nests 100,000 elements deep."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "<w:sdt><w:sdtContent>" * 100_000 + "</w:sdtContent></w:sdt>" * 100_000
    xml = f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    _docx_with(p, {"word/document.xml": xml.encode()})


def docx_of_broken_parts(p: Path) -> None:
    _docx_with(p, {"[Content_Types].xml": b"<Types/>"})


HOSTILE: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "empty.txt": (empty, ("empty file",)),
    "noise.txt": (noise, ("named .txt", "binary")),
    "noise.html": (noise, ("named .html", "binary")),
    "report.pdf": (text_named_pdf, ("named .pdf but is not a PDF", "looks like text")),
    "locked.pdf": (encrypted_pdf, ("encrypted PDF", "password")),
    "half.pdf": (truncated_pdf, ("truncated",)),
    "scan.pdf": (scanned_pdf, ("no text layer", "OCR")),
    "bomb.docx": (zip_bomb_docx, ("zip bomb", "MiB")),
    "deep.docx": (docx_of_nested_tags, ("Word document",)),
    "parts.docx": (docx_of_broken_parts, ("cannot read the docx content",)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_and_the_build_goes_on(
    name: str, alone: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, words = HOSTILE[name]
    hostile = tmp_path / "in" / name
    hostile.parent.mkdir()
    make(hostile)
    built = run_build([hostile, GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_SOME_REFUSED, built.stderr
    warnings = [ln for ln in built.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {hostile}: "), built.stderr
    for word in words:
        assert word in warnings[0], warnings[0]
    assert "1 file(s) refused" in built.stderr and "Traceback" not in built.stderr
    assert built.layers == alone.layers  # the good report's sites, and nothing from the bad file


def test_all_hostile_files_at_once_in_one_folder(
    alone: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (make, _) in HOSTILE.items():
        make(folder / name)
    (folder / "good.txt").write_bytes(GOOD.read_bytes())
    built = run_build([folder], tmp_path / "layers", capsys)
    assert built.code == EXIT_SOME_REFUSED
    for name in HOSTILE:
        assert f"warning: {folder / name}: " in built.stderr
    assert f"{len(HOSTILE)} file(s) refused" in built.stderr
    good_names = {f["properties"]["name"] for d in alone.layers.values() for f in json.loads(d)["features"]}
    assert built.names() == good_names


# --- a file larger than the limit, and memory ------------------------------------------------

MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys
    from geo.cli import main
    good, big, out = sys.argv[1:4]
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    first = main(["build", good, "--out", out + "/a", "--quiet"])
    before = peak()
    second = main(["build", big, good, "--out", out + "/b", "--quiet"])
    print(json.dumps({"codes": [first, second], "before": before, "after": peak()}))
    """
)


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A text file of 50 MiB and a byte: refused by its size; the build's peak memory does not move."""
    big = tmp_path / "big.txt"
    unit = GOOD.read_bytes()
    with big.open("wb") as fh:
        while fh.tell() <= geo.text.ingest.MAX_BYTES:
            fh.write(unit)
    assert big.stat().st_size > geo.text.ingest.MAX_BYTES
    cmd = [sys.executable, "-c", MEMORY_PROBE, str(GOOD), str(big), str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["codes"] == [EXIT_OK, EXIT_SOME_REFUSED]
    assert probe["after"] - probe["before"] < 16 << 20, probe  # the 50 MiB were never loaded
    assert f"warning: {big}: file too large: " in done.stderr
    assert "exceeds the limit of 52,428,800 bytes (50.0 MiB)" in done.stderr
    a, b = tmp_path / "a", tmp_path / "b"
    assert all((a / f"{n}.geojson").read_bytes() == (b / f"{n}.geojson").read_bytes() for n in LAYERS)


def test_size_limit_message_is_readable() -> None:
    from geo.errors import IngestError
    from geo.text.ingest.files import check_size

    with pytest.raises(
        IngestError, match=r"52,428,801 bytes exceeds the limit of 52,428,800 bytes \(50.0 MiB\)"
    ):
        check_size(Path("x.txt"), 50 * 1024 * 1024 + 1, 50 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"60.0 MiB exceeds the limit of 50.0 MiB"):
        check_size(Path("x.txt"), 60 * 1024 * 1024, 50 * 1024 * 1024)


# --- hostile content that is still a report ---------------------------------------------------

SCRIPTED = "脚本中的幽灵公园已建成"
STYLED = "样式中的幻影路改造完成"


def test_html_script_and_style_text_never_reaches_a_quote(
    alone: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "in" / "page.html"
    page.parent.mkdir()
    article = "".join(
        f"<p>德清县今年推进城北未来社区建设，开工建设狮子山休闲公园第{i}期。</p>"
        f"<script>var s = '{SCRIPTED}，推进{SCRIPTED}第{i}期。';</script>"
        for i in range(8)
    )
    page.write_text(
        f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>德清县建设局工作总结</title>
<style>body::after {{ content: "{STYLED}"; }}</style>
<script>document.write("{SCRIPTED}");</script></head>
<body><article><h1>德清县建设局工作总结</h1>{article}
<style>.x::before {{ content: "{STYLED}。" }}</style><noscript>{SCRIPTED}。</noscript></article>
<script type="module">console.log("{SCRIPTED}")</script></body></html>""",
        encoding="utf-8",
    )
    built = run_build([page, GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_OK, built.stderr
    quotes = built.quotes()
    assert any("城北未来社区" in q for q in quotes if "第" in q)
    for q in quotes:
        assert "幽灵" not in q and "幻影" not in q and "<" not in q and "var " not in q, q
    assert not any("幽灵" in n or "幻影" in n for n in built.names())
    assert built.names() >= alone.names()


RARE = "德清县建设局2023年工作总结\n\n今年，德清县推进𠀀溪公园、䶮山公园建设，完成㐀村路改造，𪚥塘湿地公园开园。\n"


def test_gb18030_report_with_four_byte_characters(
    alone: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = RARE.encode("gb18030")
    for ch in "𠀀㐀𪚥":
        assert len(ch.encode("gb18030")) == 4 and ch.encode("gb18030") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = tmp_path / "in" / "rare.txt"
    report.parent.mkdir()
    report.write_bytes(data)
    built = run_build([report, GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_OK, built.stderr
    # names keep their rare characters (a name was cut at an extension-B character before)
    assert {"𠀀溪公园", "䶮山公园", "㐀村路", "𪚥塘湿地公园"} <= built.names()
    rare_quotes = [q for q in built.quotes() if "𠀀溪公园" in q]
    assert rare_quotes and all(q in RARE for q in rare_quotes)
    assert built.names() >= alone.names()
    for data_bytes in built.layers.values():
        assert "𠀀".encode() in data_bytes or "𠀀" not in data_bytes.decode("utf-8")


def identity_pdf(text: str) -> bytes:
    """A one-page PDF whose font maps each glyph code to the same Unicode value (/Identity-H).

    ``text`` may hold lone surrogates: their codes come out as themselves, as from a broken font.
    """
    codes = "".join(f"{ord(c):04X}" for c in text)
    content = f"BT /F1 12 Tf 72 700 Td <{codes}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_font_mapping_glyphs_to_lone_surrogates(
    alone: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: such a PDF made the whole build die with UnicodeEncodeError when writing layers."""
    pdf = tmp_path / "in" / "broken-font.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(
        identity_pdf("德清县今年开工建设\ud800\udc00\udfff狮子山休闲公园，推进城北未来社区建设。")
    )
    assert "\ud800" in geo.text.ingest.pdf.read_pdf(pdf, pdf.read_bytes())
    doc = geo.text.ingest.read_document(pdf)
    assert doc.text.count("\ufffd") == 3
    doc.text.encode("utf-8")
    built = run_build([pdf, GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_OK, built.stderr
    assert "Traceback" not in built.stderr
    assert any(q.startswith("德清县今年开工建设") for q in built.quotes())
    assert built.names() >= alone.names()


def test_control_characters_in_a_file_name_are_not_printed_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "in" / "x\nlayers written to nowhere\x1b[2K.txt"
    evil.parent.mkdir()
    evil.write_bytes(b"")
    built = run_build([evil, GOOD], tmp_path / "layers", capsys)
    assert built.code == EXIT_SOME_REFUSED
    assert "\x1b" not in built.stderr
    assert not any(ln.startswith("layers written to nowhere") for ln in built.stderr.splitlines())


# --- a file just under the limit ----------------------------------------------------------------


@pytest.mark.skipif(
    not __import__("os").environ.get("GEO_SLOW_TESTS"),
    reason="slow: set GEO_SLOW_TESTS=1 (a 50 MiB report takes minutes; see RELIABILITY.md)",
)
def test_file_just_under_the_size_limit_is_built(tmp_path: Path) -> None:
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    unit = GOOD.read_bytes()
    data = (unit * (geo.text.ingest.MAX_BYTES // len(unit) + 1))[: geo.text.ingest.MAX_BYTES]
    big.write_bytes(data.decode("utf-8", "ignore").encode("utf-8"))
    probe = textwrap.dedent(
        """
        import resource, sys
        from geo.cli import main
        code = main(["build", sys.argv[1], "--out", sys.argv[2], "--quiet", "--county", "德清县"])
        print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        """
    )
    cmd = [sys.executable, "-c", probe, str(big), str(tmp_path / "layers")]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    code, peak = map(int, done.stdout.split()[-2:])
    assert code == EXIT_OK, done.stderr[-2000:]
    assert peak < 4 << 30
