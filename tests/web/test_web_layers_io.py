"""Reading built layers: bytes kept, missing and broken files handled, one table row per site."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import write_layers

from geo.web import layers_io
from geo.web.layers_io import folder_stamp, read_layers, site_key, sites_frame
from geo.web.search import filter_sites
from geo.web.service import Project


def test_folder_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RENEWAL_MAP_LAYERS", raising=False)
    assert Project.from_environment().layers == Path("layers")
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(tmp_path))
    assert Project.from_environment().layers == tmp_path


def test_read_keeps_bytes_and_features(tmp_path: Path) -> None:
    written = write_layers(tmp_path)
    layers = read_layers(tmp_path)
    assert layers.raw == written
    assert {k: len(v) for k, v in layers.features.items()} == {
        "renewal": 4,
        "parks": 3,
        "roads": 2,
        "scenic": 2,
    }
    assert not layers.errors


def test_missing_and_broken_files(tmp_path: Path) -> None:
    write_layers(tmp_path, {"parks": []})
    (tmp_path / "roads.geojson").write_text("{not json", encoding="utf-8")
    (tmp_path / "scenic.geojson").write_text('{"type": "Feature"}', encoding="utf-8")
    layers = read_layers(tmp_path)
    assert set(layers.raw) == {"parks"}
    assert set(layers.errors) == {"roads", "scenic"}
    assert sites_frame(layers).empty


def test_stamp_changes_when_a_layer_is_rebuilt(tmp_path: Path) -> None:
    write_layers(tmp_path)
    before = folder_stamp(tmp_path)
    write_layers(tmp_path, {"parks": []})
    assert folder_stamp(tmp_path) != before


def test_sites_frame(layers_dir: Path) -> None:
    sites = sites_frame(read_layers(layers_dir))
    assert len(sites) == 11 and sites["key"].is_unique
    p1 = sites.set_index("key").loc["parks/p1"]
    assert (p1["lon"], p1["lat"]) == (120.02, 28.9)
    # the pinyin is read on the first search, not with the layers
    assert list(filter_sites(sites, query="tsgy")["key"]) == list(filter_sites(sites, query="tashan")["key"])
    assert "parks/p1" in set(filter_sites(sites, query="tsgy")["key"])
    assert p1["documents"] == ("2024年永康市政府工作报告.txt", "永康市住建局2024年工作总结.txt")
    approx = set(sites.loc[sites["approximate"], "key"])
    assert approx == {"renewal/r3", "renewal/r4", "parks/p3", "scenic/s1"}
    d1 = sites.set_index("key").loc["roads/d1"]
    assert 120.0 < d1["lon"] < 120.06  # a line is centred on its midpoint


def test_features_without_geometry_or_id(tmp_path: Path) -> None:
    write_layers(
        tmp_path, {"parks": [{"type": "Feature", "geometry": None, "properties": {"name": "无图形"}}]}
    )
    layers = read_layers(tmp_path)
    sites = sites_frame(layers)
    assert sites.loc[0, "key"] == "parks/#0" and math.isnan(sites.loc[0, "lon"])
    assert site_key("parks", layers.features["parks"][0], 0) == "parks/#0"


def test_county_outlines_are_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from shapely.geometry import box

    fake = types.ModuleType("geo.locate.admin")

    def county_polygon(name: str):  # type: ignore[no-untyped-def]
        if name == "永康市":
            return box(119.9, 28.7, 120.3, 29.1)
        raise KeyError(name)

    fake.county_polygon = county_polygon  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "geo.locate.admin", fake)
    out = layers_io.county_outlines(["永康市", "无此县", ""])
    assert list(out) == ["永康市"] and out["永康市"]["type"] == "Polygon"
    monkeypatch.setitem(sys.modules, "geo.locate.admin", None)  # import fails: no outlines, no error
    assert layers_io.county_outlines(["永康市"]) == {}
