"""The development reports are scored, never copied: no run of five or more of their characters
may stand in the code, lexicons or tests.

Common phrasing (工程已完工, 商业综合体: dictionary words and function characters) is shared by
any two reports and does not count; a run holding a word the dictionary does not know (a
place's own name) does. Run as a script to list every such run in ``geo/`` and ``tests/``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
N = 5
_SPACE = str.maketrans("", "", " \t\r\n\u3000")
_CHINESE_RUN = re.compile(rf"[\u4e00-\u9fff]{{{N}}}")
_FUNCTION_CHARS = frozenset("的了在是和与及已这那也都将并对把被从等为之其所以而或")
# Files of other areas that still hold such runs; they are cleaned by their owners. A file listed
# here that becomes clean makes the test fail, so the list only shrinks.
KNOWN = frozenset({"tests/test_clean.py"})


def _grams(text: str) -> set[str]:
    text = text.translate(_SPACE)
    return {text[i : i + N] for i in range(len(text) - N + 1)}


def common_phrasing(gram: str) -> bool:
    """Dictionary words throughout, single characters only at the edges or as function characters."""
    from geo.text import lexicon

    words, freq = lexicon.segment(gram), lexicon.word_freq()
    for i, w in enumerate(words):
        if len(w) == 1:
            if 0 < i < len(words) - 1 and w not in _FUNCTION_CHARS:
                return False
        elif freq.get(w, 0) < 3:
            return False
    return True


def copied_runs(dev_files: list[Path], checked: list[Path]) -> dict[Path, set[str]]:
    """Runs of N Chinese characters that a checked file shares with a development report."""
    dev: set[str] = set()
    for f in dev_files:
        dev |= {g for g in _grams(f.read_text(encoding="utf-8")) if _CHINESE_RUN.fullmatch(g)}
    out: dict[Path, set[str]] = {}
    for f in checked:
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        shared = {g for g in _grams(text) & dev if not common_phrasing(g)}
        if shared:
            out[f] = shared
    return out


def checked_files() -> list[Path]:
    suffixes = (".py", ".txt", ".tsv", ".toml", ".md", ".json", ".jsonl", ".csv")
    return sorted(p for folder in ("geo", "tests") for p in (ROOT / folder).rglob("*")
                  if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts)


def test_the_check_sees_a_copied_name(tmp_path: Path) -> None:
    dev = tmp_path / "r.txt"
    dev.write_text("今年完成垟岙溪埠路改造，工程已完工。", encoding="utf-8")
    copy, clean = tmp_path / "a.py", tmp_path / "b.py"
    copy.write_text('S = "垟岙溪埠路"\n', encoding="utf-8")
    clean.write_text('S = "垟岙溪路，工程已完工"\n', encoding="utf-8")
    assert copied_runs([dev], [copy, clean]) == {copy: {"垟岙溪埠路"}}


def test_no_development_text_in_code_lexicons_or_tests() -> None:
    if not EVAL.is_dir():
        pytest.skip("the evaluation kit ../shared/eval is not beside the repository")
    dev_files = sorted(EVAL.glob("dev*/*.txt"))
    assert dev_files, f"{EVAL}: no development reports found"
    found = {str(p.relative_to(ROOT)): sorted(s) for p, s in copied_runs(dev_files, checked_files()).items()}
    copied = {p: s[:8] for p, s in found.items() if p not in KNOWN}
    assert not copied, f"text copied from the development reports: {copied}"
    assert not KNOWN - set(found), f"clean now, take off the KNOWN list: {sorted(KNOWN - set(found))}"


if __name__ == "__main__":
    runs = copied_runs(sorted(EVAL.glob("dev*/*.txt")), checked_files())
    for path, shared in runs.items():
        print(f"{path.relative_to(ROOT)}: {len(shared)}: {' '.join(sorted(shared))}")
    sys.exit(1 if runs else 0)
