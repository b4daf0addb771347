"""Popup HTML: every piece of report text escaped, the name highlighted, all statements quoted."""

from __future__ import annotations

from conftest import XSS_IMG, XSS_IMG_PWN, XSS_SCRIPT, fixture_layers

from geo.web.popup import esc, highlight, popup_html, statements


def test_highlight_escapes_around_the_name() -> None:
    out = highlight("建设<b>塔山公园</b>与塔山公园", "塔山公园")
    assert out == "建设&lt;b&gt;<mark>塔山公园</mark>&lt;/b&gt;与<mark>塔山公园</mark>"


def test_highlight_escapes_a_name_with_markup() -> None:
    assert highlight("x<i>y", "<i>") == "x<mark>&lt;i&gt;</mark>y"


def test_payloads_never_reach_the_html_raw() -> None:
    props = {
        "name": "方岩<svg onload=alert(1)>",
        "kind": "k<script>",
        "status": "planned",
        "county": "<u>县</u>",
        "precision": "exact",
        "uncertainty_m": 10,
        "location_source": "<img src=y>",
        "sources": [{"doc": "<i>doc</i>.txt", "quote": f"a{XSS_IMG}b{XSS_SCRIPT}c{XSS_IMG_PWN}"}],
    }
    html = popup_html(props, "scenic", "zh")
    for raw in (XSS_IMG, XSS_SCRIPT, XSS_IMG_PWN, "<svg", "<u>县", "<i>doc", "<img src=y>", "k<script>"):
        assert raw not in html
    assert esc(XSS_IMG) in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;i&gt;doc&lt;/i&gt;.txt" in html


def test_popup_lists_every_statement_with_its_document() -> None:
    park = fixture_layers()["parks"][0]["properties"]
    html = popup_html(park, "parks", "en")
    assert html.count("<blockquote>") == 2
    assert "<mark>塔山公园</mark>改造提升工程已完工" in html
    assert "2024年永康市政府工作报告.txt" in html and "永康市住建局2024年工作总结.txt" in html
    assert "Parks" in html and "Park" in html and "Completed" in html and "永康市" in html
    assert "gazetteer" in html and "Exact" in html


def test_popup_in_chinese_says_how_it_was_located() -> None:
    r3 = fixture_layers()["renewal"][2]["properties"]
    html = popup_html(r3, "renewal", "zh")
    assert "乡镇级" in html and "3 公里" in html and "township seat" in html and "计划" in html


def test_statements_skips_duplicates_and_junk() -> None:
    props = {
        "sources": [
            {"doc": "a", "quote": "q"},
            {"doc": "a", "quote": "q"},
            "junk",
            {"doc": "b", "quote": "r"},
        ]
    }
    assert statements(props) == [("a", "q", ""), ("b", "r", "")]


def test_highlight_the_name_as_written_in_the_statement() -> None:
    props = {
        "name": "狮子山休闲公园石笋山入口",
        "sources": [
            {
                "doc": "d.txt",
                "quote": "狮子山休闲公园石笋山入口等4个节点，石笋山入口<b>",
                "surface": "石笋山入口",
            }
        ],
    }
    html = popup_html(props, "parks", "zh")
    assert "<mark>狮子山休闲公园石笋山入口</mark>等4个节点，<mark>石笋山入口</mark>&lt;b&gt;" in html


def test_highlight_escapes_every_piece() -> None:
    assert (
        highlight("<a>塔山&塔山公园", "塔山", "塔山公园")
        == "&lt;a&gt;<mark>塔山</mark>&amp;<mark>塔山公园</mark>"
    )
    assert highlight("x", "") == "x"


def test_the_english_popup_gives_the_names_pinyin_the_chinese_one_does_not() -> None:
    park = fixture_layers()["parks"][0]["properties"]
    assert '<h4>塔山公园</h4><p class="pinyin">tǎ shān gōng yuán</p>' in popup_html(park, "parks", "en")
    assert "pinyin" not in popup_html(park, "parks", "zh")
    odd = {**park, "name": "<b>x</b>公园"}
    assert '<p class="pinyin">&lt;b&gt;x&lt;/b&gt; gōng yuán</p>' in popup_html(odd, "parks", "en")


def test_a_report_is_cited_by_its_title_with_the_file_name_small_and_escaped() -> None:
    about = {"title": "年度<b>回顾</b>", "issuer": "某区住房和城乡建设局", "date": "2032-02-01"}
    props = {"name": "n", "status": "planned", "precision": "exact", "uncertainty_m": 5,
             "sources": [{"doc": "x<i>.txt", "quote": "q", **about}, {"doc": "plain.txt", "quote": "r"}]}
    zh = popup_html(props, "parks", "zh")
    assert "年度&lt;b&gt;回顾&lt;/b&gt;（某区住房和城乡建设局，2032年2月1日）" in zh
    assert '<small class="file">文件：x&lt;i&gt;.txt</small>' in zh and 'title="文件：x&lt;i&gt;.txt"' in zh
    assert "<cite>plain.txt</cite>" in zh  # no title: the file name as before
    en = popup_html(props, "parks", "en")
    assert "年度&lt;b&gt;回顾&lt;/b&gt; (某区住房和城乡建设局, 2032-02-01)" in en and "File: x&lt;i&gt;.txt" in en
