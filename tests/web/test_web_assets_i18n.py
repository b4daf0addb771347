"""Offline assets come from an installed package; every interface string exists in both languages."""

from __future__ import annotations

import pytest

from geo.web import i18n
from geo.web.assets import ASSET_COMPONENT_NAME, LEAFLET_CSS, LEAFLET_DIR, LEAFLET_JS, LEAFLET_VERSION


def test_leaflet_ships_with_the_package() -> None:
    for name in ("leaflet.js", "leaflet.css", "images/layers.png", "images/marker-icon.png"):
        assert (LEAFLET_DIR / name).is_file()
    assert LEAFLET_VERSION.startswith("1.9")


def test_asset_urls_are_relative_to_the_map_frame() -> None:
    assert f"../{ASSET_COMPONENT_NAME}/leaflet.js" == LEAFLET_JS
    assert f"../{ASSET_COMPONENT_NAME}/leaflet.css" == LEAFLET_CSS
    assert ASSET_COMPONENT_NAME == "geo.web.assets.leaflet_assets"


def test_every_string_in_both_languages() -> None:
    for table in (
        i18n._STRINGS,
        i18n.LAYER_LABELS,
        i18n.STATUS_LABELS,
        i18n.PRECISION_LABELS,
        i18n.KIND_LABELS,
    ):
        for key, entry in table.items():
            assert set(entry) == set(i18n.LANGS), key
            assert all(entry.values()), key


@pytest.mark.parametrize(
    ("metres", "zh", "en"),
    [
        (850, "850 米", "850 m"),
        (3000, "3 公里", "3 km"),
        (1500, "1.5 公里", "1.5 km"),
        (20000, "20 公里", "20 km"),
    ],
)
def test_distance_label(metres: float, zh: str, en: str) -> None:
    assert i18n.distance_label(metres, "zh") == zh
    assert i18n.distance_label(metres, "en") == en


def test_labels_fall_back_to_the_value() -> None:
    assert i18n.kind_label("night_market", "en") == "night market"
    assert i18n.status_label("completed", "zh") == "已完成"
    assert i18n.t("no_such_key", "en") == "no_such_key"
