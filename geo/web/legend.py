"""The map's legend: a Leaflet control that folds away, with escaped labels and drawn swatches."""

from __future__ import annotations

import jinja2
from branca.element import MacroElement

from geo.web.i18n import Lang, layer_label, status_label, t
from geo.web.layers_io import LAYER_NAMES, STATUSES
from geo.web.popup import esc
from geo.web.styles import (
    CATEGORY_COLORS,
    COUNTY_STYLE,
    POINT_FILL_COLOR,
    PREFECTURE_STYLE,
    UNCERTAINTY_COLOR,
    site_style,
)


class Legend(MacroElement):
    """The legend as a Leaflet control that folds away (``siteMap.legend``); ``html`` is built from
    escaped labels by ``legend_html``, ``title`` is the text of its fold button."""

    _template = jinja2.Template(
        """
        {% macro script(this, kwargs) %}
        window.siteMap.legend({{ this._parent.get_name() }}, {{ this.html|tojson }}, {{ this.title|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, title: str = "") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.title = title


def _swatch_point(color: str, status: str, uploaded: bool = False) -> str:
    s = site_style("", status, "Point", uploaded)
    dash = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    stroke = s["color"] if uploaded else color
    fill = POINT_FILL_COLOR[status] or color
    return (
        f'<svg width="18" height="14"><circle cx="9" cy="7" r="5" stroke="{stroke}" '
        f'stroke-width="{s["weight"]}" fill="{fill}" fill-opacity="{s["fillOpacity"]}"{dash}/></svg>'
    )


def _swatch_line(color: str, status: str) -> str:
    s = site_style("", status, "LineString")
    d = f' stroke-dasharray="{s["dashArray"]}"' if "dashArray" in s else ""
    return (
        f'<svg width="30" height="14"><line x1="3" y1="7" x2="27" y2="7" stroke="{color}" '
        f'stroke-width="{s["weight"]}" stroke-linecap="{s["lineCap"]}"{d}/></svg>'
    )


def legend_html(lang: Lang) -> str:
    """Legend markup: layer colours, status styles, uploads, the uncertainty circle. Labels escaped."""
    parts = [f"<b>{esc(t('legend_layers', lang))}</b>"]
    for layer in LAYER_NAMES:
        c = CATEGORY_COLORS[layer]
        parts.append(
            f'<div><svg width="18" height="14"><rect x="2" y="2" width="14" height="10" fill="{c}"/>'
            f"</svg>{esc(layer_label(layer, lang))}</div>"
        )
    parts.append(f"<b>{esc(t('legend_status', lang))}</b>")
    for status in STATUSES:
        parts.append(
            f"<div>{_swatch_point('#444', status)}{_swatch_line('#444', status)}"
            f"{esc(status_label(status, lang))}</div>"
        )
    parts.append(
        f"<div>{_swatch_point('#888', 'completed', uploaded=True)}{esc(t('legend_uploaded', lang))}</div>"
    )
    parts.append(
        f'<div><svg width="18" height="14"><circle cx="9" cy="7" r="6" stroke="{UNCERTAINTY_COLOR}" '
        f'fill="none" stroke-dasharray="3 3"/></svg>{esc(t("legend_approx", lang))}</div>'
    )
    bar = "".join(
        f'<rect x="{2 + 3.5 * i}" y="10" width="3.5" height="3" fill="{CATEGORY_COLORS[layer]}"/>'
        for i, layer in enumerate(LAYER_NAMES)
    )
    parts.append(
        '<div><svg width="18" height="14"><rect x="1.5" y="0.5" width="15" height="13" rx="2" fill="#fff" '
        'stroke="#222"/><text x="9" y="9" font-size="8" font-weight="bold" text-anchor="middle">n</text>'
        f"{bar}"
        f"</svg>{esc(t('legend_agg', lang))}</div>"
    )
    return "".join(parts) + _background(lang)


def _background(lang: Lang) -> str:
    """The offline background's entries: prefecture and county outlines, township seats."""
    p, c = PREFECTURE_STYLE, COUNTY_STYLE
    return (
        f"<b>{esc(t('legend_background', lang))}</b>"
        f'<div><svg width="30" height="14"><line x1="3" y1="7" x2="27" y2="7" stroke="{p["color"]}" '
        f'stroke-width="{p["weight"]}" stroke-dasharray="{p["dashArray"]}"/></svg>'
        f"{esc(t('legend_prefecture', lang))}</div>"
        f'<div><svg width="30" height="14"><line x1="3" y1="7" x2="27" y2="7" stroke="{c["color"]}" '
        f'stroke-width="{c["weight"]}"/></svg>{esc(t("counties_layer", lang))}</div>'
        '<div><svg width="18" height="14"><circle cx="9" cy="7" r="3" fill="#4a4a4a" stroke="#fff"/>'
        f"</svg>{esc(t('towns_layer', lang))}</div>"
    )
