"""Shared fixtures: small built layers (``layers/*.geojson`` as the build writes them) in a tmp dir,
a copy of the project (reports and built layers) to run the app on, and the browser helpers of the
end-to-end tests."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
# what the build read of DOC_B (title, issuer, date); the other documents have none
DOC_B_ABOUT = {"title": "住建工作年度回顾", "issuer": "永康市住房和城乡建设局", "date": "2024-12-30"}


@pytest.fixture(autouse=True)
def _own_results_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's builds keep their results in a folder of their own, never the user's."""
    monkeypatch.setenv("RENEWAL_MAP_RESULTS", str(tmp_path_factory.mktemp("results-cache")))


def _src(doc: str, quote: str, start: int = 0) -> dict[str, Any]:
    about = DOC_B_ABOUT if doc == DOC_B else {}
    return {"doc": doc, "quote": quote, "start": start, "end": start + len(quote), **about}


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
    """A folder of fixture layers, also set as ``$RENEWAL_MAP_LAYERS`` (and an empty data folder as
    ``$RENEWAL_MAP_DATA``, so that the app never reads the project's own placements)."""
    folder = tmp_path / "layers"
    write_layers(folder)
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("RENEWAL_MAP_LAYERS", str(folder))
    monkeypatch.setenv("RENEWAL_MAP_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("RENEWAL_MAP_OVERRIDES", raising=False)
    return folder


# ---- a copy of the project -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
LAYER_FILES = ("renewal", "parks", "roads", "scenic")
DEQING_REPORT = ROOT / "data" / "sources" / "002_baa0c397a6a27755.txt"


@dataclass(frozen=True)
class ProjectCopy:
    root: Path
    data: Path
    layers: Path

    @property
    def sources(self) -> Path:
        return self.data / "sources"

    @property
    def overrides(self) -> Path:
        return self.data / "overrides.geojson"

    def env(self) -> dict[str, str]:
        return {"RENEWAL_MAP_LAYERS": str(self.layers), "RENEWAL_MAP_DATA": str(self.data)}


def copy_project(dest: Path) -> ProjectCopy:
    """The project's reports (``data/sources``) and built layers (``layers/``), copied into ``dest``."""
    data, layers = dest / "data", dest / "layers"
    (data / "sources").mkdir(parents=True)
    for f in sorted((ROOT / "data" / "sources").iterdir()):
        if f.is_file() and not f.name.startswith("."):
            shutil.copyfile(f, data / "sources" / f.name)
    layers.mkdir()
    for layer in LAYER_FILES:
        shutil.copyfile(ROOT / "layers" / f"{layer}.geojson", layers / f"{layer}.geojson")
    return ProjectCopy(dest, data, layers)


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-1 of every file under ``folder``: equal digests, nothing written."""
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def docx_of(path: Path) -> bytes:
    """A Word document holding the text of ``path``, one paragraph per line."""
    import docx

    document = docx.Document()
    for line in path.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def layer_features(folder: Path) -> list[dict[str, Any]]:
    return [
        f
        for layer in LAYER_FILES
        if (folder / f"{layer}.geojson").exists()
        for f in json.loads((folder / f"{layer}.geojson").read_bytes())["features"]
    ]


def inside_point(county: str, lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) of a point well inside ``county``, a few kilometres from (lon, lat)."""
    from shapely.geometry import Point

    from geo.locate import admin

    area = admin.county_polygon(county).buffer(-0.01)
    for dx, dy in ((0.04, 0.03), (-0.04, 0.03), (0.04, -0.03), (-0.04, -0.03), (0.02, 0.0), (0.0, 0.02)):
        if area.contains(Point(lon + dx, lat + dy)):
            return round(lon + dx, 6), round(lat + dy, 6)
    raise AssertionError(f"no point found in {county}")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectCopy:
    """A copy of the project, set as the app's layers and data (``$RENEWAL_MAP_LAYERS``, ``$RENEWAL_MAP_DATA``)."""
    copy = copy_project(tmp_path / "project")
    for k, v in copy.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("RENEWAL_MAP_OVERRIDES", raising=False)
    return copy


# ---- the app in a browser --------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
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
MAP_FRAME = "iframe.site-map-frame"
SITE_PATHS = "path.leaflet-interactive"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
)

