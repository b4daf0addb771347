"""Sites are merged within the County their report's mentions carry: two counties of one name
stay apart, and a site's id names its county by ``County.key``."""

from __future__ import annotations

import hashlib

import pytest

from geo.errors import CountyError
from geo.extract.sites import merge
from geo.locate.admin import county
from geo.model import County, Mention, Sentence, SiteMention


def _mention(doc: str, where: County | None, text: str = "甲公园提升改造。") -> SiteMention:
    sentence = Sentence(0, len(text), text)
    return SiteMention(Mention("甲公园", "公园", "park", "parks", 0, 3, sentence), doc, where, "unknown")


def test_one_name_in_two_counties_of_one_name_gives_two_sites() -> None:
    nanjing, fuzhou = county("南京市鼓楼区"), county("福州市鼓楼区")
    sites = merge([_mention("a.txt", nanjing), _mention("b.txt", fuzhou), _mention("c.txt", nanjing)])
    assert [(s.county, [x.doc for x in s.sources]) for s in sites] == [
        (nanjing, ["a.txt", "c.txt"]), (fuzhou, ["b.txt"])]  # sorted by key: 南京市… before 福州市…
    assert sites[0].id != sites[1].id


def test_a_site_id_names_its_county_by_its_key() -> None:
    (site,) = merge([_mention("a.txt", county("永康"))])
    # a county no other shares a name with is named as before: the ids of earlier builds stay
    assert site.id == "parks-" + hashlib.sha1("永康市|parks|甲公园".encode()).hexdigest()[:12]
    (other,) = merge([_mention("a.txt", county("南京市鼓楼区"))])
    assert other.id == "parks-" + hashlib.sha1("南京市鼓楼区|parks|甲公园".encode()).hexdigest()[:12]


def test_the_mentions_of_a_report_waiting_for_its_county_are_not_merged() -> None:
    with pytest.raises(CountyError, match=r"a\.txt"):
        merge([_mention("a.txt", None)])
