"""The running app in headless Chromium with every non-local request blocked (as on a machine offline).

Two apps: one on fixture layers (which carry script-injection payloads in report text), one on a
copy of the project's built layers (the seeds). Driven through Playwright; screenshots go to
``artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import (
    ARTIFACTS,
    COUNTY_SPOT,
    JS_SITE_COUNT,
    MAP_FRAME,
    SITE_PATHS,
    XSS_IMG_PWN,
    XSS_SCRIPT,
    ProjectCopy,
    Session,
    browser,
    copy_project,
    layer_features,
    needs_chromium,
    running_app,
    write_layers,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.web.i18n import precision_label, status_label
from geo.web.tianditu import KEY_ENV

pytestmark = [pytest.mark.browser, needs_chromium]
# Screen position of the (first) aggregate marker in the map frame.
JS_AGG_POINT = """(() => { let p = null; window.map.eachLayer(l => {
  if (l.siteAggregate && !p) { const q = window.map.latLngToContainerPoint(l.getLatLng()),
    n = l.siteAggregate.nudge || [0, 0]; p = [q.x + n[0], q.y + n[1]]; }
}); return p; })()"""
N_SITES = 11
TIANDITU_KEY = "0123456789abcdef0123456789abcdef"  # made up: Tianditu is offered, its tiles never load
TABLES = '[data-testid="stMain"] [data-testid="stDataFrame"]'


# ---- on fixture layers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> Iterator[tuple[Session, Path]]:
    """The app on fixture layers, and their folder."""
    root = tmp_path_factory.mktemp("e2e")
    folder = root / "layers"
    write_layers(folder)
    (root / "data").mkdir()
    env = {"RENEWAL_MAP_LAYERS": str(folder), "RENEWAL_MAP_DATA": str(root / "data"), KEY_ENV: TIANDITU_KEY}
    with running_app(env, root / "streamlit.log") as url, browser(playwright, url, root / "profile") as s:
        yield s, folder


@pytest.fixture
def session(served: tuple[Session, Path]) -> Session:
    return served[0]


def test_map_renders_offline_with_every_feature(session: Session) -> None:
    session.wait_site_count(N_SITES)
    legend = session.map.locator(".map-legend")
    assert "城市更新" in legend.inner_text() and "约略位置" in legend.inner_text()
    # one dashed uncertainty circle per spot: r3, s1, and one shared by r4 and p3 (not clickable)
    dashed = session.map.locator("path[stroke-dasharray='6 6']:not(.leaflet-interactive)")
    assert dashed.count() == 3
    assert len(session.sites()) == N_SITES
    session.page.wait_for_timeout(300)
    session.page.screenshot(path=str(ARTIFACTS / "map-fixture-all-layers.png"))
    assert session.blocked == []


# Name and position of every county label drawn on the map.
JS_COUNTY_LABELS = """(() => { const out = []; window.map.eachLayer(l => {
  const c = l.options && l.options.icon && l.options.icon.options.className;
  if (c && c.indexOf("county-label") >= 0) out.push([l.getElement().textContent, l.getLatLng().lng, l.getLatLng().lat]);
}); return out; })()"""


# Pairs of county and township names shown on the map whose boxes overlap.
JS_OVERLAPPING_NAMES = """(() => {
  const boxes = [...document.querySelectorAll(".county-label span, .town-seat span")]
    .filter(e => getComputedStyle(e).visibility !== "hidden" && e.offsetParent !== null)
    .map(e => e.getBoundingClientRect());
  let n = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n += 1;
  }));
  return n;
})()"""


# In the page: the browser's clock (ms since the epoch) at which the sites table and the
# sidebar's first checkbox first appear.
JS_WATCH_PANELS = """(() => {
  if (window !== window.top) return;
  window.__seen = {};
  const want = {table: '[data-testid="stMain"] [data-testid="stDataFrame"]',
                checkbox: '[data-testid="stSidebar"] [data-testid="stCheckbox"]'};
  new MutationObserver(() => {
    for (const [k, sel] of Object.entries(want))
      if (!window.__seen[k] && document.querySelector(sel)) window.__seen[k] = performance.timeOrigin + performance.now();
  }).observe(document, {subtree: true, childList: true});
})()"""
JS_DRAWN_MARK = """() => { const m = performance.getEntriesByName("site-map-drawn")[0];
  return m ? performance.timeOrigin + m.startTime : null; }"""


def test_a_new_page_draws_the_map_first_and_the_panels_after_it(session: Session) -> None:
    page = session.page.context.new_page()
    try:
        page.add_init_script(JS_WATCH_PANELS)
        page.goto(session.page.url, wait_until="domcontentloaded")
        page.frame_locator(MAP_FRAME).locator(SITE_PATHS).first.wait_for(timeout=30000)
        frame = next(f for f in page.frames if "site_map_frame" in f.url)
        drawn = frame.wait_for_function(JS_DRAWN_MARK, timeout=15000).json_value()
        loaded = frame.evaluate("performance.timeOrigin")
        page.locator(TABLES).first.wait_for(state="attached", timeout=30000)
        page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').first.wait_for(timeout=30000)
        seen = page.evaluate("window.__seen")
        # the map was on the screen before the table and the sidebar's panels reached the page
        assert drawn < seen["table"] and drawn < seen["checkbox"], (drawn, seen)
        # and the run that drew them kept the map: the same frame, loaded once, every site drawn
        assert next(f for f in page.frames if "site_map_frame" in f.url).evaluate("performance.timeOrigin") == loaded
        assert frame.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert frame.evaluate(f"({JS_SITE_COUNT % SITE_PATHS})()") == N_SITES
    finally:
        page.close()
    assert session.blocked == []


def test_offline_map_names_counties_and_township_seats(session: Session) -> None:
    from shapely.geometry import Point

    from geo.locate.admin import county_polygon

    session.wait_site_count(N_SITES)
    frame = session.map_frame()
    labels = session.map.locator(".county-label span")
    labels.filter(has_text="永康市").wait_for(timeout=15000)
    drawn = frame.evaluate(JS_COUNTY_LABELS)
    assert sorted(name for name, _, _ in drawn) == ["武义县", "永康市"]
    assert all(county_polygon(name).contains(Point(lon, lat)) for name, lon, lat in drawn)
    # township seats: their names show from zoom 11, dots alone farther out
    frame.evaluate("map.setView([28.86, 120.07], 11, {animate: false})")
    town = session.map.locator(".town-seat span").filter(has_text="古山镇")
    town.wait_for(state="visible", timeout=10000)
    assert "GeoNames" in session.map.locator(".leaflet-control-attribution").inner_text()
    assert frame.evaluate(JS_OVERLAPPING_NAMES) == 0  # a name that would overlap another is hidden
    session.page.locator(MAP_FRAME).scroll_into_view_if_needed()
    session.page.wait_for_timeout(300)
    session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-offline-geography.png"))
    frame.evaluate("map.setZoom(9, {animate: false})")
    town.wait_for(state="hidden", timeout=5000)
    assert session.map.locator(".town-seat i").first.is_visible()
    # the seats' own switch in the sidebar
    box = session.sidebar_checkbox("乡镇驻地")
    box.locator("label").click()
    frame.wait_for_function("!document.querySelector('.town-seat')", timeout=15000)
    assert "GeoNames" not in session.map.locator(".leaflet-control-attribution").inner_text()
    box.locator("label").click()
    session.map.locator(".town-seat").first.wait_for(state="attached", timeout=15000)
    session.wait_site_count(N_SITES)
    assert session.blocked == []


def test_layer_toggle_hides_and_shows_a_layer_and_stays_across_filters(session: Session) -> None:
    box = session.sidebar_checkbox("城市更新")
    box.locator("label").click()
    session.wait_site_count(N_SITES - 4)
    # a filter change redraws the sites: the layer switched off stays off
    search = session.page.get_by_role("textbox", name="按名称搜索（汉字或拼音）")
    search.fill("gongyuan")
    search.press("Enter")
    session.wait_site_count(3)
    search.fill("")
    search.press("Enter")
    session.wait_site_count(N_SITES - 4)
    assert not any(s["key"].startswith("renewal/") for s in session.sites())
    box.locator("label").click()
    session.wait_site_count(N_SITES)


def _switch(session: Session, switch: str) -> Any:
    """The map's layer control opened (Leaflet's layers button), and the checkbox of ``switch``."""
    control = session.map.locator(".site-switches")
    control.hover()  # Leaflet opens it as the pointer enters, and ignores clicks in it for a moment
    control.locator(".leaflet-control-layers-list").wait_for(state="visible", timeout=5000)
    session.page.wait_for_timeout(200)
    return control.locator("label").filter(has=session.map.locator(f'[data-switch="{switch}"]')).locator("input")


def test_the_layer_control_on_the_map_switches_what_the_sidebar_switches(session: Session) -> None:
    session.wait_site_count(N_SITES)
    control = session.map.locator(".site-switches")
    assert "leaflet-control-layers-expanded" not in control.get_attribute("class")  # folded to its button
    assert control.locator(".leaflet-control-layers-toggle").get_attribute("title") == "图层"
    renewal = _switch(session, "renewal")
    names = control.locator(".switch-name").all_inner_texts()
    assert names == ["城市更新", "公园绿地", "道路", "风貌与景区", "约略范围（虚线圆）", "县界", "乡镇驻地"]
    assert renewal.is_checked()
    session.page.wait_for_timeout(300)
    session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-layer-control.png"))
    # off on the map: its markers go (r4 leaves the aggregate it shared with p3), and so does the sidebar's tick
    renewal.click()
    session.wait_site_count(N_SITES - 4)
    assert not any(s["key"].startswith("renewal/") for s in session.sites())
    box = session.sidebar_checkbox("城市更新").locator("input")
    session.wait_for(lambda: not box.is_checked())
    assert session.aggregates() == []
    # on again from the sidebar: the map's control shows it
    session.sidebar_checkbox("城市更新").locator("label").click()
    session.wait_site_count(N_SITES)
    session.wait_for(lambda: _switch(session, "renewal").is_checked())
    # the background's switches too: the county names go, and the sidebar's switch with them
    _switch(session, "counties").click()
    session.map_frame().wait_for_function("!document.querySelector('.county-label')", timeout=15000)
    session.wait_for(lambda: not session.sidebar_checkbox("县界").locator("input").is_checked())
    _switch(session, "counties").click()
    session.map.locator(".county-label").first.wait_for(state="attached", timeout=15000)
    session.wait_for(lambda: session.sidebar_checkbox("县界").locator("input").is_checked())
    session.wait_site_count(N_SITES)
    session.page.mouse.move(5, 5)  # the pointer leaves the control: it folds again
    session.map_frame().wait_for_function(
        "!document.querySelector('.site-switches.leaflet-control-layers-expanded')", timeout=5000
    )
    assert session.blocked == []


def test_popup_quotes_the_statement(session: Session) -> None:
    session.click_feature("parks/p1")
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert "塔山公园改造提升工程已完工" in text and "永康市住建局2024年工作总结.txt" in text
    # a report the build read a title for is cited by it, with issuer and date, the file name small
    assert "住建工作年度回顾（永康市住房和城乡建设局，2024年12月30日）" in text
    assert popup.locator("cite small.file").first.inner_text() == "文件：永康市住建局2024年工作总结.txt"
    assert popup.locator("mark").first.inner_text() == "塔山公园"
    # the click also shows the site under the table (after a rerun that keeps the map as it is)
    session.page.get_by_text("选中的项目").wait_for(timeout=15000)
    assert popup.is_visible()
    session.page.screenshot(path=str(ARTIFACTS / "map-fixture-popup.png"))
    session.close_popup()


def test_the_english_interface_reads_chinese_names_in_pinyin(session: Session) -> None:
    sidebar = session.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("English", exact=True).click()
    try:
        session.page.get_by_role("heading", name="Urban renewal map").wait_for(timeout=15000)
        _map_redrawn(session, lambda html: "Statements that mention it" in html)  # the English map
        popup = session.map.locator(".leaflet-popup-content")
        for _ in range(3):  # the language change may rerun the page once more and replace the map
            session.click_feature("parks/p1")
            try:
                popup.wait_for(timeout=5000)
                break
            except PlaywrightError:
                _map_redrawn(session, lambda html: "Statements that mention it" in html)
        popup.wait_for(timeout=10000)
        assert popup.locator("h4").inner_text() == "塔山公园"
        assert popup.locator(".pinyin").inner_text() == "tǎ shān gōng yuán"
        # the (wider, English) legend folds while the popup is open: it covers none of it
        legend = session.map.locator(".map-legend")
        legend.locator(".legend-body").wait_for(state="hidden", timeout=5000)
        session.page.wait_for_timeout(400)  # the popup's pan
        bubble = session.map.locator(".leaflet-popup-content-wrapper").bounding_box()
        assert not _intersect(bubble, legend.bounding_box())
        assert not _intersect(bubble, session.map.locator(".leaflet-control-attribution").bounding_box())
        session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-english-popup.png"))
        session.close_popup()
        legend.locator(".legend-body").wait_for(state="visible", timeout=5000)  # and opens again
    finally:  # the other tests read the Chinese interface
        sidebar.get_by_text("中文", exact=True).click()
        session.page.get_by_role("heading", name="城市更新项目地图").wait_for(timeout=15000)
        _map_redrawn(session, lambda html: "提及该项目的原文" in html)


def _intersect(a: dict[str, float] | None, b: dict[str, float] | None) -> bool:
    """Whether two bounding boxes (Playwright's) overlap."""
    assert a is not None and b is not None
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def _map_redrawn(session: Session, ready: Any) -> None:
    """Wait for the map drawn anew (another language remounts it) with every site."""
    session.settle()

    def drawn() -> bool:
        try:
            frame = session.map_frame()
            return ready(frame.content()) and bool(frame.evaluate(f"({JS_SITE_COUNT % SITE_PATHS})() === {N_SITES}"))
        except PlaywrightError:  # the old frame went away meanwhile
            return False

    session.wait_for(drawn, timeout=30)


def test_untrusted_text_is_shown_as_text(session: Session) -> None:
    popup = session.map.locator(".leaflet-popup-content")
    for _ in range(3):  # a rerun still under way (after the language test) may redraw the map
        session.settle()
        session.click_feature("renewal/r3")
        try:
            popup.wait_for(timeout=5000)
            break
        except PlaywrightError:
            continue
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert XSS_SCRIPT in text and XSS_IMG_PWN in text
    assert popup.locator("img, script").count() == 0
    session.page.get_by_text("古山镇安置小区", exact=False).last.wait_for(timeout=15000)
    session.page.wait_for_timeout(500)
    for frame in session.page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
    session.close_popup()


def test_sites_sharing_a_point_are_one_marker_with_a_list(session: Session) -> None:
    # r4 and p3 share the county's point: one marker there, with their count, not two markers
    (agg,) = session.aggregates()
    assert agg["n"] == 2 and sorted(agg["keys"]) == ["parks/p3", "renewal/r4"]
    assert (agg["lng"], agg["lat"]) == pytest.approx(tuple(COUNTY_SPOT), abs=1e-9)
    assert not session.map_frame().evaluate(
        "(() => { let n = 0; map.eachLayer(l => { if (l.feature && ['parks/p3', 'renewal/r4']"
        ".includes(l.feature.id)) n++; }); return n; })()"
    )
    session.map_frame().evaluate(f"window.map.setView([{agg['lat']}, {agg['lng']}], 11)")
    session.page.wait_for_timeout(300)
    point = session.map_frame().evaluate(JS_AGG_POINT)
    session.click_map(*point)
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert "此定位点上的 2 个项目" in text and "每个项目都在虚线圆内某处" in text
    entries = popup.locator(".agg-list li")
    assert entries.count() == 2
    assert "老城区有机更新" in entries.nth(1).inner_text()
    assert "城市更新 · 状态不明 · 县级定位（误差约 20 公里）" in entries.nth(1).inner_text()
    # choosing one shows its popup, and the way back to the list
    entries.nth(1).locator("a").click()
    session.map_frame().wait_for_function("document.querySelector('.leaflet-popup-content h4')"
                                          " && document.querySelector('.leaflet-popup-content h4')"
                                          ".textContent === '老城区有机更新'")
    assert "推进老城区有机更新建设。" in popup.inner_text()
    session.page.screenshot(path=str(ARTIFACTS / "map-fixture-aggregate.png"))
    popup.locator("a.agg-back").click()
    assert popup.locator(".agg-list li").count() == 2
    session.close_popup()


def test_an_aggregate_list_shows_names_as_text(session: Session) -> None:
    """Hostile names in an aggregate's list (through the map's own drawing code) stay text."""
    frame = session.map_frame()
    names = [XSS_IMG_PWN, XSS_SCRIPT, "\"'><b>粗</b>&amp;"]
    frame.evaluate(
        """(names) => {
          const style = window.siteMap.meta.findIndex(m => m && m[0] === 'parks');
          const records = names.map((n, i) => ['x/' + i + '"><img src=x onerror="window.__pwned=1">',
                                                style, [121.5, 29.5], n, -1, [], 0, -1]);
          window.__aggTest = L.layerGroup().addTo(window.map);
          window.siteMap.addAggregates(window.__aggTest, [[121.5, 29.5, -1, records]]);
          window.map.setView([29.5, 121.5], 12);
          window.__aggTest.eachLayer(l => l.openPopup());
        }""",
        names,
    )
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    texts = [popup.locator(".agg-list li a").nth(i).inner_text() for i in range(3)]
    assert texts == names
    assert popup.locator("img, script, b").count() == 0
    popup.locator(".agg-list li a").nth(0).click()
    assert popup.locator("h4").inner_text() == XSS_IMG_PWN and popup.locator("img").count() == 0
    frame.evaluate("window.map.closePopup(); window.__aggTest.remove()")
    for f in session.page.frames:
        assert f.evaluate("typeof window.__pwned") == "undefined", f.url


def test_tooltip_names_the_site_and_gives_layer_status_and_precision(session: Session) -> None:
    frame = session.map_frame()
    meta = frame.evaluate(
        """(key) => { let found = null;
          window.map.eachLayer(l => { if (l.feature && l.feature.id === key) found = l; });
          found.openTooltip();
          const el = found.getTooltip().getElement();
          const out = [el.innerText, getComputedStyle(el.querySelector('.tt-meta'), '::after').content];
          found.closeTooltip();
          return out; }""",
        "renewal/r3",
    )
    # the text is the name alone (the app finds a clicked site by it); the rest is drawn beside it
    assert meta[0] == "古山镇安置小区"
    assert meta[1] == '"城市更新 · 计划 · 乡镇级定位（误差约 3 公里）"'
    assert status_label("planned", "zh") in meta[1] and precision_label("township", "zh") in meta[1]


def test_planned_sites_are_drawn_opaque_with_full_outlines(session: Session) -> None:
    frame = session.map_frame()
    paths = frame.evaluate(
        """() => { const out = {};
          window.map.eachLayer(l => { if (l.feature && l.feature.id && l._path) {
            const p = l._path;
            out[l.feature.id] = [p.getAttribute('stroke-opacity'), p.getAttribute('fill'),
                                 p.getAttribute('fill-opacity'), p.getAttribute('stroke-dasharray'),
                                 p.getAttribute('stroke-width')];
          } }); return out; }"""
    )
    assert len(paths) == N_SITES - 2  # two share a point and are in one aggregate marker
    assert {p[0] for p in paths.values()} == {"1"}
    # r3 is planned: a white disc inside a dashed ring in its layer's colour, not a hollow ring
    assert paths["renewal/r3"] == ["1", "#ffffff", "0.95", "4 3", "3"]
    session.map.locator(".map-legend").screenshot(path=str(ARTIFACTS / "map-legend.png"))


def test_a_filter_fits_the_view_to_what_it_shows(session: Session) -> None:
    frame = session.map_frame()
    frame.evaluate("window.map.setView([28.6, 119.7], 12)")
    session.page.wait_for_timeout(400)
    search = session.page.get_by_role("textbox", name="按名称搜索（汉字或拼音）")
    search.fill("tsgy")
    search.press("Enter")
    try:
        session.wait_site_count(1)
        assert session.map_frame() is frame  # same map, not reloaded
        # one site known to ±50 m: the map goes to it, at street zoom
        frame.wait_for_function("map.getZoom() === 16", timeout=15000)
        center = frame.evaluate("[map.getCenter().lat, map.getCenter().lng]")
        assert center == pytest.approx([28.9, 120.02], abs=1e-4)
        # every site again: the view fits them all, each one's uncertainty circle included
        search.fill("")
        search.press("Enter")
        session.wait_site_count(N_SITES)
        frame.wait_for_function("map.getZoom() < 16", timeout=15000)
        inside = frame.evaluate(
            "(() => { const b = map.getBounds(); const out = [];"
            " map.eachLayer(l => { if (l.getLatLng && l.options && l.options.pane !== 'tooltipPane')"
            " out.push(b.contains(l.getLatLng())); }); return out; })()"
        )
        assert inside and all(inside)
    finally:
        search.fill("")
        search.press("Enter")
        session.wait_site_count(N_SITES)


def _row_box(session: Session, row: int) -> None:
    """Click the selection box of a row of the sites table (the grid is drawn on a canvas)."""
    for attempt in range(3):
        session.settle()
        table = session.page.locator(TABLES)
        try:
            table.scroll_into_view_if_needed(timeout=5000)
            table.click(position={"x": 16, "y": 35 + 35 * row + 17}, timeout=5000)
            return
        except PlaywrightError:  # a rerun replaced the table meanwhile
            if attempt == 2:
                raise


# Where the highlight of the site chosen in the table stands (its ring), or null.
JS_CHOSEN = """() => {
  let at = null;
  window.map.eachLayer(l => {
    if (l.options && l.options.className === "site-chosen" && l.getLatLng) at = [l.getLatLng().lat, l.getLatLng().lng];
  });
  return at;
}"""


def test_choosing_a_row_centres_the_map_again_after_panning(session: Session) -> None:
    # wait for the previous rerun to finish replacing the filtered table
    session.page.wait_for_function(f"document.querySelectorAll('{TABLES}').length === 1", timeout=15000)
    frame = session.map_frame()
    _row_box(session, 4)  # 塔山公园
    frame.wait_for_function("map.getZoom() === 16", timeout=15000)
    center = frame.evaluate("[map.getCenter().lat, map.getCenter().lng]")
    assert center == pytest.approx([28.9, 120.02], abs=1e-6)
    # the chosen site is highlighted where it is drawn, its name beside it
    ring = session.wait_for(lambda: session.map_frame().evaluate(JS_CHOSEN))
    assert ring == pytest.approx([28.9, 120.02], abs=1e-6)
    assert session.map.locator(".leaflet-tooltip.chosen-label").inner_text() == "塔山公园"
    # pan and zoom away, then choose the same row again: the map comes back to it
    frame.evaluate("window.map.setView([28.7, 119.8], 11)")
    session.page.wait_for_timeout(400)
    _row_box(session, 4)
    try:
        frame.wait_for_function("map.getZoom() === 16", timeout=4000)
    except PlaywrightTimeout:  # that click took the row off; the next chooses it again
        assert frame.evaluate("map.getZoom()") == 11
        _row_box(session, 4)
        frame.wait_for_function("map.getZoom() === 16", timeout=15000)
    center = frame.evaluate("[map.getCenter().lat, map.getCenter().lng]")
    assert center == pytest.approx([28.9, 120.02], abs=1e-6)


def _download(session: Session, label: str) -> Any:
    """Choose ``label`` in the downloads menu, click its one button; the download."""
    page = session.page
    menu = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="下载什么")
    option = page.locator('[role="option"]').filter(has_text=label).first
    for _ in range(3):  # (again, if a rerun replaced the list meanwhile)
        menu.locator("input").click()
        try:
            option.wait_for(timeout=4000)
            break
        except PlaywrightTimeout:
            continue
    option.click()
    button = page.get_by_role("button", name=f"下载 {label}")
    button.wait_for(timeout=10000)
    with page.expect_download() as info:
        button.click()
    return info.value


