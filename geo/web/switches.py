"""The layer control on the map itself (for small screens, where the sidebar is folded away).

One source of truth: the sidebar's switches (their session keys, ``SWITCHES``). The control on
the map lists the same switches and shows them as the sidebar has them: every redraw of the
map's groups sends their state (``siteMap.switchState``). A click in the control hides that
layer at once and sends the whole set back as a request, inside the map's component value
(``geo.web.mapcomponent``, field ``switch_request``); ``apply`` writes a request into the
sidebar's keys before the next run, once (by its sequence number), so an old request read again
with a later click cannot undo what the sidebar has changed since. The map does not keep a state
of its own: its groups are redrawn on every change, and with them the control's checkboxes, from
the sidebar's state. The frame keeps sending the last request with every later value, so a
request survives reruns that run together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

import jinja2
from branca.element import MacroElement

from geo.web.i18n import Lang, layer_label, t
from geo.web.layers_io import LAYER_NAMES
from geo.web.styles import CATEGORY_COLORS

# switch on the map -> session key of the sidebar's checkbox (``panels.sidebar.layers_panel``)
SWITCHES: tuple[tuple[str, str], ...] = (
    *((layer, f"layer_{layer}") for layer in LAYER_NAMES),
    ("circles", "show_circles"),
    ("counties", "show_counties"),
    ("towns", "show_towns"),
)
SWITCH_IDS: tuple[str, ...] = tuple(s for s, _ in SWITCHES)
ENTRY = "site-map-switches"  # the name of a request
FIELD = "switch_request"  # its field in the map's value
SEEN = "_switches_seen"  # session key: sequence number of the last request applied
GEOGRAPHY_LABELS = {"circles": "uncertainty_layer", "counties": "counties_layer", "towns": "towns_layer"}


def entries(lang: Lang) -> list[list[str]]:
    """[id, label, colour] of each switch as the control lists it (colour "" for the background)."""
    out = [[layer, layer_label(layer, lang), CATEGORY_COLORS[layer]] for layer in LAYER_NAMES]
    return out + [[s, t(GEOGRAPHY_LABELS[s], lang), ""] for s in SWITCH_IDS if s in GEOGRAPHY_LABELS]


def state_of(layers: Iterable[str], circles: bool, counties: bool, towns: bool) -> dict[str, bool]:
    """Switch id -> on, from what the sidebar chose."""
    chosen = set(layers)
    return {**{layer: layer in chosen for layer in LAYER_NAMES},
            "circles": bool(circles), "counties": bool(counties), "towns": bool(towns)}


def request_in(value: Any) -> tuple[float, dict[str, bool]] | None:
    """(sequence number, switch id -> on) of the request in the map's component value, or None.

    Only known switches with true or false are taken; anything else in the value is ignored."""
    if not isinstance(value, Mapping):
        return None
    item = value.get(FIELD)
    if not isinstance(item, Mapping) or item.get("name") != ENTRY:
        return None
    seq, shown = item.get("seq"), item.get("shown")
    if isinstance(seq, bool) or not isinstance(seq, (int, float)) or not isinstance(shown, Mapping):
        return None
    return float(seq), {k: v for k, v in shown.items() if k in SWITCH_IDS and isinstance(v, bool)}


def apply(state: MutableMapping[str, Any], value: Any) -> bool:
    """Write a new request of the map's control into the sidebar's keys in ``state``
    (``st.session_state``, from the map's change callback); True when there was one."""
    request = request_in(value)
    if request is None or state.get(SEEN) == request[0]:
        return False
    seq, shown = request
    state[SEEN] = seq
    for switch, key in SWITCHES:
        if switch in shown:
            state[key] = shown[switch]
    return True


class LayerSwitches(MacroElement):
    """The control, defined once with the base map (``siteMap.layerControl``)."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        window.siteMap.layerControl({{ this._parent.get_name() }}, {{ this.entries|tojson }},
          {{ this.title|tojson }}, {{ this.entry|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self._name = "LayerSwitches"
        self.entries = entries(lang)
        self.title = t("map_layers", lang)
        self.entry = ENTRY


def shown_of(state: Mapping[str, bool] | None) -> dict[str, bool]:
    """Every switch's state for the map (on where ``state`` does not say)."""
    state = state or {}
    return {s: bool(state.get(s, True)) for s in SWITCH_IDS}
