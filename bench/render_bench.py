"""Map payload and first render in headless Chromium: the app's map vs one folium Marker per site.

    .venv/bin/python bench/render_bench.py [--sizes 100 1000 10000] [--repeat 3] [--layers layers]
                                           [--chromium /usr/bin/chromium]

Rows: the built layers of the seeds (``--layers``, default ``layers/``), then generated sites
(points, lines and polygons in four layers) of each ``--sizes``. For each, two standalone pages
with every asset loaded from local files (no network):

* ``app``: the app's map (``geo.web.mapview``),
* ``naive``: what a first version does: a ``folium.Marker`` per site with its name as tooltip and
  its popup (``geo.web.popup.popup_html``) as a ``folium.Popup``; folium's CDN assets replaced by
  Leaflet from XStatic-Leaflet and jQuery (which folium's popups need) from Debian's libjs-jquery
  when installed (else the naive map goes without popups, and says so).

Each page is loaded ``--repeat`` times in headless Chromium; printed: time to build the page in
Python, what the browser receives (the page plus the local scripts and styles it loads; also
gzipped), the median time from navigation to the first painted frame with every site on the
map, and the naive/app ratios of payload and render time.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import folium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.web.assets import LEAFLET_DIR  # noqa: E402
from geo.web.display import shared_spots  # noqa: E402
from geo.web.layers_io import LAYER_NAMES, Layers, read_layers, sites_frame  # noqa: E402
from geo.web.mapview import base_map, site_groups  # noqa: E402
from geo.web.popup import popup_html  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")  # Debian's libjs-jquery
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
    offsets = shared_spots(
        zip(sites["key"], sites["lon"], sites["lat"], sites["uncertainty_m"], strict=True)
    )
    m = _standalone(base_map(_bounds(layers), "zh", n_sites=len(sites)))
    for g in site_groups(by_layer, popups, offsets, anchors, "none", "zh"):
        g.add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def naive_page(layers: Layers) -> str:
    """What a first version usually does: a Marker for every site (at its centre), name on hover,
    its popup on click (when jQuery, which folium's popups need, is installed locally)."""
    sites = sites_frame(layers)
    feats = [f for _, f in layers.all_features()]
    m = _standalone(folium.Map(location=[28.9, 120.1], zoom_start=10, tiles=None))
    if JQUERY.is_file():
        m.default_js.append(("jquery", JQUERY.as_uri()))
    lons, lats = sites["lon"], sites["lat"]
    m.fit_bounds([[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]])
    with_popups = JQUERY.is_file()
    for name, layer, lon, lat, f in zip(sites["name"], sites["layer"], lons, lats, feats, strict=True):
        popup = folium.Popup(popup_html(f["properties"], layer, "zh"), max_width=420) if with_popups else None
        folium.Marker([lat, lon], tooltip=name, popup=popup).add_to(m)
    return m.get_root().render()


def received_bytes(html: str) -> tuple[int, int]:
    """(bytes, gzipped bytes) the browser receives: the page and the local files it loads."""
    files = {unquote(urlparse(u).path) for u in re.findall(r'(?:src|href)="(file://[^"]+)"', html)}
    blobs = [html.encode()] + [Path(f).read_bytes() for f in sorted(files)]
    return sum(map(len, blobs)), sum(len(gzip.compress(b, 6)) for b in blobs)


def _bounds(layers: Layers) -> tuple[float, float, float, float]:
    sites = sites_frame(layers)
    return (float(sites["lon"].min()), float(sites["lat"].min()), float(sites["lon"].max()),
            float(sites["lat"].max()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--layers", type=Path, default=ROOT / "layers", help="built layers to measure too")
    ap.add_argument("--repeat", type=int, default=3, help="page loads per map; the median is kept")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    cases: list[tuple[str, Layers]] = []
    if args.layers and args.layers.is_dir():
        cases.append(("seeds", read_layers(args.layers)))
    cases += [(str(n), make_layers(n)) for n in args.sizes]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for label, layers in cases:
            n = len(layers.all_features())
            row: dict[str, Any] = {"case": label, "sites": n}
            for which, build in (("app", app_page), ("naive", naive_page)):
                t0 = time.perf_counter()
                html = build(layers)
                build_s = time.perf_counter() - t0
                path = Path(tmp) / f"{which}-{label}.html"
                path.write_text(html.replace("</html>", MARK_DRAWN + "</html>"), encoding="utf-8")
                times = []
                for _ in range(args.repeat):
                    page = browser.new_page(viewport={"width": 1200, "height": 800})
                    page.goto(path.as_uri(), wait_until="commit")
                    page.wait_for_function("window.__drawn !== undefined", timeout=300_000)
                    times.append(float(page.evaluate("window.__drawn")))
                    drawn = page.evaluate(JS_COUNT)
                    page.close()
                    if drawn != n:
                        raise RuntimeError(f"{which} map of {label} ({n} sites) drew {drawn}")
                raw, gz = received_bytes(html)
                row[which] = {"build_s": build_s, "mb": raw / 1e6, "gz_mb": gz / 1e6,
                              "ms": statistics.median(times)}
            rows.append(row)
        browser.close()
    print(f"{'case':>6} {'sites':>6} {'map':>6} {'build s':>8} {'received MB':>11} {'gzip MB':>8} "
          f"{'first render ms':>15}")
    for row in rows:
        for which in ("app", "naive"):
            r = row[which]
            print(f"{row['case']:>6} {row['sites']:>6} {which:>6} {r['build_s']:>8.2f} {r['mb']:>11.2f} "
                  f"{r['gz_mb']:>8.2f} {r['ms']:>15.0f}")
    print()
    print(f"naive / app ({'with' if JQUERY.is_file() else 'WITHOUT'} popups on the naive map):")
    print(f"{'case':>6} {'payload':>8} {'gzip':>6} {'render':>7}")
    for row in rows:
        a, b = row["app"], row["naive"]
        print(f"{row['case']:>6} {b['mb'] / a['mb']:>7.1f}x {b['gz_mb'] / a['gz_mb']:>5.1f}x "
              f"{b['ms'] / a['ms']:>6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
