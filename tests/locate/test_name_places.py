"""What a site's name says about where it is, against the real admin tree and gazetteer."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo.locate import admin
from geo.locate.gazetteer import Gazetteer
from geo.locate.name_places import is_common_word, locate_by_name, name_places, unlocated_note
from geo.model import County

DQ, YK = admin.county("德清县"), admin.county("永康市")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("name", "county", "townships"),
    [
        ("龙山—西溪“状元故里”县域风貌区", YK, ("龙山镇", "西溪镇")),
        ("古山—方岩—舟山“胡公古韵”县域风貌区", YK, ("古山镇", "方岩镇", "舟山镇")),
        ("洛舍－阜溪“资源之乡”县域风貌区", DQ, ("洛舍镇", "阜溪街道")),
        ("乾元老县衙", DQ, ("乾元镇",)),
        ("乾元千年古城", DQ, ("乾元镇",)),
        ("禹越东港工业园区", DQ, ("禹越镇",)),
        ("新市古镇", DQ, ("新市镇",)),
        ("钟管镇文化中心", DQ, ("钟管镇",)),
    ],
)
def test_townships_named_in_the_name(name: str, county: County, townships: tuple[str, ...]) -> None:
    found = name_places(name, county)
    assert found is not None
    assert found.townships == townships and found.unknown == () and found.village is None


def test_a_village_gives_its_township() -> None:
    found = name_places("卫星村", DQ)
    assert found is not None
    assert (found.townships, found.village) == (("乾元镇",), "卫星村")
    assert admin.places_in(DQ)["卫星村"] == "乾元镇"
    assert found.describe() == "the name (卫星村, a village of 乾元镇) places it in 乾元镇"


def test_zone_part_that_is_no_township_is_kept_as_unknown() -> None:
    found = name_places("乾元—下渚湖—康乾“智富茗溪”县域风貌区", DQ)
    assert found is not None
    assert found.townships == ("乾元镇", "下渚湖街道") and found.unknown == ("康乾",)


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("塔山公园", YK),  # no township or village in the name
        ("城山郊野公园", DQ),
        ("中兴未来社区", DQ),  # 中兴社区 is a community, but the name does not say so
        ("“夜漓江”风景线", YK),  # a nickname with no town before it
        ("胜利街区块", YK),
        ("城山郊野公园舞阳街入口", DQ),  # 舞阳 inside the name is a street, not a prefix
        ("新安江大桥", DQ),  # 新安江 is a river: its first characters are not 新安镇
    ],
)
def test_names_that_name_no_township(name: str, county: County) -> None:
    assert name_places(name, county) is None


@pytest.mark.parametrize(("name", "town"), [("昌平区", "城南街道"), ("华坪县", "中心镇")])
def test_a_short_form_that_is_an_everyday_word_does_not_match(name: str, town: str) -> None:
    county = admin.county(name)
    short = admin.township_short(town)
    assert town in admin.townships(county) and admin.township_of(county, short) == town  # the admin data
    assert is_common_word(short)
    assert name_places(f"{short}公园", county) is None
    found = name_places(f"{town}公园", county)  # written in full, it is the township
    assert found is not None and found.townships == (town,)


def test_short_forms_of_the_seed_townships_are_not_everyday_words() -> None:
    for town in admin.townships(DQ) + admin.townships(YK):
        short = admin.township_short(town)
        if town not in {"东城街道", "西城街道", "江南街道"}:
            assert not is_common_word(short), town


def test_a_located_township_gives_its_extent(gazetteer: Gazetteer) -> None:
    found = name_places("南路村", DQ)
    assert found is not None and found.townships == ("莫干山镇",)
    loc = locate_by_name(found, DQ, gazetteer)
    entry = gazetteer.lookup("莫干山镇", DQ)
    assert loc is not None and entry is not None
    assert loc.precision == "township" and loc.uncertainty_m == entry.uncertainty_m
    assert loc.geometry.equals(entry.geometry)
    assert entry.source_url in loc.source and "莫干山镇" in loc.source


def test_an_unlocated_township_gives_no_position(gazetteer: Gazetteer) -> None:
    found = name_places("乾元老县衙", DQ)
    assert found is not None
    assert locate_by_name(found, DQ, gazetteer) is None
    assert unlocated_note(found, DQ, gazetteer) == "the name places it in 乾元镇, which no embedded source locates"


def test_zone_of_located_towns_is_their_union(gazetteer: Gazetteer) -> None:
    found = name_places("莫干山—钟管“两山”县域风貌区", DQ)
    assert found is not None
    loc = locate_by_name(found, DQ, gazetteer)
    assert loc is not None and loc.precision == "township"
    boxes = [e.geometry for e in (gazetteer.lookup("莫干山镇", DQ), gazetteer.lookup("钟管镇", DQ)) if e]
    assert all(loc.geometry.covers(b) for b in boxes)
    assert loc.uncertainty_m >= max(e.uncertainty_m for e in gazetteer.entries() if e.kind == "township")


def test_zone_with_a_point_located_town_uses_its_circle(gazetteer: Gazetteer) -> None:
    found = name_places("下渚湖—钟管“水乡”县域风貌区", DQ)
    assert found is not None
    loc = locate_by_name(found, DQ, gazetteer)
    assert loc is not None
    assert loc.geometry.contains(Point(120.033056, 30.479722))  # 下渚湖街道's cited point


def test_zone_not_all_located_claims_nothing(gazetteer: Gazetteer) -> None:
    found = name_places("莫干山—乾元“山水”县域风貌区", DQ)
    assert found is not None and found.townships == ("莫干山镇", "乾元镇")
    assert locate_by_name(found, DQ, gazetteer) is None
    note = unlocated_note(found, DQ, gazetteer)
    assert "across 莫干山镇 and 乾元镇" in note and "no embedded source locates 乾元镇" in note
    partial = name_places("乾元—下渚湖—康乾“智富茗溪”县域风貌区", DQ)
    assert partial is not None and locate_by_name(partial, DQ, gazetteer) is None
    assert "康乾 names no township of 德清县" in unlocated_note(partial, DQ, gazetteer)


def test_a_prefix_that_is_also_the_county_short_name_is_the_county() -> None:
    names = [c.name for c in admin.counties()]
    county = next(c for c in admin.counties() if names.count(c.name) == 1
                  and any(admin.township_short(t) == c.short for t in admin.townships(c.name)))
    town = next(t for t in admin.townships(county.name) if admin.township_short(t) == county.short)
    assert name_places(f"{county.short}文化中心", county) is None
    found = name_places(f"{town}文化中心", county)  # written in full, it is the township
    assert found is not None and found.townships == (town,)
