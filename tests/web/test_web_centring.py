"""Where the map looks (``geo.web.centring``): requests from a link, a filter, an upload, the table
and placing; the site a click hit; a click as WGS-84; the layers' bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COUNTY_SPOT, fixture_layers

from geo.coords import gcj02_to_wgs84 as gcj_to_wgs
from geo.coords import wgs84_to_gcj02 as wgs_to_gcj
from geo.web.centring import ViewRequest, choose_view, chosen_key, click_point, clicked_site, layers_bounds
from geo.web.display import shared_spots
from geo.web.layers_io import read_layers, sites_frame
from geo.web.view import View, build_view, point_rows


def _view(layers_dir: Path, uploads: list[dict] | None = None) -> tuple[View, dict[str, tuple[float, float]]]:
    layers = read_layers(layers_dir)
    view = build_view(layers, sites_frame(layers), uploads or [])
    return view, shared_spots(point_rows(view.sites))


def _row(view: View, key: str):
    return view.sites[view.sites["key"] == key].iloc[0]


def test_a_links_view_is_sent_as_it_was_made_and_shifted_for_gaode(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    request = ViewRequest("url", 3, (28.9, 120.05, 12.0), rows=[0])
    assert choose_view(request, view, view.sites, offsets, "none", None) == ((28.9, 120.05), 12.0)
    (lat, lon), zoom = choose_view(request, view, view.sites, offsets, "gaode", None)
    assert (lon, lat) == pytest.approx(wgs_to_gcj(120.05, 28.9)) and zoom == 12.0


def test_a_filter_fits_what_it_shows_not_the_rest(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    one = view.sites[view.sites["key"] == "parks/p1"]
    (lat, lon), zoom = choose_view(ViewRequest("filter", 2), view, one, offsets, "none", None)
    row = _row(view, "parks/p1")
    assert (lat, lon) == pytest.approx((row["lat"], row["lon"]), abs=1e-3)
    (_, _), zoom_all = choose_view(ViewRequest("filter", 2), view, view.sites, offsets, "none", None)
    assert zoom > zoom_all  # one site is seen closer than all of them


def test_an_upload_fits_the_uploaded_sites_only(layers_dir: Path) -> None:
    up = dict(fixture_layers()["parks"][0])
    up["geometry"] = {"type": "Point", "coordinates": [121.5, 30.5]}
    view, offsets = _view(layers_dir, [up])
    (lat, lon), _ = choose_view(ViewRequest("upload", 2), view, view.sites, offsets, "none", None)
    assert (lat, lon) == pytest.approx((30.5, 121.5), abs=1e-3)


def test_a_table_row_centres_on_its_site_as_close_as_its_uncertainty_allows(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    shown = view.sites.reset_index(drop=True)
    rows = {k: int(shown.index[shown["key"] == k][0]) for k in ("renewal/r4", "parks/p1")}
    (lat, lon), zoom_county = choose_view(ViewRequest("table", 2, rows=[rows["renewal/r4"]]), view, shown,
                                          offsets, "none", None)
    assert (lon, lat) == pytest.approx(COUNTY_SPOT, abs=1e-6)  # r4 shares the county point, drawn there
    _, zoom_exact = choose_view(ViewRequest("table", 2, rows=[rows["parks/p1"]]), view, shown, offsets,
                                "none", None)
    assert zoom_county < zoom_exact  # a site known to the county is never shown at a street's scale
    stale = ViewRequest("table", 2, rows=[len(shown)])  # a row of a table since filtered
    assert choose_view(stale, view, shown, offsets, "none", None) == (None, None)


def test_a_site_chosen_for_placing_beats_the_row_still_chosen(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    shown = view.sites.reset_index(drop=True)
    first = shown.iloc[0]
    placing = "parks/p2"
    centre_place, _ = choose_view(ViewRequest("place", 2, rows=[0]), view, shown, offsets, "none", placing)
    centre_row, _ = choose_view(ViewRequest("table", 2, rows=[0]), view, shown, offsets, "none", placing)
    p2 = _row(view, placing)
    assert centre_place == pytest.approx((p2["lat"], p2["lon"]), abs=1e-3)
    assert centre_row == pytest.approx((first["lat"], first["lon"]), abs=1e-3)


def test_no_request_leaves_the_view_to_the_user(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    assert choose_view(ViewRequest(), view, view.sites, offsets, "none", None) == (None, None)
    empty = view.sites.iloc[0:0]
    assert choose_view(ViewRequest("filter", 1), view, empty, offsets, "none", None) == (None, None)


def test_the_clicked_site_is_the_nearest_of_that_name(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    p1 = _row(view, "parks/p1")
    click = {"lat": p1["lat"], "lng": p1["lon"]}
    assert clicked_site(click, p1["name"], view.sites, view, offsets, "none") == "parks/p1"
    assert clicked_site(click, "  " + p1["name"] + " ", view.sites, view, offsets, "none") == "parks/p1"
    assert clicked_site(click, "没有这个名字", view.sites, view, offsets, "none") is None
    assert clicked_site(click, None, view.sites, view, offsets, "none") is None
    hidden = view.sites[view.sites["key"] != "parks/p1"]
    assert clicked_site(click, p1["name"], hidden, view, offsets, "none") is None


def test_a_click_is_taken_as_wgs84() -> None:
    assert click_point({"lat": 28.91234567, "lng": 120.0512341}, "none") == (28.912346, 120.051234)
    lon, lat = wgs_to_gcj(120.05, 28.9)
    assert click_point({"lat": lat, "lng": lon}, "gaode") == pytest.approx((28.9, 120.05), abs=2e-6)
    assert gcj_to_wgs(lon, lat) == pytest.approx((120.05, 28.9), abs=2e-6)
    assert click_point({"lat": "x", "lng": 1}, "none") is None
    assert click_point({}, "none") is None


def test_the_bounds_hold_every_point_and_whole_lines(layers_dir: Path) -> None:
    layers = read_layers(layers_dir)
    sites = sites_frame(layers)
    x0, y0, x1, y1 = layers_bounds(layers, sites)
    for _, f in layers.all_features():
        g = f["geometry"]
        coords = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"]
        while coords and isinstance(coords[0][0], list):
            coords = [c for part in coords for c in part]
        for lon, lat in coords:
            assert x0 <= lon <= x1 and y0 <= lat <= y1


def test_the_chosen_row_names_its_site_while_it_is_shown(layers_dir: Path) -> None:
    view, _ = _view(layers_dir)
    shown = view.sites.reset_index(drop=True)
    assert chosen_key([2], shown) == shown.iloc[2]["key"]
    assert chosen_key([], shown) is None
    assert chosen_key([len(shown)], shown) is None  # a row of a table since filtered


def test_a_layers_zoom_fits_its_shown_sites_only(layers_dir: Path) -> None:
    view, offsets = _view(layers_dir)
    roads = view.sites[view.sites["layer"] == "roads"]
    (lat, lon), zoom = choose_view(ViewRequest("layer:roads", 2), view, view.sites, offsets, "none", None)
    fitted, fitted_zoom = choose_view(ViewRequest("filter", 2), view, roads, offsets, "none", None)
    assert ((lat, lon), zoom) == (fitted, fitted_zoom)  # the same view as a filter to the layer
    hidden = view.sites[view.sites["layer"] != "roads"]  # the layer switched off: no move
    assert choose_view(ViewRequest("layer:roads", 3), view, hidden, offsets, "none", None) == (None, None)
