"""``sources.csv``: what a person tells the build about the reports of a folder.

One row per report: ``file`` (its path relative to the folder of the manifest), ``county``
(official or short name, prefecture-qualified when shared: 南京市鼓楼区), and optionally
``url`` (where the text came from), ``date``, ``title``, ``chosen_by`` (``hand`` when a person
picked the county among the build's guesses in the app). The build reads it; the app writes it.
A county it gives is trusted over anything the text says; ``url`` and ``title`` are evidence.
``title`` and ``date`` are also what the layers and the app show for the report, over what its
text says (``geo.report.pipeline.with_manifest``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError, printable

MANIFEST = "sources.csv"
FIELDS = ("file", "county", "url", "date", "title", "chosen_by")


class ManifestError(GeoError):
    """A manifest that cannot be read or names an unknown county; names the file and the line."""


@dataclass(frozen=True)
class Row:
    file: str
    county: str = ""
    url: str = ""
    date: str = ""
    title: str = ""
    chosen_by: str = ""

    @property
    def by_hand(self) -> bool:
        return self.chosen_by.strip().lower() == "hand"


def read_manifest(folder: Path) -> dict[str, Row]:
    """The rows of ``folder/sources.csv`` by file (POSIX path relative to ``folder``); {} when none."""
    path = folder / MANIFEST
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise ManifestError(f"{printable(path)}: cannot be read ({e.strerror})") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ManifestError(f"{printable(path)}: not UTF-8 text") from e
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ManifestError(f"{printable(path)}: the first line must name the columns, "
                            f"among them 'file' ({', '.join(FIELDS)})")
    rows: dict[str, Row] = {}
    for n, raw in enumerate(reader, start=2):
        file = (raw.get("file") or "").strip().replace("\\", "/")
        if not file:
            raise ManifestError(f"{printable(path)}, line {n}: no file named")
        if file in rows:
            raise ManifestError(f"{printable(path)}, line {n}: {file} is listed twice")
        rows[file] = Row(file, *((raw.get(f) or "").strip() for f in FIELDS[1:]))
    return rows


def row_for(path: Path, root: Path | None,
            read: dict[Path, dict[str, Row]] | None = None) -> tuple[Path, Row] | None:
    """The manifest row of a report: in ``sources.csv`` of its own folder, or of a folder above
    it up to ``root``. (manifest path, row) or None.

    ``read``: manifests already read in this build, by folder (filled as folders are read), so a
    build of n reports reads each manifest once rather than n times.
    """
    folder = path.parent
    stop = root if root is not None and root.is_dir() else folder
    while True:
        if read is None:
            rows = read_manifest(folder)
        elif folder in read:
            rows = read[folder]
        else:
            rows = read[folder] = read_manifest(folder)
        if rows:
            key = path.relative_to(folder).as_posix()
            if key in rows:
                return folder / MANIFEST, rows[key]
        if folder == stop or folder.parent == folder or not folder.is_relative_to(stop):
            return None
        folder = folder.parent


def manifest_line(file: str, county: str, chosen_by: str = "") -> str:
    """The CSV line that gives ``file`` its county (columns as in ``FIELDS``)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([file, county, "", "", "", chosen_by])
    return buf.getvalue()


def set_county(folder: Path, file: str, county: str, chosen_by: str = "hand") -> Path:
    """Give ``file`` (relative to ``folder``) its county in ``folder/sources.csv``, keeping every
    other row and column; written atomically. Returns the manifest's path."""
    from geo.atomic import write_bytes_atomic

    path = folder / MANIFEST
    rows = read_manifest(folder)
    old = rows.get(file, Row(file))
    rows[file] = Row(file, county, old.url, old.date, old.title, chosen_by)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for key in sorted(rows):
        r = rows[key]
        w.writerow([r.file, r.county, r.url, r.date, r.title, r.chosen_by])
    write_bytes_atomic(path, buf.getvalue().encode("utf-8"))
    return path
