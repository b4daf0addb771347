"""The embedded gazetteer: its content, lookup, and the checker behind ``python -m geo gazetteer check``."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

from geo.locate.admin import county, county_polygon
from geo.locate.gazetteer import (
    COLUMNS,
    DEFAULT_PATH,
    PRECISIONS,
    Gazetteer,
    GazetteerEntry,
    check,
    check_main,
)
from geo.locate.geocoders.errors import GazetteerError
from geo.outcome import Outcome

GEOD = Geod(ellps="WGS84")
HEADER = ",".join(COLUMNS)
GOOD_ROW = ("塔山公园,塔山|塔山公園,永康市,park,POINT (120.03 28.9),street,300,"
            "https://example.org/a,\"塔山公园位于城区, 见某页\"")


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "gazetteer.csv"
    path.write_text("\n".join(["# a comment, with a comma and a \"quote", header, *rows]) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# ---------------------------------------------------------------- the committed file


def test_committed_gazetteer_is_clean(gaz: Gazetteer) -> None:
    assert check() == []
    assert len(gaz) == 7
    assert {e.county for e in gaz.entries()} == {"永康市", "德清县"}


def test_entries_are_honest(gaz: Gazetteer) -> None:
    for e in gaz.entries():
        assert isinstance(e, GazetteerEntry)
        assert e.precision in PRECISIONS and e.uncertainty_m > 0
        assert e.source_url.startswith(("http://", "https://")) and e.evidence
        assert county_polygon(e.county).intersects(e.geometry), e.name
    levels = {e.name: (e.precision, e.kind) for e in gaz.entries()}
    assert levels["永康市"] == ("county", "county") and levels["德清县"] == ("county", "county")
    assert levels["下渚湖街道"][0] == "township"
    assert levels["29°N 120°E 经纬度交汇点"][0] == "exact"


def test_county_seats_are_county_level_with_the_county_extent(gaz: Gazetteer) -> None:
    for name in ("永康市", "德清县"):
        e = gaz.lookup(name, county(name))
        assert e is not None and e.geometry.geom_type == "Point"
        outline = shapely.get_coordinates(county_polygon(name))
        farthest = max(GEOD.inv(e.geometry.x, e.geometry.y, x, y)[2] for x, y in outline)
        assert e.uncertainty_m == pytest.approx(farthest, rel=0.01)


def test_bounding_boxes_are_township_polygons_with_half_diagonal(gaz: Gazetteer) -> None:
    for name in ("莫干山镇", "钟管镇"):
        e = gaz.lookup(name, county("德清县"))
        assert e is not None and e.geometry.geom_type == "Polygon" and e.precision == "township"
        minx, miny, maxx, maxy = e.geometry.bounds
        assert e.uncertainty_m == pytest.approx(GEOD.inv(minx, miny, maxx, maxy)[2] / 2, abs=1)


def test_known_bad_and_low_confidence_coordinates_are_left_out(gaz: Gazetteer) -> None:
    bad = [(119.883333, 28.75), (119.866667, 30.6)]  # 永康 "28°45′N 119°53′E"; 莫干山风景区中心 (low)
    for e in gaz.entries():
        if e.geometry.geom_type == "Point":
            for lon, lat in bad:
                assert e.geometry.distance(Point(lon, lat)) > 0.01, e.name


def test_coordinates_are_wgs84_lon_lat(gaz: Gazetteer) -> None:
    seat = gaz.lookup("永康市", county("永康市"))
    assert seat is not None
    assert (seat.geometry.x, seat.geometry.y) == pytest.approx((120.0425, 28.890833), abs=1e-6)
    dot = gaz.lookup("29°N 120°E", county("永康市"))  # by alias
    assert dot is not None and (dot.geometry.x, dot.geometry.y) == (120.0, 29.0)


# ---------------------------------------------------------------- lookup


def test_lookup_name_then_alias_within_county(gaz: Gazetteer) -> None:
    assert gaz.lookup("莫干山", county("德清县")).name == "莫干山"  # type: ignore[union-attr]
    assert gaz.lookup("莫干山镇", county("德清县")).name == "莫干山镇"  # type: ignore[union-attr]
    assert gaz.lookup("Mount Mogan", county("德清县")).name == "莫干山"  # type: ignore[union-attr]
    assert gaz.lookup(" 德清 ", county("德清县")).name == "德清县"  # type: ignore[union-attr]
    assert gaz.lookup("莫干山", county("德清")).name == "莫干山"  # type: ignore[union-attr]
    assert gaz.lookup("莫干山", county("湖州市德清县")).name == "莫干山"  # type: ignore[union-attr]
    assert gaz.lookup("莫干山", county("永康市")) is None  # not in that county
    assert gaz.lookup("塔山公园", county("永康市")) is None  # no source says where it is


def test_exact_name_wins_over_an_alias(tmp_path: Path) -> None:
    path = write(tmp_path,
                 "甲地,乙地,永康市,poi,POINT (120.03 28.9),street,300,https://example.org/1,e",
                 "乙地,,永康市,poi,POINT (120.04 28.91),street,300,https://example.org/2,e")
    g = Gazetteer.load(path)
    assert g.lookup("乙地", county("永康市")).source_url == "https://example.org/2"  # type: ignore[union-attr]
    assert g.lookup("甲地", county("永康市")).aliases == ("乙地",)  # type: ignore[union-attr]


def test_entry_as_location(gaz: Gazetteer) -> None:
    e = gaz.lookup("钟管镇", county("德清县"))
    assert e is not None
    loc = e.location()
    assert (loc.precision, loc.uncertainty_m) == ("township", e.uncertainty_m)
    assert loc.geometry.equals(e.geometry) and e.source_url in loc.source


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize(("row", "message"), [
    ("x,,永康市,poi,POINT (120.03 abc),street,300,https://e.org,e", "bad WKT"),
    ("x,,永康市,poi,POINT (120.03 28.9),approximate,300,https://e.org,e", "precision"),
    ("x,,永康市,poi,POINT (120.03 28.9),street,0,https://e.org,e", "uncertainty_m"),
    ("x,,永康市,poi,POINT (120.03 28.9),street,-5,https://e.org,e", "uncertainty_m"),
    ("x,,永康市,poi,POINT (120.03 28.9),street,abc,https://e.org,e", "uncertainty_m"),
    ("x,,永康市,poi,POINT (120.03 28.9),street,300,,e", "no source_url"),
    ("x,,永康市,poi,POINT (120.03 28.9),street,300", "cells"),
])
def test_load_names_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, GOOD_ROW, row)
    with pytest.raises(GazetteerError, match=message) as info:
        Gazetteer.load(path)
    assert info.value.line == 4 and info.value.path == path  # comment, header, good row, bad row
    assert f"{path}:4:" in str(info.value)


def test_load_rejects_wrong_header(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="header"):
        Gazetteer.load(write(tmp_path, GOOD_ROW, header="name,county,wkt"))


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.load(tmp_path / "nope.csv")


def test_check_finds_every_problem_with_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_ROW,                                                                              # line 3
        "换位,,永康市,poi,POINT (28.9 120.03),street,300,https://e.org,e",                       # 4 swapped
        "远处,,永康市,poi,POINT (119.97 30.54),street,300,https://e.org,e",                      # 5 in 德清县
        "塔山,,永康市,poi,POINT (120.03 28.9),street,300,https://e.org,e",                       # 6 dup alias
        "无源,,永康市,poi,POINT (120.03 28.9),street,300,,e",                                    # 7 no source
        "某县,,某某县,poi,POINT (120.03 28.9),street,300,https://e.org,e",                       # 8 county
        "坏,,永康市,poi,LINESTRING (120.03),exact,5,https://e.org,e",                            # 9 bad WKT
    )
    problems = check(path)
    text = "\n".join(problems)
    assert f"{path}:4: 换位: lat/lon swapped" in text
    assert f"{path}:5: 远处: outside its county polygon" in text
    assert f"{path}:6: '塔山' already names the entry of line 3" in text
    assert f"{path}:7: no source_url" in text
    assert f"{path}:8: county '某某县'" in text
    assert f"{path}:9: bad WKT" in text
    assert len(problems) == 6


def test_check_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_main(None) is Outcome.DONE
    assert "7 entries" in capsys.readouterr().out
    bad = write(tmp_path, GOOD_ROW, "x,,永康市,poi,POINT (120.03 28.9),street,0,https://e.org,e")
    assert check_main(bad) is Outcome.PARTIAL
    out = capsys.readouterr()
    assert f"{bad}:4:" in out.out and "1 problem" in out.err
    assert check_main(tmp_path / "missing.csv") is Outcome.FAILED
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00bad")
    assert check_main(tmp_path / "binary.csv") is Outcome.FAILED


def test_cli_gazetteer_check(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    assert main(["gazetteer", "check"]) == 0
    assert main(["gazetteer", "check", str(DEFAULT_PATH)]) == 0
    assert "no problems" in capsys.readouterr().out

