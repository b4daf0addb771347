"""The app in headless Chromium is read-only by default, and writable with the deployer's token.

Two apps run on copies of the project: one with no ``[access]`` in its secrets, one with a
``write_token``. The first shows no save, place or rebuild control at all; the second shows them
only once the token is typed into the sidebar (a wrong one is refused).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Session, browser, copy_project, needs_chromium, running_app

pytestmark = [pytest.mark.browser, needs_chromium]
TOKEN = "s3cret-token-for-tests"
TOKEN_FIELD = 'input[type="password"][aria-label="编辑口令"]'
WRITE_CONTROLS = (".st-key-rebuild", ".st-key-place_save", ".st-key-place_undo", ".st-key-upload_save")


def _controls(session: Session) -> int:
    return sum(session.page.locator(sel).count() for sel in WRITE_CONTROLS)


def _place_panel(session: Session) -> Any:
    return session.page.locator('[data-testid="stExpander"]').filter(has_text="手动修正位置")


def test_read_only_by_default(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> None:
    root = tmp_path_factory.mktemp("e2e-read-only")
    copy = copy_project(root / "project")
    with (
        running_app(copy.env(), root / "streamlit.log", secrets=None) as url,
        browser(playwright, url, root / "profile") as s,
    ):
        s.page.get_by_text("只读：保存、手动定位和重建图层未开启。").wait_for(timeout=30000)
        assert _place_panel(s).count() == 0
        assert _controls(s) == 0
        assert s.page.locator(TOKEN_FIELD).count() == 0
        assert s.blocked == []


def test_writable_with_the_token(tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> None:
    root = tmp_path_factory.mktemp("e2e-token")
    copy = copy_project(root / "project")
    secrets = f'[access]\nwrite_token = "{TOKEN}"\n'
    with (
        running_app(copy.env(), root / "streamlit.log", secrets=secrets) as url,
        browser(playwright, url, root / "profile") as s,
    ):
        box = s.page.locator(TOKEN_FIELD)
        box.wait_for(timeout=30000)
        assert _place_panel(s).count() == 0 and _controls(s) == 0
        box.fill("not-the-token")
        box.press("Enter")
        s.page.get_by_text("口令不正确。").wait_for(timeout=20000)
        assert _place_panel(s).count() == 0
        box.fill(TOKEN)
        box.press("Enter")
        _place_panel(s).wait_for(timeout=20000)
        _place_panel(s).locator("summary").click()
        s.page.get_by_role("button", name="重建图层").first.wait_for(timeout=20000)
        assert _controls(s) > 0
        assert s.page.get_by_text("只读：保存、手动定位和重建图层未开启。").count() == 0
        assert s.blocked == []
