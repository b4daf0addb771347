"""The dictionary cut over the stored tables is jieba's own cut, without importing jieba."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.text import lexicon
from geo.text.wordcut import cut

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted([*(ROOT / "data" / "sources").glob("*.txt"), *(ROOT / "data" / "eval" / "held").glob("*.txt")])


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_the_cut_is_jiebas(path: Path) -> None:
    import jieba

    text = path.read_text(encoding="utf-8")
    assert cut(text) == jieba.lcut(text, HMM=False)


def test_mixed_text_letters_digits_and_spaces() -> None:
    import jieba

    text = "G60科创走廊\r\n 3.5公里，  A区块和B-2地块（100%）完成。abc def"
    assert cut(text) == jieba.lcut(text, HMM=False)


def test_part_of_speech_tags_are_jiebas() -> None:
    import jieba.posseg

    tags = lexicon.word_tags()
    table = jieba.posseg.dt.word_tag_tab
    assert all(tags.get(w) == tag for w, tag in table.items())


def test_extraction_never_imports_jieba() -> None:
    code = ("import sys; from geo.report.pipeline import process_text; "
            "r = process_text('今年完成青石公园提升改造，新建振华路。', 'a.txt', county='永康市'); "
            "assert r.mentions, r; assert 'jieba' not in sys.modules, 'jieba imported'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
