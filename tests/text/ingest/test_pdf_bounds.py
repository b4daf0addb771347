"""A PDF's work is bounded: its streams may inflate only so far, and it may have only so many pages.

Small PDFs written by hand hold the faults: a content stream that inflates far past the limit
(a decompression bomb) and a page tree of many pages. Limits are lowered through the same
environment variables a person would use to raise them.
"""

from __future__ import annotations

import tracemalloc
import zlib
from pathlib import Path

import pytest

import geo.text.ingest.pdf as pdf
from geo.errors import IngestError
from geo.text.ingest import read_document

TEXT = b"BT /F1 12 Tf 72 712 Td (Renewal works) Tj ET\n"


def write_pdf(path: Path, pages: int, content: bytes) -> Path:
    """A PDF of ``pages`` pages sharing one FlateDecode content stream, in Helvetica."""
    stream = zlib.compress(content, 9)
    n_pages = list(range(5, 5 + pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in n_pages) + b"] /Count %d >>" % pages,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    }
    for i in n_pages:
        objects[i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                      b"/Resources << /Font << /F1 3 0 R >> >> >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_small_pdf_is_read(tmp_path: Path) -> None:
    doc = read_document(write_pdf(tmp_path / "ok.pdf", 2, TEXT))
    assert "Renewal works" in doc.text


def test_stream_inflating_past_the_limit_is_refused_without_inflating_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.DECODED_ENV, "1")  # 1 MiB
    bomb = write_pdf(tmp_path / "bomb.pdf", 1, TEXT + b" " * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as caught:
            read_document(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "decompression bomb" in str(caught.value) and "1.0 MiB" in str(caught.value)
    assert pdf.DECODED_ENV in str(caught.value)
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while refusing a 64 MiB stream"


def test_raising_the_limit_lets_the_same_file_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.DECODED_ENV, "1")
    path = write_pdf(tmp_path / "big.pdf", 1, TEXT + b" " * (2 * 1024 * 1024))
    with pytest.raises(IngestError):
        read_document(path)
    monkeypatch.setenv(pdf.DECODED_ENV, "8")
    assert "Renewal works" in read_document(path).text


def test_too_many_pages_are_refused_before_they_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.PAGES_ENV, "50")
    path = write_pdf(tmp_path / "long.pdf", 60, TEXT)
    read = []
    real = pdf._check_mapped
    monkeypatch.setattr(pdf, "_check_mapped", lambda p, t: read.append(t) or real(p, t))
    with pytest.raises(IngestError, match=r"60 pages, more than the limit of 50"):
        read_document(path)
    assert not read
    monkeypatch.setenv(pdf.PAGES_ENV, "60")
    assert read_document(path).text.count("Renewal works") == 60
