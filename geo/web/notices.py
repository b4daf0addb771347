"""Errors as the app shows them: markdown text in which the file or site named is escaped."""

from __future__ import annotations

from geo.web.popup import md_text


def error_text(error: BaseException) -> str:
    """An error as markdown text; the file or site it names is escaped and isolated on its own."""
    name, reason = getattr(error, "name", None), getattr(error, "reason", None)
    if isinstance(name, str) and isinstance(reason, str):
        return f"{md_text(name)}\\: {md_text(reason)}"
    return md_text(str(error) or type(error).__name__)


def unexpected_text(name: str, error: BaseException) -> str:
    """An error no rule foresaw while reading ``name``, as markdown text (its type and message)."""
    return f"{md_text(name)}\\: {md_text(f'{type(error).__name__}: {error}')}"
