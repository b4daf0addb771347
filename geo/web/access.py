"""Who may change the project from the app: read-only unless the deployer says otherwise.

Anyone who reaches the app's port can use it, so every control that writes (saving a report,
placing a site, rebuilding the layers, geocoder keys) is shown and obeyed only where
:func:`can_write` is true. The deployer turns writing on in ``.streamlit/secrets.toml`` (or any
``st.secrets`` source)::

    [access]
    write_token = "a long random string"   # people type it in the sidebar to unlock writing
    # open_writes = true                   # or: everyone may write (a trusted one-person setup)

With neither, the app is read-only. A write control's callback calls :func:`can_write` again
before it acts, so a stale page cannot write after access was taken away.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from geo.web.i18n import Lang

SECTION = "access"
_STATE = "write_access"
_FIELD = "write_token_entered"


def settings(secrets: Mapping[str, Any]) -> tuple[str | None, bool]:
    """(the write token or None, whether everyone may write) from the secrets."""
    section = secrets.get(SECTION) if isinstance(secrets, Mapping) else None
    if not isinstance(section, Mapping):
        return None, False
    token = section.get("write_token")
    token = token.strip() if isinstance(token, str) and token.strip() else None
    return token, section.get("open_writes") is True


def writes_allowed(secrets: Mapping[str, Any], entered: str | None) -> bool:
    """True when the secrets open writing to everyone, or ``entered`` is the configured token."""
    token, open_writes = settings(secrets)
    if open_writes:
        return True
    if token is None or not entered:
        return False
    return hmac.compare_digest(entered.strip().encode("utf-8"), token.encode("utf-8"))


def _secrets() -> Mapping[str, Any]:
    import streamlit as st

    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file at all: read-only
        return {}


def gate(lang: Lang) -> bool:
    """Show the sidebar's token field where a token is configured; True when this session may write."""
    import streamlit as st

    from geo.web.i18n import t

    secrets = _secrets()
    token, open_writes = settings(secrets)
    if token is not None and not open_writes:
        entered = st.sidebar.text_input(t("access_token", lang), type="password", key=_FIELD,
                                        help=t("access_token_help", lang))
        if entered and not writes_allowed(secrets, entered):
            st.sidebar.error(t("access_wrong", lang))
    allowed = writes_allowed(secrets, st.session_state.get(_FIELD))
    st.session_state[_STATE] = allowed
    if not allowed:
        st.sidebar.caption(t("access_read_only", lang))
    return allowed


def can_write() -> bool:
    """Whether this session may change the project (checked afresh against the secrets)."""
    import streamlit as st

    return writes_allowed(_secrets(), st.session_state.get(_FIELD))