def test_download_layer_geojson(served: tuple[Session, Path]) -> None:
    session, folder = served
    download = _download(session, "公园绿地（GeoJSON）")
    assert download.suggested_filename == "sites-parks.geojson"
    data = Path(download.path()).read_bytes()
    assert data == (folder / "parks.geojson").read_bytes()
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
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


def test_legend_folds_away_and_starts_folded_on_a_small_screen(session: Session) -> None:
    legend = session.map.locator(".map-legend")
    body = legend.locator(".legend-body")
    assert body.is_visible()
    legend.locator(".legend-toggle").click()
    body.wait_for(state="hidden", timeout=5000)
    assert legend.locator(".legend-toggle").get_attribute("aria-expanded") == "false"
    box = legend.bounding_box()
    assert box is not None and box["height"] < 40  # only its button is left on the map
    legend.locator(".legend-toggle").click()
    body.wait_for(state="visible", timeout=5000)
    # a phone-sized window: the legend starts folded and does not cover the map
    session.page.set_viewport_size({"width": 390, "height": 844})
    try:  # the app opened afresh (not at a view an earlier test left in the address)
        session.page.goto(session.page.url.split("?")[0], wait_until="domcontentloaded")
        session.map.locator(".map-legend .legend-toggle").wait_for(timeout=30000)
        assert session.map.locator(".map-legend .legend-body").is_hidden()
        # the layer control is its button alone, in a corner, covering almost none of the map
        control = session.map.locator(".site-switches")
        assert "leaflet-control-layers-expanded" not in control.get_attribute("class")
        assert control.locator(".leaflet-control-layers-list").is_hidden()
        frame_box, box = session.page.locator(MAP_FRAME).bounding_box(), control.bounding_box()
        assert box is not None and box["width"] <= 50 and box["height"] <= 50
        assert box["width"] * box["height"] < 0.02 * frame_box["width"] * frame_box["height"]
        # the attribution is one line, clear of the scale bar; a tap shows it whole
        credit = session.map.locator(".leaflet-control-attribution")
        scale = session.map.locator(".leaflet-control-scale")
        assert "GeoNames" in credit.inner_text()
        line = credit.bounding_box()
        assert line is not None and line["height"] < 30  # one line (two are some 34 px)
        assert not _intersect(line, scale.bounding_box())
        credit.dispatch_event("click")
        session.wait_for(lambda: credit.bounding_box()["height"] > line["height"])
        credit.dispatch_event("click")
        session.wait_for(lambda: credit.bounding_box()["height"] < 30)
        # the whole map in the window (centred: Streamlit's header stays over the top of the page)
        session.page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
        session.settle()
        session.page.screenshot(path=str(ARTIFACTS / "map-390px.png"))
        # a tap opens it over the map; switching a layer there works as on a desktop
        control.locator(".leaflet-control-layers-toggle").dispatch_event("click")  # a tap: no pointer over it first
        control.locator(".leaflet-control-layers-list").wait_for(state="visible", timeout=5000)
        session.page.screenshot(path=str(ARTIFACTS / "map-390px-layers-open.png"))
        _switch(session, "parks").click()
        session.wait_site_count(N_SITES - 3)
        _switch(session, "parks").click()
        session.wait_site_count(N_SITES)
        session.map.locator(".map-legend .legend-toggle").click()
        session.map.locator(".map-legend .legend-body").wait_for(state="visible", timeout=5000)
    finally:
        session.page.set_viewport_size({"width": 1400, "height": 1000})
        session.page.reload(wait_until="domcontentloaded")
        session.map.locator(".site-agg").first.wait_for(timeout=30000)
        session.wait_site_count(N_SITES)


