"""Errors as the app shows them: markdown text in which the file or site named is escaped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.web.basis import join
from geo.web.i18n import Lang, t
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


def _format(kind: str, lang: Lang, found: bool = False) -> str:
    key = f"format_found_{kind}" if found else f"format_{kind}"
    said = t(key, lang)
    if said == key:
        raise KeyError(kind)
    return said


def _guesses(guesses: Any, lang: Lang) -> str:
    shown = [t("county_guess", lang, county=c, score=f"{float(s):.1f}") for c, s in guesses or ()]
    return t("basis_list", lang).join(shown) if shown else t("county_guesses_none", lang)


def _fields(code: str, fields: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    """The fields of a refusal as the strings of ``refusal_<code>`` want them (KeyError if one is missing)."""
    out = {k: str(v) for k, v in fields.items() if not isinstance(v, (tuple, list))}
    if code.startswith("county_unclear"):
        out["why"] = t(f"county_why_{fields['why']}", lang)
        if out["why"].startswith("county_why_"):
            raise KeyError(fields["why"])
        out["guesses"] = _guesses(fields.get("guesses"), lang)
    if code.startswith("unsupported"):
        out["suffix"] = str(fields["suffix"]) or t("refusal_no_suffix", lang)
        out["supported"] = join(list(fields["supported"]), lang)
    if "format" in fields:
        out["format"] = _format(str(fields["format"]), lang)
    if "found" in fields:
        out["found"] = _format(str(fields["found"]), lang, found=True)
    return {k: md_text(v) for k, v in out.items()}


def reason_text(error: BaseException, lang: Lang) -> str | None:
    """Why ``error`` happened, in ``lang``, as markdown text; None when it carries no code this
    version can say (``geo.errors.GeoError.code``)."""
    code = str(getattr(error, "code", "") or "")
    if code == "unsupported" and getattr(error, "fields", {}).get("suffix") == ".doc":
        code = "unsupported_doc"
    key = f"refusal_{code}"
    if not code or t(key, lang) == key:
        return None
    try:
        return t(key, lang, **_fields(code, getattr(error, "fields", {}) or {}, lang))
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def refusal_text(error: BaseException, lang: Lang) -> str:
    """An error as the user reads it in ``lang``: the file it names, then why.

    From the error's code where it has one; otherwise its English reason, which the Chinese
    interface introduces as a technical detail.
    """
    name = getattr(error, "name", None)
    said = reason_text(error, lang)
    if said is None:
        reason = getattr(error, "reason", None)
        named = isinstance(reason, str) and isinstance(name, str)
        detail = reason if named else (str(error) or type(error).__name__)
        said = t("refusal_other", lang, detail=md_text(detail))
    return f"{md_text(name)}\\: {said}" if isinstance(name, str) else said


def note_text(name: str, warning: str, note: tuple[str, Mapping[str, Any]] | None, lang: Lang) -> str:
    """A warning about the upload ``name`` in ``lang`` (markdown text), from its (code, fields);
    ``warning`` (its English words) when it has none this version can say."""
    code, fields = note if note is not None else ("", {})
    key = f"note_{code}"
    if not code or t(key, lang) == key:
        return md_text(warning)
    try:
        shown = {k: md_text(v) for k, v in fields.items() if k in ("read", "given", "file", "detail")}
        if code == "build_refused" and fields.get("code"):
            inner = reason_text(_Coded(str(fields["code"]), fields.get("fields") or {}), lang)
            if inner is not None:
                shown["detail"] = inner
                key = "note_build_refused_coded"
        return t(key, lang, name=md_text(name), **shown)
    except (KeyError, IndexError, TypeError, ValueError):
        return md_text(warning)


class _Coded(Exception):
    """A code and fields as ``reason_text`` reads them from an error."""

    def __init__(self, code: str, fields: Mapping[str, Any]) -> None:
        super().__init__(code)
        self.code, self.fields = code, fields


def unexpected_refusal(name: str, error: BaseException, lang: Lang) -> str:
    """An error no rule foresaw while reading ``name``, in ``lang`` (its type and message as detail)."""
    detail = md_text(f"{type(error).__name__}: {error}")
    return f"{md_text(name)}\\: {t('refusal_unexpected', lang, detail=detail)}"
