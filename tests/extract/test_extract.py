"""The extractor on sentences written in the style of the reports, and on counter-examples that must give nothing."""

import pytest

from geo.extract import find_mentions
from geo.text.sentences import split_sentences


def names(text: str, county: tuple[str, ...] = ()) -> list[str]:
    return [m.name for m in find_mentions(split_sentences(text), county)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # leading verbs are stripped, trailing project words are not part of the name
        ("开工建设青岗公园、两江四岸沿线建筑亮化，推进柳溪湿地公园建设。", ["青岗公园", "柳溪湿地公园"]),
        # a road project is labelled by its road
        ("加快北三环西延一期及二期工程、青松路北延伸工程、锦屏南路延伸等进城道路建设。", ["北三环", "青松路", "锦屏南路"]),
        ("综合整治银杏路、翔鹤路等道路。", ["银杏路", "翔鹤路"]),
        ("开工建设人民北路，打通七星路等断头路。", ["人民北路", "七星路"]),
        # 的 and conjunctions end a name's lead-in
        ("城东街道的桂园社区、长乐社区。", ["桂园社区", "长乐社区"]),
        ("全面启动石桥工业全域有机更新和青田老县衙、东市旧城改造。", ["青田老县衙", "东市旧城"]),
        # names that contain a stop character inside a common word survive
        ("改造向阳新村、和平路。", ["向阳新村", "和平路"]),
        # a name that is only a verb is still a name
        ("完成建设路提升。", ["建设路"]),
        # numbered roads; a class noun after a name is not part of it
        ("其中环城北路、学院路、S203省道改造全面完工。", ["环城北路", "学院路", "S203省道"]),
        ("完成迎宾大道、G318线城区段改造。", ["迎宾大道", "G318线"]),
        ("沿江路、五一路街巷整治同步完工。", ["沿江路", "五一路"]),
        ("完成青沙洲片区、石门村城中村拆除。", ["青沙洲片区", "石门村"]),
        ("本月开工建设翠锦路、振华路道路施工。", ["翠锦路", "振华路"]),
        # an inner generic word is part of the longer name it sits in
        ("鹤山路美食步行街、永宁路排涝站全面完成。", ["鹤山路美食步行街", "永宁路排涝站"]),
        ("文昌阁、南门城楼修缮工程顺利验收。", ["文昌阁", "南门城楼"]),
        # a lake that is the subject of work; a resettlement block named by its estate
        ("完成凤凰湖周边环境整治，锦江花园安置房主体完工。", ["凤凰湖", "锦江花园"]),
    ],
)
def test_names_are_found_and_trimmed(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("抓紧推进东苑、石海、青棠等5个区块安置房施工。", ["东苑区块", "石海区块", "青棠区块"]),
        ("统筹推进东关、西岭、新华街等“5+M”区块改造。", ["东关区块", "西岭区块", "新华街区块"]),
        ("截至目前，上柏、工大、南湖等3个社区完成创建方案编制。", ["上柏社区", "工大社区", "南湖社区"]),
        ("城北街道的银一、银二、安东和安西社区。", ["银一社区", "银二社区", "安东社区", "安西社区"]),
        ("完成虎川、福满来、西园农贸市场改造。", ["虎川农贸市场", "福满来农贸市场", "西园农贸市场"]),
        ("城北街道丰一、丰二、新和、丰南四个村的征迁完成。", ["丰一村", "丰二村", "新和村", "丰南村"]),
    ],
)
def test_enumerations_share_their_generic_word(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "全面完成筹建租赁住房、老旧小区更新等工作。",  # a class of places, not a place
        "新增口袋公园5个，提升城市公园品质。",
        "累计创成6个省级未来社区，总数居全市前列。",
        "并获评全省“新时代山水画卷样板区”。",  # an honour in quote marks
        "为推动我区交通工作稳步前进定目标、明路径。",  # 路 inside 路径
        "新增管道燃气农村用户547户，村民满意。",
        "改造提升甲园路、甲清路等5条市政道路。",
        "据悉，这批城中村拆迁将采用货币补偿。",
        "严守安全底线，搭建“消防验收辅助决策系统”线上平台。",
        "对实施整村拆迁的村庄全面排查。",
        "全面推行片区化、清单化城市管理。",
    ],
)
def test_counter_examples_give_no_generic_sites(text: str) -> None:
    found = names(text)
    assert not any(n.endswith(("线", "城中村", "整村", "片区")) for n in found)
    assert not any(n in found for n in ("老旧小区", "口袋公园", "城市公园", "省级未来社区", "明路", "农村", "市政道路"))
    assert not any("样板区" in n or n == "未来社区" for n in found)


def test_county_prefix_is_stripped_and_bare_county_class_dropped() -> None:
    text = "甲乙县环青峰山道路工程三标段、甲乙城市公园体系串联工程。"
    assert names(text, ("甲乙县", "甲乙")) == ["环青峰山道路"]


def test_quoted_names_before_one_generic_word() -> None:
    assert names("打造“城市绿链”“夜漓江”风景线。") == ["“城市绿链”风景线", "“夜漓江”风景线"]


def test_zone_named_after_towns_keeps_its_quoted_nickname() -> None:
    text = "这一年，甲岭—乙溪“云水之乡”县域风貌区入选市级风貌示范名单。"
    assert names(text) == ["甲岭—乙溪“云水之乡”县域风貌区"]


def test_mention_offsets_point_at_the_surface() -> None:
    text = "前言。\n开工建设塔山公园。"
    (m,) = find_mentions(split_sentences(text))
    assert text[m.start : m.end] == "塔山公园"
    assert m.layer == "parks" and m.kind == "park"


def test_village_in_a_demolition_programme_is_renewal() -> None:
    ms = find_mentions(split_sentences("9个城中村包括东塘街道的前头村。目前，星光村完成市级验收。"))
    kinds = {m.name: (m.kind, m.layer) for m in ms}
    assert kinds["前头村"] == ("urban_village", "renewal")
    assert kinds["星光村"] == ("village", "scenic")


def test_bare_names_inside_a_list_of_estates() -> None:
    text = "内华阳、金马花园、西山一村、宜江新村、茶花小区、老太和、岳北新村正处于方案阶段。"
    assert names(text) == ["内华阳", "金马花园", "西山一村", "宜江新村", "茶花小区", "老太和", "岳北新村"]
    assert {m.layer for m in find_mentions(split_sentences(text))} == {"renewal"}


def test_parenthetical_other_name_is_not_a_second_site() -> None:
    assert names("2019年5月8日，市东医院(市中医院迁建)项目奠基。") == ["市东医院"]


def test_list_of_items_that_share_a_word_after_a_class() -> None:
    assert names("围绕东州府城、玉琴湖等重点片区，谋划更新项目120个。") == ["东州府城片区", "玉琴湖片区"]


def test_zone_named_after_a_lake_town_is_one_name() -> None:
    text = "截至目前，丙山—青鱼湖—丁峰“山水清音”县域风貌区日前入选市级风貌示范名单。"
    assert names(text) == ["丙山—青鱼湖—丁峰“山水清音”县域风貌区"]


@pytest.mark.parametrize(
    "text",
    [
        "创建美丽乡村示范村12个，背街小巷整治一并推进。",
        "走好乡村振兴之路，探索共同富裕新路径，村容村貌整治提升。",
        "召开全市城市工作会议，印发《城市建设行动方案》，成立城市建设专班。",
    ],
)
def test_policy_sentences_name_no_site(text: str) -> None:
    assert names(text) == []
