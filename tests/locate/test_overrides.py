"""The overrides file: read strictly, used whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.errors import GeoError
from geo.locate.overrides import UNCERTAINTY_M, OverridesError, load_overrides

WHEN = "2024-05-01T10:00:00+08:00"


def feature(geometry: dict[str, Any] | None = None, **props: Any) -> dict[str, Any]:
    base = {"site_id": "parks-0123456789ab", "name": "塔山公园", "county": "永康市",
            "note": "https://example.org/tashan", "who": "Li", "when": WHEN}
    base.update(props)
    return {"type": "Feature", "properties": {k: v for k, v in base.items() if v is not ...},
            "geometry": geometry or {"type": "Point", "coordinates": [120.03, 28.90]}}


def write(path: Path, *features: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_missing_file_means_no_overrides(tmp_path: Path) -> None:
    overrides = load_overrides(tmp_path / "overrides.geojson")
    assert len(overrides) == 0
    assert overrides.lookup("parks-0123456789ab", "塔山公园", "永康市") is None


def test_valid_file(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[120.01, 28.89], [120.04, 28.90]]}
    ring = [[119.97, 30.54], [119.98, 30.54], [119.98, 30.55], [119.97, 30.54]]
    path = write(
        tmp_path / "overrides.geojson",
        feature(),
        feature(line, site_id="roads-aaaaaaaaaaaa", name="九鼎路"),
        # named by name and county only, the county in its short form
        feature({"type": "Polygon", "coordinates": [ring]}, site_id=..., name="狮子山休闲公园", county="德清"),
    )
    overrides = load_overrides(path)
    assert len(overrides) == 3
    park = overrides.lookup("parks-0123456789ab", "whatever", "永康市")
    assert park is not None and park.geometry.equals(Point(120.03, 28.90))
    loc = park.location()
    assert (loc.precision, loc.uncertainty_m) == ("exact", UNCERTAINTY_M)
    assert loc.source == f"placed by hand: https://example.org/tashan (Li, {WHEN})"
    road = overrides.lookup("roads-aaaaaaaaaaaa", "九鼎路", "永康市")
    assert road is not None and isinstance(road.geometry, LineString)
    by_name = overrides.lookup("parks-ffffffffffff", "狮子山休闲公园", "德清县")
    assert by_name is not None and isinstance(by_name.geometry, Polygon) and by_name.county == "德清县"
    assert overrides.lookup("parks-ffffffffffff", "狮子山休闲公园", "永康市") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": {}}', "'features' must be a list"),
    ],
)
def test_unreadable_file_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "overrides.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OverridesError) as info:
        load_overrides(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert isinstance(info.value, GeoError)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature(note=""), "no note"),
        (feature(who=...), "no who"),
        (feature(when="last spring"), "when is not an ISO 8601 timestamp"),
        (feature(note=5), "note must be a string"),
        (feature(site_id=..., county=...), "names no site"),
        (feature(county="不存在县"), "unknown county"),
        (feature({"type": "MultiPoint", "coordinates": [[120.0, 28.9]]}), "geometry type 'MultiPoint'"),
        (feature({"type": "Point", "coordinates": [28.9, 120.03]}), "out of range"),
        (feature({"type": "Point", "coordinates": ["a", "b"]}), "unreadable Point"),
        (feature({"type": "Polygon", "coordinates": [[[120.0, 28.9], [120.01, 28.91], [120.01, 28.9],
                                                      [120.0, 28.91], [120.0, 28.9]]]}), "invalid Polygon"),
        ({"type": "Feature", "properties": None, "geometry": None}, "no properties"),
        ({**feature(), "geometry": None}, "no geometry"),
        ({"type": "Point"}, "not a GeoJSON Feature"),
    ],
)
def test_malformed_feature_is_named(tmp_path: Path, bad: dict[str, Any], message: str) -> None:
    path = write(tmp_path / "overrides.geojson", feature(site_id="parks-111111111111", name="甲"), bad)
    with pytest.raises(OverridesError) as info:
        load_overrides(path)
    assert str(info.value).startswith(f"{path}: feature 1: ")
    assert message in str(info.value)


def test_a_site_placed_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "a.geojson", feature(), feature(name="另一个"))
    with pytest.raises(OverridesError, match="already placed by feature 0"):
        load_overrides(path)
    path = write(tmp_path / "b.geojson", feature(), feature(site_id="parks-222222222222"))
    with pytest.raises(OverridesError, match=r"塔山公园 \(永康市\) is already placed by feature 0"):
        load_overrides(path)
