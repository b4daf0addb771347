"""Bring your own report and fix a location by hand, in headless Chromium, on a copy of the project.

The app runs on a temporary copy of the project's reports and layers (``$RENEWAL_MAP_DATA``,
``$RENEWAL_MAP_LAYERS``): a Word report is uploaded through the page's file input and its sites
appear on the map; a site is placed by clicking the map, saved with a note, survives a rebuild of
the layers, and comes back to its county once the placement is undone and the layers rebuilt. In
placement mode a click on a marker sets the point too (no popup), and the pin can be dragged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    ARTIFACTS,
    DEQING_REPORT,
    MAP_FRAME,
    ProjectCopy,
    Session,
    browser,
    copy_project,
    docx_of,
    inside_point,
    layer_features,
    needs_chromium,
    running_app,
    tree_digest,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.web.flags import FLAG_PLACED, FLAG_UNPLACED, FLAG_UPLOADED

pytestmark = [pytest.mark.browser, needs_chromium]
HOSTILE = "![x](i.png) :red[y] <b>z.txt"


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: pytest.TempPathFactory, playwright: Any
) -> Iterator[tuple[Session, ProjectCopy, Path]]:
    root = tmp_path_factory.mktemp("e2e-upload")
    copy = copy_project(root / "project")
    uploads = root / "uploads"
    uploads.mkdir()
    # put aside while its upload is read (else it is a duplicate of the project's report), then back
    (copy.sources / DEQING_REPORT.name).rename(uploads / DEQING_REPORT.name)
    (uploads / "德清报告.docx").write_bytes(docx_of(DEQING_REPORT))
    (uploads / HOSTILE).write_bytes(b"\x00\x01\x02\x03" * 64)
    with (
        running_app(copy.env(), root / "streamlit.log") as url,
        browser(playwright, url, root / "profile") as s,
    ):
        yield s, copy, uploads


def _report_back(copy: ProjectCopy, uploads: Path) -> None:
    """The project's report put aside for the upload test back in the project."""
    aside = uploads / DEQING_REPORT.name
    if aside.exists():
        aside.rename(copy.sources / DEQING_REPORT.name)


def _open(session: Session, title: str) -> None:
    expander = session.page.locator('[data-testid="stExpander"]').filter(has_text=title)
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()
        session.page.wait_for_timeout(300)


def _committed(session: Session, label: str, value: str) -> None:
    box = session.page.get_by_label(label)
    box.fill(value)
    box.press("Enter")
    session.page.wait_for_timeout(500)


def test_upload_a_word_report_and_see_its_sites(app: tuple[Session, ProjectCopy, Path]) -> None:
    session, copy, uploads = app
    before = tree_digest(copy.root)
    n_built = len(layer_features(copy.layers))
    session.wait_site_count(n_built)
    _open(session, "上传报告")
    session.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(uploads / "德清报告.docx"), str(uploads / HOSTILE)]
    )
    session.page.get_by_text("德清报告.docx：", exact=False).wait_for(timeout=60000)
    uploaded = session.wait_for(lambda: [s for s in session.sites() if s["flags"] & FLAG_UPLOADED])
    assert len(uploaded) > 10 and all(s["key"].startswith("upload:") for s in uploaded)
    assert len(session.sites()) == n_built + len(uploaded)
    # the refused file has its own message, its name shown as written (no image, link, colour)
    error = session.page.locator('[data-testid="stAlert"]').filter(has_text="未能读取")
    assert HOSTILE in error.inner_text()
    assert error.locator("img, a").count() == 0
    # an uploaded site's popup says where it comes from
    key = uploaded[0]["key"]
    session.map_frame().evaluate(f"window.map.setView([{uploaded[0]['lat']}, {uploaded[0]['lng']}], 12)")
    session.page.wait_for_timeout(400)
    session.click_feature(key)
    popup = session.map.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert "来自上传的报告（未保存）" in popup.inner_text() and "德清报告.docx" in popup.inner_text()
    session.page.screenshot(path=str(ARTIFACTS / "map-upload.png"))
    session.close_popup()
    assert tree_digest(copy.root) == before  # nothing saved into the project
    assert session.blocked == []
    _report_back(copy, uploads)


