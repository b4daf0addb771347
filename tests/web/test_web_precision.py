"""The precision ladder and the hint of what would place a site finer, as shown in popups and lists."""

from __future__ import annotations

from geo.web.popup import popup_facts, popup_html
from geo.web.precision import finer_hint, ladder


def test_the_ladder_marks_the_sites_step() -> None:
    assert ladder("township", "en") == "County › [Township] › Street › Exact"
    assert ladder("county", "zh").startswith("[县级] › 乡镇级")


def test_a_county_site_whose_name_gives_an_unlocated_town_asks_for_that_town() -> None:
    props = {"precision": "county", "location_source": "county seat of 甲县: https://x; "
             "the name places it across 东镇 and 西镇; no embedded source locates 东镇 or 西镇"}
    assert "东镇 or 西镇" in finer_hint(props, "en")
    assert "东镇、西镇" in finer_hint(props, "zh")
    single = {"precision": "county", "location_source": "…; the name places it in 东镇, which no embedded source locates"}
    assert "points to 东镇" in finer_hint(single, "en")


def test_each_step_says_what_would_move_it_up() -> None:
    assert "township or village" in finer_hint({"precision": "county", "location_source": "county seat"}, "en")
    assert "OSM" in finer_hint({"precision": "township"}, "en")
    assert "by hand" in finer_hint({"precision": "street"}, "en")


def test_popup_shows_ladder_and_hint_escaped() -> None:
    props = {"name": "<b>x</b>", "precision": "township", "uncertainty_m": 9000,
             "location_source": "seat of 东镇: GeoNames 1 <script>", "sources": []}
    located = dict(popup_facts(props, "parks", "en"))["Located"]
    assert located.startswith("County › [Township] › Street › Exact (within about 9 km)")
    html = popup_html(props, "parks", "en")
    assert "County › [Township] › Street › Exact" in html and "<script>" not in html
    assert "To place it finer:</b> an OSM extract" in html
    exact = {"precision": "exact", "uncertainty_m": 10, "location_source": "osm"}
    assert "To place it finer" not in popup_html(exact, "parks", "en")


def test_attribution_is_owed_only_for_the_sources_cited() -> None:
    from geo.output.attribution import GEONAMES, OSM, features_attribution

    geonames = {"properties": {"location_source": "seat of 东镇: GeoNames 1 https://www.geonames.org/1, CC BY 4.0"}}
    osm = {"properties": {"location_source": "OpenStreetMap way 5 https://www.openstreetmap.org/way/5"}}
    county = {"properties": {"location_source": "county seat of 甲县"}}
    assert features_attribution([county]) == []
    assert features_attribution([osm, geonames, county]) == [GEONAMES, OSM]
