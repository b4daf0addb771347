"""Refusals and county waits carry a code and fields; the app says them in its language
(``geo.web.notices.refusal_text``, ``geo.web.panels.pending.waiting_why``).

The reports are written for these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.errors import GeoError
from geo.project.project import Project
from geo.project.upload import UploadError, process_upload, save_upload
from geo.web.notices import refusal_text
from geo.web.panels.pending import waiting_why
from geo.web.pending import Waiting
from geo.web.widget_text import css_string, multiselect_css, uploader_css

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
NO_COUNTY = "本年度实施甲公园提升工程，完成乙路改造。".encode()


def english_words(text: str) -> list[str]:
    """Lowercase English words of two letters or more, file suffixes (\\.pdf) aside."""
    rest = re.sub(r"\\?\.[a-z]+", " ", text)
    return re.findall(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])", rest)


def refused(name: str, data: bytes) -> UploadError:
    with pytest.raises(UploadError) as caught:
        process_upload(Project.at(Path("unused")), name, data)
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "code", "zh_words"),
    [
        ("甲.txt", b"", "empty", "空"),
        ("甲.doc", b"x", "unsupported", ".docx"),
        ("甲.xyz", b"x", "unsupported", "不支持"),
        ("甲.pdf", "一段文字".encode(), "wrong_content", "纯文本"),
        ("甲.txt", b"\x00\x01\x02\x03" * 50, "wrong_content", "二进制"),
        ("甲.txt", b"   \n  ", "no_text", "没有可读的文字"),
        ("甲.html", b"<html><body><script>x</script></body></html>", "no_text", "网页"),
        ("甲.txt", NO_COUNTY, "county_unclear", "没有提到县"),
        (".甲.txt", b"x", "hidden_name", "隐藏"),
    ],
)
def test_an_upload_refusal_is_said_in_chinese_and_in_english(name: str, data: bytes, code: str,
                                                             zh_words: str) -> None:
    error = refused(name, data)
    assert error.code == code
    zh, en = refusal_text(error, "zh"), refusal_text(error, "en")
    assert zh_words in zh and english_words(zh) == [], zh
    assert not _CJK.findall(en.replace("甲", "")), en  # the file's name is the only Chinese
    assert str(error).startswith(name) or name in str(error)  # the command line keeps its English


def test_the_county_refusal_names_the_guesses_in_each_language() -> None:
    error = GeoError("the county is unclear").with_code(
        "county_unclear", why="tie", guesses=(("浙江省丽水市缙云县", 3.0), ("浙江省金华市永康市", 2.9)))
    zh = refusal_text(error, "zh")
    assert "可能性相当" in zh and "浙江省丽水市缙云县（3\\.0）、浙江省金华市永康市（2\\.9）" in zh
    assert "two or more counties" in refusal_text(error, "en")


def test_save_refusals_before_any_build_carry_their_codes(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    sources = project.sources
    sources.mkdir(parents=True)
    (sources / "甲.txt").write_bytes(NO_COUNTY)
    cases = [("甲.txt", b"other", None, "name_taken", "已有另一份同名报告"),
             ("乙.txt", NO_COUNTY, None, "already_saved", "已有这份报告"),
             ("丙.txt", b"x", "没有这个县", "unknown_county", "无法识别县名")]
    for name, data, county, code, words in cases:
        with pytest.raises(UploadError) as caught:
            save_upload(project, name, data, county=county)
        assert caught.value.code == code
        zh = refusal_text(caught.value, "zh")
        assert words in zh and english_words(zh) == [], zh


def test_an_error_without_a_code_shows_its_english_as_a_technical_detail() -> None:
    error = UploadError("甲.txt", "something odd")
    assert refusal_text(error, "zh") == "甲\\.txt\\: 技术细节（英文）：something odd"
    assert refusal_text(error, "en") == "甲\\.txt\\: something odd"
    coded_wrong = GeoError("x").with_code("county_unclear")  # a field missing: the words as written
    assert refusal_text(coded_wrong, "en") == "x"


def test_a_waiting_report_says_why_from_its_code_else_as_written() -> None:
    item = Waiting("a.txt", Path("sources.csv"), 2, (), why="too_weak", reason="the evidence is too weak")
    assert waiting_why(item, "zh") == "证据太弱" and waiting_why(item, "en") == "the evidence is too weak"
    older = Waiting("a.txt", Path("sources.csv"), 2, (), reason="the evidence is too weak")
    assert waiting_why(older, "zh") == "the evidence is too weak"  # an older pending file: its words


def test_streamlits_own_widget_words_are_replaced_in_chinese_only() -> None:
    css = uploader_css("zh", 20, ["txt", "md", "html", "htm", "pdf", "docx"]) + multiselect_css("zh")
    for words in ("选择文件", "每个文件不超过 20MB · TXT、MD、HTML、PDF、DOCX", "将文件拖放到这里", "全选"):
        assert css_string(words) in css
    assert 'data-testid="stFileUploaderDropzone"' in css and 'data-key="__select_all__"' in css
    assert uploader_css("en", 20, ["txt"]) == "" and multiselect_css("en") == ""
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'


def test_an_uploads_warnings_are_said_in_each_language_from_their_notes() -> None:
    from geo.web.uploads import warning_texts

    result = process_upload(Project.at(Path("unused")), "甲.txt", "缙云县今年的天气很好。".encode(), county="永康市")
    codes = [code for code, _ in result.notes]
    assert len(result.notes) == len(result.warnings) and codes[0] == "no_sites"
    zh = warning_texts("甲.txt", list(result.warnings), list(result.notes), "zh")
    en = warning_texts("甲.txt", list(result.warnings), list(result.notes), "en")
    assert zh[0] == "甲\\.txt：报告中没有找到项目" and en[0] == "甲\\.txt: no sites found in the report"
    assert all(english_words(w) == [] for w, c in zip(zh, codes, strict=True) if c != "location_problem"), zh
    assert codes[1] == "county_reads_otherwise"  # the county given is not the one the text names
    assert "缙云县" in zh[1] and "永康市" in zh[1] and "会被拒绝" in zh[1]
    older = warning_texts("甲.txt", ["甲.txt: no sites found in the report"], [], "zh")
    assert older == ["甲\\.txt\\: no sites found in the report"]  # without notes: the words as written


def test_a_placement_outside_its_county_is_refused_in_each_language(tmp_path: Path) -> None:
    from geo.locate.admin import county
    from geo.model import Site
    from geo.web.placing import save_placement

    project = Project.at(tmp_path)
    site = Site("甲公园", "park", "parks", "公园", county("永康市"))
    outcome = save_placement(project, {"id": site.id, "name": site.name, "county": "永康市"}, 39.9, 116.4,
                             "n", "w")
    assert outcome.key == "place_refused" and outcome.fmt["error"].code == "outside_county"
    zh, en = outcome.text("zh"), outcome.text("en")
    shown = zh.replace("\\", "").replace(site.id, "").replace("WGS-84", "")  # the site's id aside
    assert "位于永康市之外" in zh and english_words(shown) == [], zh
    assert "lies outside 永康市" in en and not project.overrides.exists()
