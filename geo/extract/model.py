"""What the passes hand each other: generic-word hits, name spans and candidates (all immutable).

Named tuples rather than frozen dataclasses: thousands are made per report, and a named tuple is
made three times as fast.
"""

from __future__ import annotations

from typing import NamedTuple

from geo.text.lexicon import Suffix


class Hit(NamedTuple):
    """A generic word in the sentence (sentence coordinates)."""

    start: int
    end: int
    suffix: Suffix


class Span(NamedTuple):
    """A generic word that ends a name, and the leftmost start its name may have."""

    hit: Hit
    start: int


class Cut(NamedTuple):
    """A place after which a name may start."""

    pos: int
    word_start: int  # where the word before the cut starts
    strong: bool  # a word that cannot be part of a name (True), or a weaker sign (False)
    number: bool = False  # a count or a number: 5个, 2023年, 203
    verb: bool = False  # after a verb or function word the segmenter found


# shapes of a candidate
NAME = "name"  # a name: start is where it starts
LIST = "list"  # the end of an enumeration (甲、乙等3个区块): start is where 等 / the count starts
UNNAMED = "unnamed"  # no name before the generic word (unless quoted names: “甲”“乙”风景线)
SITE = "site"  # a finished site name (after the enumerations pass)


class Candidate(NamedTuple):
    start: int
    end: int
    suffix: Suffix
    shape: str
    name: str = ""  # for SITE: the name as it will be shown
