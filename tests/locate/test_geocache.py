"""The geocoder answer cache: keys, persistence, empty answers, crash safety, corrupt files."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from geo.locate.geocache import GeoCache, default_cache_path, normalise_query

ANSWER = [{"location": "120.035,28.897", "level": "兴趣点", "formatted_address": "永康市塔山公园"}]


def test_round_trip_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with GeoCache(path) as cache:
        assert cache.get("amap", "永康市塔山公园") is None
        cache.put("amap", "永康市塔山公园", ANSWER)
        hit = cache.get("amap", "永康市塔山公园")
        assert hit is not None and hit.found and hit.raw == ANSWER
        assert hit.fetched_at.tzinfo is not None
    with GeoCache(path) as again:
        hit = again.get("amap", "永康市塔山公园")
        assert hit is not None and hit.raw == ANSWER and hit.query == "永康市塔山公园"
        assert again.get("baidu", "永康市塔山公园") is None  # keyed by provider too


def test_empty_answer_is_remembered(tmp_path: Path) -> None:
    with GeoCache(tmp_path / "c.sqlite") as cache:
        cache.put("tianditu", "永康市九鼎路", None)
        hit = cache.get("tianditu", "永康市九鼎路")
        assert hit is not None and not hit.found and hit.raw is None


def test_query_is_normalised(tmp_path: Path) -> None:
    assert normalise_query(" 永康市\u3000塔山 公园\n") == "永康市塔山公园"
    assert normalise_query("ＡＢＣ１２３") == "ABC123"  # NFKC folds full-width forms
    with GeoCache(tmp_path / "c.sqlite") as cache:
        cache.put("amap", "永康市 塔山公园", ANSWER)
        assert cache.get("amap", "永康市塔山公园\u3000") is not None
        cache.put("amap", "永康市塔山公园", None)  # same key: replaces
        assert len(cache) == 1


def test_max_age(tmp_path: Path) -> None:
    with GeoCache(tmp_path / "c.sqlite") as cache:
        cache.put("amap", "q", ANSWER)
        assert cache.get("amap", "q", max_age=timedelta(days=1)) is not None
        assert cache.get("amap", "q", max_age=timedelta(0)) is None


def test_default_path_is_in_the_user_cache_folder() -> None:
    path = default_cache_path()
    assert path.name == "geocode.sqlite" and "renewal-map" in str(path)


@pytest.mark.parametrize("content", [
    b"this is not a database" * 50,
    b"SQLite format 3\x00" + b"\xff" * 4000,  # right magic, garbage after it
])
def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path: Path, content: bytes,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING), GeoCache(path) as cache:
        assert cache.get("amap", "q") is None
        cache.put("amap", "q", ANSWER)
        assert cache.get("amap", "q") is not None
    (aside,) = tmp_path.glob("c.sqlite.corrupt-*")
    assert aside.read_bytes() == content  # kept for inspection, never trusted
    assert any("unusable" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_wrong_schema_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE answers (provider TEXT, query TEXT)")
    conn.execute("INSERT INTO answers VALUES ('amap', 'q')")
    conn.commit()
    conn.close()
    with GeoCache(path) as cache:
        assert cache.get("amap", "q") is None and len(cache) == 0
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_crash_inside_a_write_leaves_no_half_row(tmp_path: Path) -> None:
    """A process killed between INSERT and COMMIT: the row is absent and the file is sound."""
    path = tmp_path / "c.sqlite"
    with GeoCache(path) as cache:
        cache.put("amap", "kept", ANSWER)
    script = textwrap.dedent(f"""
        import os
        from geo.locate.geocache import GeoCache
        cache = GeoCache({str(path)!r})
        real_execute = cache._conn.execute
        class Dying:
            def execute(self, sql, *args):
                if sql == "COMMIT":
                    os._exit(9)  # die with the transaction open
                return real_execute(sql, *args)
        cache._conn = Dying()
        cache.put("amap", "lost", {{"half": "written"}})
    """)
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr.decode()
    with GeoCache(path) as cache:
        assert cache.get("amap", "lost") is None
        assert cache.get("amap", "kept") is not None
        assert len(cache) == 1
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_failed_write_is_rolled_back_and_cache_stays_usable(tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    with GeoCache(path) as cache:
        cache.put("amap", "q", ANSWER)
        cache._conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON answers WHEN NEW.query = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        with caplog.at_level(logging.WARNING):
            cache.put("amap", "boom", ANSWER)
        assert cache.get("amap", "boom") is None
        assert cache.get("amap", "q") is not None
        cache.put("amap", "after", None)
        assert cache.get("amap", "after") is not None
    assert not list(tmp_path.glob("*.corrupt-*"))  # a refused write is not corruption
