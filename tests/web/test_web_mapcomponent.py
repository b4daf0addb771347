"""The map component: what the frame is sent, the frame's files, and the value read back."""

from __future__ import annotations

import re

import folium

from geo.web import foliumjs, mapcomponent
from geo.web.assets import LEAFLET_CSS, LEAFLET_JS, localize
from geo.web.mapcomponent import FRAME_DIR, FRAME_URL, STATE, map_key, payload


def _map() -> folium.Map:
    return localize(folium.Map(location=(29.0, 120.0), zoom_start=9, tiles=None))


def _group(lat: float) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="g")
    folium.CircleMarker((lat, 120.0), radius=6).add_to(group)
    return group


def test_the_payload_carries_the_base_map_once_and_the_groups_apart() -> None:
    data = payload(_map(), [_group(29.1), _group(29.2)], (29.1, 120.1), 11.0, 620, "地图")
    assert data["frame"] == FRAME_URL == "./component/geo.web.mapcomponent.site_map_frame/index.html"
    assert (data["title"], data["height"], data["center"], data["zoom"]) == ("地图", 620, [29.1, 120.1], 11.0)
    # the base map is the map called map_div, with nothing of the groups in it
    assert "var map_div = L.map(" in data["script"] and "circle_marker" not in data["script"]
    # each group named by its position, added to map_div and listed for the next redraw to take off
    groups = data["feature_group"]
    assert groups.count("L.circleMarker(") == 2
    for i in (0, 1):
        assert f"map_div.addLayer(feature_group_feature_group_{i});" in groups
    assert groups.count("window.feature_group.push(") == 2
    # Leaflet from the app, no CDN
    assert data["js_links"] == [LEAFLET_JS] and data["css_links"] == [LEAFLET_CSS]
    assert "://" not in data["script"] + data["header"] + groups


def test_no_view_asked_for_sends_none() -> None:
    data = payload(_map(), [], None, None, 400, "map")
    assert data["center"] is None and data["zoom"] is None and data["feature_group"] == ""


def test_the_key_follows_the_base_map() -> None:
    one, two = payload(_map(), [], None, None, 620, "m"), payload(_map(), [], None, None, 620, "m")
    assert map_key(one["script"]) == map_key(two["script"])
    other = localize(folium.Map(location=(30.0, 121.0), zoom_start=9, tiles=None))
    assert map_key(payload(other, [], None, None, 620, "m")["script"]) != map_key(one["script"])


def test_the_value_read_back() -> None:
    assert mapcomponent._value_of(None) == {}
    assert mapcomponent._value_of({STATE: None}) == {}
    assert mapcomponent._value_of({STATE: {"last_clicked": {"lat": 1, "lng": 2}}}) == {
        "last_clicked": {"lat": 1, "lng": 2}
    }

    class Result:  # the component's result object, read by attribute
        def __init__(self) -> None:
            self.reported = {"switch_request": None}

    assert mapcomponent._value_of(Result()) == {"switch_request": None}


def test_the_frame_loads_leaflet_from_the_app_and_reports_the_returned_fields() -> None:
    page = (FRAME_DIR / "index.html").read_text(encoding="utf-8")
    assert f'src="{LEAFLET_JS}"' in page and f'href="{LEAFLET_CSS}"' in page
    assert '<div id="map_div">' in page and 'src="frame.js"' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    script = (FRAME_DIR / "frame.js").read_text(encoding="utf-8")
    fields = re.search(r"var value = \{(.*?)\};", script, re.S)
    assert fields is not None
    assert re.findall(r"(\w+): null", fields.group(1)) == list(mapcomponent.RETURNED)
    host = (FRAME_DIR / "host.js").read_text(encoding="utf-8")
    assert f'setStateValue("{STATE}"' in host


def test_the_same_map_gives_the_same_scripts() -> None:
    def build() -> dict[str, object]:
        m = _map()
        group = _group(29.1)
        folium.GeoJson(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.0, 29.0]}, "properties": {}},
            style_function=lambda _: {"color": "red"},
        ).add_to(group)
        return payload(m, [group], None, None, 620, "m")

    one, two = build(), build()
    assert one == two  # no folium random id left in any piece
    assert "{{" not in one["feature_group"]  # element references resolved, not left as templates


def test_the_header_keeps_styles_and_drops_links() -> None:
    m = _map()
    root = m.get_root()
    root.header.add_child(folium.Element("<style>.x { color: red; }</style>"))
    folium_id = foliumjs.full_id(m)
    data = payload(m, [], None, None, 620, "m")
    assert ".x { color: red; }" in data["header"]
    assert "<script src" not in data["header"] and '<link rel="stylesheet"' not in data["header"]
    assert folium_id not in data["header"] and "#map_div {" in data["header"]  # the frame's element
