"""Every location says where it comes from twice: the English ``source`` and the same as data
(``Location.basis``), which the layers write as ``location_basis`` and the app says in its language.

The sentences are written for these tests; the county is one no report here comes from.
"""

from __future__ import annotations

import json

from shapely.geometry import Point

from geo.extract.sites import Site, Source
from geo.locate import admin
from geo.locate.county_location import county_location
from geo.locate.gazetteer import GazetteerEntry
from geo.locate.overrides import Override
from geo.locate.resolver import Resolver
from geo.locate.townships import seat
from geo.model import basis_json
from geo.output.features import site_feature
from geo.web.basis import basis_text
from geo.web.precision import finer_hint

JY = "缙云县"
JY_COUNTY = admin.county(JY)
TOWN, OTHER = "新建镇", "壶镇镇"  # both have a GeoNames seat inside 缙云县
NO_SEAT = "仙都街道"  # a township of 缙云县 that GeoNames has no seat for




def _site(*quotes: str, name: str = "甲公园") -> Site:
    s = Site(name, "park", "parks", "公园", JY_COUNTY)
    for i, q in enumerate(quotes):
        s.sources.append(Source(f"doc{i}", q, 0, len(q), name, "unknown"))
    return s


def kinds(loc: object) -> list[str]:
    return [step.kind for step in loc.basis]  # type: ignore[attr-defined]


def fields(loc: object, kind: str) -> dict[str, object]:
    (step,) = [s for s in loc.basis if s.kind == kind]  # type: ignore[attr-defined]
    return dict(step.fields)


def test_the_county_fallback_names_its_county_and_its_source() -> None:
    loc = county_location(JY_COUNTY)
    (kind,) = kinds(loc)
    assert kind in ("county_seat", "county_polygon_point")
    said = fields(loc, kind)
    assert said["county"] == JY
    if kind == "county_seat":
        assert said["url"] in loc.source and said["file"] == "data/county_seats.csv"
    assert basis_text(basis_json(loc.basis), "en") == loc.source


def test_a_township_its_name_gives_is_placed_at_its_seat_and_the_basis_cites_it(resolver: Resolver) -> None:
    loc = resolver.locate(_site(name=f"{TOWN}甲公园"))
    town = seat(TOWN, JY_COUNTY)
    assert town is not None and loc.precision == "township"
    assert kinds(loc) == ["name_places", "township_seat"]
    assert fields(loc, "name_places") == {"townships": (TOWN,)}
    cited = fields(loc, "township_seat")
    assert cited["township"] == TOWN and cited["geonameid"] == town.place.geonameid
    assert cited["url"] == town.place.url and cited["radius_m"] == loc.uncertainty_m
    assert basis_text(basis_json(loc.basis), "en") == loc.source  # the same words, from the data


def test_a_clause_township_is_a_step_with_its_words_and_how_it_is_tied(resolver: Resolver) -> None:
    loc = resolver.locate(_site("在新建镇实施甲公园提升工程。"))
    assert kinds(loc) == ["clause_township", "township_seat"]
    tie = fields(loc, "clause_township")
    assert (tie["word"], tie["township"], tie["how"]) == (TOWN, TOWN, "locative")
    assert "甲公园" in str(tie["clause"])
    assert basis_text(basis_json(loc.basis), "en") == loc.source


def test_a_township_no_source_locates_is_a_step_the_finer_hint_reads(resolver: Resolver) -> None:
    loc = resolver.locate(_site(f"在{NO_SEAT}实施甲公园提升工程。"))
    assert loc.precision == "county"
    assert kinds(loc)[1:] == ["clause_township", "unlocated"]
    assert fields(loc, "unlocated") == {"townships": (NO_SEAT,)}
    props = {"precision": "county", "location_source": "", "location_basis": basis_json(loc.basis)}
    assert NO_SEAT in finer_hint(props, "en") and NO_SEAT in finer_hint(props, "zh")
    assert "尚无资料" in finer_hint(props, "zh")


def test_two_townships_in_the_clauses_are_one_step_naming_both(resolver: Resolver) -> None:
    loc = resolver.locate(_site("在新建镇、壶镇镇建设甲公园。"))
    assert kinds(loc)[-1] == "clause_several"
    assert set(fields(loc, "clause_several")["townships"]) == {TOWN, OTHER}  # type: ignore[arg-type]


def test_a_placement_by_hand_and_a_gazetteer_entry_carry_their_fields() -> None:
    hand = Override("s1", None, None, "seen on the ground", "Li", "2024-05-01T10:00:00+08:00", Point(120, 28.7))
    assert fields(hand.location(), "by_hand") == {"note": "seen on the ground", "who": "Li",
                                                  "when": "2024-05-01T10:00:00+08:00"}
    entry = GazetteerEntry("乙公园", (), JY, "park", Point(120, 28.7), "exact", 50.0, "https://example.org/b", "")
    assert fields(entry.location(), "gazetteer") == {"name": "乙公园", "url": "https://example.org/b"}
    assert basis_text(basis_json(entry.location().basis), "en") == entry.location().source


def test_the_feature_writes_the_basis_beside_the_source_as_a_json_object(resolver: Resolver) -> None:
    site = _site("在新建镇实施甲公园提升工程。")
    loc = resolver.locate(site)
    f = site_feature(site, loc.geometry, loc.precision, loc.uncertainty_m, loc.source, {}, "", None, loc.basis)
    props = f["properties"]
    keys = list(props)
    assert keys[keys.index("location_source") + 1] == "location_basis"
    assert props["location_source"] == loc.source
    steps = json.loads(json.dumps(props["location_basis"], ensure_ascii=False))["steps"]
    assert [s["kind"] for s in steps] == ["clause_township", "township_seat"]
    assert steps[1]["township"] == TOWN