def test_place_a_site_by_clicking_the_map_rebuild_and_undo(app: tuple[Session, ProjectCopy, Path]) -> None:
    session, copy, uploads = app
    _report_back(copy, uploads)
    site = next(f for f in layer_features(copy.layers) if f["properties"]["precision"] == "county")
    key = f"{site['properties']['category']}/{site['id']}"
    name, county = site["properties"]["name"], site["properties"]["county"]
    drawn = session.site(key)
    assert drawn is not None
    lat_box = _choose_for_placing(session, name, county)

    # click the map where the site really is (zoomed in, so that one pixel is under a metre)
    lon, lat = inside_point(county, *site["geometry"]["coordinates"])
    frame = session.map_frame()
    session.page.wait_for_timeout(800)  # the map has moved to the chosen site
    frame.evaluate(f"window.map.setView([{lat}, {lon}], 17)")
    session.page.wait_for_timeout(500)
    point = frame.evaluate(
        f"(() => {{ const p = map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"
    )
    session.click_map(*point)
    session.wait_for(lambda: lat_box.input_value())
    clicked = float(lat_box.input_value()), float(session.page.get_by_label("经度（WGS-84）").input_value())
    assert clicked == pytest.approx((lat, lon), abs=2e-5)
    _committed(session, "依据：网址或说明（必填）", "https://example.org/site-map")
    _committed(session, "定位人（必填）", "李工")
    session.page.get_by_role("button", name="保存定位").click()
    session.page.get_by_text("已保存：", exact=False).wait_for(timeout=15000)

    # the marker moved to the click at once, tagged until the layers are rebuilt
    moved = session.wait_for(lambda: (s := session.site(key)) and s["flags"] & FLAG_PLACED and s)
    assert (moved["lat"], moved["lng"]) == pytest.approx(clicked, abs=2e-5)
    placed = json.loads(copy.overrides.read_text(encoding="utf-8"))["features"]
    assert placed[0]["properties"]["site_id"] == site["id"]
    assert placed[0]["properties"]["note"] == "https://example.org/site-map"
    session.page.screenshot(path=str(ARTIFACTS / "map-placed.png"))

    # rebuilt: the layers carry it, as an exact location
    session.page.get_by_role("button", name="重建图层").click()
    session.page.get_by_text("图层已重建。").wait_for(timeout=120000)
    (rebuilt,) = [f for f in layer_features(copy.layers) if f["id"] == site["id"]]
    assert rebuilt["properties"]["precision"] == "exact"
    assert rebuilt["geometry"]["coordinates"] == pytest.approx([clicked[1], clicked[0]], abs=2e-6)
    survived = session.wait_for(lambda: (s := session.site(key)) and not s["flags"] & FLAG_PLACED and s)
    assert (survived["lat"], survived["lng"]) == pytest.approx(clicked, abs=2e-5)

    # undone, then rebuilt: back at its county's point, where it was drawn before
    session.page.get_by_role("button", name="撤销该项目最近一次定位").click()
    # the message, not the map's "定位已撤销（待重建）" tag
    session.page.get_by_text(re.compile(r"^已撤销 ")).wait_for(timeout=15000)
    session.wait_for(lambda: (s := session.site(key)) and s["flags"] & FLAG_UNPLACED)
    session.page.get_by_role("button", name="重建图层").click()
    session.wait_for(
        lambda: (
            next(f for f in layer_features(copy.layers) if f["id"] == site["id"])["properties"]["precision"]
            == "county"
        ),
        timeout=120,
    )
    back = session.wait_for(
        lambda: (s := session.site(key)) and not s["flags"] & FLAG_UNPLACED and s, timeout=60
    )
    assert (back["lat"], back["lng"]) == pytest.approx((drawn["lat"], drawn["lng"]), abs=1e-6)
    assert session.page.locator(MAP_FRAME).count() == 1
    assert session.blocked == []


def _choose_for_placing(session: Session, name: str, county: str) -> Any:
    """Choose the site in the placement section; returns the latitude box."""
    _open(session, "手动修正位置")
    chooser = session.page.locator('[data-testid="stSelectbox"]').filter(has_text="项目（约略定位的排在前面）")
    chooser.locator("input").click()
    session.page.wait_for_timeout(500)
    chooser.locator("input").fill(name)
    session.page.get_by_role("option").filter(has_text=f"{name} · {county}").first.wait_for(timeout=10000)
    session.page.keyboard.press("Enter")
    lat_box = session.page.get_by_label("纬度（WGS-84）")
    lat_box.wait_for(timeout=15000)
    return lat_box


def _latlng_at(session: Session, x: float, y: float) -> tuple[float, float, float]:
    """(lat, lng) of the map at (x, y) pixels, and how many degrees one pixel spans there."""
    return tuple(
        session.map_frame().evaluate(
            f"""(() => {{ const a = map.containerPointToLatLng([{x}, {y}]),
                b = map.containerPointToLatLng([{x} + 1, {y} + 1]);
                return [a.lat, a.lng, Math.max(Math.abs(a.lat - b.lat), Math.abs(a.lng - b.lng))]; }})()"""
        )
    )


def _form_point(session: Session) -> tuple[float, float] | None:
    """The point in the placement form; None while it is empty or being redrawn (a rerun may
    show the old form beside the new one for a moment)."""
    boxes = session.page.get_by_label("纬度（WGS-84）"), session.page.get_by_label("经度（WGS-84）")
    if any(b.count() != 1 for b in boxes):
        return None
    lat, lon = (b.input_value() for b in boxes)
    return (float(lat), float(lon)) if lat and lon else None


