"""The per-report unit: one report's text in, its county, year and mentions out."""

from geo.report.pipeline import COUNTY_SAMPLE_CHARS, document_year, process_text


def test_county_is_read_from_a_bounded_opening_sample() -> None:
    opening = "永康市建设局召开工作会议。市建设局将开工建设塔山公园。\n"
    filler = "各项工作稳步推进。\n" * (COUNTY_SAMPLE_CHARS // 10)
    tail = "德清县德清县德清县。\n" * 1000  # beyond the sample: not read for the county
    result = process_text(opening + filler + tail, "long.txt")
    assert result.county == "永康市"
    assert [m.mention.name for m in result.mentions][:1] == ["塔山公园"]


def test_document_year_is_the_year_spoken_of_most() -> None:
    assert document_year("2023年完成。2023年推进。2024年计划。") == 2023
    assert document_year("2022年与2023年") == 2023  # the latest on a tie
    assert document_year("没有年份") is None
