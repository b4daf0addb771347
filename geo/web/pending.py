"""Reports waiting for a county (``pending.json`` beside the layers), as the app offers them:
each with its guesses as choices. One choice writes the manifest (``sources.csv``) of the
project's reports and rebuilds the layers, which then hold the report's sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import GeoError


@dataclass(frozen=True)
class Choice:
    county: str  # as the manifest gives it (official name, prefecture-qualified when shared)
    label: str  # province, prefecture and county
    score: float


@dataclass(frozen=True)
class Waiting:
    file: str  # relative to the manifest's folder
    manifest: Path
    sites: int
    choices: tuple[Choice, ...]
    about: dict[str, str] = field(default_factory=dict)  # the report's title, issuer, date where read
    why: str = ""  # why it waits, as a code (geo.locate.county.decide.Decision.reason_code)
    reason: str = ""  # the same in English words (older pending files have only these)


def waiting_reports(layers: Path) -> list[Waiting]:
    """The reports of ``layers/pending.json``, first guesses first."""
    from geo.project.pending import read_pending
    from geo.web.reports import about_of

    out = []
    for e in read_pending(Path(layers)):
        choices = tuple(Choice(county=_manifest_name(g), label=_label(g), score=float(g.get("score", 0)))
                        for g in e.get("guesses", [])[:3] if isinstance(g, dict) and g.get("county"))
        out.append(Waiting(file=str(e.get("file", "")), manifest=Path(str(e.get("manifest", ""))),
                           sites=len(e.get("sites", [])), choices=choices, about=about_of(e),
                           why=str(e.get("reason_code") or ""), reason=str(e.get("reason") or "")))
    return out


def _label(guess: dict[str, Any]) -> str:
    province, city = str(guess.get("province", "")), str(guess.get("prefecture", ""))
    return province + (city if city != province else "") + str(guess["county"])


def _manifest_name(guess: dict[str, Any]) -> str:
    from geo.errors import CountyError
    from geo.locate import admin

    name, city = str(guess["county"]), str(guess.get("prefecture", ""))
    try:
        if admin.county(name).city == city:
            return name
    except CountyError:
        pass
    return city + name


def choose_county(sources: Path, item: Waiting, county: str) -> Path:
    """Write ``county`` for the report into the manifest, which must lie in the project's
    ``sources`` folder (the app writes nowhere else). Returns the manifest's path."""
    from geo.locate import admin
    from geo.report.manifest import set_county

    folder = item.manifest.parent
    if not folder.resolve().is_relative_to(Path(sources).resolve()):
        raise GeoError(f"{item.manifest} is not in the project's reports folder {sources}")
    if not (folder / item.file).resolve().is_relative_to(Path(sources).resolve()):
        raise GeoError(f"{item.file} is not in the project's reports folder {sources}")
    try:
        admin.county(county)  # an unknown or ambiguous name is refused before anything is written
    except GeoError as error:
        raise error.with_code("unknown_county", county=county) from None
    return set_county(folder, item.file, county, chosen_by="hand")
