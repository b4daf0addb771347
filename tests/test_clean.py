"""Tests for geo.text.clean: each rule on its own, the seed report end to end, clean reports untouched."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.text.clean import (
    clean_text,
    close_cjk_spacing,
    collapse_repeated_phrases,
    join_wrapped_lines,
    normalize_whitespace,
    undouble_line,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
SEED = SOURCES / "000_adb8b547a985f849.txt"
DEV = ROOT.parent / "shared" / "eval" / "dev"
CLEAN_REPORTS = [SOURCES / "002_baa0c397a6a27755.txt", *sorted(DEV.glob("*.txt"))]

_WS = re.compile(r"\s+")
_TRIPLE_REPEAT = re.compile(r"([\u4e00-\u9fff]{3,})\1")


def squeeze(text: str) -> str:
    return _WS.sub("", text)


@pytest.fixture(scope="module")
def seed_clean() -> str:
    return clean_text(SEED.read_text(encoding="utf-8"))


# --- normalize_whitespace -----------------------------------------------------------------


def test_normalize_newlines_and_spaces() -> None:
    assert normalize_whitespace("a\r\nb\rc\x0cd") == "a\nb\nc\nd"
    assert normalize_whitespace("市\u3000政\u00a0府") == "市 政 府"


def test_normalize_strips_control_characters_but_tab_and_newline() -> None:
    assert normalize_whitespace("a\x00b\x07c\x1bd\u200be\ufeff") == "abcde"
    assert normalize_whitespace("a\tb\nc") == "a\tb\nc"


# --- undouble_line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doubled", "single"),
    [
        ("春华秋实又一载春华秋实又一载", "春华秋实又一载"),
        (
            "市住房和城乡建设局市住房和城乡建设局（（以下简称以下简称““市建设局市建设局”）”）",
            "市住房和城乡建设局（以下简称“市建设局”）",
        ),
        ("安全文明施工现场会安全文明施工现场会", "安全文明施工现场会"),
        ("五金大道和溪心路交叉五金大道和溪心路交叉口口", "五金大道和溪心路交叉口"),
        ("33月月1111日日，，市住房和城乡建设局市住房和城乡建设局", "3月11日，市住房和城乡建设局"),
        ("20242024年度建设系统工作会议年度建设系统工作会议", "2024年度建设系统工作会议"),
        ("路径路径、、想办法想办法。。", "路径、想办法。"),
        (
            "会会议表彰了议表彰了20232023年度建设系统先进集体年度建设系统先进集体",
            "会议表彰了2023年度建设系统先进集体",
        ),
        # a real 常常 inside a doubled line was drawn as 常常常常
        ("我们我们常常常常看看看看，，", "我们常常看看，"),
        # a phrase that itself starts with a repeat
        ("常常见常常见", "常常见"),
        # drawn four times
        ("工地调研工地调研工地调研工地调研", "工地调研"),
    ],
)
def test_undouble_doubled_regions(doubled: str, single: str) -> None:
    assert undouble_line(doubled) == single


def test_undouble_strong_stretch_inside_a_normal_line() -> None:
    line = "为此，砥砺奋进启新程砥砺奋进启新程。。33月月1111日日，，我们召开会议，讨论常常被忽略的问题"
    assert undouble_line(line) == "为此，砥砺奋进启新程。3月11日，我们召开会议，讨论常常被忽略的问题"


@pytest.mark.parametrize(
    "line",
    [
        "常常",
        "天天",
        "看看",
        "我们常常去看看，天天向上。",
        "2022年",
        "共1111户",
        "1111",
        "88888888",
        "完成率100%",
        "创成数量位列全市第1,全省第3",
        "……",
        "——————",
        "远眺……",
        "哈哈哈哈哈哈",
        "高高兴兴快快乐乐",
        "大家高高兴兴快快乐乐地过年",
        "研究研究，一步一步",
        "2020宜兴城区计划改造20个老旧小区 2020宜兴城区计划改造20个老旧小区有多少",
        "11个城中村具体包括",
    ],
)
def test_undouble_leaves_real_repeats(line: str) -> None:
    assert undouble_line(line) == line


# --- collapse_repeated_phrases ------------------------------------------------------------


def test_collapse_repeated_phrase() -> None:
    assert collapse_repeated_phrases("勇毅前行续华章勇毅前行续华章2023年") == "勇毅前行续华章2023年"
    assert collapse_repeated_phrases("工地调研工地调研工地调研") == "工地调研"


@pytest.mark.parametrize("text", ["研究研究", "一步一步", "哈哈哈哈哈哈", "城市更新，城市更新", "看看"])
def test_collapse_leaves_short_and_separated_repeats(text: str) -> None:
    assert collapse_repeated_phrases(text) == text


# --- close_cjk_spacing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spaced", "closed"),
    [
        ("市 政 府 决 策 部 署", "市政府决策部署"),
        ("全 年 完 成 4", "全年完成4"),
        ("委 、市 政 府 决 策 部 署 ，高 扬 党 的 旗", "委、市政府决策部署，高扬党的旗"),
        ("岩 — 舟 山“ 胡 公 古", "岩—舟山“胡公古"),
        ("2023 年，市建设局坚决贯彻市", "2023年，市建设局坚决贯彻市"),
        ("组、3 个局督导组，以明", "组、3个局督导组，以明"),
        ("立 8 个 市 级 督 导", "立8个市级督导"),
        ("燃 气“7+1”改", "燃气“7+1”改"),
        ("行 2024年度", "行2024年度"),
    ],
)
def test_close_letter_spacing(spaced: str, closed: str) -> None:
    assert close_cjk_spacing(spaced) == closed


@pytest.mark.parametrize(
    "text",
    [
        "融媒记者 郑旭华",
        "Hello world",
        "13.08 km",
        "He said “hello” — then left.",
        "2017年03月07日 08:29:58 来源: 杭州日报 记者 方亮",
        "美丽临海 精彩蝶变",
        "浙江在线 > 浙江新闻",
        "老旧小区 2020宜兴",
    ],
)
def test_close_keeps_word_spaces(text: str) -> None:
    assert close_cjk_spacing(text) == text


# --- join_wrapped_lines -------------------------------------------------------------------

BODY = [
    "市建设局紧盯产业发展，全力做好",
    "服务指导、规范行业市场管理等工作，",
    "助力建筑业平稳健康发展。",
]


def test_join_lines_broken_mid_sentence() -> None:
    lines = [
        "2023年，市建设局坚决贯彻市",
        "委、市政府决策部署，高扬党的旗",
        "帜、立足住建本职、提升城市品质、",
        "助力乡村振兴。",
    ]
    assert join_wrapped_lines(lines) == [
        "2023年，市建设局坚决贯彻市委、市政府决策部署，高扬党的旗帜、立足住建本职、提升城市品质、助力乡村振兴。"
    ]


def test_join_keeps_heading_pair_apart_from_body() -> None:
    out = join_wrapped_lines(["做优行业指导", "护航经济发展", *BODY])
    assert out == ["做优行业指导", "护航经济发展", "".join(BODY)]


def test_join_keeps_byline_and_captions_apart() -> None:
    lines = ["融媒记者 郑旭华", *BODY, "五金大道和溪心路交叉口", "工地调研"]
    assert join_wrapped_lines(lines) == [
        "融媒记者 郑旭华",
        "".join(BODY),
        "五金大道和溪心路交叉口",
        "工地调研",
    ]


def test_join_paragraph_whose_first_line_has_no_punctuation() -> None:
    lines = ["城市更新伴随着城市建设的全过", "程，是城市持续发展和繁荣的驱动", "器。", *BODY]
    assert join_wrapped_lines(lines)[0] == "城市更新伴随着城市建设的全过程，是城市持续发展和繁荣的驱动器。"


def test_join_text_tapering_around_a_picture() -> None:
    taper = [
        "这一年，市建设局强",
        "化建筑施工安全监",
        "管，全年完成4",
        "轮全覆盖式检",
        "查，多次在金",
        "华交叉检查",
        "工作中位列",
        "第一方阵。",
    ]
    out = join_wrapped_lines([*BODY, *taper, *BODY])
    assert out == ["".join(BODY), "".join(taper), "".join(BODY)]


def test_join_keeps_list_entries_apart() -> None:
    lines = [
        "五年·记事",
        "2011年9月30日,市新医院(市人民医院异地迁建)项目奠基",
        "2013年10月1日,罗小线全线贯通",
        "2015年2月11日,剡溪大桥正式通车",
    ]
    assert join_wrapped_lines(lines) == lines


def test_join_page_break_in_one_paragraph_per_line_text() -> None:
    first = "未来社区扩面提质。深化全域推进未来社区建设,深入实施城镇社区共"
    rest = (
        "服务集成落地改革。今年计划新增未来社区省级试点项目3个,全面推进16个已入围省级试点社区的项目建设工作。"
    )
    assert join_wrapped_lines(["## 以“统筹集成”为抓手 打造全域大美", first, rest]) == [
        "## 以“统筹集成”为抓手 打造全域大美",
        first + rest,
    ]


def test_join_ascii_words_with_a_space() -> None:
    assert join_wrapped_lines(["This line is wrapped in the", "middle of a sentence."]) == [
        "This line is wrapped in the middle of a sentence."
    ]
    assert join_wrapped_lines(["机，统筹推进站前、河头、胜利街等“7+", "N”区块改造。"]) == [
        "机，统筹推进站前、河头、胜利街等“7+N”区块改造。"
    ]


def test_join_sentence_end_with_closing_quote() -> None:
    assert join_wrapped_lines(["他说：“好。”", "下一段。"]) == ["他说：“好。”", "下一段。"]
    assert join_wrapped_lines(["打造“城市绿链”", "“夜漓江”风景线。"]) == ["打造“城市绿链”“夜漓江”风景线。"]


# --- clean_text on snippets ---------------------------------------------------------------


def test_clean_doubled_characters_across_a_line_break() -> None:
    raw = "33月月1111日日，，市住房和城乡建设局市住房和城乡建设局举举\n行行 20242024年度建设系统工作会议年度建设系统工作会议。。"
    assert clean_text(raw) == "3月11日，市住房和城乡建设局举行2024年度建设系统工作会议。"


def test_clean_spaced_and_broken_phrase() -> None:
    raw = "这一年，龙山—西溪“状元故里”\n\n县域风貌区、古山—方\n\n岩 — 舟 山“ 胡 公 古\n\n韵”县域风貌区获评省级城乡风貌样板区。"
    assert "古山—方岩—舟山“胡公古韵”县域风貌区" in clean_text(raw)


def test_clean_paragraphs_are_separated_by_a_blank_line() -> None:
    raw = "展望2024年\r\n勇毅前行续华章\r\n\r\n" + "\r\n\r\n".join(BODY)
    assert clean_text(raw) == "展望2024年\n\n勇毅前行续华章\n\n" + "".join(BODY)


def test_clean_phrase_doubled_across_a_line_break() -> None:
    raw = "市建设局将勇担新时代城市建设者的使命，树立全局意识全\n\n局意识，全力推进城市更新。"
    assert clean_text(raw) == "市建设局将勇担新时代城市建设者的使命，树立全局意识，全力推进城市更新。"


def test_clean_keeps_inner_tabs_and_ascii() -> None:
    assert clean_text("Name\tValue") == "Name\tValue"
    assert clean_text("  Hello   world  ") == "Hello   world"


def test_clean_empty_and_blank() -> None:
    assert clean_text("") == ""
    assert clean_text(" \n\u3000\r\n\t\x00") == ""


# --- the seed report ----------------------------------------------------------------------

SEED_SENTENCES = [
    "这一年，我市及南苑片区、老四方区块分别纳入省级城市更新试点城市及试点片区、试点项目名单；年度投资额、"
    "拆除量位居金华前列，获评2023年度城市更新考核优秀单位。",
    "这一年，龙山—西溪“状元故里”县域风貌区、古山—方岩—舟山“胡公古韵”县域风貌区获评省级城乡风貌样板区；"
    "溪心未来社区和塔海未来社区获评省级引领型未来社区，赫灵未来社区获评省级普惠型未来社区。",
    "新的一年，聚焦城市提能，市建设局将坚持“一城一带三轴三区五廊”总体谋划，联动开展城市风貌提升，"
    "推进未来社区全域化建设，分别创建2个省级未来社区、2个城乡风貌样板区、2个现代化美丽城镇；"
    "开工建设塔山公园、三江六岸沿线建筑亮化，推进苏溪湿地公园建设，新增绿道8公里，构建生态化公园体系；"
    "推进引山入城，打造“城市绿链”“夜漓江”风景线，引领城市品质蝶变。",
    "市建设局还将以省级城市更新试点为契机，统筹推进站前、河头、胜利街等“7+N”区块改造，"
    "加快推进南苑、塔海、黄棠等5个区块安置房建设。",
    "新的一年，聚焦交通提级，市建设局将全面统领片区化、项目化城市建设，开工建设解放南路，打通九鼎路等断头路，"
    "加速南四环东延一期及二期工程、西塔路北延工程、丽州北路延伸等入城口建设，优化道路断面改造，"
    "综合整治金胜路、飞凤路等道路，推动重大项目落地。",
    "新的一年，聚焦文化提质，市建设局将加速推进胡公文化展示中心等项目进场施工，"
    "确保胡公文化旅游项目以及塔山文旅配套开发项目尽早落地，打造一批标志性更新项目。",
    "五金大道和溪心路交叉口",
    "3月11日，市住房和城乡建设局（以下简称“市建设局”）举行2024年度建设系统工作会议，回顾总结过去一年住建工作完成情况，",
]
SEED_HEADINGS = ["展望2024年", "勇毅前行续华章", "聚焦城市更新", "加快提档升级", "筑风貌塑肌理"]


@pytest.mark.parametrize("sentence", SEED_SENTENCES)
def test_seed_sentence_recovered(seed_clean: str, sentence: str) -> None:
    assert squeeze(sentence) in squeeze(seed_clean)


def test_seed_has_no_repeated_phrase(seed_clean: str) -> None:
    assert _TRIPLE_REPEAT.search(seed_clean) is None


@pytest.mark.parametrize("heading", [*SEED_HEADINGS, "五金大道和溪心路交叉口", "融媒记者 郑旭华", "工地调研"])
def test_seed_heading_is_a_line_of_its_own(seed_clean: str, heading: str) -> None:
    assert heading in seed_clean.split("\n")


def test_seed_body_after_headings_starts_a_new_line(seed_clean: str) -> None:
    paragraphs = seed_clean.split("\n\n")
    after = {p: paragraphs[i + 1] for i, p in enumerate(paragraphs[:-1])}
    assert after["勇毅前行续华章"] == "回首2023年"
    assert after["加快提档升级"].startswith("城市更新伴随着城市建设的全过程")
    assert after["护航经济发展"].startswith("市建设局紧盯产业发展")
    assert after["构建发展新优势"].startswith("市建设局聚焦城乡风貌整治提升")
    assert after["工地调研" if "工地调研" in after else "五金大道和溪心路交叉口"] in {"工地调研"}
    assert after["三方协同工作现场会"].startswith("一元复始开新宇")


def test_seed_caption_is_not_glued_to_body(seed_clean: str) -> None:
    caption = "五金大道和溪心路交叉口"
    for paragraph in seed_clean.split("\n\n"):
        if caption in paragraph:
            assert paragraph == caption


def test_seed_is_idempotent(seed_clean: str) -> None:
    assert clean_text(seed_clean) == seed_clean


# --- clean reports ------------------------------------------------------------------------


def _report_id(path: Path) -> str:
    return path.name


@pytest.mark.parametrize("path", CLEAN_REPORTS, ids=_report_id)
def test_clean_report_keeps_every_character(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert squeeze(clean_text(text)) == squeeze(text)


@pytest.mark.parametrize("path", CLEAN_REPORTS, ids=_report_id)
def test_clean_report_is_idempotent(path: Path) -> None:
    once = clean_text(path.read_text(encoding="utf-8"))
    assert clean_text(once) == once


def test_clean_reports_found() -> None:
    if not DEV.is_dir():
        pytest.skip(f"{DEV} is not there")
    assert len(CLEAN_REPORTS) >= 7


# --- arbitrary input ----------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        *"市政府城乡建设局更新常天看年月日的一二三",
        *"，。、；：！？“”（）—…·",
        *"0123456789abcXYZ.,!?:-+%",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\u3000",
        "\u00a0",
        "\x00",
        "\x0c",
        "\x85",
        "\u2028",
        "春华秋实又一载",
        "工地调研",
        "全力做好",
        "2024",
        "……",
        "——",
    ]
)


@st.composite
def report_like(draw: st.DrawFn) -> str:
    """Chinese-looking text where some pieces are drawn twice, as bold text is."""
    pieces = draw(st.lists(st.tuples(_PIECES, st.booleans()), max_size=120))
    return "".join(p * 2 if twice else p for p, twice in pieces)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert _is_subsequence(squeeze(once), squeeze(text))


@settings(max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_like())
def test_report_like_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert _is_subsequence(squeeze(once), squeeze(text))


@settings(
    max_examples=20, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.text(min_size=2_000, max_size=20_000, alphabet=st.characters(codec="utf-8")))
def test_long_lines_are_idempotent(text: str) -> None:
    line = text.replace("\n", " ")
    once = clean_text(line)
    assert clean_text(once) == once


def test_very_long_doubled_line() -> None:
    line = "春华秋实又一载春华秋实又一载，，" * 5_000
    assert clean_text(line).startswith("春华秋实又一载，")


# --- speed --------------------------------------------------------------------------------


def _python_steps(text: str) -> int:
    """Lines of Python the cleaner runs on ``text``: a measure of work that load does not change."""
    steps = 0

    def trace(frame: object, event: str, arg: object) -> object:
        nonlocal steps
        if event == "line":
            steps += 1
        return trace

    sys.settrace(trace)
    try:
        clean_text(text)
    finally:
        sys.settrace(None)
    return steps


def test_cleaning_work_grows_linearly() -> None:
    """Twice the text, about twice the work (wall-clock figures: ``bench/clean_bench.py``)."""
    sample = SEED.read_text(encoding="utf-8") + CLEAN_REPORTS[0].read_text(encoding="utf-8")
    once, twice = _python_steps(sample * 2), _python_steps(sample * 4)
    assert twice <= 2.2 * once, (once, twice)
