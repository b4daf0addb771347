from geo.text.sentences import split_sentences


def test_offsets_slice_the_text() -> None:
    text = "标题一行\n\n这一年，我市推进南苑片区。新的一年将开工建设塔山公园！还有吗？最后一句没有句号"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "标题一行", "这一年，我市推进南苑片区。", "新的一年将开工建设塔山公园！", "还有吗？", "最后一句没有句号",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "他说：“完成了。”随后离开。"
    assert [s.text for s in split_sentences(text)] == ["他说：“完成了。”", "随后离开。"]


def test_semicolons_do_not_split_and_ellipsis_does() -> None:
    text = "甲；乙；丙。丁……戊"
    assert [s.text for s in split_sentences(text)] == ["甲；乙；丙。", "丁……", "戊"]


def test_blank_text_gives_no_sentences() -> None:
    assert split_sentences("  \n\n \t") == []
