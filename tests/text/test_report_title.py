"""A report's title, issuing body and date read from its text (geo/text/title.py).

The texts are written for each rule; none comes from a real report.
"""

from __future__ import annotations

from geo.text.title import ReportHeading, date_text, read_heading

BODY = "今年以来，我们围绕城市更新做了大量工作，完成了多项任务。\n下一步，我们将继续推进各项工作。"


def test_a_title_with_a_title_word_its_organ_and_a_signed_date() -> None:
    text = f"甲乙县住房和城乡建设局2031年工作总结\n{BODY}\n甲乙县住房和城乡建设局\n2032年1月5日"
    assert read_heading(text) == ReportHeading("甲乙县住房和城乡建设局2031年工作总结", "甲乙县住房和城乡建设局",
                                               "2032-01-05")


def test_the_first_short_line_before_the_body_is_the_title() -> None:
    assert read_heading(f"山水小城换新颜\n{BODY}").title == "山水小城换新颜"


def test_no_title_when_the_text_opens_with_body() -> None:
    # a short line after the body (a section heading) is not the title
    heading = read_heading(f"{BODY}\n展望明年\n{BODY}")
    assert heading == ReportHeading()


def test_a_marked_heading_after_opening_paragraphs_is_the_title() -> None:
    text = f"{BODY}\n# 奋进新征程 丙丁区城市管理局半年工作回眸\n{BODY}"
    heading = read_heading(text)
    assert heading.title == "奋进新征程 丙丁区城市管理局半年工作回眸"
    assert heading.issuer == "丙丁区城市管理局"


def test_page_furniture_is_skipped_and_a_byline_gives_the_date() -> None:
    text = f"首页 > 新闻 > 正文\n老街巷迎来新面貌\n2030年03月07日 09:15 来源：某某日报 记者 张三\n{BODY}"
    heading = read_heading(text)
    assert heading.title == "老街巷迎来新面貌"
    assert heading.date == "2030-03-07"
    assert heading.issuer == ""  # a newspaper is not an organ


def test_a_line_the_page_repeats_is_the_title() -> None:
    text = f"晚报 电子版\n旧厂房变身文创园\n旧厂房变身文创园\n{BODY}"
    assert read_heading(text).title == "旧厂房变身文创园"


def test_the_year_of_the_title_when_nothing_else_dates_the_report() -> None:
    assert read_heading(f"2029年城市更新工作要点\n{BODY}").date == "2029"


def test_a_dated_list_entry_at_the_top_is_neither_title_nor_date() -> None:
    text = f"城建大事记\n2028年5月1日，新桥正式通车，市民出行更加方便。\n{BODY}"
    heading = read_heading(text)
    assert heading.title == "城建大事记"
    assert heading.date == ""


def test_an_organ_glued_to_other_words_is_not_read_as_issuer() -> None:
    assert read_heading(f"构建城市发展新格局\n{BODY}").issuer == ""


def test_date_text_reads_day_month_and_year() -> None:
    assert date_text("2027-9-3") == "2027-09-03"
    assert date_text("2027年9月") == "2027-09"
    assert date_text("2027") == "2027"
    assert date_text("第13期") == ""


def test_a_signature_with_its_date_on_one_line() -> None:
    text = f"关于旧城改造的情况报告\n{BODY}\n戊己市城市更新中心 2033年12月1日"
    heading = read_heading(text)
    assert (heading.issuer, heading.date) == ("戊己市城市更新中心", "2033-12-01")


def test_a_long_report_is_read_at_its_two_ends() -> None:
    middle = f"{BODY}\n" * 2000
    text = f"城市更新年度报告\n{middle}甲乙县城乡建设局\n2034年7月2日"
    assert read_heading(text) == ReportHeading("城市更新年度报告", "甲乙县城乡建设局", "2034-07-02")
