"""The map's state in its address (``st.query_params``), so that a link opens the same map.

Kept: the language, the base map, the layers switched off, the uncertainty circles and county
outlines, the search and the filters, and the view (centre and zoom, WGS-84) the app last moved
the map to (a fit to a filter or an upload, a site chosen in the table). Only what differs from
the defaults is written; what an address holds that the app does not know (a county with no
site, a misspelt status) is dropped, never an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# address parameter -> session key of the widget it seeds (multi-valued ones repeat the parameter)
MULTI = {"county": "f_county", "doc": "f_doc", "status": "f_status", "precision": "f_precision"}
VIEW = "view"
OFF = "off"  # layers switched off
QUERY = "q"


@dataclass(frozen=True)
class Options:
    """What the app offers: a value outside these is dropped from an address."""

    langs: Sequence[str]
    basemaps: Sequence[str]
    layers: Sequence[str]
    values: Mapping[str, Iterable[str]]  # address parameter of MULTI -> the values offered


def _all(params: Mapping[str, Any], key: str) -> list[str]:
    v = params.get(key)
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]


def _one(params: Mapping[str, Any], key: str) -> str | None:
    values = _all(params, key)
    return values[-1] if values else None


def parse_view(text: str | None) -> tuple[float, float, float] | None:
    """"lat,lon,zoom" -> (lat, lon, zoom); None unless all three are numbers in range."""
    if not text:
        return None
    try:
        lat, lon, zoom = (float(x) for x in text.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 19):
        return None
    return lat, lon, zoom


def format_view(lat: float, lon: float, zoom: float) -> str:
    return f"{lat:.5f},{lon:.5f},{round(zoom)}"


def session_from_url(params: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """Session values (by widget key) an address asks for, checked against ``options``; a view
    asked for is under ``"url_view"`` as (lat, lon, zoom)."""
    out: dict[str, Any] = {}
    lang = _one(params, "lang")
    if lang in options.langs:
        out["lang"] = lang
    base = _one(params, "base")
    if base in options.basemaps:
        out["basemap"] = base
    off = set(_all(params, OFF))
    for layer in options.layers:
        if layer in off:
            out[f"layer_{layer}"] = False
    for param, key in (("circles", "show_circles"), ("outlines", "show_counties")):
        if _one(params, param) == "0":
            out[key] = False
    query = _one(params, QUERY)
    if query:
        out["query"] = query[:200]
    for param, key in MULTI.items():
        offered = list(options.values.get(param, ()))
        wanted = [v for v in _all(params, param) if v in offered]
        if wanted:
            out[key] = list(dict.fromkeys(wanted))
    view = parse_view(_one(params, VIEW))
    if view is not None:
        out["url_view"] = view
    return out


def url_from_session(state: Mapping[str, Any], options: Options) -> dict[str, str | list[str]]:
    """The address parameters for the session's state (defaults left out)."""
    out: dict[str, str | list[str]] = {}
    lang = state.get("lang")
    if lang and options.langs and lang != options.langs[0]:
        out["lang"] = str(lang)
    base = state.get("basemap")
    if base and options.basemaps and base != options.basemaps[0]:
        out["base"] = str(base)
    off = [layer for layer in options.layers if state.get(f"layer_{layer}") is False]
    if off:
        out[OFF] = off
    for param, key in (("circles", "show_circles"), ("outlines", "show_counties")):
        if state.get(key) is False:
            out[param] = "0"
    query = str(state.get("query") or "").strip()
    if query:
        out[QUERY] = query
    for param, key in MULTI.items():
        values = [str(v) for v in state.get(key) or []]
        if values:
            out[param] = values
    view = state.get("url_view")
    if view is not None:
        out[VIEW] = format_view(*view)
    return out


def read_once(state: Any, params: Any, options: Options) -> bool:
    """On a session's first run, seed ``state`` (``st.session_state``) from the address
    (``st.query_params``) before any widget is drawn. True when the address asked for filters but
    no view: the app then fits the view to them."""
    if state.get("url_read"):
        return False
    state["url_read"] = True
    seeded = session_from_url({k: params.get_all(k) for k in params}, options)
    for key, value in seeded.items():
        state[key] = value
    if "url_view" in seeded:
        state["view_src"] = "url"  # the map opens at the view the link was made with
    return "url_view" not in seeded and any(k in seeded for k in ("query", *MULTI.values()))


def write(state: Mapping[str, Any], params: Any, options: Options) -> None:
    """Put the session's state into the address (only when it changed: no needless history)."""
    wanted = url_from_session(state, options)
    current = {k: params.get_all(k) for k in params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if normal != current:
        params.from_dict(wanted)
