"""The map as a Streamlit component: a folium map drawn in one frame of the app's page.

The host (``frame/host.js``, a ``st.components.v2`` component, so its code arrives with the page's
other elements) puts a frame (``frame/index.html`` + ``frame/frame.js``, served by the app like
Leaflet, see ``geo.web.assets``) in the page and hands it what each run of the script sends:
the base map's script once, the feature groups every run (redrawn only when they changed, the
view kept), and a centre and zoom when the app moves the view. The frame reports clicks and
layer-switch requests back as the component's value.

It keeps streamlit-folium's contract (the same scripts from the folium objects, ``geo.web.foliumjs``;
the same returned fields) without its frame, which loads its own bundle (React, Leaflet and
plugins, 225 kB) and waits for a handshake before drawing: 0.3–0.5 s more before the first site
is drawn on a bare page (``bench/app_first_paint.py``), and 0.27 s of imports at start-up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit.components.v1 as components_v1

from geo.web import foliumjs

FRAME_DIR = Path(__file__).with_name("frame")
FRAME_COMPONENT = "site_map_frame"
# Full name Streamlit gives a component declared in this module: the frame's files are served
# under /component/<name>/, reached from the app's page by a relative URL (works under a base path).
FRAME_NAME = f"{__name__}.{FRAME_COMPONENT}"
FRAME_URL = f"./component/{FRAME_NAME}/index.html"
RETURNED = ("last_clicked", "last_object_clicked", "last_object_clicked_tooltip", "switch_request")
VALUE_KEY = "map"  # where the last value is kept in the session state for on_change callbacks
# The component's state that holds the value. Not "value": Streamlit unwraps a state that is
# {"value": {...}} alone and compares the fields inside, so a callback on "value" never runs.
STATE = "reported"

_host = st.components.v2.component(
    "site_map", js=(FRAME_DIR / "host.js").read_text(encoding="utf-8"), isolate_styles=False
)


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """(scripts, style sheets) the map's elements ask for, each once, in order."""
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        js += [src for _, src in getattr(element, "default_js", [])]
        css += [href for _, href in getattr(element, "default_css", [])]
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def map_key(script: str) -> str:
    """The element's key: the same while the base map's script is the same (``geo.web.foliumjs``
    names every element by its place, not folium's random id), so that a new base map (another
    language, say) gets a new frame and a rerun keeps it."""
    return "map_" + hashlib.sha256(script.encode()).hexdigest()[:16]


def payload(
    m: folium.Map,
    groups: Sequence[folium.FeatureGroup],
    center: Sequence[float] | None,
    zoom: float | None,
    height: int,
    title: str,
) -> dict[str, Any]:
    """What the frame is sent for base map ``m`` with ``groups`` on it (JSON)."""
    m.get_root().render()
    m.render()
    html, header = foliumjs.html(m), foliumjs.header(m)
    script = foliumjs.map_script(m)
    js, css = _links(m)
    group_js = "".join(foliumjs.group_script(g, m, i) for i, g in enumerate(groups))
    return {
        "frame": FRAME_URL,
        "title": title,
        "height": height,
        "script": script,
        "header": header,
        "html": html,
        "js_links": js,
        "css_links": css,
        "feature_group": group_js,
        "center": list(center) if center is not None else None,
        "zoom": zoom,
    }


def site_map(
    m: folium.Map,
    groups: Iterable[folium.FeatureGroup],
    *,
    center: Sequence[float] | None,
    zoom: float | None,
    height: int,
    title: str,
    on_change: Callable[[], None] | None = None,
    wait: bool = False,
    on_drawn: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Draw the map; returns the last value the frame reported ({} before any).

    ``on_change`` runs when the frame reports a new value (kept under ``VALUE_KEY``). With
    ``wait``, ``on_drawn`` runs (in the rerun it starts) once the map has drawn
    (``geo.web.firstpaint``)."""
    components_v1.declare_component(FRAME_COMPONENT, path=str(FRAME_DIR))
    data = payload(m, list(groups), center, zoom, height, title)
    data["wait"] = wait
    key = map_key(data["script"])

    def changed() -> None:
        st.session_state[VALUE_KEY] = _value_of(st.session_state.get(key))
        if on_change is not None:
            on_change()

    result = _host(
        key=key,
        data=data,
        default={STATE: None},
        height=height,
        on_reported_change=changed,
        on_drawn_change=on_drawn or _nothing,
    )
    return _value_of(result)


def _nothing() -> None:
    pass


def _value_of(state: Any) -> dict[str, Any]:
    """The reported value out of the component's state (a mapping or its result object)."""
    if state is None:
        return {}
    value = state.get(STATE) if hasattr(state, "get") else getattr(state, STATE, None)
    return dict(value) if isinstance(value, dict) else {}
