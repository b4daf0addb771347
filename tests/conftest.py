"""Shared fixtures: small built layers (``layers/*.geojson`` as the build writes them) in a tmp dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

YK = "永康市"
WY = "武义县"
DOC_A = "2024年永康市政府工作报告.txt"
DOC_B = "永康市住建局2024年工作总结.txt"
DOC_C = "武义县2023年政府工作报告.pdf"
# Report text is untrusted: these must show as text and never run.
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG_PWN = '<img src=x onerror="window.__pwned=1">'
COUNTY_SPOT = [120.0470, 28.8880]  # two county-precision sites share this point


def _src(doc: str, quote: str, start: int = 0) -> dict[str, Any]:
    return {"doc": doc, "quote": quote, "start": start, "end": start + len(quote)}


def _feat(
    fid: str,
    name: str,
    category: str,
    kind: str,
    geom: dict[str, Any],
    *,
    county: str = YK,
    status: str = "completed",
    precision: str = "exact",
    uncertainty: float = 50.0,
    source: str = "gazetteer",
    sources: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    props = {
        "id": fid,
        "name": name,
        "category": category,
        "kind": kind,
        "county": county,
        "status": status,
        "precision": precision,
        "uncertainty_m": uncertainty,
        "location_source": source,
        "sources": sources if sources is not None else [_src(DOC_A, f"推进{name}建设。")],
        **extra,
    }
    return {"type": "Feature", "geometry": geom, "properties": props}


def _pt(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _poly(lon: float, lat: float, d: float = 0.004) -> dict[str, Any]:
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def fixture_layers() -> dict[str, list[dict[str, Any]]]:
    """Features per layer: 4 renewal, 3 parks, 2 roads, 2 scenic (11 sites)."""
    renewal = [
        _feat(
            "r1",
            "城南未来社区",
            "renewal",
            "future_community",
            _pt(120.0300, 28.8800),
            status="in_progress",
            sources=[_src(DOC_A, "加快城南未来社区建设，年内完成投资5亿元。", 120)],
            year=2024,
        ),
        _feat(
            "r2",
            "江南街道旧城改造片区",
            "renewal",
            "renewal_area",
            _poly(120.0600, 28.9000),
            precision="street",
            uncertainty=300,
            source="street centroid",
            sources=[_src(DOC_B, "江南街道旧城改造片区完成拆迁。")],
        ),
        _feat(
            "r3",
            "古山镇安置小区",
            "renewal",
            "resettlement_block",
            _pt(120.1000, 28.8000),
            status="planned",
            precision="township",
            uncertainty=3000,
            source="township seat",
            sources=[_src(DOC_B, f"古山镇安置小区{XSS_IMG_PWN}建设启动{XSS_SCRIPT}，计划明年交付。")],
        ),
        _feat(
            "r4",
            "老城区有机更新",
            "renewal",
            "renewal_area",
            _pt(*COUNTY_SPOT),
            status="unknown",
            precision="county",
            uncertainty=20000,
            source="county centroid",
        ),
    ]
    parks = [
        _feat(
            "p1",
            "塔山公园",
            "parks",
            "park",
            _pt(120.0200, 28.9000),
            sources=[
                _src(DOC_A, "塔山公园改造提升工程已完工，市民休闲更便利。", 300),
                _src(DOC_B, "完成塔山公园等3个公园提升。", 40),
            ],
        ),
        _feat(
            "p2",
            "永康江湿地公园",
            "parks",
            "wetland_park",
            _poly(120.0800, 28.8700, 0.006),
            status="in_progress",
            precision="street",
            uncertainty=400,
            source="street centroid",
        ),
        _feat(
            "p3",
            "城市口袋公园",
            "parks",
            "park",
            _pt(*COUNTY_SPOT),
            status="planned",
            precision="county",
            uncertainty=20000,
            source="county centroid",
        ),
    ]
    roads = [
        _feat(
            "d1",
            "丽州路",
            "roads",
            "road",
            {"type": "LineString", "coordinates": [[120.00, 28.86], [120.03, 28.87], [120.06, 28.875]]},
            precision="street",
            uncertainty=200,
            source="road geometry",
        ),
        _feat(
            "d2",
            "九铜线",
            "roads",
            "road",
            {"type": "LineString", "coordinates": [[119.80, 28.88], [119.85, 28.90]]},
            county=WY,
            status="planned",
            precision="street",
            uncertainty=500,
            sources=[_src(DOC_C, "谋划九铜线改建工程。")],
        ),
    ]
    scenic = [
        _feat(
            "s1",
            "芝英古镇",
            "scenic",
            "historic_town",
            _poly(120.1500, 28.8200),
            status="in_progress",
            precision="township",
            uncertainty=2500,
            source="township seat",
        ),
        _feat(
            "s2",
            "方岩风景区",
            "scenic",
            "townscape_zone",
            _pt(120.1800, 28.9600),
            status="unknown",
            sources=[_src(DOC_A, f"方岩风景区提升{XSS_IMG}工程。")],
        ),
    ]
    return {"renewal": renewal, "parks": parks, "roads": roads, "scenic": scenic}


def write_layers(folder: Path, layers: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, bytes]:
    """Write ``<layer>.geojson`` files as the build does; returns each file's bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, feats in (layers if layers is not None else fixture_layers()).items():
        data = (
            json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8")
        (folder / f"{name}.geojson").write_bytes(data)
        out[name] = data
    return out


@pytest.fixture
def layers_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of fixture layers, also set as ``$RENEWAL_MAP_LAYERS``."""
    folder = tmp_path / "layers"
    write_layers(folder)
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(folder))
    return folder
