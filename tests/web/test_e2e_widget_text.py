"""Streamlit's own words on the uploader and the filters, in Chinese, in headless Chromium.

Streamlit has no parameter for them; ``geo.web.widget_text`` hides its English and shows the
interface's words through ``::after``. This reads what the browser draws: the hidden text has no
size, the words after it are ours, in the uploader at rest, while a file is dragged over it, and
in the filter's list; the English interface keeps Streamlit's own words.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Session, browser, copy_project, needs_chromium, running_app

from geo.web.i18n import t

pytestmark = [pytest.mark.browser, needs_chromium]
DRAWN = "e => [getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize]"
DROPZONE = '[data-testid="stFileUploaderDropzone"]'


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> Iterator[Session]:
    root = tmp_path_factory.mktemp("e2e-widget-text")
    copy = copy_project(root / "project")
    with running_app(copy.env(), root / "streamlit.log") as url, browser(playwright, url, root / "profile") as s:
        yield s


def _drawn(locator: Any) -> tuple[str, str]:
    content, size = locator.evaluate(DRAWN)
    return content, size


def _open_upload(session: Session, title: str) -> Any:
    page = session.page
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=title).first
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()
    zone = page.locator(DROPZONE).first
    zone.wait_for(timeout=10000)
    return zone


def test_the_uploader_and_the_filters_speak_chinese(session: Session) -> None:
    page = session.page
    zone = _open_upload(session, t("upload_title", "zh"))
    button = zone.locator('button [data-testid="stMarkdownContainer"] p')
    assert _drawn(button) == (f'"{t("st_upload", "zh")}"', "0px")
    limit = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span')
    content, size = _drawn(limit)
    assert size == "0px" and content.startswith('"每个文件不超过 ') and "PDF" in content
    dragged = page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.txt')); return d; }")
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    overlay = zone.locator(":scope > div:not([data-testid]) > span")
    overlay.wait_for(timeout=5000)
    assert _drawn(overlay) == (f'"{t("st_drop_here", "zh")}"', "0px")
    zone.dispatch_event("dragleave", {"dataTransfer": dragged})
    page.locator('[data-testid="stMultiSelect"] input').first.click()
    select_all = page.locator('[role="option"][data-key="__select_all__"] > div')
    select_all.wait_for(timeout=5000)
    assert _drawn(select_all) == (f'"{t("st_select_all", "zh")}"', "0px")
    page.keyboard.press("Escape")


def test_the_english_interface_keeps_streamlits_words(session: Session) -> None:
    page = session.page
    page.locator('[data-testid="stSidebar"] label').filter(has_text="English").first.click()
    page.wait_for_timeout(1500)
    zone = _open_upload(session, t("upload_title", "en"))
    button = zone.locator('button [data-testid="stMarkdownContainer"] p')
    assert button.inner_text() == "Upload" and _drawn(button)[0] == "none"
    assert float(_drawn(button)[1].removesuffix("px")) > 0
    page.locator('[data-testid="stMultiSelect"] input').first.click()
    select_all = page.locator('[role="option"][data-key="__select_all__"] > div')
    select_all.wait_for(timeout=5000)
    assert select_all.inner_text() == "Select all" and _drawn(select_all)[0] == "none"
    page.keyboard.press("Escape")
