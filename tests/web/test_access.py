"""The app is safe by default: bound to this machine, no tracebacks for visitors, the upload limit
the app states, and read-only unless the deployer configures writing in ``st.secrets``."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import ProjectCopy
from streamlit.testing.v1 import AppTest

from geo.project.upload import MAX_UPLOAD_BYTES
from geo.web.access import settings, writes_allowed

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
WRITE_KEYS = ("rebuild", "place_save", "place_undo", "upload_save")


def test_config_binds_this_machine_hides_tracebacks_and_states_the_upload_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] is False
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()  # never in the repository


@pytest.mark.parametrize(("secrets", "entered", "allowed"), [
    ({}, None, False),
    ({}, "anything", False),
    ({"access": {"write_token": ""}}, "", False),
    ({"access": {"write_token": "s3cret"}}, None, False),
    ({"access": {"write_token": "s3cret"}}, "S3CRET", False),
    ({"access": {"write_token": "s3cret"}}, "s3cret", True),
    ({"access": {"write_token": "s3cret"}}, " s3cret ", True),
    ({"access": {"open_writes": True}}, None, True),
    ({"access": {"open_writes": "yes"}}, None, False),  # only a real true opens writing
    ({"access": "s3cret"}, "s3cret", False),
])
def test_writes_allowed(secrets: dict[str, Any], entered: str | None, allowed: bool) -> None:
    assert writes_allowed(secrets, entered) is allowed
    assert settings(secrets)[1] is (allowed and entered is None)


def _app(project: ProjectCopy, secrets: dict[str, Any] | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets is not None:
        at.secrets["access"] = secrets
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _write_controls(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key in WRITE_KEYS]


def test_read_only_by_default(project: ProjectCopy) -> None:
    at = _app(project, None)
    assert _write_controls(at) == []
    assert not [i for i in at.text_input if i.key == "write_token_entered"]
    assert any("Read-only" in c.value or "只读" in c.value for c in at.sidebar.caption)


def test_writable_with_the_token_only(project: ProjectCopy) -> None:
    at = _app(project, {"write_token": "s3cret-token"})
    assert _write_controls(at) == []
    at.text_input(key="write_token_entered").input("wrong").run()
    assert _write_controls(at) == [] and at.sidebar.error
    at.text_input(key="write_token_entered").input("s3cret-token").run()
    assert "rebuild" in _write_controls(at)
