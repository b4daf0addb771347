"""The per-report unit: one report's text in, its county, year and mentions out."""

from pathlib import Path

from geo.report.pipeline import COUNTY_SAMPLE_CHARS, document_year, process_text


def test_county_is_read_from_a_bounded_opening_sample() -> None:
    opening = "永康市建设局召开工作会议。市建设局将开工建设塔山公园。\n"
    filler = "各项工作稳步推进。\n" * (COUNTY_SAMPLE_CHARS // 10)
    tail = "德清县德清县德清县。\n" * 1000  # beyond the sample: not read for the county
    result = process_text(opening + filler + tail, "long.txt")
    assert result.county is not None and result.county.key == "永康市"
    assert [m.mention.name for m in result.mentions][:1] == ["塔山公园"]


def test_document_year_is_the_year_spoken_of_most() -> None:
    assert document_year("2023年完成。2023年推进。2024年计划。") == 2023
    assert document_year("2022年与2023年") == 2023  # the latest on a tie
    assert document_year("没有年份") is None


def test_title_issuer_and_date_are_read_from_the_text() -> None:
    body = "市建设局将开工建设塔山公园，完成道路、管网和绿化等多项工作，城市面貌明显改善，群众满意度不断提高。\n"
    text = f"永康市住房和城乡建设局2030年工作总结\n{body}永康市住房和城乡建设局\n2031年1月8日\n"
    result = process_text(text, "report.txt")
    assert (result.title, result.issuer, result.date) == ("永康市住房和城乡建设局2030年工作总结",
                                                          "永康市住房和城乡建设局", "2031-01-08")
    assert result.about() == {"title": result.title, "issuer": result.issuer, "date": result.date}


def test_the_manifest_title_and_date_win_over_the_text(tmp_path: Path) -> None:
    from geo.report.pipeline import process_file

    body = "永康市建设局将开工建设塔山公园，完成道路、管网和绿化等多项工作，城市面貌明显改善。\n"
    (tmp_path / "r.txt").write_text(f"公园建设一年间\n{body}", encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        "file,county,url,date,title\nr.txt,永康市,,2030年6月,永康市园林管理局关于公园建设的报告\n",
        encoding="utf-8")
    result = process_file(tmp_path / "r.txt", root=tmp_path)
    assert result.title == "永康市园林管理局关于公园建设的报告"
    assert result.date == "2030-06"
    assert result.issuer == "永康市园林管理局"  # none in the text: the manifest's title names it