# Sites Leaflet draws: one layer per site drawn on its own, and the sites inside each aggregate
# marker (sites sharing one spot, see geo.web.mapview.SITE_JS), there at the marker's position.
JS_SITES = """() => {
  const out = [];
  window.map.eachLayer(l => {
    if (l.feature && l.feature.properties && l.feature.properties.r) {
      const r = l.feature.properties.r;
      const ll = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
      out.push({key: r[0], flags: r[6] || 0, lat: ll.lat, lng: ll.lng, aggregate: 0});
    } else if (l.siteAggregate) {
      const ll = l.getLatLng(), n = l.siteAggregate.members.length;
      l.siteAggregate.members.forEach(r => {
        out.push({key: r[0], flags: r[6] || 0, lat: ll.lat, lng: ll.lng, aggregate: n});
      });
    }
  });
  return out;
}"""
# Aggregate markers on the map: position, count and their sites' keys.
JS_AGGREGATES = """() => {
  const out = [];
  window.map.eachLayer(l => {
    if (l.siteAggregate) {
      const ll = l.getLatLng(), p = window.map.latLngToContainerPoint(ll);
      out.push({lat: ll.lat, lng: ll.lng, x: p.x, y: p.y,
                n: Number(l.getElement().querySelector(".agg-n").textContent),
                keys: l.siteAggregate.members.map(r => r[0])});
    }
  });
  return out;
}"""
# Number of sites drawn: paths of sites on their own plus the counts of aggregate markers.
JS_SITE_COUNT = """() => {
  let n = document.querySelectorAll('%s').length;
  window.map.eachLayer(l => { if (l.siteAggregate) n += l.siteAggregate.members.length; });
  return n;
}"""
# Screen position (in the map frame) of the site with the given key, through Leaflet's API: the
# site's own marker, or the aggregate marker that holds it.
JS_FEATURE_POINT = """(key) => {
  let found = null, inside = false;
  window.map.eachLayer(l => {
    if (l.feature && l.feature.id === key) found = l;
    // an aggregate marker drawn apart from its spot, or merged into another that lists its sites
    const a = l.siteAggregate;
    if (a && l.getElement().style.display !== "none"
        && [a].concat(a.merged || []).some(g => g.members.some(r => r[0] === key))) { found = l; inside = true; }
  });
  if (!found) return null;
  const ll = found.getLatLng ? found.getLatLng() : found.getBounds().getCenter();
  const p = window.map.latLngToContainerPoint(ll), nudge = (inside && found.siteAggregate.nudge) || [0, 0];
  return {x: p.x + nudge[0], y: p.y + nudge[1], lat: ll.lat, lng: ll.lng, aggregate: inside};
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


OPEN_WRITES = "[access]\nopen_writes = true\n"  # the tests that save, place and rebuild


@contextmanager
def running_app(env: dict[str, str], log: Path, secrets: str | None = OPEN_WRITES) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` with ``env`` added and ``secrets`` as its secrets.toml;
    yields its URL."""
    port = _free_port()
    secrets_file = log.with_name(log.stem + "-secrets.toml")
    secrets_file.write_text(secrets or "", encoding="utf-8")
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--secrets.files", str(secrets_file)]  # fmt: skip
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_MAP_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**full_env, **env}, stdout=out, stderr=subprocess.STDOUT)
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
                    raise RuntimeError("streamlit did not start:\n" + log.read_text())
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@dataclass
class Session:
    """A browser page on the app; every request to another host is blocked and noted."""

    page: Any
    blocked: list[str] = field(default_factory=list)

    @property
    def map(self) -> Any:
        return self.page.frame_locator(MAP_FRAME)

    def map_frame(self) -> Any:
        return next(f for f in self.page.frames if "site_map_frame" in f.url)

    def sites(self) -> list[dict[str, Any]]:
        return list(self.map_frame().evaluate(JS_SITES))

    def site(self, key: str) -> dict[str, Any] | None:
        return next((s for s in self.sites() if s["key"] == key), None)

    def click_map(self, x: float, y: float) -> None:
        """Click the map at (x, y) pixels from its top left corner."""
        self.page.locator(MAP_FRAME).scroll_into_view_if_needed()
        box = self.page.locator(MAP_FRAME).bounding_box()
        self.page.mouse.click(box["x"] + x, box["y"] + y)

    def aggregates(self) -> list[dict[str, Any]]:
        return list(self.map_frame().evaluate(JS_AGGREGATES))

    def click_feature(self, key: str) -> None:
        """Click the site's marker; for a site inside an aggregate marker, click that marker and
        then the site in its list, which shows the site's popup."""
        pos = self.map_frame().evaluate(JS_FEATURE_POINT, key)
        assert pos, key
        self.click_map(pos["x"], pos["y"])
        if pos["aggregate"]:
            self.map.locator(f".agg-list a[data-key={json.dumps(key)}]").click(timeout=10000)

    def close_popup(self) -> None:
        self.map.locator(".leaflet-popup-close-button").click()
        self.map_frame().wait_for_function("!document.querySelector('.leaflet-popup')", timeout=5000)

    def wait_site_count(self, n: int) -> None:
        """Wait until ``n`` sites are drawn (on their own or inside aggregate markers)."""
        self.map_frame().wait_for_function(
            f"({JS_SITE_COUNT % SITE_PATHS})() === {n}", timeout=15000
        )

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> Any:
        """Poll ``predicate()`` until it returns something truthy (the map redraws after reruns)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = predicate()
            except StopIteration:  # the map frame is being replaced
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the page")
            self.page.wait_for_timeout(200)

    def settle(self, quiet_ms: int = 400, timeout: float = 20.0) -> None:
        """Wait until the app has not been running a rerun for ``quiet_ms``."""
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if self.page.locator('[data-testid="stStatusWidget"]').count():
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > quiet_ms / 1000:
                return
            self.page.wait_for_timeout(100)

    def sidebar_checkbox(self, text: str) -> Any:
        return self.page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(has_text=text)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the whole run (its synchronous API cannot be started twice at once)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@contextmanager
def browser(p: Any, url: str, profile: Path) -> Iterator[Session]:
    """Debian's Chromium on ``url`` (1400x1000), downloads accepted, other hosts blocked."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = p.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1400, "height": 1000},
        accept_downloads=True,
    )
    try:
        s = Session(page=context.pages[0] if context.pages else context.new_page())

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                s.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        s.page.goto(url, wait_until="domcontentloaded")
        s.map.locator(SITE_PATHS).first.wait_for(timeout=30000)
        # the map is drawn first; then the run that draws the panels (geo.web.firstpaint)
        s.page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').first.wait_for(timeout=30000)
        s.settle()
        yield s
    finally:
        context.close()


