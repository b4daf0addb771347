"""The layer control on the map: it lists the sidebar's switches, shows them and sets them."""

from __future__ import annotations

import json
import re
from typing import Any

from mapcalls import site_calls

from geo.web import switches
from geo.web.i18n import layer_label, t
from geo.web.mapview import base_map, site_groups
from geo.web.styles import CATEGORY_COLORS


def test_the_control_lists_the_four_layers_and_the_background_in_the_interface_language() -> None:
    zh = switches.entries("zh")
    assert [e[0] for e in zh] == ["renewal", "parks", "roads", "scenic", "circles", "counties", "towns"]
    assert [e[1] for e in zh] == [layer_label(k, "zh") for k in ("renewal", "parks", "roads", "scenic")] + [
        t("uncertainty_layer", "zh"), t("counties_layer", "zh"), t("towns_layer", "zh")]
    assert "城市更新" in [e[1] for e in zh]
    assert [e[2] for e in zh][:4] == [CATEGORY_COLORS[k] for k in ("renewal", "parks", "roads", "scenic")]
    en = switches.entries("en")
    assert en[0][1] == layer_label("renewal", "en") and en[6][1] == t("towns_layer", "en") != zh[6][1]


def test_the_base_map_defines_the_control_once_with_its_labels() -> None:
    html = base_map(None, "en").get_root().render()
    (call,) = re.findall(r"window\.siteMap\.layerControl\((.*?)\);", html, re.S)
    args = json.loads("[" + call.split(",", 1)[1] + "]")
    assert args[0] == switches.entries("en") and args[1] == "Layers" and args[2] == switches.ENTRY
    assert "图层" in base_map(None, "zh").get_root().render()


def test_every_redraw_sends_the_sidebar_state_and_names_each_switch_group() -> None:
    feats = {"parks": [("parks/p", {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120, 29]},
                                    "properties": {"name": "某公园", "precision": "county",
                                                   "uncertainty_m": 20000}})]}
    state = switches.state_of(["parks"], circles=True, counties=False, towns=True)
    groups = site_groups(feats, None, {}, {"parks/p": (120.0, 29.0)}, "none", "zh", switched=state)
    calls = site_calls(groups)
    assert [c[2] for c in calls if c[1] == "switchState"] == [[
        {"renewal": False, "parks": True, "roads": False, "scenic": False,
         "circles": True, "counties": False, "towns": True}
    ]]
    # the state is sent by the first group, before any group names the switch it belongs to
    assert calls[0][0] == "site-strings" and groups[0].layer_name == "site-strings"
    assert sorted(c[2][0] for c in calls if c[1] == "switchGroup") == ["circles", "parks"]
    # without a state from the sidebar, every switch shows as on
    plain = site_calls(site_groups(feats, None, {}, {}, "none", "zh"))
    assert [c[2][0] for c in plain if c[1] == "switchState"] == [dict.fromkeys(switches.SWITCH_IDS, True)]


def _value(seq: Any, shown: Any, **extra: Any) -> dict[str, Any]:
    return {"last_clicked": None, "selected_layers": [],
            "switch_request": {"name": switches.ENTRY, "seq": seq, "shown": shown}, **extra}


def test_a_request_from_the_control_sets_the_sidebar_keys_once() -> None:
    state: dict[str, Any] = {"layer_renewal": True, "show_towns": True}
    shown = {"renewal": False, "parks": True, "towns": False, "nonsense": False, "circles": "no"}
    assert switches.apply(state, _value(1700000000001, shown))
    assert state["layer_renewal"] is False and state["layer_parks"] is True and state["show_towns"] is False
    assert "show_circles" not in state and "nonsense" not in state  # only known switches, only booleans
    # the sidebar turns it back on; the same request, sent again with a later click, changes nothing
    state["layer_renewal"] = True
    assert not switches.apply(state, _value(1700000000001, shown, last_clicked={"lat": 1, "lng": 2}))
    assert state["layer_renewal"] is True
    # a new request does
    assert switches.apply(state, _value(1700000000002, {**shown, "renewal": False}))
    assert state["layer_renewal"] is False


def test_values_without_a_request_change_nothing() -> None:
    state: dict[str, Any] = {}
    for value in (None, {}, {"switch_request": None}, {"switch_request": {"name": "x", "seq": 1}},
                  _value("1", {"renewal": False}), _value(True, {"renewal": False}), _value(3, ["renewal"])):
        assert not switches.apply(state, value)
    assert state == {}


def test_the_control_script_only_takes_text_and_colours() -> None:
    html = base_map(None, "zh").get_root().render()
    body = html[html.index("M.layerControl = function"):html.index("M.switchState")]
    assert "esc(e[1])" in body and "esc(e[2])" in body and "esc(e[0])" in body
    assert "collapsed: true" in body


def test_the_map_change_callback_applies_a_request(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    import geo.web.state as app_state

    ss: dict[str, Any] = {"map": _value(5, {"scenic": False, "counties": False}), "layer_scenic": True}
    monkeypatch.setattr(app_state, "st", SimpleNamespace(session_state=ss))
    app_state.on_map_change()
    assert ss["layer_scenic"] is False and ss["show_counties"] is False and ss[switches.SEEN] == 5