def test_placement_mode_a_click_on_a_marker_sets_the_point_and_the_pin_drags(
    app: tuple[Session, ProjectCopy, Path],
) -> None:
    session, copy, uploads = app
    _report_back(copy, uploads)
    site = next(f for f in layer_features(copy.layers) if f["properties"]["precision"] == "county")
    key = f"{site['properties']['category']}/{site['id']}"
    before = json.loads(copy.overrides.read_text(encoding="utf-8")) if copy.overrides.exists() else None
    _choose_for_placing(session, site["properties"]["name"], site["properties"]["county"])
    frame = session.map_frame()
    frame.wait_for_selector(".place-notice", timeout=15000)
    assert "定位模式" in frame.locator(".place-notice").inner_text()
    session.settle()

    # click right where a marker stands (the site's own, alone or an aggregate): the point is set
    # there, and no popup opens. The marker is brought to the middle of the map first, so that the
    # drag below stays clear of the edges (where the map would pan under the pin).
    session.wait_for(lambda: session.map_frame().evaluate(JS_MARKER_POINT, key))
    session.map_frame().evaluate(f"(() => {{ const p = ({JS_MARKER_POINT})({json.dumps(key)}); "
                                 "map.setView(map.containerPointToLatLng([p.x, p.y]), 12, {animate: false}); })()")
    session.page.wait_for_timeout(400)
    pos = session.wait_for(lambda: session.map_frame().evaluate(JS_MARKER_POINT, key))
    lat, lng, pixel = _latlng_at(session, pos["x"], pos["y"])
    session.click_map(pos["x"], pos["y"])
    point = session.wait_for(lambda: _form_point(session))
    assert point == pytest.approx((lat, lng), abs=2 * pixel + 1e-6)
    assert session.map.locator(".leaflet-popup").count() == 0

    # the pin stands at the point; dragged 60 px right and 40 px down, it sets the point there
    pin = session.map.locator(".place-pin")
    pin.wait_for(timeout=15000)
    session.settle()
    box = pin.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    frame_box = session.page.locator(MAP_FRAME).bounding_box()
    lat2, lng2, pixel2 = _latlng_at(session, cx - frame_box["x"] + 60, cy - frame_box["y"] + 40)
    session.page.mouse.move(cx, cy)
    session.page.mouse.down()
    for i in range(1, 11):
        session.page.mouse.move(cx + 6 * i, cy + 4 * i)
    session.page.mouse.up()
    moved = session.wait_for(lambda: (p := _form_point(session)) and p != point and p)
    assert moved == pytest.approx((lat2, lng2), abs=3 * pixel2 + 1e-6)
    assert session.map.locator(".leaflet-popup").count() == 0
    session.page.screenshot(path=str(ARTIFACTS / "map-placing.png"))
    # nothing is written before the placement is saved
    after = json.loads(copy.overrides.read_text(encoding="utf-8")) if copy.overrides.exists() else None
    assert after == before

    # no site chosen any more: the mode ends, and a click on the marker opens its popup again
    chooser = session.page.locator('[data-testid="stSelectbox"]').filter(has_text="项目（约略定位的排在前面）")
    none = session.page.get_by_role("option").filter(has_text="选择项目…").first
    for _ in range(3):  # (again, if a rerun closed the list meanwhile)
        session.settle()
        chooser.locator("input").click()
        try:
            none.wait_for(timeout=4000)
            break
        except PlaywrightTimeout:
            continue
    none.click(timeout=10000)
    session.map_frame().wait_for_function(
        "!document.querySelector('.place-notice, .place-pin, .leaflet-container.placing')", timeout=15000
    )
    session.settle()
    pos = session.wait_for(lambda: session.map_frame().evaluate(JS_MARKER_POINT, key))
    session.click_map(pos["x"], pos["y"])
    session.map.locator(".leaflet-popup").wait_for(timeout=10000)
    session.close_popup()
    assert session.blocked == []


# The screen point (in the map) of the marker drawing a site: its own or its aggregate's.
JS_MARKER_POINT = """(key) => {
  let found = null;
  window.map.eachLayer(l => {
    if ((l.feature && l.feature.id === key) ||
        (l.siteAggregate && l.siteAggregate.members.some(r => r[0] === key))) found = l;
  });
  if (!found) return null;
  const p = window.map.latLngToContainerPoint(found.getLatLng ? found.getLatLng() : found.getBounds().getCenter());
  const s = window.map.getSize();
  return (p.x > 20 && p.y > 20 && p.x < s.x - 20 && p.y < s.y - 20) ? {x: p.x, y: p.y} : null;
}"""
