"""The downloads menu: every file the app offers, as one choice each (what and format), so that
one menu and one button replace a button per file. The bytes are those of ``geo.web.export``:
layer files as built, all layers in one file, the current selection in four formats. Files other
than the layer files are made only when their download is clicked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geo.web import export
from geo.web.i18n import Lang, layer_label, t
from geo.web.layers_io import LAYER_NAMES, Feature, Layers

Data = bytes | Callable[[], bytes]
SELECTION_FORMATS = (("GeoJSON", "geojson"), ("CSV", "csv"), ("GeoPackage", "gpkg"), ("KML", "kml"))


@dataclass(frozen=True)
class Download:
    label: str  # what and format, in the interface's language
    file_name: str
    mime: str
    data: Data  # bytes, or a function making them when the download is clicked


def _selection(fmt: str, chosen: list[tuple[str, Feature]]) -> Callable[[], bytes]:
    makers: dict[str, Callable[[], bytes]] = {
        "geojson": lambda: export.feature_collection_bytes(f for _, f in chosen),
        "csv": lambda: export.csv_bytes(chosen),
        "gpkg": lambda: export.gpkg_bytes(chosen),
        "kml": lambda: export.kml_bytes(chosen),
    }
    return makers[fmt]


def download_menu(
    layers: Layers, all_geojson: Callable[[], bytes], chosen: list[tuple[str, Feature]], lang: Lang
) -> dict[str, Download]:
    """Choice id -> download, in menu order: each built layer file, all layers (GeoJSON,
    GeoPackage), the current selection (``chosen``: (layer, feature as built)) in four formats.
    The ids are stable across languages and filters (``all_geojson`` gives the all-layers file)."""
    menu: dict[str, Download] = {}
    for layer in LAYER_NAMES:
        if layer in layers.raw:
            menu[layer] = Download(
                t("dl_layer", lang, layer=layer_label(layer, lang)),
                export.layer_file_name(layer),
                export.MIME["geojson"],
                layers.raw[layer],
            )
    every = layers.all_features()
    menu["all_geojson"] = Download(
        t("dl_all", lang, fmt="GeoJSON"), export.all_file_name("geojson"), export.MIME["geojson"], all_geojson
    )
    menu["all_gpkg"] = Download(
        t("dl_all", lang, fmt="GeoPackage"),
        export.all_file_name("gpkg"),
        export.MIME["gpkg"],
        lambda: export.gpkg_bytes(every),
    )
    for label, ext in SELECTION_FORMATS:
        menu[f"sel_{ext}"] = Download(
            t("dl_selection", lang, fmt=label), export.selection_file_name(ext), export.MIME[ext],
            _selection(ext, chosen),
        )
    return menu
