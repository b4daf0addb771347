"""The stored tables (geo.data.tables): built once into a cache folder keyed by their inputs' versions,
verified on every load, rebuilt when damaged or stale, never read from jieba's shared cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.data import tables
from geo.text import lexicon

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "德清县建设局召开会议，全县改造旧城。乾元镇、武康街道的旧小区纳入计划。"


def _answer() -> tuple[str, float, tuple[str, ...]]:
    from geo.locate.county import detect_county

    g = detect_county(SENTENCE)
    return g.county.name, g.score, g.evidence


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tables.ENV_DIR, str(tmp_path))
    tables.tables.cache_clear()
    try:
        built = tables.tables()
        folder = tables.cache_dir()
        assert folder.parent == tmp_path and (folder / "sums.json").is_file()
        assert built.places.get("乾元镇") and "乾元镇" in built.finder
        good = (folder / "places.trie").read_bytes()
        damaged = bytearray(good)
        damaged[len(damaged) // 2] ^= 0xFF
        (folder / "places.trie").write_bytes(bytes(damaged))
        assert not tables._verified(folder)
        tables.tables.cache_clear()
        again = tables.tables()
        assert tables._verified(folder)
        assert (folder / "places.trie").read_bytes() == good
        assert again.places.get("乾元镇") == built.places.get("乾元镇")
        (folder / "small.pkl").unlink()  # a missing file too
        assert not tables._verified(folder)
    finally:
        tables.tables.cache_clear()


def test_the_key_follows_every_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = tables.cache_key()
    assert key == tables.cache_key()
    real = tables._version
    monkeypatch.setattr(tables, "_version", lambda name: "9.9" if name == "jionlp" else real(name))
    assert tables.cache_key() != key
    monkeypatch.setattr(tables, "_version", real)
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    for name in tables._LEXICONS:
        (lexicons / name).write_bytes((tables._LEXICON_DIR / name).read_bytes())
    monkeypatch.setattr(tables, "_LEXICON_DIR", lexicons)
    assert tables.cache_key() == key
    with (lexicons / "county_cues.toml").open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert tables.cache_key() != key


def test_word_frequencies_keep_jiebas_contract() -> None:
    freq = lexicon.word_freq()
    words = {w: f for w, f, _ in tables.read_jieba_dict()}
    for word in ("城市", "和平", "向阳", "更新", "公园"):
        assert freq[word] == freq.get(word) == words[word] > 0
    long_word = next(w for w in words if len(w) >= 4 and all(w[:n] not in words for n in range(1, len(w))))
    assert freq.get(long_word[:2]) == 0 and long_word[:2] in freq  # only a prefix: 0
    assert freq.get("qqq") is None and "qqq" not in freq and freq.get("qqq", 5) == 5
    with pytest.raises(KeyError):
        freq["qqq"]


def test_a_replaced_shared_jieba_cache_changes_nothing(tmp_path: Path) -> None:
    """jieba keeps its own cache in the temporary folder, writable by anyone: never read."""
    (tmp_path / "jieba.cache").write_bytes(b"\x80\x04not a cache at all")
    code = ("import sys; from geo.text import lexicon; from geo.locate.county import detect_county; "
            f"g = detect_county({SENTENCE!r}); f = lexicon.word_freq(); "
            "print(g.county.name, g.score, f.get('城市'), 'jieba' in sys.modules)")
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd=ROOT).stdout.split()
    name, score, _ = _answer()
    assert out == [name, str(score), str(lexicon.word_freq().get("城市")), "False"]


def _folder(path: Path, days_unused: float, now: float) -> Path:
    path.mkdir()
    (path / "sums.json").write_text("{}", encoding="utf-8")
    os.utime(path, (now - days_unused * 86400, now - days_unused * 86400))
    return path


def test_only_its_own_unused_folders_are_removed(tmp_path: Path) -> None:
    now = 2_000_000_000.0
    key = "0" * 20
    current = _folder(tmp_path / f"tables-{key}", 90, now)  # never removed, however old
    old_version = _folder(tmp_path / f"tables-{'a' * 20}", 45, now)
    recent_version = _folder(tmp_path / f"tables-{'b' * 20}", 3, now)  # another version in use
    interrupted = _folder(tmp_path / ".building-k3j_x9", 2, now)
    replaced = _folder(tmp_path / f"tables-{'c' * 20}.old-4242", 2, now)
    building_now = _folder(tmp_path / ".building-q8w2", 0.01, now)
    foreign = [_folder(tmp_path / name, 400, now)
               for name in ("tables-notours", f"tables-{'d' * 19}", f"tables-{'e' * 20}-mine", "results")]
    lookalike_file = tmp_path / f"tables-{'f' * 20}"
    lookalike_file.write_text("a file, not a folder", encoding="utf-8")
    os.utime(lookalike_file, (now - 400 * 86400, now - 400 * 86400))
    outside = _folder(tmp_path / "elsewhere", 400, now)
    link = tmp_path / f"tables-{'9' * 20}"
    link.symlink_to(outside, target_is_directory=True)

    removed = tables.remove_stale(current, now=now)

    assert sorted(removed) == sorted([old_version, interrupted, replaced])
    assert not old_version.exists() and not interrupted.exists() and not replaced.exists()
    for kept in (current, recent_version, building_now, *foreign, lookalike_file, link, outside):
        assert kept.exists(), kept
    assert (outside / "sums.json").is_file()  # a link is never followed
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".removing-")]
    assert tables.remove_stale(current, now=now) == []


def test_a_missing_folder_or_one_taken_meanwhile_is_no_error(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    now = 2_000_000_000.0
    current = tmp_path / f"tables-{'0' * 20}"
    assert tables.remove_stale(tmp_path / "absent" / current.name, now=now) == []
    taken = _folder(tmp_path / f"tables-{'a' * 20}", 45, now)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:  # another process removes it first
        if self == taken:
            raise FileNotFoundError(self)
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    assert tables.remove_stale(current, now=now) == []
    assert taken.exists()


def test_loading_marks_the_folder_used_and_clears_old_versions(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import time

    tables.tables()  # the stored tables of this version, built in the usual folder when missing
    source = tables.cache_dir()
    tables.tables.cache_clear()
    monkeypatch.setenv(tables.ENV_DIR, str(tmp_path))
    try:
        current = tables.cache_dir()
        shutil.copytree(source, current)
        week_ago = time.time() - 7 * 86400
        os.utime(current, (week_ago, week_ago))
        stale = _folder(tmp_path / f"tables-{'a' * 20}", 45, time.time())
        assert tables.tables().places.get("乾元镇")
        assert not stale.exists()
        assert current.stat().st_mtime > week_ago + 86400  # marked as used now
    finally:
        tables.tables.cache_clear()
