"""Placing a site by hand as the app offers it (``geo.web.placing``): the chooser's order and
labels, and saving or undoing a placement with the message each gives."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import COUNTY_SPOT, YK, fixture_layers, inside_point

from geo.web.layers_io import read_layers, sites_frame
from geo.web.placing import (
    pending_count,
    place_options,
    save_placement,
    site_identity,
    site_label,
    undo_placement,
)
from geo.web.service import Project
from geo.web.view import build_view


def _view(layers_dir: Path, uploads: list[dict] | None = None):
    layers = read_layers(layers_dir)
    return build_view(layers, sites_frame(layers), uploads or [])


def test_approximate_sites_come_first_and_uploads_are_not_offered(layers_dir: Path) -> None:
    up = dict(fixture_layers()["parks"][0])
    view = _view(layers_dir, [up])
    keys = place_options(view, view.sites, None)
    approx = set(view.sites[view.sites["approximate"].astype(bool)]["key"])
    assert set(keys[: len(approx)]) == approx
    assert not any(k.startswith("upload:") for k in keys)
    assert len(keys) == len(view.sites) - 1


def test_the_chosen_site_stays_offered_when_a_filter_hides_it(layers_dir: Path) -> None:
    view = _view(layers_dir)
    only_parks = view.sites[view.sites["layer"] == "parks"]
    assert "renewal/r1" not in place_options(view, only_parks, None)
    assert place_options(view, only_parks, "renewal/r1")[0] == "renewal/r1"
    assert "nowhere/x" not in place_options(view, only_parks, "nowhere/x")


def test_labels_keep_a_names_direction_marks_inside_it(layers_dir: Path) -> None:
    view = _view(layers_dir)
    row = view.sites.iloc[0].copy()
    row["name"] = "\u202e改造项目"
    label = site_label(row, "en")
    assert label.startswith("\u2068\u202e改造项目\u2069 · ") and label.endswith(" · Urban renewal")
    assert site_identity(row) == {"id": str(row["id"]), "name": "\u202e改造项目", "county": str(row["county"])}


def test_a_placement_needs_a_point_a_source_and_an_author(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    site = {"id": "r4", "name": "示范片区", "county": YK}
    assert save_placement(project, site, None, 120.0, "n", "w").key == "place_need_point"
    assert save_placement(project, site, 28.9, 120.0, "  ", "w").key == "place_need_note"
    assert save_placement(project, site, 28.9, 120.0, "n", "").key == "place_need_note"
    assert not project.overrides.exists()


def test_save_then_undo_a_placement(tmp_path: Path, layers_dir: Path) -> None:
    project = Project.at(tmp_path, layers=layers_dir)
    site = {"id": "", "name": "示范片区", "county": YK}  # no id: named by name and county
    lon, lat = inside_point(YK, *COUNTY_SPOT)
    saved = save_placement(project, site, lat, lon, " https://example.org/map ", "李工")
    assert saved.ok and saved.key == "place_saved" and f"{lat:.6f}" in saved.text("en")
    (placed,) = json.loads(project.overrides.read_text(encoding="utf-8"))["features"]
    assert placed["properties"]["name"] == "示范片区" and placed["properties"]["note"] == "https://example.org/map"
    assert placed["geometry"]["coordinates"] == [lon, lat]
    undone = undo_placement(project, site)
    assert undone.kind == "success" and undone.key == "place_undone"
    again = undo_placement(project, site)
    assert again.kind == "info" and again.key == "place_nothing" and again.ok


def test_a_placement_far_outside_the_county_is_refused_with_the_reason(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    outcome = save_placement(project, {"id": "r4", "name": "示范片区", "county": YK}, 39.9, 116.4, "n", "w")
    assert outcome.kind == "error" and outcome.key == "place_refused" and not outcome.ok
    assert outcome.fmt["error"] and not project.overrides.exists()


def test_pending_counts_placements_not_yet_built(layers_dir: Path) -> None:
    from shapely.geometry import Point

    from geo.locate.overrides import Override, Overrides

    layers = read_layers(layers_dir)
    assert pending_count(build_view(layers, sites_frame(layers)).sites) == 0
    placed = Override(site_id="r4", name=None, county=None, note="n", who="w", when="2024-05-01T10:00:00+08:00",
                      geometry=Point(120.05, 28.9))
    assert pending_count(build_view(layers, sites_frame(layers), (), Overrides([placed])).sites) == 1
