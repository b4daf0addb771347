"""A folium map as the pieces the map's frame runs (``geo/web/frame/frame.js``).

The base map becomes its header (styles, without the links to scripts and style sheets, which
the frame loads itself), its HTML and its script, in which the map is the variable ``map_div``
(the id of the frame's map element); each feature group becomes a script that builds the group,
adds it to ``map_div`` and lists it in ``window.feature_group`` (so that the next redraw can take
it off). Every element's variable gets a name from its place in the tree instead of folium's
random id, so the same map gives the same script.

Adapted from streamlit-folium 0.27 (MIT License, Copyright (c) 2020-2022 Randy Zwitch), whose
frame ran the same strings, without its DualMap, drawing and colour-map cases, which this map
does not use.
"""

from __future__ import annotations

import contextlib
import re
from textwrap import dedent

import folium
from jinja2 import UndefinedError

MAP_ID = "map_div"

_SUFFIX = re.compile("_[a-z0-9]+(?!_)")
# A style map's reference to another element, {{'<name>'}}, that folium's second render pass
# would turn into the bare name; each script here is rendered once, so it is done here.
_ELEMENT_REF = re.compile(r"\{\{\s*'([A-Za-z_$][A-Za-z0-9_$]*)'\s*\}\}")


def full_id(m: folium.Map) -> str:
    return f"{m._name.lower()}_{m._id}"


def _scripts(element: folium.MacroElement, base_id: str, mappings: dict[str, str]) -> str:
    """The script of ``element`` and of its children, each element renamed to ``base_id`` and
    its position below it; ``mappings`` records old id -> new id."""
    mappings[element._id] = base_id
    try:
        element_id = element.element_name.replace("map_", "").replace("tile_layer_", "")
        parent_id = element.element_parent_name.replace("map_", "").replace("tile_layer_", "")
        mappings.setdefault(element_id, element._parent._id)
        mappings.setdefault(parent_id, element._parent._parent._id)
    except AttributeError:
        pass
    element._id = base_id
    try:
        script = element._template.module.script(element)
    except UndefinedError:  # elements whose template is not a macro (popups, for one)
        script = element._template.render(this=element, kwargs={})
    for i, child in enumerate(element._children.values()):
        with contextlib.suppress(UndefinedError, AttributeError):
            script += "\n" + _scripts(child, f"{base_id}_{i}", mappings)
    return script


def leaflet_script(element: folium.MacroElement, base_id: str = "div") -> str:
    """The script that builds ``element`` and its children, with stable variable names."""
    mappings: dict[str, str] = {}
    script = _scripts(element, base_id, mappings)

    def rename(match: re.Match[str]) -> str:
        text = match.group()
        new = mappings.get(text.strip("_"))
        return text.replace(text.strip("_"), new) if new else text

    return _ELEMENT_REF.sub(r"\1", _SUFFIX.sub(rename, script))


def header(m: folium.Map) -> str:
    """The map's header without script and style-sheet links (the frame loads those)."""
    text = m.get_root().header.render()
    text = re.sub(r'<script\b[^>]*\bsrc=["\'][^"\']*["\'][^>]*>.*?</script\b[^>]*>', "", text,
                  flags=re.IGNORECASE | re.DOTALL)  # fmt: skip
    text = re.sub(r'<link rel="stylesheet" href=".*?"/>', "", text)
    return text.replace(full_id(m), MAP_ID)


def html(m: folium.Map) -> str:
    """The map's HTML without its own map element (the frame has one)."""
    text = m.get_root().html.render()
    return re.sub(r'<div class="folium-map" id=".*" ></div>', "", text).strip()


def map_script(m: folium.Map) -> str:
    """The base map's script: the map is ``map_div``. Call after ``header`` and ``html``: the
    renaming changes the map's elements."""
    return dedent(leaflet_script(m))


def group_script(group: folium.FeatureGroup, m: folium.Map, index: int) -> str:
    """The script that draws ``group`` (the ``index``-th) on ``map_div`` and lists it."""
    group._id = f"feature_group_{index}"
    group.add_to(m)
    group.render()
    script = leaflet_script(group, base_id=f"feature_group_{index}").replace(full_id(m), MAP_ID)
    name = f"feature_group_feature_group_{index}"
    return dedent(script) + (
        f"\n{MAP_ID}.addLayer({name});\n"
        f"window.feature_group = window.feature_group || [];\nwindow.feature_group.push({name});\n"
    )
