"""What the app shows on top of the built layers: uploads, pending placements, stacks, centring."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COUNTY_SPOT, fixture_layers
from shapely.geometry import Point

from geo.overrides import Override, Overrides
from geo.web.layers_io import read_layers, sites_frame
from geo.web.mapview import FLAG_PLACED, FLAG_UNPLACED, shared_spots
from geo.web.popup import md_text
from geo.web.project import current_project
from geo.web.view import (
    CENTRE_NUDGE,
    ORIGIN_UPLOAD,
    approximate_line,
    approximate_stacks,
    build_view,
    centre_request,
    point_rows,
    zoom_for,
)


def _placement(site_id: str, lon: float, lat: float) -> Overrides:
    o = Override(
        site_id=site_id,
        name=None,
        county=None,
        note="walked there",
        who="李工",
        when="2024-05-01T10:00:00+08:00",
        geometry=Point(lon, lat),
    )
    return Overrides([o])


def test_uploads_get_their_own_keys(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    up = dict(fixture_layers()["parks"][0])
    up["properties"] = {**up["properties"], "origin": "upload"}
    view = build_view(layers, sites_frame(layers), [up])
    assert len(view.sites) == 12
    row = view.sites.iloc[-1]
    assert row["key"] == "upload:parks/p1" and row["origin"] == ORIGIN_UPLOAD
    assert view.items["upload:parks/p1"].raw is up
    assert view.raw_items(["parks/p1"])[0][1] is layers.features["parks"][0]


def test_a_pending_placement_is_shown_where_placed(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    view = build_view(layers, sites_frame(layers), (), _placement("r4", 120.05, 28.9))
    row = view.sites[view.sites["key"] == "renewal/r4"].iloc[0]
    assert (row["lon"], row["lat"]) == (120.05, 28.9)
    assert row["precision"] == "exact" and not row["approximate"] and row["flags"] == FLAG_PLACED
    item = view.items["renewal/r4"]
    assert item.shown["geometry"] == {"type": "Point", "coordinates": (120.05, 28.9)}
    assert item.shown["properties"]["location_source"].startswith("placed by hand: walked there")
    assert item.raw["geometry"]["coordinates"] == COUNTY_SPOT  # downloads keep the built feature


def test_a_placement_the_layers_carry_is_not_pending(tmp_path: Path) -> None:
    from conftest import write_layers

    placements = _placement("r4", 120.05, 28.9)
    loc = next(iter(placements)).location()
    feats = fixture_layers()
    feats["renewal"][3]["geometry"] = {"type": "Point", "coordinates": [120.05, 28.9]}
    feats["renewal"][3]["properties"].update(precision="exact", location_source=loc.source)
    write_layers(tmp_path, feats)
    layers = read_layers(tmp_path)
    view = build_view(layers, sites_frame(layers), (), placements)
    assert int(view.sites["flags"].sum()) == 0
    # once the placement is undone, the site is tagged until the next rebuild
    undone = build_view(layers, sites_frame(layers), (), Overrides([]))
    assert undone.sites.set_index("key").loc["renewal/r4", "flags"] == FLAG_UNPLACED


def test_approximate_stacks(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    sites = sites_frame(layers)
    stacks = approximate_stacks(sites)
    assert [len(s.keys) for s in stacks] == [2, 1, 1]
    assert set(stacks[0].keys) == {"renewal/r4", "parks/p3"} and stacks[0].uncertainty_m == 20000
    assert set(shared_spots(point_rows(sites))) == {"renewal/r4", "parks/p3"}


def test_approximate_line(layers_dir: Path) -> None:
    sites = sites_frame(read_layers(layers_dir))
    n = int(sites["approximate"].sum())
    assert n == 4  # r3, r4, p3 and s1 (county or township)
    zh, en = approximate_line(sites, "zh"), approximate_line(sites, "en")
    assert zh is not None and zh.startswith(f"**{n} / {len(sites)}** 个项目只定位到县或乡镇")
    assert en is not None and en.startswith(f"**{n} of {len(sites)}** sites are located only")
    assert approximate_line(sites[~sites["approximate"]], "en") == (
        "All 7 shown sites have a location of their own (none is located only to a county or township)."
    )


def test_centre_requests_alternate() -> None:
    a = centre_request(28.9, 120.02, 50.0, 1)
    b = centre_request(28.9, 120.02, 50.0, 2)
    assert a != b and b == ((28.9, 120.02), 16)
    assert a[0][0] - 28.9 == pytest.approx(CENTRE_NUDGE) and round(a[1]) == 16
    assert zoom_for(20000) < 12 and zoom_for(None) == 16


def test_md_text_is_literal() -> None:
    assert md_text("![x](http://e/i.png) :red[y] <b>\n**z**") == (
        "\\!\\[x\\]\\(http\\://e/i\\.png\\) \\:red\\[y\\] \\<b\\> \\*\\*z\\*\\*"
    )


def test_project_paths_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(tmp_path / "l"))
    monkeypatch.setenv("RENEWAL_MAP_DATA", str(tmp_path / "d"))
    monkeypatch.delenv("RENEWAL_MAP_OVERRIDES", raising=False)
    p = current_project()
    assert (p.layers, p.sources, p.overrides) == (
        tmp_path / "l",
        tmp_path / "d" / "sources",
        tmp_path / "d" / "overrides.geojson",
    )
    monkeypatch.setenv("RENEWAL_MAP_OVERRIDES", str(tmp_path / "o.geojson"))
    assert current_project().overrides == tmp_path / "o.geojson"


def test_bidi_text_is_isolated() -> None:
    from geo.web.popup import isolate

    assert isolate("塔山公园") == "塔山公园"  # nothing to isolate
    assert isolate("\u202e园公山塔") == "\u2068\u202e园公山塔\u2069"
    assert md_text("a\u202eb.txt") == "\u2068a\u202eb\\.txt\u2069"
