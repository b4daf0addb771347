"""Whether the words before a generic word are a real name."""

from __future__ import annotations

from functools import cache

from geo.extract.text import CJK_CHAR, SUBSTANTIVE, core
from geo.text import lexicon


def valid_name(specific: str, suffix: lexicon.Suffix) -> bool:
    """Whether ``specific`` + ``suffix`` names a place (not a class, a count or a fragment)."""
    r = lexicon.name_rules()
    if not specific or len(specific) + len(suffix.word) > r.max_name:
        return False
    if specific.count("“") != specific.count("”") or specific[0] in "”—·":
        return False
    if specific[0] in r.never_first and lexicon.pair_freq(specific[:2]) < r.protect_freq:
        return False  # 的整村: a particle cannot start a name (和平路, 向阳新村 can)
    if r.road_code.fullmatch(specific) and suffix.word not in r.no_code_tails:
        return True  # S203省道, 104国道: the code is the name
    if specific.endswith(r.locative_ends):
        return False  # 车站周边学校: where some schools are, not one named school
    if specific in r.street_class_words and suffix.word in r.street_words:
        return True  # 幸福路, 中心大街: a class word alone before a street word is the street's name
    if specific in r.directions and suffix.word in r.direction_streets:
        return True  # 东大街
    c = core(specific)
    if not c or set(c) <= r.directions:
        return False
    if len(c) < r.min_core and (
        c != specific or suffix.word in r.class_tails or c in r.not_alone or c in r.never_first
        or not CJK_CHAR.match(c)
    ):
        return False  # 城住宅小区, 县安置房, A区块: one character beside class words names nothing
    return not (len(suffix.word) == 1 and len(SUBSTANTIVE.findall(specific)) < r.min_core)


def ends_with_site_word(text: str, *, named: bool = True) -> bool:
    """Whether ``text`` ends in a generic word (with a real name before it, when ``named``)."""
    table = lexicon.suffixes()
    for k in range(1, min(len(text), _longest_suffix()) + 1):
        sfx = table.get(text[-k:])
        if sfx is not None and sfx.role == "" and (not named or valid_name(text[:-k], sfx)):
            return True
    return False


@cache
def _longest_suffix() -> int:
    return max(map(len, lexicon.suffixes()))
