"""Reports shown by their title, issuer and date, the file name kept beside them (geo/web/reports.py)."""

from __future__ import annotations

from geo.web.reports import about_of, date_label, documents_about, report_label, report_option

ABOUT = {"title": "旧城改造工作要点", "issuer": "某县城市管理局", "date": "2031-04-09"}


def test_dates_in_each_language() -> None:
    assert [date_label(d, "zh") for d in ("2031-04-09", "2031-04", "2031")] == ["2031年4月9日", "2031年4月", "2031年"]
    assert [date_label(d, "en") for d in ("2031-04-09", "2031-04", "2031")] == ["2031-04-09", "2031-04", "2031"]
    assert date_label("去年春天", "en") == "去年春天"  # a manifest's own wording stays as written


def test_a_report_reads_by_its_title_issuer_and_date() -> None:
    assert report_label("a.txt", ABOUT, "zh") == "旧城改造工作要点（某县城市管理局，2031年4月9日）"
    assert report_label("a.txt", ABOUT, "en") == "旧城改造工作要点 (某县城市管理局, 2031-04-09)"
    assert report_label("a.txt", {"date": "2031"}, "zh") == "a.txt（2031年）"  # no title: the file name
    assert report_label("a.txt", {}, "zh") == "a.txt"


def test_a_list_line_keeps_the_file_name_after_the_title() -> None:
    assert report_option("a.txt", ABOUT, "zh") == "旧城改造工作要点（某县城市管理局，2031年4月9日） · 文件 a.txt"
    assert report_option("a.txt", {"title": "小结"}, "en") == "小结 · file a.txt"
    assert report_option("a.txt", {}, "en") == "a.txt"


def test_what_a_source_entry_says_of_its_report() -> None:
    source = {"doc": "a.txt", "quote": "q", "title": "小结", "issuer": "", "date": None}
    assert about_of(source) == {"title": "小结"}
    docs = documents_about([(("a.txt", "b.txt"), ({}, {"title": "乙"})), (("a.txt",), ({"title": "甲"},))])
    assert docs == {"a.txt": {"title": "甲"}, "b.txt": {"title": "乙"}}
