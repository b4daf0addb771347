"""Outside text (report quotes, names, geocoder and placement notes) reaches no spreadsheet
formula and no terminal control sequence."""

from __future__ import annotations

import csv
import io
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
