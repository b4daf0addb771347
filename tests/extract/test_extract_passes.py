"""Each pass of the extractor on its own, with sentences written for the rule it pins."""

from __future__ import annotations

from geo.extract.absorb import absorb_inner
from geo.extract.county_prefix import strip_county
from geo.extract.generic import find_generic_words
from geo.extract.kinds import to_mentions
from geo.extract.left_edge import cut_left_edge
from geo.extract.lists import expand_lists
from geo.extract.model import LIST, NAME, SITE, UNNAMED, Candidate, Hit
from geo.extract.quoted import quoted_names
from geo.extract.text import SentenceText
from geo.model import Sentence
from geo.text import lexicon


def st(text: str) -> SentenceText:
    return SentenceText(Sentence(0, len(text), text))


def sfx(word: str) -> lexicon.Suffix:
    return lexicon.suffixes()[word]


def words(s: SentenceText, hits: tuple[Hit, ...]) -> list[str]:
    return [s.t[h.start : h.end] for h in hits]


# -- 1. generic words ---------------------------------------------------------------------
def test_generic_words_outside_and_inside_quotes() -> None:
    s = st("改造青石公园，打造“翠屏公园”。")
    outside, inside = find_generic_words(s)
    assert words(s, outside) == ["公园"] and outside[0].start == 4
    assert words(s, inside) == ["公园"] and inside[0].start == 12


def test_one_character_generic_word_inside_a_common_word_ends_no_name() -> None:
    for text in ("明确发展路径。", "整治村容村貌。", "坚持出门见园。", "推进片区化管理。"):
        s = st(text)
        assert find_generic_words(s)[0] == (), text


# -- 2. absorb ----------------------------------------------------------------------------
def test_inner_generic_word_belongs_to_the_longer_name() -> None:
    s = st("完成青石路排涝站。")
    hits, _ = find_generic_words(s)
    assert words(s, hits) == ["路", "排涝站"]
    (span,) = absorb_inner(s, hits)
    assert span.hit.suffix.word == "排涝站" and span.start == 0


def test_a_class_tail_does_not_absorb_the_road_before_it() -> None:
    s = st("青石路道路工程。")
    spans = absorb_inner(s, find_generic_words(s)[0])
    assert [sp.hit.suffix.word for sp in spans] == ["路", "道路"]


# -- 3. left edge -------------------------------------------------------------------------
def _left(text: str) -> list[tuple[str, str]]:
    s = st(text)
    return [(c.shape, s.t[c.start : c.end]) for c in cut_left_edge(s, absorb_inner(s, find_generic_words(s)[0]))]


def test_left_edge_cuts_after_words_that_cannot_be_names() -> None:
    assert _left("开工建设翠屏公园") == [(NAME, "翠屏公园")]
    assert _left("全力推动提档升级翠屏公园") == [(NAME, "翠屏公园")]


def test_left_edge_rejects_classes_counts_and_clauses() -> None:
    assert _left("新增口袋公园") == [(UNNAMED, "新增口袋公园")]
    assert _left("完成3所学校") == [(UNNAMED, "完成3所学校")]
    assert _left("抓好背街") == [(UNNAMED, "抓好背街")]


def test_left_edge_keeps_a_verb_that_modifies_the_generic_word() -> None:
    assert _left("建成滨江休闲公园") == [(NAME, "滨江休闲公园")]


def test_left_edge_sees_the_end_of_an_enumeration() -> None:
    assert _left("甲乙、丙丁等3个区块") == [(LIST, "等3个区块")]


# -- 4. lists and compounds ---------------------------------------------------------------
def _sites(text: str) -> list[str]:
    s = st(text)
    cands = expand_lists(s, cut_left_edge(s, absorb_inner(s, find_generic_words(s)[0])))
    return [c.name for c in cands if c.shape == SITE]


def test_enumeration_items_share_the_generic_word() -> None:
    assert _sites("推进甲坞、乙坞、丙坞等3个区块") == ["甲坞区块", "乙坞区块", "丙坞区块"]


def test_counted_items_of_a_list_do_not_share_its_generic_word() -> None:
    # each item has its own count: three kinds of places, none of them a 公园
    assert _sites("修缮6条背街、4个路口节点、3个公园") == []


def test_bare_items_share_a_generic_word_only_after_a_short_name() -> None:
    assert _sites("建成甲一、甲二和乙东社区") == ["甲一社区", "甲二社区", "乙东社区"]
    # 公厕 and 果皮箱 are things put beside a long descriptive name, not 公厕站
    assert _sites("新建公厕、果皮箱、游客咨询服务站") == ["游客咨询服务站"]


def test_a_direction_or_a_street_class_word_alone_names_a_street() -> None:
    assert _sites("改造西大街、幸福路及文化街") == ["西大街", "幸福路", "文化街"]
    # the same words before a place word that is no street stay a class
    assert _sites("提升幸福小区和中心片区") == []


def test_places_described_by_where_they_lie_are_no_names() -> None:
    assert _sites("车站周边学校和医院较多") == []
    assert _sites("以前那块城市公共绿地无人管理") == []
    assert _sites("街心游园、地下停车场和高速公路出入口") == []


def test_a_generic_word_across_two_common_words_ends_no_name() -> None:
    # 家园 begins inside 国家 and ends inside 园林: no 家园 here
    assert _sites("以创建国家园林城市为目标") == []
    assert _sites("建成星河家园") == ["星河家园"]


def test_a_road_section_after_a_direction_keeps_the_road() -> None:
    assert _sites("改造青禾路南段、白石街东延") == ["青禾路", "白石街"]


def test_two_streets_written_together_are_two_sites() -> None:
    assert _sites("整治湖滨大道青松大道") == ["湖滨大道", "青松大道"]
    assert _sites("和谐路和文化街改造") == ["和谐路", "文化街"]