def test_auto_base_map_falls_back_offline_with_a_notice(session: Session) -> None:
    frame = session.map_frame()
    session.page.get_by_text("自动（能联网时用 OpenStreetMap，否则离线）").click()
    notice = session.map.locator(".tile-notice")
    notice.wait_for(timeout=15000)
    assert notice.inner_text() == "无法加载在线底图，已改用离线底图（县界）。"
    assert {urlparse(u).hostname for u in session.blocked} == {"tile.openstreetmap.org"}
    # the tiles are gone; the offline background and every site stay
    frame.wait_for_function("!document.querySelector('img.leaflet-tile')", timeout=15000)
    assert session.map_frame() is frame
    session.wait_site_count(N_SITES)
    assert session.map.locator("path:not(.leaflet-interactive)").count() > 0  # county outlines
    session.page.screenshot(path=str(ARTIFACTS / "map-auto-offline.png"))
    # an explicitly chosen map that cannot load says so too (and keeps trying)
    session.page.get_by_text("OpenStreetMap（需联网）").click()
    session.map.locator(".tile-notice").filter(has_text="无法加载所选在线底图").wait_for(timeout=15000)
    session.page.get_by_text("无底图（离线，显示县界）").click()
    frame.wait_for_function("!document.querySelector('.tile-notice')", timeout=15000)
    session.wait_site_count(N_SITES)
    session.blocked.clear()


