"""What the app shows on top of the built layers: uploads, pending placements, stacks, centring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import COUNTY_SPOT, fixture_layers
from shapely.geometry import Point

from geo.locate.overrides import Override, Overrides
from geo.web.display import shared_spots
from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED
from geo.web.layers_io import read_layers, sites_frame
from geo.web.popup import md_text
from geo.web.service import Project
from geo.web.view import (
    CENTRE_NUDGE,
    ORIGIN_UPLOAD,
    approximate_line,
    approximate_stacks,
    build_view,
    centre_request,
    circle_extent,
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
    p = Project.from_environment()
    assert (p.layers, p.sources, p.overrides) == (
        tmp_path / "l",
        tmp_path / "d" / "sources",
        tmp_path / "d" / "overrides.geojson",
    )
    monkeypatch.setenv("RENEWAL_MAP_OVERRIDES", str(tmp_path / "o.geojson"))
    assert Project.from_environment().overrides == tmp_path / "o.geojson"


def test_bidi_text_is_isolated() -> None:
    from geo.web.popup import isolate

    assert isolate("塔山公园") == "塔山公园"  # nothing to isolate
    assert isolate("\u202e园公山塔") == "\u2068\u202e园公山塔\u2069"
    assert md_text("a\u202eb.txt") == "\u2068a\u202eb\\.txt\u2069"


# ---- fitting the view --------------------------------------------------------------------------


def _pixels(extent: tuple[float, float, float, float], zoom: float) -> tuple[float, float]:
    """Width and height in screen pixels of ``extent`` at ``zoom`` (Web Mercator, 256 px tiles)."""
    import math

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    scale = 256 * 2**zoom
    return (extent[2] - extent[0]) / 360 * scale, (y(extent[3]) - y(extent[1])) / (2 * math.pi) * scale


def _frame(rows: list[tuple[str, float, float, float | None]]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "key": [r[0] for r in rows],
            "lon": [r[1] for r in rows],
            "lat": [r[2] for r in rows],
            "uncertainty_m": [r[3] for r in rows],
            "geom_type": ["Point"] * len(rows),
        }
    )


def test_a_site_known_to_30_km_is_never_shown_closer_than_its_circle() -> None:
    from geo.web.view import fit_request

    ((lat, lon), zoom) = fit_request(_frame([("a", 120.0, 30.0, 30000.0)]), 0)
    assert (lat, lon) == pytest.approx((30.0, 120.0), abs=1e-3)
    # the whole ±30 km circle fits in the map (at most 800 × 620 px) ...
    w, h = _pixels(circle_extent(120.0, 30.0, 30000.0), zoom)
    assert w <= 800 and h <= 620
    # ... and is not a speck in it: one zoom closer would not fit
    w2, h2 = _pixels(circle_extent(120.0, 30.0, 30000.0), zoom + 1)
    assert w2 > 720 or h2 > 540
    # metres per pixel at this zoom: hundreds, not the street scale of zoom 16
    import math

    assert 156543 * math.cos(math.radians(30)) / 2**zoom > 100 and zoom <= 10


def test_the_view_fits_every_site_and_a_lone_exact_site_stops_at_street_zoom() -> None:
    from geo.web.view import fit_request

    frame = _frame([("a", 120.0, 28.9, 50.0), ("b", 120.3, 29.1, 300.0), ("c", 119.9, 28.8, None)])
    ((lat, lon), zoom) = fit_request(frame, 0)
    assert 28.8 < lat < 29.1 and 119.9 < lon < 120.3
    w, h = _pixels((119.9, 28.8, 120.3, 29.1), zoom)
    assert w <= 720 and h <= 540
    ((_, _), lone) = fit_request(_frame([("a", 120.0, 28.9, 5.0)]), 0)
    assert lone == 16
    assert fit_request(_frame([("a", float("nan"), float("nan"), 5.0)]), 0) is None


def test_fit_requests_alternate_and_follow_the_base_map() -> None:
    from geo.web.view import fit_request

    frame = _frame([("a", 120.0, 28.9, 3000.0)])
    a, b = fit_request(frame, 1), fit_request(frame, 2)
    assert a is not None and b is not None and a != b and round(a[1]) == round(b[1])
    shifted = fit_request(frame, 2, transform=lambda lon, lat: (lon + 0.005, lat - 0.002))
    assert shifted is not None and shifted[0] == pytest.approx((28.898, 120.005))


def test_lines_are_fitted_whole(layers_dir: Path) -> None:
    from geo.web.view import sites_extent

    layers = read_layers(layers_dir)
    view = build_view(layers, sites_frame(layers))
    lines = view.sites[view.sites["geom_type"] == "LineString"]
    extent = sites_extent(lines, view.items)
    assert extent is not None and extent[0] <= 119.80 and extent[2] >= 120.06


def test_filter_signature_changes_with_any_filter_only() -> None:
    from geo.web.view import filter_signature

    base = {"query": "", "counties": [], "documents": [], "statuses": [], "precisions": []}
    assert filter_signature(base) == filter_signature(dict(base))
    assert filter_signature(base) != filter_signature({**base, "counties": ["某县"]})
    assert filter_signature(base) != filter_signature({**base, "query": "gongyuan"})