def test_an_adverb_character_right_before_the_place_word_is_part_of_the_name() -> None:
    # 都 and 也 qualify verbs: right before 花园 or 新村 they belong to a name
    assert _sites("建成金都花园和安也新村") == ["金都花园", "安也新村"]
    assert _sites("村民都到社区") == []


def test_a_road_junction_keeps_the_road_and_a_crossroads_is_no_name() -> None:
    assert _sites("在青禾路口新建") == ["青禾路"]
    assert _sites("改造十字路口和丁字路口") == []


def test_compound_of_two_names_is_two_sites() -> None:
    assert _sites("建成东岸创意街区和西岸创意街区") == ["东岸创意街区", "西岸创意街区"]


def test_numbered_lanes_take_their_road_and_codes_are_roads() -> None:
    assert _sites("整治青石街12巷和15巷") == ["青石街12巷", "青石街15巷"]
    assert _sites("国道901、G9901全线贯通") == ["国道901", "G9901"]


# -- 5. quoted names ----------------------------------------------------------------------
def test_quoted_groups_and_short_quoted_names() -> None:
    s = st("打造“翠湖”“青溪”风景线")
    cands = expand_lists(s, cut_left_edge(s, absorb_inner(s, find_generic_words(s)[0])))
    assert [c.name for c in quoted_names(s, cands, ())] == ["“翠湖”风景线", "“青溪”风景线"]
    s = st("建设“金山公园”和“一江一河”")
    _, inside = find_generic_words(s)
    assert [c.name for c in quoted_names(s, (), inside)] == ["“金山公园”"]


# -- 6. county prefix ---------------------------------------------------------------------
def test_county_prefix_is_stripped_and_a_county_class_dropped() -> None:
    park = sfx("公园")
    cands = (Candidate(0, 7, park, SITE, "某某县翠屏公园"), Candidate(8, 14, park, SITE, "某某城市公园"))
    assert [c.name for c in strip_county(cands, ("某某县", "某某"))] == ["翠屏公园"]


# -- 7. kinds -----------------------------------------------------------------------------
def test_mentions_drop_a_bracketed_other_name_and_take_the_sentence_kind() -> None:
    s = st("市东医院(市中医院)奠基")
    hospital = sfx("医院")
    cands = (Candidate(0, 4, hospital, SITE, "市东医院"), Candidate(5, 9, hospital, SITE, "市中医院"),
             Candidate(0, 0, hospital, UNNAMED))
    assert [m.name for m in to_mentions(s, cands)] == ["市东医院"]


def test_village_kind_follows_the_sentence() -> None:
    s = st("城中村拆除：前头村")
    (m,) = to_mentions(s, (Candidate(6, 9, sfx("村"), SITE, "前头村"),))
    assert (m.kind, m.layer) == ("urban_village", "renewal")


# -- rules are data -----------------------------------------------------------------------
def test_name_rules_come_from_the_lexicon_file() -> None:
    r = lexicon.name_rules()
    assert "道路" in r.class_tails and r.max_name > 10 and "v" in r.cut_tags
    assert r.list_separator == "、" and "和" in r.list_conjunctions


def test_towns_joined_by_dashes_share_the_zone_word_after_a_nickname() -> None:
    s = st("甲镇—乙镇—丙山“某某古韵”县域风貌区列入样板区")
    spans = absorb_inner(s, find_generic_words(s)[0])
    assert [sp.hit.suffix.word for sp in spans] == ["风貌区", "样板区"] and spans[0].start == 0


def test_learned_check_drops_a_candidate_below_its_threshold() -> None:
    from geo.extract.site_filter import SiteFilter, features, filter_sites

    s = st("新增翠屏公园")
    park = Candidate(2, 6, sfx("公园"), SITE, "翠屏公园")
    assert "sfx=公园" in features(s, park)
    keep = SiteFilter({"sfx=公园": 3.0}, 0.0, 0.5)
    drop = SiteFilter({"sfx=公园": -3.0}, 0.0, 0.5)
    assert filter_sites(s, (park,), keep) == (park,)
    assert filter_sites(s, (park,), drop) == ()
    assert filter_sites(s, (park,), None) == (park,)


def test_province_and_prefecture_before_the_county_are_stripped_too() -> None:
    yard = sfx("家属院")
    cands = (Candidate(0, 11, yard, SITE, "某某省某某县机关家属院"), Candidate(12, 19, yard, SITE, "东海省甲乙家属院"))
    assert [c.name for c in strip_county(cands, ("某某县", "某某"))] == ["机关家属院", "东海省甲乙家属院"]


def test_two_generic_words_of_one_layer_joined_by_and_are_two_sites() -> None:
    assert _sites("整治青石路和翠柳街") == ["青石路", "翠柳街"]


def test_counts_with_approximate_numbers_are_no_names() -> None:
    assert _left("新建百余个游园") == [(UNNAMED, "新建百余个游园")]


def test_what_a_count_counts_is_a_class() -> None:
    assert _left("建成翠屏公园等3个健身公园") == [(NAME, "翠屏公园"), (UNNAMED, "等3个健身公园")]
    assert _left("改造45处社区游园") == [(UNNAMED, "改造45处社区游园")]


def test_estates_listed_before_a_class_tail_keep_their_names() -> None:
    assert _sites("翠湖新园、青松庄园等安置房交付") == ["翠湖新园", "青松庄园"]
    assert _sites("东岭片区棚户区改造") == ["东岭片区"]


def test_a_generic_word_tagged_as_an_adverb_is_no_cut() -> None:
    assert _left("甲乙高速丙丁南互通开通") == [(NAME, "甲乙高速丙丁南互通")]
