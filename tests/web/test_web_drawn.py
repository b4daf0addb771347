"""What the map draws from the shown sites (``geo.web.drawn``) and what the filters and a link
may choose from (``geo.web.choices``), and how errors read (``geo.web.notices``)."""

from __future__ import annotations

import math
from pathlib import Path

from conftest import DOC_A, WY, YK, fixture_layers

from geo.errors import GeoError
from geo.web import drawn
from geo.web.choices import filter_values, url_options
from geo.web.layers_io import STATUSES, read_layers, sites_frame
from geo.web.notices import error_text, unexpected_text
from geo.web.view import build_view


def _view(layers_dir: Path, uploads: list[dict] | None = None):
    layers = read_layers(layers_dir)
    return build_view(layers, sites_frame(layers), uploads or [])


def test_sites_go_to_their_chosen_layer_with_uploads_marked(layers_dir: Path) -> None:
    view = _view(layers_dir, [dict(fixture_layers()["parks"][0])])
    groups = drawn.by_layer(view, view.sites, ["parks", "roads"])
    assert set(groups) == {"parks", "roads"}
    assert [s.key for s in groups["parks"]] == ["parks/p1", "parks/p2", "parks/p3", "upload:parks/p1"]
    assert [s.uploaded for s in groups["parks"]] == [False, False, False, True]
    assert len(groups["roads"]) == 2


def test_anchors_skip_sites_without_a_location(layers_dir: Path) -> None:
    view = _view(layers_dir)
    sites = view.sites.copy()
    sites.loc[sites["key"] == "parks/p1", "lon"] = math.nan
    points = drawn.anchors(sites)
    assert "parks/p1" not in points and len(points) == len(sites) - 1


def test_counties_and_the_placing_pin(layers_dir: Path) -> None:
    view = _view(layers_dir)
    assert drawn.counties(view.sites) == tuple(sorted({YK, WY}))
    assert drawn.pin("parks/p1", 28.9, 120.05, "here") == (120.05, 28.9, "here")
    assert drawn.pin("parks/p1", None, 120.05, "here") is None
    assert drawn.pin(None, 28.9, 120.05, "here") is None


def test_filters_offer_what_the_sites_have(layers_dir: Path) -> None:
    view = _view(layers_dir)
    values = filter_values(view.sites)
    assert values["counties"] == sorted({YK, WY}) and DOC_A in values["documents"]
    assert values["statuses"] == [s for s in STATUSES if s in set(view.sites["status"])]  # the app's order
    assert "planned" in values["statuses"] and "completed" in values["statuses"]
    only = filter_values(view.sites[view.sites["precision"] == "exact"])
    assert only["precisions"] == ["exact"]


def test_a_link_may_ask_for_the_sites_values_only(layers_dir: Path) -> None:
    options = url_options(_view(layers_dir).sites)
    assert set(options.values["county"]) == {YK, WY}
    assert "none" in options.basemaps and "zh" in options.langs and "parks" in options.layers


class Refused(GeoError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def test_errors_read_as_text() -> None:
    assert error_text(Refused("[a](http://e).txt", "*empty*")) == "\\[a\\]\\(http\\://e\\)\\.txt\\: \\*empty\\*"
    assert error_text(ValueError("")) == "ValueError"
    assert unexpected_text("x.pdf", KeyError("k")) == "x\\.pdf\\: KeyError\\: 'k'"
