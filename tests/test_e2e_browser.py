"""The running app in headless Chromium with every non-local request blocked (as on a machine offline).

Starts ``streamlit run streamlit_app.py`` on fixture layers and drives Debian's Chromium through
Playwright. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import XSS_IMG_PWN, XSS_SCRIPT, write_layers

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SITE_PATHS = "path.leaflet-interactive"
N_SITES = 11

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
)

# Screen position (in the map frame) of the feature with the given id, through Leaflet's API.
JS_FEATURE_POINT = """(key) => {
  let found = null;
  window.map.eachLayer(l => { if (l.feature && l.feature.id === key) found = l; });
  if (!found) return null;
  const ll = found.getLatLng ? found.getLatLng() : found.getBounds().getCenter();
  const p = window.map.latLngToContainerPoint(ll);
  const r = window.map.getContainer().getBoundingClientRect();
  return {x: p.x + r.left, y: p.y + r.top};
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL, layers folder) of the app running on fixture layers."""
    folder = tmp_path_factory.mktemp("e2e") / "layers"
    write_layers(folder)
    port = _free_port()
    env = {**os.environ, "RENEWAL_MAP_LAYERS": str(folder)}
    log = (folder.parent / "streamlit.log").open("wb")
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "streamlit did not start:\n" + (folder.parent / "streamlit.log").read_text()
                )
            time.sleep(0.3)
        yield url, folder
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@dataclass
class Session:
    page: Any
    layers: Path
    blocked: list[str] = field(default_factory=list)

    @property
    def map(self) -> Any:
        return self.page.frame_locator(MAP_FRAME)

    def map_frame(self) -> Any:
        return next(f for f in self.page.frames if "streamlit_folium.st_folium" in f.url)

    def click_feature(self, key: str) -> None:
        pos = self.map_frame().evaluate(JS_FEATURE_POINT, key)
        assert pos, key
        box = self.page.locator(MAP_FRAME).bounding_box()
        self.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])

    def close_popup(self) -> None:
        self.map.locator(".leaflet-popup-close-button").click()
        self.map_frame().wait_for_function("!document.querySelector('.leaflet-popup')", timeout=5000)

    def wait_site_count(self, n: int) -> None:
        self.map_frame().wait_for_function(
            f"document.querySelectorAll('{SITE_PATHS}').length === {n}", timeout=15000
        )


@pytest.fixture(scope="module")
def session(served: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    app_url, folder = served
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        s = Session(page=context.pages[0] if context.pages else context.new_page(), layers=folder)

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                s.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        s.page.goto(app_url, wait_until="domcontentloaded")
        s.map.locator(SITE_PATHS).first.wait_for(timeout=30000)
        yield s
        context.close()


def test_map_renders_offline_with_every_feature(session: Session) -> None:
    session.wait_site_count(N_SITES)
    legend = session.map.locator(".map-legend")
    assert "城市更新" in legend.inner_text() and "约略位置" in legend.inner_text()
    control = session.map.locator(".leaflet-control-layers").inner_text()
    for name in ("城市更新", "公园绿地", "道路", "风貌与景区"):
        assert name in control
    # dashed uncertainty circles of the four approximate sites (not clickable)
    dashed = session.map.locator("path[stroke-dasharray='6 6']:not(.leaflet-interactive)")
    assert dashed.count() == 4
    session.page.wait_for_timeout(300)
    session.page.screenshot(path=str(ARTIFACTS / "map-all-layers.png"))
    assert session.blocked == []


def test_layer_control_hides_and_shows_a_layer(session: Session) -> None:
    box = session.map.get_by_label("城市更新")
    box.uncheck()
    session.wait_site_count(N_SITES - 4)
    box.check()
    session.wait_site_count(N_SITES)


def test_popup_quotes_the_statement(session: Session) -> None:
    session.click_feature("parks/p1")
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert "塔山公园改造提升工程已完工" in text and "永康市住建局2024年工作总结.txt" in text
    assert popup.locator("mark").first.inner_text() == "塔山公园"
    # the click also shows the site under the table (after a rerun that keeps the map as it is)
    session.page.get_by_text("选中的项目").wait_for(timeout=15000)
    assert popup.is_visible()
    session.page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    session.close_popup()


def test_untrusted_text_is_shown_as_text(session: Session) -> None:
    session.click_feature("renewal/r3")
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert XSS_SCRIPT in text and XSS_IMG_PWN in text
    assert popup.locator("img, script").count() == 0
    session.page.get_by_text("古山镇安置小区", exact=False).last.wait_for(timeout=15000)
    session.page.wait_for_timeout(500)
    for frame in session.page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    session.close_popup()


def test_filter_keeps_the_view(session: Session) -> None:
    frame = session.map_frame()
    frame.evaluate("window.map.setView([28.88, 120.05], 12)")
    session.page.wait_for_timeout(400)
    search = session.page.get_by_role("textbox", name="按名称搜索（汉字或拼音）")
    search.fill("tsgy")
    search.press("Enter")
    session.wait_site_count(1)
    assert session.map_frame() is frame  # same map, not reloaded
    assert frame.evaluate("[map.getZoom(), map.getCenter().lat, map.getCenter().lng]") == [12, 28.88, 120.05]
    search.fill("")
    search.press("Enter")
    session.wait_site_count(N_SITES)


def test_choosing_a_row_centres_the_map(session: Session) -> None:
    tables = '[data-testid="stMain"] [data-testid="stDataFrame"]'
    # wait for the previous rerun to finish replacing the filtered table
    session.page.wait_for_function(f"document.querySelectorAll('{tables}').length === 1", timeout=15000)
    table = session.page.locator(tables)
    table.scroll_into_view_if_needed()
    # The grid is drawn on a canvas: click the selection box of the 5th row (塔山公园).
    table.click(position={"x": 16, "y": 35 + 35 * 4 + 17})
    session.map_frame().wait_for_function("map.getZoom() === 16", timeout=15000)
    center = session.map_frame().evaluate("[map.getCenter().lat, map.getCenter().lng]")
    assert center == pytest.approx([28.9, 120.02], abs=1e-6)


def test_download_layer_geojson(session: Session) -> None:
    with session.page.expect_download() as info:
        session.page.get_by_role("button", name="公园绿地（GeoJSON）").click()
    download = info.value
    assert download.suggested_filename == "sites-parks.geojson"
    data = Path(download.path()).read_bytes()
    assert data == (session.layers / "parks.geojson").read_bytes()
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    assert [f["properties"]["name"] for f in doc["features"]] == [
        "塔山公园",
        "永康江湿地公园",
        "城市口袋公园",
    ]
    assert session.blocked == []


def test_tiles_are_fetched_only_when_chosen(session: Session) -> None:
    assert session.blocked == []
    frame = session.map_frame()
    view = frame.evaluate("[map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    session.page.get_by_text("OpenStreetMap（需联网）").click()
    session.map.locator("img.leaflet-tile").first.wait_for(state="attached", timeout=15000)
    session.page.wait_for_timeout(300)
    hosts = {urlparse(u).hostname for u in session.blocked}
    assert hosts == {"tile.openstreetmap.org"}  # the only outside requests, and blocked here
    assert frame.evaluate("[map.getZoom(), map.getCenter().lat, map.getCenter().lng]") == view
    assert "OpenStreetMap" in session.map.locator(".leaflet-control-attribution").inner_text()
    session.page.get_by_text("无底图（离线，显示县界）").click()
    frame.wait_for_function("!document.querySelector('img.leaflet-tile')", timeout=15000)
    session.wait_site_count(N_SITES)
