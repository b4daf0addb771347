"""Property-based tests of the cleaner, the sentence splitter and the extractor on hostile text.

Whatever the input (any Unicode, mixed scripts, bidi controls, very long lines, control
characters, random bytes decoded leniently), the three stages never crash, and their
invariants hold: cleaning is a fixed point, sentence offsets slice the cleaned text, and every
mention's offsets slice its surface inside its sentence.

Runs are reproducible and bounded: every test is derandomized with a fixed example count.
``GEO_FUZZ_EXAMPLES=<n>`` turns them into a random exploratory run of ``n`` examples each
(``test_clean.py`` holds the cleaner's own arbitrary-text tests; these extend them).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeoError
from geo.extract import find_mentions
from geo.model import Mention, Sentence
from geo.output.layers import LAYERS
from geo.report.pipeline import process_text
from geo.text import lexicon
from geo.text.clean import clean_text, normalize_whitespace
from geo.text.sentences import split_sentences

_EXPLORE = int(os.environ.get("GEO_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    """Fixed, derandomized settings for CI; a random run of ``GEO_FUZZ_EXAMPLES`` when set."""
    return settings(
        max_examples=_EXPLORE or examples,
        derandomize=not _EXPLORE,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# --- strategies ---------------------------------------------------------------------------

# Every code point, lone surrogates included (a str can hold them; surrogateescape makes them).
ANY_CHAR = st.characters(exclude_categories=())

# Fragments of many scripts, invisible and bidi controls, and characters the cleaner treats specially.
SCRIPTS = st.sampled_from(
    [
        "德清县",
        "永康市塔山公园",
        "𠀀𠀁𪚥",
        "䶮㐀",
        "ＡＢＣ１２３",  # CJK, extension B, fullwidth
        "مرحبا بالعالم",
        "\u202eشارع",
        "שלום",
        "नमस्ते",
        "สวัสดี",
        "안녕하세요",
        "Привет",
        "e\u0301\u0308",
        "👩\u200d👩\u200d👧",
        "🇨🇳",
        "a\ufe0f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\ufeff",
        "\u00ad",
        "\u2060",
        "\x00",
        "\x01",
        "\x07",
        "\x1b[31m",
        "\x7f",
        "\x85",
        "\x9b",
        "\ufffd",
        "\ud800",
        "\udfff",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\x0b",
        "\x0c",
        "\u2028",
        "\u2029",
        "\u3000",
        "\u00a0",
        " ",
        "。",
        "！",
        "？",
        "…",
        "……",
        "...",
        "”",
        "）",
        "“",
        "、",
        "，",
        "；",
        "——",
        "·",
        "<script>alert(1)</script>",
        "&lt;",
        "javascript:",
        "%s%n",
        "{0}",
        "\\u0000",
    ]
)


def _lexicon_words() -> list[str]:
    words = sorted(lexicon.suffixes())
    stops = sorted(lexicon.stopwords())
    return words[::3] + stops[::7]


# Pieces that make the extractor work: generic place words, stop words, names, lists, counts, quotes.
REPORT_PIECES = st.sampled_from(
    [
        *_lexicon_words(),
        "塔山",
        "南苑",
        "解放南",
        "城南",
        "江南街道",
        "永康市",
        "德清县",
        "S203",
        "G318",
        "104",
        "、",
        "和",
        "及",
        "等",
        "等5个",
        "四个",
        "“7+N”",
        "“",
        "”",
        "（",
        "）",
        "(",
        ")",
        "，",
        "。",
        "；",
        "！",
        "\n",
        "\n\n",
        " ",
        "\u3000",
        "开工建设",
        "推进",
        "完成",
        "加快",
        "改造",
        "提升",
        "的",
        "2023年",
        "3个",
        "一期",
        "—",
        "——",
        "·",
        "+",
        "〇",
        "A",
        "b",
        "9",
    ]
)


@st.composite
def report_like(draw: st.DrawFn) -> str:
    """Chinese report-like text assembled from lexicon words, sometimes drawn twice (fake bold)."""
    pieces = draw(st.lists(st.tuples(REPORT_PIECES, st.booleans()), max_size=80))
    return "".join(p * 2 if twice else p for p, twice in pieces)


@st.composite
def mixed(draw: st.DrawFn) -> str:
    """Report-like text interleaved with other scripts, controls and arbitrary characters."""
    parts = draw(st.lists(st.one_of(REPORT_PIECES, SCRIPTS, st.text(ANY_CHAR, max_size=6)), max_size=80))
    return "".join(parts)


CODECS = ["utf-8", "gb18030", "gbk", "big5", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "shift_jis"]
ERRORS = ["replace", "ignore", "surrogateescape", "backslashreplace"]


@st.composite
def decoded_bytes(draw: st.DrawFn) -> str:
    """Random bytes (some mixed with real Chinese bytes) decoded leniently in some codec."""
    codec = draw(st.sampled_from(CODECS))
    chunks = draw(
        st.lists(
            st.one_of(
                st.binary(max_size=64),
                st.sampled_from(["永康市塔山公园建设。", "德清县武康街道", "𠀀䶮㐀"]).map(
                    lambda s: s.encode("gb18030" if codec in ("gb18030", "gbk") else "utf-8", "replace")
                ),
            ),
            max_size=12,
        )
    )
    # surrogateescape only works for codecs that keep ASCII bytes as they are
    errors = ERRORS if not codec.startswith("utf-16") and codec != "utf-32" else ERRORS[:2]
    return b"".join(chunks).decode(codec, draw(st.sampled_from(errors)))


@st.composite
def long_line(draw: st.DrawFn) -> str:
    """One line of tens of thousands of characters: a fragment repeated, perhaps with noise inside."""
    unit = draw(st.one_of(report_like(), mixed()).filter(bool))
    times = draw(st.integers(min_value=1, max_value=max(1, 40_000 // len(unit))))
    noise = draw(st.text(ANY_CHAR, max_size=20))
    line = (unit * times).replace("\n", " ")
    cut = draw(st.integers(min_value=0, max_value=len(line)))
    return line[:cut] + noise + line[cut:]


HOSTILE = st.one_of(st.text(ANY_CHAR, max_size=300), mixed(), report_like(), decoded_bytes())

# --- invariants ---------------------------------------------------------------------------


def check_sentences(text: str, sentences: list[Sentence]) -> None:
    """Offsets slice ``text``; sentences are in order, apart, stripped and never blank."""
    prev_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert prev_end <= s.start < s.end <= len(text)
        assert s.text.strip() and s.text == s.text.strip()
        prev_end = s.end


def check_mentions(text: str, sentences: list[Sentence], mentions: list[Mention]) -> None:
    """Every mention lies inside its sentence, and its offsets slice the same surface from both."""
    known = set(sentences)
    for m in mentions:
        s = m.sentence
        assert s in known
        assert s.start <= m.start < m.end <= s.end
        surface = s.text[m.start - s.start : m.end - s.start]
        assert text[m.start : m.end] == surface
        assert m.name and m.name in surface + m.suffix  # a list item gets the shared generic word
        assert m.layer in LAYERS


def run_all(raw: str) -> str:
    """Clean, split and extract ``raw``, checking every invariant on the way; returns the clean text."""
    once = clean_text(raw)
    assert clean_text(once) == once
    sentences = split_sentences(once)
    check_sentences(once, sentences)
    check_mentions(once, sentences, find_mentions(sentences, ("永康市", "永康")))
    return once


# --- the properties -----------------------------------------------------------------------


@fuzz(150)
@given(HOSTILE)
def test_clean_split_extract_never_crash_and_keep_invariants(raw: str) -> None:
    run_all(raw)


@fuzz(150)
@given(report_like())
def test_report_like_text_keeps_mention_invariants(raw: str) -> None:
    run_all(raw)


@fuzz(8)
@given(long_line())
def test_very_long_lines(raw: str) -> None:
    run_all(raw)


@fuzz(100)
@given(st.one_of(st.text(ANY_CHAR, max_size=300), mixed()))
def test_splitter_on_raw_text(raw: str) -> None:
    """The splitter holds its contract on any text, cleaned or not."""
    check_sentences(raw, split_sentences(raw))


@fuzz(100)
@given(HOSTILE)
def test_cleaned_text_has_no_control_characters_and_encodes(raw: str) -> None:
    """Clean text is safe to write: UTF-8 encodable, no control characters but tab and newline."""
    once = clean_text(raw)
    once.encode("utf-8")  # no lone surrogates
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in once)
    assert "\r" not in once and "\x7f" not in once


@fuzz(60)
@given(st.one_of(mixed(), report_like(), decoded_bytes()))
def test_whole_report_step_writes_valid_utf8_json(raw: str) -> None:
    """process_text on hostile text: only GeoErrors escape, and every quote slices the clean text."""
    try:
        result = process_text(raw, "fuzz.txt", county="永康市")
    except GeoError:
        return
    for sm in result.mentions:
        m = sm.mention
        assert result.text[m.sentence.start : m.sentence.end] == m.sentence.text
        assert result.text[m.start : m.end] in m.sentence.text
    quotes: list[dict[str, Any]] = [
        {"quote": sm.mention.sentence.text, "name": sm.mention.name} for sm in result.mentions
    ]
    json.dumps(quotes, ensure_ascii=False).encode("utf-8")


# --- examples that once broke an invariant (regressions) ----------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "永康市塔山公园\ud800建设。",  # a lone surrogate (surrogateescape) must not reach the layers
        "\udcff\udcfe德清县\udc80",
    ],
)
def test_lone_surrogates_are_dropped(raw: str) -> None:
    once = run_all(raw)
    once.encode("utf-8")
    assert normalize_whitespace("a\ud800b") == "ab"