def rotated(text: str, k: int) -> str:
    """A report with its paragraphs after the first rotated by ``k``: other bytes, same county."""
    head, *rest = text.split("\n\n")
    k %= max(len(rest), 1)
    return "\n\n".join([head, *rest[k:], *rest[:k]])


def seed_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` reports made from the seed reports (each later one with its paragraphs rotated)."""
    seeds = sorted((Path(__file__).resolve().parents[1] / "data" / "sources").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        path = folder / f"r{i:03d}.txt"
        path.write_text(rotated(seed.read_text(encoding="utf-8"), i // len(seeds)), encoding="utf-8")
        paths.append(path)
    return paths


def layer_bytes(out: Path) -> dict[str, bytes]:
    """The four layer files of a build, as bytes."""
    from geo.output.layers import LAYERS

    return {name: (out / f"{name}.geojson").read_bytes() for name in LAYERS}


@pytest.fixture
def no_geocoders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No online geocoder configured, whatever the environment or the user's settings file say."""
    import geo.locate.geocoders as geocoders

    for var in ("RENEWAL_MAP_GEOCODERS", "RENEWAL_MAP_GEOCODERS_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("geo.locate.geocoders.config.default_config_path", lambda: tmp_path / "none.toml")
    geocoders.reset()
    yield
    geocoders.reset()


@pytest.fixture
def resolver(tmp_path: Path, no_geocoders: None) -> Any:
    """A resolver with no placements file and no geocoder: the embedded data only."""
    from geo.locate.resolver import Resolver

    return Resolver(overrides_path=tmp_path / "no-overrides.geojson")
