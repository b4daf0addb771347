"""The county of one report, from every clue, weighed; or the ranked guesses when unclear.

Order of trust: a county given for the run (``--county``), then the manifest (``sources.csv``)
row of the file, then the weighed evidence: the text (county and prefecture names, organs,
townships, villages, communities, each divided among the counties holding it), the title line
(counted once more), the file name, the folder, the source address. The county with the
greatest score is taken only when the score reaches ``min_score`` and beats the next by
``margin`` (``[decision]`` in ``lexicons/county_cues.toml``); otherwise the report waits for a
person with its first guesses. Wrong is worse than waiting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from geo.locate import admin
from geo.locate.admin import County
from geo.locate.county import beside
from geo.locate.county import text as county_text
from geo.model import Guess
from geo.text import lexicon

# how a county was decided (the ``county_source`` of every feature)
NAMED = "named in text"
TOWNSHIPS = "townships"
TITLE = "title"
FILE_NAME = "file name"
FOLDER = "folder"
URL = "url"
MANIFEST = "manifest"
BY_HAND = "chosen by hand"
GIVEN = "--county"
SAMPLE_CHARS = 200_000  # the title and opening pages say the county; longer texts are cut here


@dataclass(frozen=True)
class Clues:
    """What the build knows of a report beside its text."""

    path: PurePath | None = None
    root: PurePath | None = None  # the input folder it was found in
    url: str = ""
    title: str = ""
    county: str = ""  # from the manifest
    by_hand: bool = False  # the manifest's county was chosen by a person in the app


@dataclass(frozen=True)
class Decision:
    county: County | None  # None: the report waits for a person
    source: str  # how it was decided (NAMED ... GIVEN); "" when waiting
    confidence: float  # 1 - second score / best score (0 when nothing speaks)
    guesses: tuple[Guess, ...] = field(default=())
    reason: str = ""  # why it waits
    reason_code: str = ""  # the same as a code (nothing_named, too_weak, tie), for the app's languages

    @property
    def evidence(self) -> tuple[str, ...]:
        if self.source in (GIVEN, MANIFEST, BY_HAND):
            return (self.source,)
        return tuple(w for _, w, _ in self.guesses[0].votes) if self.guesses else ()


def _given(name: str, source: str) -> Decision:
    return Decision(admin.county(name), source, 1.0)


def decide(text: str, clues: Clues | None = None, override: County | str | None = None) -> Decision:
    """The county of a report. Raises CountyError only for an unknown ``override`` or manifest
    county (a person's mistake to show, never to guess past)."""
    clues = clues or Clues()
    if isinstance(override, County):
        return Decision(override, GIVEN, 1.0)
    if override is not None and override.strip():
        return _given(override, GIVEN)
    if clues.county.strip():
        return _given(clues.county, BY_HAND if clues.by_hand else MANIFEST)
    cfg = lexicon.county_cues()
    w = cfg["beside"]
    extra: defaultdict[int, list[tuple[str, float]]] = defaultdict(list)
    title = clues.title or beside.title_line(text)
    if title:
        t_score, t_why = county_text.scores(title)
        for i, s in t_score.items():
            extra[i].append((f"{TITLE}{_SEP}{'、'.join(t_why[i])}", w["title"] * s))
    votes: list[beside.Vote] = []
    if clues.path is not None:
        votes += beside.file_name_votes(clues.path, w["file_name"])
        votes += beside.folder_votes(clues.path, clues.root, w["folder"])
    if clues.url:
        votes += beside.url_votes(clues.url, w["url"])
    for v in votes:
        extra[v.county].append((f"{v.route}{_SEP}{v.words}", v.weight))
    score, why = county_text.scores(text[:SAMPLE_CHARS], dict(extra))
    routes: dict[int, list[tuple[str, str, float]]] = {}
    for i, s in _ranked(score)[:cfg["decision"]["guesses"]]:  # the votes of the guesses shown
        raw = sum(why[i].values()) or 1.0
        routes[i] = [(*_route_of(label), value * s / raw)  # level words scale every vote alike
                     for label, value in why[i].most_common()]
    return _weigh(score, routes, cfg["decision"])


_SEP = "|"  # between a route and its words in the labels of votes from beside the text


def _route_of(label: str) -> tuple[str, str]:
    if _SEP in label:
        route, words = label.split(_SEP, 1)
        return route, words
    return (NAMED if county_text.is_county_word(label) else TOWNSHIPS), label


def _ranked(total: dict[int, float]) -> list[tuple[int, float]]:
    """(county, score), greatest first."""
    return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))


def _weigh(total: dict[int, float], votes: dict[int, list[tuple[str, str, float]]],
           cfg: dict[str, Any]) -> Decision:
    counties = admin._tree().counties
    ranked = _ranked(total)
    guesses = tuple(Guess(counties[i], s, tuple(sorted(votes[i], key=lambda v: -v[2])))
                    for i, s in ranked[:cfg["guesses"]])
    if not ranked:
        return Decision(None, "", 0.0, (), "nothing in the text or beside it names a county", "nothing_named")
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(1.0 - second / top, 3) if top > 0 else 0.0
    if top < cfg["min_score"]:
        return Decision(None, "", confidence, guesses, "the evidence is too weak", "too_weak")
    if second and top < cfg["margin"] * second:
        return Decision(None, "", confidence, guesses, "two or more counties are about equally likely", "tie")
    by_route: defaultdict[str, float] = defaultdict(float)
    for route, _, value in votes[best]:
        by_route[route] += value
    source = max(sorted(by_route), key=lambda r: by_route[r])
    return Decision(counties[best], source, confidence, guesses)


def explain(decision: Decision) -> list[str]:
    """Lines that show a decision and the words that voted for each guess."""
    if decision.county is not None:
        head = (f"county: {decision.county.province}{decision.county.city}{decision.county.name} "
                f"(how: {decision.source}; confidence {decision.confidence:.2f})")
    else:
        head = f"county: unclear ({decision.reason}); waits for a person"
    lines = [head]
    for n, g in enumerate(decision.guesses, 1):
        c = g.county
        lines.append(f"  {n}. {c.province}{c.city}{c.name}  score {g.score:.2f}")
        for route, words, value in g.votes[:10]:
            lines.append(f"       {value:6.2f}  {route:<14} {words}")
    return lines
