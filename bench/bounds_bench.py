"""Bounded work on hostile input: whole-process time and peak memory of the cases that had no bound.

    .venv/bin/python bench/bounds_bench.py

Each case runs ``python -m geo build`` (or a one-request geocoding process) as a child process and
prints its exit code, wall and CPU seconds and peak RSS (``ru_maxrss``, as ``/usr/bin/time -v``
reports it). Files are generated into a temporary folder and removed afterwards:

* a report of one unpunctuated line of 144,000 and of 1,000,000 characters naming many sites
  (status cues: were mentions × line length);
* a 1 MB PDF whose content stream inflates to 1 GiB, and a PDF of 2,000 pages (refused by the
  limits of ``geo.text.ingest.pdf``);
* a geocoder that sends one byte a second, and one whose answer is 200 MB (refused past
  ``geo.locate.geocoders.answers.MAX_BODY_BYTES``; the request ends by its deadline).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakegeo import NOMINATIM, FakeGeoServer, Reply, nominatim  # noqa: E402
from test_pdf_bounds import TEXT, write_pdf  # noqa: E402

_CHARS = "东南西北中上下前后左右春夏秋冬梅兰竹菊松柏桃李杏柳金木水火土山川河湖海"
# 3,200 different sites, no punctuation at all
UNIT = "".join(f"推进{a}{b}公园建设完成{b}{a}未来社区改造" for a in _CHARS for b in _CHARS)


def child(args: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float, float]:
    """(exit code, wall s, CPU s, peak RSS MB) of one child process, from its own rusage."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def build(paths: list[Path], out: Path) -> list[str]:
    return [sys.executable, "-m", "geo", "build", *map(str, paths), "--out", str(out), "--quiet",
            "--county", "德清县"]


def pdf_bomb(path: Path, inflated: int) -> Path:
    """A PDF whose one content stream inflates to ``inflated`` bytes (compressed in pieces)."""
    z = zlib.compressobj(9)
    chunk = b" " * (16 * 1024 * 1024)
    parts = [z.compress(TEXT)]
    for _ in range(inflated // len(chunk)):
        parts.append(z.compress(chunk))
    parts.append(z.flush())
    stream = b"".join(parts)
    write_pdf(path, 1, b"")  # the skeleton, then its stream swapped for the bomb
    data = path.read_bytes()
    empty = zlib.compress(b"", 9)
    head, tail = data.split(b"stream\n" + empty + b"\nendstream")
    head = head.replace(b"/Length %d" % len(empty), b"/Length %d" % len(stream))
    path.write_bytes(head + b"stream\n" + stream + b"\nendstream" + tail.split(b"xref")[0]
                     + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return path


# One geocoding request, in its own process, to the server this process runs.
GEOCODE = textwrap.dedent(
    """
    import sys, tempfile
    from pathlib import Path
    from types import SimpleNamespace
    sys.path.insert(0, "tests")
    from test_geocoders import YONGKANG, make
    with tempfile.TemporaryDirectory() as tmp:
        gc = make(SimpleNamespace(url=sys.argv[1]), Path(tmp), "nominatim", retries=0, timeout_s=5.0)
        print(gc.geocode_site("塔山公园", YONGKANG), gc.problems)
    """
)


def geocode_case(reply: Reply) -> tuple[int, float, float, float]:
    with FakeGeoServer() as server:
        server.script(NOMINATIM, reply)
        return child([sys.executable, "-c", GEOCODE, server.url])


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for n in (144_000, 1_000_000):
            f = t / f"line-{n}.txt"
            line = (UNIT * (n // len(UNIT) + 1))[:n]
            f.write_text("德清县建设局工作总结\n" + line + "\n", encoding="utf-8")
            rows.append((f"one line of {n:,} characters", *child(build([f], t / "out"))))
        bomb = pdf_bomb(t / "bomb.pdf", 1024 * 1024 * 1024)
        good = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"
        rows.append((f"PDF of {bomb.stat().st_size / 1e6:.1f} MB inflating to 1 GiB, beside a report",
                     *child(build([bomb, good], t / "out"))))
        pages = write_pdf(t / "pages.pdf", 2000, TEXT)
        rows.append(("PDF of 2,000 pages, beside a report", *child(build([pages, good], t / "out"))))
        rows.append(("geocoder sending 1 byte/s (timeout 5 s)",
                     *geocode_case(Reply(nominatim(120.03, 28.9), drip_s=1.0))))
        big = nominatim(120.03, 28.9)
        big[0]["pad"] = "x" * 200_000_000
        rows.append(("geocoder answer of 200 MB", *geocode_case(Reply(big))))
    print(f"{'case':58} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'max RSS MB':>10}")
    for name, code, wall, cpu, rss in rows:
        print(f"{name:58} {code:>4} {wall:>7.1f} {cpu:>6.1f} {rss:>10.0f}")


if __name__ == "__main__":
    main()
