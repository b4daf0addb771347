"""Where a site's location comes from, in the interface's language.

The layers carry it twice: ``location_source``, an English sentence (the scorer's contract and
what older files and uploads have), and ``location_basis``, the same as data: steps, each a
``kind`` with its fields (``geo.model.Basis``). These functions say the steps in Chinese or
English with the strings of ``geo.web.i18n``; a feature without a basis, or with a step this
version does not know, shows its ``location_source`` as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.web.i18n import Lang, t


def steps_of(basis: Any) -> list[dict[str, Any]] | None:
    """The steps of a ``location_basis`` value; None when it is missing or not one."""
    steps = basis.get("steps") if isinstance(basis, dict) else None
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        return None
    return steps


def join(items: Sequence[Any], lang: Lang, conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (``甲``, ``甲和乙``, ``甲、乙和丙``)."""
    names = [str(x) for x in items]
    if len(names) <= 1:
        return "".join(names)
    return t("basis_list", lang).join(names[:-1]) + t(f"basis_{conjunction}", lang) + names[-1]


def _radius(step: dict[str, Any], lang: Lang) -> str:
    text = t("basis_radius", lang, radius=f"{float(step['radius_m']):.0f}",
             factor=f"{float(step['factor']):g}", mean=step["mean_radius_m"], next=step["next_seat_m"])
    if step.get("rounding_m"):
        text += t("basis_radius_rounding", lang, n=step["rounding_m"])
    if step.get("capped"):
        text += t("basis_radius_capped", lang)
    return text


def _township_seat(step: dict[str, Any], lang: Lang) -> str:
    how = str(step["how"])
    how_text = (t("basis_how_alias", lang, township=step["township"], url=step.get("alias_url", ""))
                if how == "alias" else t(f"basis_how_{how}", lang))
    if how_text == f"basis_how_{how}":
        raise KeyError(how)
    return t("basis_township_seat", lang, township=step["township"], geonameid=step["geonameid"],
             matched=step["matched"], how=how_text, lat=step["lat"], lon=step["lon"], url=step["url"],
             licence=step["licence"], radius=_radius(step, lang))


def _name_places(step: dict[str, Any], lang: Lang) -> str:
    towns = list(step["townships"])
    names = towns + list(step.get("unknown", []))
    where = t("basis_where_in" if len(names) == 1 else "basis_where_across", lang, names=join(names, lang))
    village = step.get("village")
    if village:
        key = "basis_name_places_namesake" if step.get("namesake") else "basis_name_places_village"
        return t(key, lang, village=village, township=towns[0], where=where)
    return t("basis_name_places", lang, where=where)


def _clause_township(step: dict[str, Any], lang: Lang) -> str:
    word, town = step["word"], step["township"]
    what = word if word == town else t("basis_clause_what", lang, word=word, township=town)
    ties = t(f"basis_ties_{step['how']}", lang)
    if ties == f"basis_ties_{step['how']}":
        raise KeyError(step["how"])
    return t("basis_clause_township", lang, what=what, ties=ties, clause=step["clause"], township=town)


def _osm(step: dict[str, Any], lang: Lang) -> str:
    objects = [str(o) for o in step["objects"]]
    if lang == "en":
        shown = ", ".join(f"{o.replace('/', ' ')} https://www.openstreetmap.org/{o}" for o in objects)
    else:
        shown = t("basis_list", lang).join(f"https://www.openstreetmap.org/{o}" for o in objects)
    more = t("basis_osm_more", lang, n=step["more"]) if step.get("more") else ""
    return t("basis_osm", lang, name=step["name"], objects=shown, more=more, licence=step["licence"],
             index=step["index"])


def _geocoder(step: dict[str, Any], lang: Lang) -> str:
    from geo.web.online import provider_name

    provider = str(step["provider"])
    shown = provider if lang == "en" else provider_name(provider, lang)  # English: the source's own words
    return t("basis_geocoder", lang, provider=shown, query=step["query"])


def _simple(kind: str, step: dict[str, Any], lang: Lang) -> str:
    fields = dict(step)
    for key in ("townships", "names"):
        if key in fields:
            fields[key] = join(fields[key], lang, "or" if kind == "unlocated" else "and")
    key = f"basis_{kind}"
    if t(key, lang) == key:
        raise KeyError(kind)
    return t(key, lang, **fields)


_SPECIAL = {
    "township_seat": _township_seat,
    "name_places": _name_places,
    "clause_township": _clause_township,
    "osm": _osm,
    "geocoder": _geocoder,
}


def step_text(step: dict[str, Any], lang: Lang) -> str:
    """One step in words; KeyError when its kind or a field it needs is unknown."""
    kind = str(step.get("kind") or "")
    special = _SPECIAL.get(kind)
    return special(step, lang) if special is not None else _simple(kind, step, lang)


def basis_text(basis: Any, lang: Lang) -> str | None:
    """A ``location_basis`` in words; None when it is missing or cannot be said."""
    steps = steps_of(basis)
    if steps is None:
        return None
    try:
        return t("basis_join", lang).join(step_text(s, lang) for s in steps)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def location_text(source: Any, basis: Any, lang: Lang) -> str:
    """Where a location comes from, in ``lang``: its basis said, else its source as written."""
    said = basis_text(basis, lang)
    return said if said is not None else ("" if source is None else str(source))


def props_location_text(props: dict[str, Any], lang: Lang) -> str:
    """:func:`location_text` of a feature's properties."""
    return location_text(props.get("location_source"), props.get("location_basis"), lang)


def unlocated_towns(basis: Any) -> list[str] | None:
    """The townships a basis says no source locates (the name or clause gave them); None without a basis."""
    steps = steps_of(basis)
    if steps is None:
        return None
    return [str(x) for s in steps if s.get("kind") == "unlocated" for x in s.get("townships", [])]