def test_tianditu_with_a_key_says_when_its_tiles_fail(served: tuple[Session, Path]) -> None:
    session, folder = served
    frame = session.map_frame()
    before = {s["key"]: (s["lat"], s["lng"]) for s in session.sites()}
    session.page.get_by_text("天地图（需联网）").click()
    notice = session.map.locator(".tile-notice")
    notice.wait_for(timeout=15000)
    assert notice.inner_text() == "无法加载所选在线底图（可能未联网）；可改选“无底图”或“自动”。"
    assert notice.count() == 1  # one notice for the map and its annotation layer
    hosts = {urlparse(u).hostname for u in session.blocked}
    assert hosts and hosts <= {f"t{i}.tianditu.gov.cn" for i in range(8)}
    paths = {urlparse(u).path for u in session.blocked}
    assert paths == {"/vec_w/wmts", "/cva_w/wmts"}
    assert "天地图 / 国家地理信息公共服务平台" in session.map.locator(".leaflet-control-attribution").inner_text()
    assert session.map_frame() is frame  # the map is not drawn anew
    session.wait_site_count(N_SITES)
    after = {s["key"]: (s["lat"], s["lng"]) for s in session.sites()}
    assert after.keys() == before.keys()
    assert all(after[k] == pytest.approx(before[k], abs=1e-9) for k in before)  # CGCS2000 as WGS-84: nothing moves
    assert TIANDITU_KEY not in session.page.url  # the address names the base map only
    assert TIANDITU_KEY not in (folder.parent / "streamlit.log").read_text(encoding="utf-8")
    assert all(TIANDITU_KEY.encode() not in f.read_bytes() for f in folder.iterdir())
    session.page.screenshot(path=str(ARTIFACTS / "map-tianditu-offline.png"))
    session.page.get_by_text("无底图（离线，显示县界）").click()
    frame.wait_for_function("!document.querySelector('.tile-notice')", timeout=15000)
    session.wait_site_count(N_SITES)
    session.blocked.clear()


