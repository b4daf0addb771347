"""The reports used to measure extraction are scored, never copied: no run of five or more of
their characters may stand in the code, lexicons or tests.

``geo/`` (code, lexicons, data) is checked against every such report: the seeds
(``data/sources``), ``dev/`` and ``dev2/`` of the evaluation kit, and the held-out set
(``data/eval/held``); a rule keyed to one report's own names is a rule fitted to it. ``tests/``
is checked against ``dev/``, ``dev2/`` and the held-out set (the seeds are the shipped sample
input, and end-to-end tests read them as files).

Common phrasing (工程已完工, 商业综合体: dictionary words and function characters) is shared by
any two reports and does not count; a run holding a word the dictionary does not know (a
place's own name) does. Run as a script to list every such run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT / "data" / "sources"
HELD = ROOT / "data" / "eval" / "held"
N = 5
_SPACE = str.maketrans("", "", " \t\r\n\u3000")
_CHINESE_RUN = re.compile(rf"[\u4e00-\u9fff]{{{N}}}")
_FUNCTION_CHARS = frozenset("的了在是和与及已这那也都将并对把被从等为之其所以而或")


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


def report_grams(reports: list[Path]) -> set[str]:
    """Every run of N Chinese characters of the reports (spaces and line breaks left out)."""
    out: set[str] = set()
    for f in reports:
        out |= {g for g in _grams(f.read_text(encoding="utf-8")) if _CHINESE_RUN.fullmatch(g)}
    return out


def copied_runs(dev_files: list[Path], checked: list[Path]) -> dict[Path, set[str]]:
    """Runs of N Chinese characters that a checked file shares with a development report."""
    dev = report_grams(dev_files)
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


_SUFFIXES = (".py", ".txt", ".tsv", ".toml", ".md", ".json", ".jsonl", ".csv")


def checked_files(folder: str) -> list[Path]:
    """The text files of ``folder`` (``geo`` or ``tests``)."""
    return sorted(p for p in (ROOT / folder).rglob("*")
                  if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts)


def measured_reports(with_seeds: bool) -> list[Path]:
    """The held-out reports, the kit's ``dev/`` and ``dev2/`` when it is beside the repository,
    and with ``with_seeds`` the seed reports."""
    out = sorted(HELD.glob("*.txt")) + sorted(EVAL.glob("dev*/*.txt"))
    if with_seeds:
        out += sorted(SEEDS.glob("*.txt"))
    return out


def _found(folder: str, with_seeds: bool) -> dict[str, list[str]]:
    reports = measured_reports(with_seeds)
    assert HELD.is_dir() and reports, f"{HELD}: no held-out reports found"
    runs = copied_runs(reports, checked_files(folder))
    return {str(p.relative_to(ROOT)): sorted(s)[:8] for p, s in runs.items()}


def test_the_check_sees_a_copied_name(tmp_path: Path) -> None:
    dev = tmp_path / "r.txt"
    dev.write_text("今年完成垟岙溪埠路改造，工程已完工。", encoding="utf-8")
    copy, clean = tmp_path / "a.py", tmp_path / "b.py"
    copy.write_text('S = "垟岙溪埠路"\n', encoding="utf-8")
    clean.write_text('S = "垟岙溪路，工程已完工"\n', encoding="utf-8")
    assert copied_runs([dev], [copy, clean]) == {copy: {"垟岙溪埠路"}}


def test_no_report_text_in_code_or_lexicons() -> None:
    found = _found("geo", with_seeds=True)
    assert not found, f"text copied from the measured reports into geo/: {found}"


def test_no_development_text_in_tests() -> None:
    found = _found("tests", with_seeds=False)
    assert not found, f"text copied from the development or held-out reports into tests/: {found}"


def test_the_development_reports_are_checked_when_present() -> None:
    """With the kit beside the repository, its dev/ and dev2/ reports are among those checked."""
    dev = sorted(EVAL.glob("dev*/*.txt"))
    assert EVAL.is_dir() == bool(dev), f"{EVAL}: a kit without dev/ or dev2/ reports"
    assert set(dev) <= set(measured_reports(with_seeds=False))


if __name__ == "__main__":
    bad = False
    for folder, with_seeds in (("geo", True), ("tests", False)):
        runs = copied_runs(measured_reports(with_seeds), checked_files(folder))
        for path, shared in runs.items():
            print(f"{path.relative_to(ROOT)}: {len(shared)}: {' '.join(sorted(shared))}")
        bad = bad or bool(runs)
    sys.exit(1 if bad else 0)
