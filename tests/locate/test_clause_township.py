"""A township named in a site's own clause places the site there, only when the clause ties them.

The sentences are written for these tests; the county is one no report here comes from.
"""

from __future__ import annotations

import pytest
from shapely.geometry import Point

import geo.locate.resolver
from geo.extract.sites import Site, Source
from geo.locate import admin
from geo.locate.context import clause_township, site_clause_township
from geo.locate.county_location import Location
from geo.locate.resolver import Resolver
from geo.locate.townships import seat
from geo.web.precision import finer_hint

JY = admin.county("缙云县")
TOWN, OTHER = "新建镇", "壶镇镇"  # both have a GeoNames seat inside 缙云县
NO_SEAT = "仙都街道"  # a township of 缙云县 that GeoNames has no seat for


def _town(quote: str, surface: str = "甲公园") -> str | None:
    found = clause_township(quote, surface, JY)
    return found.township.township if found is not None and found.township is not None else None


def test_a_locative_word_before_the_township_scopes_its_clause() -> None:
    found = clause_township("今年在新建镇实施甲公园、乙公园提升工程。", "乙公园", JY)
    assert found is not None and found.township is not None
    assert (found.township.township, found.township.how) == (TOWN, "locative")
    assert "在新建镇实施甲公园、乙公园提升工程" in found.township.describe()


def test_the_township_right_before_the_name_or_after_a_locative_word() -> None:
    assert _town("翻建新建镇甲公园。") == TOWN
    assert _town("新建镇的甲公园已开放。") == TOWN
    assert _town("甲公园位于新建镇，年内完工。") == TOWN


def test_the_township_right_before_a_list_of_sites_the_site_is_in() -> None:
    found = clause_township("新建镇的丙村、丁社区和甲公园完成改造。", "甲公园", JY)
    assert found is not None and found.township is not None
    assert (found.township.township, found.township.how) == (TOWN, "before a list")


def test_a_village_gives_its_township() -> None:
    village = next(v for v, t in admin.places_in(JY).items() if t == "七里乡" and len(v) >= 3)
    assert _town(f"在{village}建成甲公园。") == "七里乡"


def test_a_heading_scopes_the_clauses_after_it_until_another_township() -> None:
    assert _town("缙云县新建镇：乙路拓宽，甲公园开工。") == TOWN
    assert _town("新建镇：乙路拓宽，壶镇镇丙村整治，甲公园开工。") is None


def test_nothing_ties_the_site_to_the_township() -> None:
    assert _town("新建镇完成道路改造，甲公园开工。") is None  # another clause
    assert _town("新建镇乙路通车后甲公园开工。") is None  # the township names another site only
    assert _town("新建镇完成道路改造、甲公园提升。") is None  # what stands between is no list of sites
    assert _town("在新建镇等地建设甲公园。") is None  # one of several places
    assert _town("在新建镇召开现场会推进甲公园建设。") is None  # a meeting's venue
    assert _town("甲公园开工。") is None
    assert _town("新建镇甲公园开工。", "新建镇甲公园") is None  # in the site's own words: the name rules' part


def test_two_townships_in_the_clause_are_named_and_none_is_used() -> None:
    found = clause_township("在新建镇、壶镇镇建设甲公园。", "甲公园", JY)
    assert found is not None and found.township is None
    assert found.named == (OTHER, TOWN)
    assert OTHER in found.note() and TOWN in found.note()


def _site(*quotes: str, name: str = "甲公园") -> Site:
    s = Site(name, "park", "parks", "公园", JY)
    for i, q in enumerate(quotes):
        s.sources.append(Source(f"doc{i}", q, 0, len(q), name, "unknown"))
    return s


def test_mentions_that_disagree_cancel_out() -> None:
    found = site_clause_township(_site("在新建镇建设甲公园。", "在壶镇镇建设甲公园。"), JY)
    assert found is not None and found.township is None and found.named == (OTHER, TOWN)
    agree = site_clause_township(_site("在新建镇建设甲公园。", "甲公园开工。"), JY)
    assert agree is not None and agree.township is not None and agree.township.township == TOWN




def test_the_resolver_places_the_site_at_the_township_seat_and_says_why(resolver: Resolver) -> None:
    placement = resolver.place(_site("在新建镇实施甲公园提升工程。"))
    town = seat(TOWN, JY)
    assert town is not None
    loc = placement.location
    assert placement.step == "context" and loc.precision == "township"
    assert loc.geometry.equals(town.point) and loc.uncertainty_m == town.uncertainty_m
    assert "its clause names 新建镇" in loc.source and town.place.url in loc.source
    assert admin.county_polygon(JY).contains(loc.geometry)


def test_a_township_no_source_locates_leaves_the_county_and_says_so(resolver: Resolver) -> None:
    loc = resolver.locate(_site(f"在{NO_SEAT}实施甲公园提升工程。"))
    assert loc.precision == "county"
    assert f"names {NO_SEAT}" in loc.source
    assert loc.source.endswith(f"places it in {NO_SEAT}, which no embedded source locates")
    hint = finer_hint({"precision": "county", "location_source": loc.source}, "en")
    assert NO_SEAT in hint  # the approximate list says which township would place it finer


def test_two_townships_leave_the_county_and_the_source_names_both(resolver: Resolver) -> None:
    loc = resolver.locate(_site("在新建镇、壶镇镇建设甲公园。"))
    assert loc.precision == "county" and "壶镇镇 and 新建镇" in loc.source


def test_a_location_outside_the_county_is_rejected(resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    far = Location(geometry=Point(110.0, 30.0), precision="township", uncertainty_m=5000.0, source="elsewhere")
    monkeypatch.setattr(geo.locate.resolver, "locate_named", lambda found, county, gazetteer: far)
    placement = resolver.place(_site("在新建镇建设乙公园。", name="乙公园"))
    assert placement.step == "county"
    assert any("lies outside 缙云县" in r for r in resolver.rejected)
