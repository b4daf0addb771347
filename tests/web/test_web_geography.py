"""The offline background's geography: county labels, township seats and prefecture outlines,
as the map is handed them (``geo.web.geography``, ``geo.web.mapview``)."""

from __future__ import annotations

from conftest import XSS_IMG, XSS_SCRIPT
from mapcalls import site_calls
from shapely.geometry import Point, mapping, shape

from geo.coords import wgs84_to_gcj02
from geo.locate import admin
from geo.web.display import DISPLAY_DECIMALS
from geo.web.geography import LABEL_CLEARANCE, Seat, county_labels, prefecture_outlines, township_seats
from geo.web.legend import legend_html
from geo.web.mapview import TOWN_LABEL_ZOOM, SiteData, site_groups, towns_credit
from geo.web.styles import COUNTY_LABEL_PANE, LABEL_PANE, PREFECTURE_STYLE, STYLE_KEYS

# A U-shaped county: its centroid (x = 1, y ≈ 0.9) lies in the gap between the arms, outside.
U_SHAPE = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [2, 0], [2, 2], [1.6, 2], [1.6, 0.4], [0.4, 0.4], [0.4, 2], [0, 2], [0, 0]]],
}




def test_county_label_lies_inside_its_outline_where_the_centroid_does_not() -> None:
    assert not shape(U_SHAPE).contains(shape(U_SHAPE).centroid)
    ((name, lon, lat),) = county_labels({"某县": U_SHAPE})
    assert name == "某县"
    assert shape(U_SHAPE).contains(Point(lon, lat))


def test_township_seats_are_townships_of_the_county_inside_its_polygon() -> None:
    seats = township_seats(["永康市"])
    assert len(seats) >= 5
    area = admin.county_polygon("永康市")
    towns = set(admin.townships("永康市"))
    for s in seats:
        assert s.county == "永康市" and s.township in towns
        assert area.contains(Point(s.lon, s.lat)), s
    assert len({s.township for s in seats}) == len(seats)
    assert "古山镇" in {s.township for s in seats}


def test_seats_only_for_the_counties_asked_and_none_for_unknown_ones() -> None:
    yongkang = township_seats(["永康市"])
    both = township_seats(["永康市", "德清县", "没有这个县"])
    assert {s.county for s in both} == {"永康市", "德清县"}
    assert [s for s in both if s.county == "永康市"] == yongkang
    deqing = admin.county_polygon("德清县")
    assert all(deqing.contains(Point(s.lon, s.lat)) for s in both if s.county == "德清县")
    assert township_seats(["没有这个县"]) == []


def test_prefecture_outline_covers_its_counties_once() -> None:
    out = prefecture_outlines(["永康市", "武义县"])
    assert list(out) == ["金华市"]
    prefecture = shape(out["金华市"])
    for name in ("永康市", "武义县", "义乌市"):
        assert prefecture.contains(admin.county_polygon(name).representative_point())
    assert not prefecture.contains(admin.county_polygon("德清县").representative_point())
    # a county governed by the province is its own prefecture-level unit: no outline beyond its own
    assert prefecture_outlines(["仙桃市"]) == {}


def test_prefecture_polygon_is_the_union_of_its_counties() -> None:
    geom = admin.prefecture_polygon("德清县")
    assert geom is not None
    members = [c.name for c in admin.counties() if c.city == "湖州市" and c.province == "浙江省"]
    assert len(members) == 5
    total = sum(admin.county_polygon(n).area for n in members)
    assert abs(geom.area - total) / total < 0.001


def test_map_gets_names_as_text_seats_in_their_pane_and_the_credit() -> None:
    seats = [Seat("某县", XSS_IMG, 120.1, 28.9, 1), Seat("某县", XSS_SCRIPT, 120.2, 28.95, 2)]
    groups = site_groups({}, None, {}, {}, "none", "zh", counties={XSS_SCRIPT: U_SHAPE}, seats=seats)
    calls = site_calls(groups)
    ((_, _, (pane, labels)),) = [c for c in calls if c[1] == "addLabels"]
    assert pane == COUNTY_LABEL_PANE and [r[0] for r in labels] == [XSS_SCRIPT]
    ((layer, _, (pane, rows, zoom, credit)),) = [c for c in calls if c[1] == "addSeats"]
    assert layer == "乡镇驻地" and pane == LABEL_PANE and zoom == TOWN_LABEL_ZOOM
    assert rows == [[XSS_IMG, 120.1, 28.9], [XSS_SCRIPT, 120.2, 28.95]]
    assert "GeoNames" in credit and "CC BY 4.0" in credit and credit == towns_credit("zh")
    assert towns_credit("en").startswith("Township seats")
    # names reach the page only as JSON text, never as markup
    for g in groups:
        script = "".join(c._template.module.script(c) for c in g._children.values() if isinstance(c, SiteData))
        assert "<img" not in script and "<script" not in script


def test_no_seats_no_seat_group_and_prefecture_drawn_under_counties() -> None:
    prefecture = mapping(shape(U_SHAPE).buffer(1))
    groups = site_groups({}, None, {}, {}, "none", "en", counties={"某县": U_SHAPE},
                         prefectures={"某市": prefecture}, seats=[])
    calls = site_calls(groups)
    assert not [c for c in calls if c[1] == "addSeats"]
    shapes = [STYLE_KEYS[args[0]] for _, method, args in calls if method == "addShapes"]
    assert shapes == ["prefecture", "county"]


def test_on_gaode_tiles_labels_and_seats_are_shifted_to_gcj02() -> None:
    seats = [Seat("永康市", "古山镇", 120.1, 28.8, 1)]
    groups = site_groups({}, None, {}, {}, "gaode", "zh", counties={"某县": U_SHAPE}, seats=seats)
    ((_, _, (_, rows, _, _)),) = [c for c in site_calls(groups) if c[1] == "addSeats"]
    lon, lat = wgs84_to_gcj02(120.1, 28.8)
    assert rows == [["古山镇", round(lon, DISPLAY_DECIMALS), round(lat, DISPLAY_DECIMALS)]]
    assert abs(rows[0][1] - 120.1) > 1e-4


def test_legend_explains_the_offline_background() -> None:
    zh, en = legend_html("zh"), legend_html("en")
    for text in ("离线底图", "地级市界", "县界", "乡镇驻地"):
        assert text in zh
    for text in ("Offline background", "Prefecture boundary", "County boundaries", "Township seats"):
        assert text in en
    assert f'stroke-dasharray="{PREFECTURE_STYLE["dashArray"]}"' in zh


def test_county_label_keeps_clear_of_the_sites_drawn_in_it() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]}
    ((_, cx, cy),) = county_labels({"某县": square})
    assert (cx, cy) == (2.0, 2.0)  # the visual centre when nothing is drawn
    ((_, lon, lat),) = county_labels({"某县": square}, avoid=[(2.0, 2.0), (2.1, 1.9)])
    assert shape(square).contains(Point(lon, lat))
    assert Point(lon, lat).distance(Point(2.0, 2.0)) >= LABEL_CLEARANCE * 4 - 1e-6
    # no room left: still inside the outline
    everywhere = [(x / 4, y / 4) for x in range(9) for y in range(9)]
    ((_, lon, lat),) = county_labels({"某县": U_SHAPE}, avoid=everywhere)
    assert shape(U_SHAPE).contains(Point(lon, lat))
