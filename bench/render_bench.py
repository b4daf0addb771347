"""First map render in headless Chromium: the app's map vs one folium Marker per site.

    .venv/bin/python bench/render_bench.py [--sizes 100 1000 10000] [--chromium /usr/bin/chromium]

For each size, generates that many sites (points, lines and polygons in four layers), writes two
standalone pages with Leaflet loaded from the installed XStatic-Leaflet package (no network):

* ``app``: the app's map (``geo.web.mapview``: one GeoJson per layer, escaped popups),
* ``naive``: a folium map with one ``folium.Marker`` and ``folium.Popup`` per site,

then loads each page in headless Chromium and prints a table: time to build the page in Python,
page size, and time from navigation to the first painted frame with every site on the map.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import folium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.web.assets import LEAFLET_DIR  # noqa: E402
from geo.web.layers_io import LAYER_NAMES, Layers, sites_frame  # noqa: E402
from geo.web.mapview import base_map, site_groups, spiral_offsets  # noqa: E402
from geo.web.popup import popup_html  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
STATUSES = ["completed", "in_progress", "planned", "unknown"]
PRECISION_M = {"exact": 30, "street": 300, "township": 3000, "county": 20000}
# Appended after folium's (synchronous) map script: notes the time once two frames with every
# site have been painted.
MARK_DRAWN = (
    "<script>requestAnimationFrame(() => requestAnimationFrame(() => "
    "{ window.__drawn = performance.now(); }));</script>"
)
# Sites on the map, counted through Leaflet (the map may draw on a canvas, without DOM paths).
JS_COUNT = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  let k = 0;
  map.eachLayer(l => {
    if (l instanceof L.Marker || (l instanceof L.Path && l.options.interactive !== false)) k++;
  });
  return k;
}"""


def make_layers(n: int, seed: int = 1) -> Layers:
    """``n`` sites around 永康市, round-robin over the four layers."""
    rnd = random.Random(seed)
    layers = Layers(folder="<generated>")
    for i in range(n):
        layer = LAYER_NAMES[i % 4]
        lon, lat = 119.9 + rnd.random() * 0.4, 28.7 + rnd.random() * 0.4
        if layer == "roads":
            geom: dict[str, Any] = {
                "type": "LineString",
                "coordinates": [[lon, lat], [lon + 0.01, lat + 0.005]],
            }
        elif layer == "scenic" and i % 3 == 0:
            d = 0.003
            ring = [
                [lon - d, lat - d],
                [lon + d, lat - d],
                [lon + d, lat + d],
                [lon - d, lat + d],
                [lon - d, lat - d],
            ]
            geom = {"type": "Polygon", "coordinates": [ring]}
        else:
            geom = {"type": "Point", "coordinates": [lon, lat]}
        precision = rnd.choice(list(PRECISION_M))
        name = f"测试项目{i}号"
        props = {
            "id": f"{layer}-{i}", "name": name, "category": layer, "kind": "park", "county": "永康市",
            "status": rnd.choice(STATUSES), "precision": precision, "uncertainty_m": PRECISION_M[precision],
            "location_source": "generated",
            "sources": [{"doc": f"报告{i % 7}.txt", "quote": f"推进{name}建设。", "start": 0, "end": 14}],
        }  # fmt: skip
        layers.features.setdefault(layer, []).append(
            {"type": "Feature", "geometry": geom, "properties": props}
        )
    return layers


def _standalone(m: folium.Map) -> folium.Map:
    """Point the page at Leaflet's files on disk (the app serves the same files over HTTP)."""
    m.default_js = [("leaflet", (LEAFLET_DIR / "leaflet.js").as_uri())]
    m.default_css = [("leaflet_css", (LEAFLET_DIR / "leaflet.css").as_uri())]
    return m


def app_page(layers: Layers) -> str:
    sites = sites_frame(layers)
    feats = [f for _, f in layers.all_features()]
    by_layer: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, (layer, f) in zip(sites["key"], layers.all_features(), strict=True):
        by_layer.setdefault(layer, []).append((key, f))
    popups = {
        k: popup_html(f["properties"], layer, "zh")
        for k, layer, f in zip(sites["key"], sites["layer"], feats, strict=True)
    }
    anchors = {k: (x, y) for k, x, y in zip(sites["key"], sites["lon"], sites["lat"], strict=True)}
    offsets = spiral_offsets(
        zip(sites["key"], sites["lon"], sites["lat"], sites["uncertainty_m"], strict=True)
    )
    m = _standalone(base_map((119.9, 28.7, 120.3, 29.1), "zh", n_sites=len(sites)))
    for g in site_groups(by_layer, popups, offsets, anchors, "none", "zh"):
        g.add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def naive_page(layers: Layers) -> str:
    """What a first version usually does: a Marker for every site (at its centre), name on hover.

    Without popups: folium's ``Popup`` needs jQuery, which an offline page would not have.
    """
    sites = sites_frame(layers)
    m = _standalone(folium.Map(location=[28.9, 120.1], zoom_start=10, tiles=None))
    m.fit_bounds([[28.69, 119.89], [29.11, 120.31]])
    for name, lon, lat in zip(sites["name"], sites["lon"], sites["lat"], strict=True):
        folium.Marker([lat, lon], tooltip=name).add_to(m)
    return m.get_root().render()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for n in args.sizes:
            layers = make_layers(n)
            for label, build in (("app", app_page), ("naive", naive_page)):
                t0 = time.perf_counter()
                html = build(layers)
                build_s = time.perf_counter() - t0
                path = Path(tmp) / f"{label}-{n}.html"
                path.write_text(html.replace("</html>", MARK_DRAWN + "</html>"), encoding="utf-8")
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(path.as_uri(), wait_until="commit")
                page.wait_for_function("window.__drawn !== undefined", timeout=300_000)
                drawn_ms = page.evaluate("window.__drawn")
                drawn = page.evaluate(JS_COUNT)
                page.close()
                if drawn != n:
                    raise RuntimeError(f"{label} map with {n} sites drew {drawn}")
                rows.append((n, label, build_s, len(html.encode()) / 1e6, drawn_ms))
        browser.close()
    print(f"{'sites':>7} {'map':>6} {'build (s)':>10} {'page (MB)':>10} {'first render (ms)':>18}")
    for n, label, build_s, mb, ms in rows:
        print(f"{n:>7} {label:>6} {build_s:>10.2f} {mb:>10.2f} {ms:>18.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
