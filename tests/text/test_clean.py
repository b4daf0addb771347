"""Tests for geo.text.clean: each rule on its own (on sentences written for it), the seed reports end to
end, clean reports untouched."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
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

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
SEEDS = sorted(SOURCES.glob("*.txt"))
SEED = SOURCES / "000_adb8b547a985f849.txt"
DEV = ROOT.parent / "shared" / "eval" / "dev"
CLEAN_REPORTS = [SOURCES / "002_baa0c397a6a27755.txt", *sorted(DEV.glob("*.txt"))]

_WS = re.compile(r"\s+")
_TRIPLE_REPEAT = re.compile(r"([\u4e00-\u9fff]{3,})\1")


def squeeze(text: str) -> str:
    return _WS.sub("", text)


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
        ("岁月如歌再启程岁月如歌再启程", "岁月如歌再启程"),
        (
            "区交通运输局区交通运输局（（以下简称以下简称““区交通局区交通局”）”）",
            "区交通运输局（以下简称“区交通局”）",
        ),
        ("防汛应急演练动员会防汛应急演练动员会", "防汛应急演练动员会"),
        ("青石大道和柳岸路交叉青石大道和柳岸路交叉口口", "青石大道和柳岸路交叉口"),
        ("55月月2222日日，，区交通运输局区交通运输局", "5月22日，区交通运输局"),
        ("20252025年度交通系统工作会议年度交通系统工作会议", "2025年度交通系统工作会议"),
        ("找差距找差距、、补短板补短板。。", "找差距、补短板。"),
        (
            "大大会通报了会通报了20242024年度交通系统优秀项目年度交通系统优秀项目",
            "大会通报了2024年度交通系统优秀项目",
        ),
        # a real 常常 inside a doubled line was drawn as 常常常常
        ("我们我们常常常常看看看看，，", "我们常常看看，"),
        # a phrase that itself starts with a repeat
        ("常常见常常见", "常常见"),
        # drawn four times
        ("现场督查现场督查现场督查现场督查", "现场督查"),
    ],
)
def test_undouble_doubled_regions(doubled: str, single: str) -> None:
    assert undouble_line(doubled) == single


def test_undouble_strong_stretch_inside_a_normal_line() -> None:
    line = "为此，携手同行谱新篇携手同行谱新篇。。55月月2222日日，，我们召开会议，讨论常常被忽略的问题"
    assert undouble_line(line) == "为此，携手同行谱新篇。5月22日，我们召开会议，讨论常常被忽略的问题"


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
        "达标数量位居全区第2,全市第4",
        "……",
        "——————",
        "远眺……",
        "哈哈哈哈哈哈",
        "高高兴兴快快乐乐",
        "大家高高兴兴快快乐乐地过年",
        "研究研究，一步一步",
        "2021甲县城区计划改造15个旧厂房 2021甲县城区计划改造15个旧厂房在哪里",
        "22个旧村落分别是",
    ],
)
def test_undouble_leaves_real_repeats(line: str) -> None:
    assert undouble_line(line) == line


# --- collapse_repeated_phrases ------------------------------------------------------------


def test_collapse_repeated_phrase() -> None:
    assert collapse_repeated_phrases("携手同行谱新篇携手同行谱新篇2024年") == "携手同行谱新篇2024年"
    assert collapse_repeated_phrases("现场督查现场督查现场督查") == "现场督查"


@pytest.mark.parametrize("text", ["研究研究", "一步一步", "哈哈哈哈哈哈", "城市更新，城市更新", "看看"])
def test_collapse_leaves_short_and_separated_repeats(text: str) -> None:
    assert collapse_repeated_phrases(text) == text


# --- close_cjk_spacing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spaced", "closed"),
    [
        ("区 政 府 工 作 安 排", "区政府工作安排"),
        ("全 年 新 建 6", "全年新建6"),
        ("委 、区 政 府 工 作 安 排 ，走 好 新 的 路", "委、区政府工作安排，走好新的路"),
        ("峰 — 石 湾“ 云 水 间", "峰—石湾“云水间"),
        ("2024 年，区交通局认真落实区", "2024年，区交通局认真落实区"),
        ("队、5 个区检查组，以查", "队、5个区检查组，以查"),
        ("设 6 个 区 级 检 查", "设6个区级检查"),
        ("供 水“5+2”修", "供水“5+2”修"),
        ("开 2025年度", "开2025年度"),
    ],
)
def test_close_letter_spacing(spaced: str, closed: str) -> None:
    assert close_cjk_spacing(spaced) == closed


@pytest.mark.parametrize(
    "text",
    [
        "通讯员 李明远",
        "Hello world",
        "13.08 km",
        "He said “hello” — then left.",
        "2019年05月12日 10:15:30 来源: 甲乙日报 记者 王小川",
        "绿色乙镇 活力满城",
        "甲省在线 > 甲省新闻",
        "旧厂房 2021甲县",
    ],
)
def test_close_keeps_word_spaces(text: str) -> None:
    assert close_cjk_spacing(text) == text


# --- join_wrapped_lines -------------------------------------------------------------------

BODY = [
    "区交通局围绕出行需求，认真做好",
    "线路规划、站点设置和运营管理等工作，",
    "推动公共交通便捷高效发展。",
]


def test_join_lines_broken_mid_sentence() -> None:
    lines = [
        "2024年，区交通局认真落实区",
        "委、区政府工作安排，坚持问题导",
        "向、聚焦群众需求、提升出行品质、",
        "助力城乡融合。",
    ]
    assert join_wrapped_lines(lines) == [
        "2024年，区交通局认真落实区委、区政府工作安排，坚持问题导向、聚焦群众需求、提升出行品质、助力城乡融合。"
    ]


def test_join_keeps_heading_pair_apart_from_body() -> None:
    out = join_wrapped_lines(["优化公交线网", "方便群众出行", *BODY])
    assert out == ["优化公交线网", "方便群众出行", "".join(BODY)]


def test_join_keeps_byline_and_captions_apart() -> None:
    lines = ["通讯员 李明远", *BODY, "青石大道和柳岸路交叉口", "现场督查"]
    assert join_wrapped_lines(lines) == [
        "通讯员 李明远",
        "".join(BODY),
        "青石大道和柳岸路交叉口",
        "现场督查",
    ]


def test_join_paragraph_whose_first_line_has_no_punctuation() -> None:
    lines = ["公共交通连接着城市生活的方方", "面面，是城市运转和居民出行的重要支", "撑。", *BODY]
    assert join_wrapped_lines(lines)[0] == "公共交通连接着城市生活的方方面面，是城市运转和居民出行的重要支撑。"


def test_join_text_tapering_around_a_picture() -> None:
    taper = [
        "这一年，区交通局加",
        "强道路养护巡查监",
        "管，全年完成6",
        "轮全线路排查检",
        "查，多次在全",
        "市交通考核",
        "工作中名列",
        "前茅行列。",
    ]
    out = join_wrapped_lines([*BODY, *taper, *BODY])
    assert out == ["".join(BODY), "".join(taper), "".join(BODY)]


def test_join_keeps_list_entries_apart() -> None:
    lines = [
        "十年·纪事",
        "2012年8月20日,区图书馆(区文化中心配套)项目开工",
        "2014年11月5日,甲乙线全线通车",
        "2016年3月18日,青石大桥正式通车",
    ]
    assert join_wrapped_lines(lines) == lines


def test_join_page_break_in_one_paragraph_per_line_text() -> None:
    first = "公交线网优化提升。深化全域推进公交线网建设,深入实施城乡公交一"
    rest = (
        "体化改革。今年计划新增公交线路5条,全面推进12个已列入计划站点的建设工作。"
    )
    assert join_wrapped_lines(["## 以“便民利民”为抓手 打造全域畅行", first, rest]) == [
        "## 以“便民利民”为抓手 打造全域畅行",
        first + rest,
    ]


def test_join_ascii_words_with_a_space() -> None:
    assert join_wrapped_lines(["This line is wrapped in the", "middle of a sentence."]) == [
        "This line is wrapped in the middle of a sentence."
    ]
    assert join_wrapped_lines(["机，统筹推进东关、西岭、新华街等“5+", "M”区块改造。"]) == [
        "机，统筹推进东关、西岭、新华街等“5+M”区块改造。"
    ]


def test_join_sentence_end_with_closing_quote() -> None:
    assert join_wrapped_lines(["他说：“好。”", "下一段。"]) == ["他说：“好。”", "下一段。"]
    assert join_wrapped_lines(["打造“滨水绿廊”", "“夜甲湖”风景线。"]) == ["打造“滨水绿廊”“夜甲湖”风景线。"]


# --- clean_text on snippets ---------------------------------------------------------------


def test_clean_doubled_characters_across_a_line_break() -> None:
    raw = "55月月2222日日，，区交通运输局区交通运输局召召\n开开 20252025年度交通系统工作会议年度交通系统工作会议。。"
    assert clean_text(raw) == "5月22日，区交通运输局召开2025年度交通系统工作会议。"


def test_clean_spaced_and_broken_phrase() -> None:
    raw = "这一年，甲岭—乙溪“云水之乡”\n\n风貌带、丙山—丁\n\n峰 — 石 湾“ 云 水 之\n\n间”风貌带列入市级示范名单。"
    assert "丙山—丁峰—石湾“云水之间”风貌带" in clean_text(raw)


def test_clean_paragraphs_are_separated_by_a_blank_line() -> None:
    raw = "回望2024年\r\n携手同行谱新篇\r\n\r\n" + "\r\n\r\n".join(BODY)
    assert clean_text(raw) == "回望2024年\n\n携手同行谱新篇\n\n" + "".join(BODY)


def test_clean_phrase_doubled_across_a_line_break() -> None:
    raw = "区交通局将牢记服务群众出行的职责，树立系统观念系\n\n统观念，全力推进线网优化。"
    assert clean_text(raw) == "区交通局将牢记服务群众出行的职责，树立系统观念，全力推进线网优化。"


def test_clean_keeps_inner_tabs_and_ascii() -> None:
    assert clean_text("Name\tValue") == "Name\tValue"
    assert clean_text("  Hello   world  ") == "Hello   world"


def test_clean_empty_and_blank() -> None:
    assert clean_text("") == ""
    assert clean_text(" \n\u3000\r\n\t\x00") == ""


# --- a report's layout ----------------------------------------------------------------------

LAYOUT = (
    "通讯员 李明远\n\n回望2024年\n携手同行谱新篇\n\n回首2023年\n"
    "这一年，区交通局围绕出行需求，认真做好线路规划、站\n\n点设置和运营管理等工作，推动公共交通便\n\n捷高效发展。\n\n"
    "优化公交线网\n方便群众出行\n\n区交通局新开公交线路5条，\n\n全年新增站点30个。\n\n"
    "青石大道和柳岸路交叉口\n\n现场督查\n\n"
    "一年之计在于春。新的一年，区交通局将继续推进线网优化。"
)


def test_headings_captions_and_byline_are_paragraphs_of_their_own() -> None:
    paragraphs = clean_text(LAYOUT).split("\n\n")
    for line in ["通讯员 李明远", "回望2024年", "携手同行谱新篇", "回首2023年", "优化公交线网", "方便群众出行",
                 "青石大道和柳岸路交叉口", "现场督查"]:
        assert line in paragraphs
    after = {p: paragraphs[i + 1] for i, p in enumerate(paragraphs[:-1])}
    assert after["携手同行谱新篇"] == "回首2023年"
    assert after["回首2023年"] == (
        "这一年，区交通局围绕出行需求，认真做好线路规划、站点设置和运营管理等工作，推动公共交通便捷高效发展。"
    )
    assert after["方便群众出行"] == "区交通局新开公交线路5条，全年新增站点30个。"
    assert after["现场督查"].startswith("一年之计在于春")


# --- the seed reports ---------------------------------------------------------------------

GOLD = ROOT.parent / "shared" / "eval" / "gold_seeds.jsonl"


def _gold_sentences() -> list[tuple[str, str]]:
    """(seed report, sentence) of every site the evaluation kit lists for the seed reports."""
    if not GOLD.exists():
        return []
    rows = [json.loads(ln) for ln in GOLD.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return sorted({(r["doc"], r["sentence"]) for r in rows})


@cache
def _cleaned(name: str) -> str:
    return clean_text((SOURCES / name).read_text(encoding="utf-8"))


def test_seed_gold_sentences_found() -> None:
    if not GOLD.exists():
        pytest.skip(f"{GOLD} is not there")
    assert {doc for doc, _ in _gold_sentences()} == {p.name for p in SOURCES.glob("*.txt")}


@pytest.mark.parametrize(("doc", "sentence"), _gold_sentences())
def test_seed_sentence_recovered(doc: str, sentence: str) -> None:
    """Each sentence the kit quotes for a seed site comes out of the cleaner whole; one that ends a
    sentence lies inside one paragraph (no heading or caption glued into it, no break inside)."""
    cleaned = _cleaned(doc)
    assert squeeze(sentence) in squeeze(cleaned)
    if sentence.endswith("。"):
        assert any(squeeze(sentence) in squeeze(p) for p in cleaned.split("\n\n"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_has_no_repeated_phrase(path: Path) -> None:
    assert _TRIPLE_REPEAT.search(_cleaned(path.name)) is None


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_is_idempotent(path: Path) -> None:
    once = _cleaned(path.name)
    assert clean_text(once) == once


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
        "岁月如歌再启程",
        "现场督查",
        "认真做好",
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
    line = "岁月如歌再启程岁月如歌再启程，，" * 5_000
    assert clean_text(line).startswith("岁月如歌再启程，")


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
