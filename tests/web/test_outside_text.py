"""Outside text (report quotes, names, geocoder and placement notes) reaches no spreadsheet
formula and no terminal control sequence."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from geo.web import export

FORMULAS = ['=HYPERLINK("http://example.org/x","点击")', "+1+2", "-2+3", "@SUM(A1)", "\t=1"]


def _feature(name: str, quote: str) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.03, 28.9]},
            "properties": {"id": "x", "name": name, "county": "永康市", "status": "planned",
                           "uncertainty_m": -5, "sources": [{"doc": name, "quote": quote}]}}


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cells_never_start_a_formula(text: str) -> None:
    data = export.csv_bytes([("parks", _feature(text, text))])
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for column in ("name", "documents", "quotes"):
        assert row[column] == "'" + text, column
    assert row["uncertainty_m"] == "-5"  # numbers stay numbers
    assert float(row["lon"]) == 120.03


def test_ordinary_text_is_left_as_it_is() -> None:
    data = export.csv_bytes([("parks", _feature("塔山公园", "推进塔山公园建设。"))])
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row["name"] == "塔山公园" and row["quotes"] == "推进塔山公园建设。"


def test_placement_notes_and_names_reach_the_terminal_escaped(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from shapely.geometry import Point

    from geo.cli import main
    from geo.project.placement import place
    from geo.project.project import Project

    path = tmp_path / "overrides.geojson"
    place(Project.at(tmp_path, overrides=path), site_id="parks-cc606647e930", name="狮子山休闲公园",
          county="德清县", geometry=Point(119.97, 30.54), note="\x1b]0;owned\x07seen \x1b[2J", who="Li\x1b[31m")
    capsys.readouterr()
    assert main(["place", "--list", "--overrides", str(path)]) == 0
    assert main(["place", "\x1b[2Jnowhere", "--undo", "--overrides", str(path)]) == 2
    said = capsys.readouterr()
    for text in (said.out, said.err):
        assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;owned\\x07seen \\x1b[2J" in said.out and "\\x1b[2Jnowhere" in said.err
    assert said.out.count("\t") == 6  # the columns are still tab-separated