# ---- on the project's built layers -----------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> Iterator[tuple[Session, ProjectCopy]]:
    """The app on a copy of the project's ``layers/`` (and reports), read only here."""
    root = tmp_path_factory.mktemp("e2e-seeds")
    copy = copy_project(root / "project")
    with (
        running_app(copy.env(), root / "streamlit.log") as url,
        browser(playwright, url, root / "profile") as s,
    ):
        yield s, copy


def test_seeds_render_every_built_feature(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    built = layer_features(copy.layers)
    assert len(built) > 0
    session.wait_site_count(len(built))
    drawn = session.sites()
    assert sorted(s["key"] for s in drawn) == sorted(
        f"{f['properties']['category']}/{f['id']}" for f in built
    )
    # one dashed circle per county (or township) point, however many sites share it
    spots = {
        (
            round(f["geometry"]["coordinates"][0], 5),
            round(f["geometry"]["coordinates"][1], 5),
            f["properties"]["uncertainty_m"],
        )
        for f in built
        if f["properties"]["precision"] in ("county", "township") and f["geometry"]["type"] == "Point"
    }
    dashed = session.map.locator("path[stroke-dasharray='6 6']:not(.leaflet-interactive)")
    assert dashed.count() >= len(spots)
    # sites on their own each have their own position; the others are in aggregate markers
    alone = [s for s in drawn if not s["aggregate"]]
    assert len({(round(s["lat"], 5), round(s["lng"], 5)) for s in alone}) == len(alone)
    session.page.wait_for_timeout(300)
    session.page.screenshot(path=str(ARTIFACTS / "map-all-layers.png"))
    assert session.blocked == []


def test_seeds_layer_toggle(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    built = layer_features(copy.layers)
    parks = [f for f in built if f["properties"]["category"] == "parks"]
    box = session.sidebar_checkbox("公园绿地")
    box.locator("label").click()
    session.wait_site_count(len(built) - len(parks))
    assert not any(s["key"].startswith("parks/") for s in session.sites())
    box.locator("label").click()
    session.wait_site_count(len(built))


def test_seeds_popup_quotes_the_sentence(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    park = json.loads((copy.layers / "parks.geojson").read_bytes())["features"][0]
    key = f"parks/{park['id']}"
    site = session.site(key)
    assert site is not None
    session.map_frame().evaluate(f"window.map.setView([{site['lat']}, {site['lng']}], 12)")
    session.page.wait_for_timeout(400)
    session.click_feature(key)
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    assert park["properties"]["name"] in text
    assert park["properties"]["sources"][0]["quote"] in text
    assert park["properties"]["sources"][0]["doc"] in text
    assert popup.locator("mark").first.inner_text() == park["properties"]["name"]
    session.page.wait_for_timeout(300)
    session.page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    session.close_popup()


def test_seeds_no_marker_outside_its_county(seeds: tuple[Session, ProjectCopy]) -> None:
    from shapely.geometry import Point

    from geo.locate.admin import county_polygon

    session, copy = seeds
    built = {f"{f['properties']['category']}/{f['id']}": f for f in layer_features(copy.layers)}
    session.wait_site_count(len(built))
    drawn = session.sites()
    assert len(drawn) == len(built)
    outside = [
        s["key"]
        for s in drawn
        if not county_polygon(built[s["key"]]["properties"]["county"]).contains(Point(s["lng"], s["lat"]))
    ]
    assert outside == []


def test_seeds_aggregates_carry_the_layers_counts(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    built = layer_features(copy.layers)
    session.wait_site_count(len(built))
    spots: dict[tuple[float, float], list[str]] = {}
    for f in built:
        if f["geometry"]["type"] == "Point":
            x, y = f["geometry"]["coordinates"]
            spots.setdefault((round(x, 5), round(y, 5)), []).append(f"{f['properties']['category']}/{f['id']}")
    shared = {spot: sorted(keys) for spot, keys in spots.items() if len(keys) > 1}
    assert shared  # the seeds' county points are shared by many sites
    drawn = {(round(a["lng"], 5), round(a["lat"], 5)): a for a in session.aggregates()}
    assert set(drawn) == set(shared)
    for spot, keys in shared.items():
        assert drawn[spot]["n"] == len(keys) and sorted(drawn[spot]["keys"]) == keys
    # the bar splits the count by layer: one segment per layer, sized by its count
    segments = session.map_frame().evaluate(
        """() => { const out = [];
          window.map.eachLayer(l => { if (l.siteAggregate) {
            out.push(Array.from(l.getElement().querySelectorAll('.agg-bar i')).map(i => Number(i.style.flexGrow)));
          } }); return out; }"""
    )
    assert sorted(sorted(s) for s in segments) == sorted(
        sorted(
            [k.split("/")[0] for k in keys].count(layer) for layer in {k.split("/")[0] for k in keys}
        )
        for keys in shared.values()
    )
    # the line above the map says how many are approximate
    n_approx = sum(f["properties"]["precision"] in ("county", "township") for f in built)
    session.page.get_by_text(f"{n_approx} / {len(built)}", exact=False).first.wait_for(timeout=10000)
    # every aggregate in view (an earlier test may have zoomed in on one site)
    session.map_frame().evaluate(
        "(() => { const b = []; map.eachLayer(l => { if (l.siteAggregate) b.push(l.getLatLng()); });"
        " map.fitBounds(L.latLngBounds(b).pad(0.1), {animate: false}); })()"
    )
    session.page.locator(MAP_FRAME).scroll_into_view_if_needed()
    session.page.wait_for_timeout(400)
    session.page.screenshot(path=str(ARTIFACTS / "map-seeds-aggregates.png"))
    # the sidebar's list of the approximate sites, opened
    expander = session.page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(
        has_text=f"约略位置的项目（{n_approx}）"
    )
    expander.locator("summary").click()
    table = expander.locator('[data-testid="stDataFrame"]')
    table.wait_for(timeout=10000)
    expander.scroll_into_view_if_needed()
    session.page.wait_for_timeout(500)
    expander.screenshot(path=str(ARTIFACTS / "map-approximate-list.png"))
    session.page.screenshot(path=str(ARTIFACTS / "map-approximate-list-page.png"))
    expander.locator("summary").click()


def test_seeds_download_is_the_built_file(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    for layer, label in (("renewal", "城市更新（GeoJSON）"), ("parks", "公园绿地（GeoJSON）")):
        data = Path(_download(session, label).path()).read_bytes()
        assert data == (copy.layers / f"{layer}.geojson").read_bytes()
        doc = json.loads(data)
        assert doc["type"] == "FeatureCollection"
        assert all(f["properties"]["category"] == layer for f in doc["features"])
    assert session.blocked == []


def test_seeds_offline_map_names_every_county_drawn(seeds: tuple[Session, ProjectCopy]) -> None:
    session, copy = seeds
    built = layer_features(copy.layers)
    session.wait_site_count(len(built))
    counties = sorted({f["properties"]["county"] for f in built})
    session.map.locator(".county-label span").first.wait_for(timeout=15000)
    drawn = session.map_frame().evaluate(JS_COUNTY_LABELS)
    assert sorted(name for name, _, _ in drawn) == counties
    assert session.map.locator(".town-seat").count() > 0
    session.page.locator(MAP_FRAME).scroll_into_view_if_needed()
    session.page.wait_for_timeout(300)
    session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-seeds-offline-geography.png"))


# Each aggregate marker as drawn: its spot, where its box is drawn (the spot moved by its nudge),
# the box on screen, whether it is hidden (merged into another) and the sites it lists.
JS_AGG_BOXES = """(() => { const out = []; window.map.eachLayer(l => { if (!l.siteAggregate) return;
  const a = l.siteAggregate, e = l.getElement(), n = a.nudge || [0, 0], b = e.getBoundingClientRect();
  const p = window.map.latLngToContainerPoint(l.getLatLng()), at = window.map.containerPointToLatLng([p.x + n[0], p.y + n[1]]);
  out.push({lat: a.lat, lng: a.lon, at: [at.lng, at.lat], hidden: e.style.display === "none",
            box: [b.left, b.top, b.right, b.bottom], n: Number(e.querySelector(".agg-n").textContent),
            own: a.members.map(r => r[0]),
            listed: [a].concat(a.merged || []).flatMap(g => g.members.map(r => r[0]))});
}); return out; })()"""
JS_COUNTY_BOXES = """(() => [...document.querySelectorAll(".county-label span")]
  .filter(e => getComputedStyle(e).visibility !== "hidden").map(e => {
  const b = e.getBoundingClientRect(); return [e.textContent, b.left, b.top, b.right, b.bottom]; }))()"""


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    import math

    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000 * math.hypot(dx, math.radians(lat2 - lat1))


def test_seeds_aggregate_counts_are_never_hidden(seeds: tuple[Session, ProjectCopy]) -> None:
    """At every zoom, no aggregate marker's box covers another's; a marker drawn off its spot stays
    inside its sites' uncertainty circles and counties; merged ones list every site; no county
    name is drawn under a marker."""
    from shapely.geometry import Point

    from geo.locate.admin import county_polygon

    session, copy = seeds
    built = {f"{f['properties']['category']}/{f['id']}": f for f in layer_features(copy.layers)}
    session.wait_site_count(len(built))
    frame = session.map_frame()
    frame.evaluate(
        "(() => { const b = []; map.eachLayer(l => { if (l.siteAggregate) b.push(l.getLatLng()); });"
        " map.fitBounds(L.latLngBounds(b).pad(0.1), {animate: false}); })()"
    )
    fitted = frame.evaluate("map.getZoom()")
    # closer in, the view is on the county with the most shared points (where they crowd)
    by_county: dict[str, list[tuple[float, float]]] = {}
    for a in frame.evaluate(JS_AGG_BOXES):
        by_county.setdefault(built[a["own"][0]]["properties"]["county"], []).append((a["lat"], a["lng"]))
    crowded = max(by_county.values(), key=len)
    centre = [sum(p[0] for p in crowded) / len(crowded), sum(p[1] for p in crowded) / len(crowded)]
    nudged = merged = 0
    for zoom in range(fitted - 1, fitted + 5):
        frame.evaluate(f"map.setView({centre}, {zoom}, {{animate: false}})")
        session.page.wait_for_timeout(300)
        drawn = frame.evaluate(JS_AGG_BOXES)
        shown = [a for a in drawn if not a["hidden"]]
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                x0, y0, x1, y1 = a["box"]
                u0, v0, u1, v1 = b["box"]
                assert not (x0 < u1 and u0 < x1 and y0 < v1 and v0 < y1), (zoom, a["own"][:1], b["own"][:1])
            assert a["n"] == len(a["listed"])  # a merged marker counts every site it lists
        assert sorted(k for a in shown for k in a["listed"]) == sorted(k for a in drawn for k in a["own"])
        for a in shown:
            if _metres(a["lng"], a["lat"], *a["at"]) < 1:
                continue
            nudged += 1
            for key in a["own"]:
                p = built[key]["properties"]
                assert _metres(a["lng"], a["lat"], *a["at"]) < p["uncertainty_m"], (zoom, key)
                assert county_polygon(p["county"]).contains(Point(*a["at"])), (zoom, key)
        merged += sum(a["hidden"] for a in drawn)
        for name, l0, t0, r0, b0 in frame.evaluate(JS_COUNTY_BOXES):
            for a in shown:
                x0, y0, x1, y1 = a["box"]
                assert not (l0 < x1 and x0 < r0 and t0 < y1 and y0 < b0), (zoom, name)
        if zoom >= fitted:  # from the view that holds them all on, every county is named
            assert len(frame.evaluate(JS_COUNTY_BOXES)) == len({f["properties"]["county"] for f in built.values()})
        if zoom in (fitted, fitted + 1, fitted + 2):
            session.page.locator(MAP_FRAME).scroll_into_view_if_needed()
            session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / f"map-seeds-aggregates-z{zoom}.png"))
    assert nudged > 0 and merged > 0  # the seeds' markers do crowd: the checks above are not idle
    # a merged marker's list: its own sites, then each group it stands for under its own title
    frame.evaluate(f"map.setView({centre}, {fitted - 1}, {{animate: false}})")
    session.page.wait_for_timeout(300)
    host = max((a for a in frame.evaluate(JS_AGG_BOXES) if len(a["listed"]) > len(a["own"])), key=lambda a: a["n"])
    box = session.page.locator(MAP_FRAME).bounding_box()
    x0, y0, x1, y1 = host["box"]
    session.page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    titles = popup.locator("h4").all_inner_texts()
    assert titles[0] == f"此定位点上的 {len(host['own'])} 个项目" and len(titles) >= 2
    assert all(t.startswith("附近另一定位点上的") for t in titles[1:])
    assert sorted(popup.locator(".agg-list a").evaluate_all("as => as.map(a => a.dataset.key)")) == sorted(host["listed"])
    session.page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "map-seeds-merged-popup.png"))
    session.close_popup()
    print(f"zooms {fitted - 1}..{fitted + 4}: {nudged} markers drawn off their spot, {merged} merged")
