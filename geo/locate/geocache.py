"""A persistent cache of online-geocoder answers (SQLite in the user's cache folder).

Keyed by provider (with its host) + normalised query (NFKC, all whitespace removed), it keeps the
provider's raw answer — or the fact that there was none, so that an empty answer
is not asked for again — with the time it was fetched. Each write is one
transaction, so a crash cannot leave half a row. A file that is not a SQLite
database, or one with another schema, is never trusted: it is renamed
``<name>.corrupt-<timestamp>`` and a fresh cache is built in its place.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from geo.errors import printable
from geo.names import name_key

log = logging.getLogger(__name__)

APP_NAME = "renewal-map"
SCHEMA_VERSION = 1
_COLUMNS = ("provider", "query_key", "query", "found", "raw", "fetched_at")
_CREATE = """
CREATE TABLE answers (
    provider   TEXT    NOT NULL,
    query_key  TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    found      INTEGER NOT NULL CHECK (found IN (0, 1)),
    raw        TEXT,
    fetched_at TEXT    NOT NULL,
    PRIMARY KEY (provider, query_key)
)
"""


def default_cache_path() -> Path:
    """``geocode.sqlite`` in the platform's per-user cache folder."""
    return platformdirs.user_cache_path(APP_NAME) / "geocode.sqlite"


normalise_query = name_key  # NFKC, every whitespace removed: 永康市 塔山公园 ≡ 永康市塔山公园


@dataclass(frozen=True)
class CachedAnswer:
    """One stored answer: ``raw`` is the provider's JSON, None when it found nothing."""

    provider: str
    query: str
    raw: Any
    fetched_at: datetime

    @property
    def found(self) -> bool:
        return self.raw is not None


class GeoCache:
    """SQLite store of geocoder answers; safe to share between threads."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._conn = self._open()

    # ------------------------------------------------------------ opening

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            try:
                conn = self._connect()
                problem = self._schema_problem(conn)
            except sqlite3.DatabaseError as error:
                problem = f"not a readable SQLite database ({error})"
                conn = None
            if problem is None and conn is not None:
                return conn
            if conn is not None:
                conn.close()
            self._move_aside(problem or "unknown problem")
        conn = self._connect()
        with conn:
            conn.execute(_CREATE)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return conn

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are opened explicitly (BEGIN IMMEDIATE) in put().
        conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    @staticmethod
    def _schema_problem(conn: sqlite3.Connection) -> str | None:
        """Why this database is not a cache of ours, or None."""
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            return f"integrity check failed ({check[0] if check else 'no answer'})"
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            return f"schema version {version}, expected {SCHEMA_VERSION}"
        cols = tuple(row[1] for row in conn.execute("PRAGMA table_info(answers)"))
        if cols != _COLUMNS:
            return f"table 'answers' has columns {cols}, expected {_COLUMNS}"
        return None

    def _move_aside(self, problem: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.replace(target)
        for suffix in ("-journal", "-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        log.warning("geocoder cache %s is unusable (%s); moved to %s and rebuilt", self.path, problem, target)

    @staticmethod
    def _is_corruption(error: sqlite3.DatabaseError) -> bool:
        """SQLite reports a damaged or foreign file as a bare DatabaseError (NOTADB, CORRUPT);
        its subclasses (locked, constraint, …) are ordinary failures."""
        return type(error) is sqlite3.DatabaseError

    def _rebuild(self, error: sqlite3.DatabaseError) -> None:
        """The file went bad while open: set it aside and start again."""
        self._conn.close()
        if self.path.exists():
            self._move_aside(f"failed while in use ({error})")
        self._conn = self._open()

    # ------------------------------------------------------------ use

    def get(self, provider: str, query: str, max_age: timedelta | None = None) -> CachedAnswer | None:
        """The stored answer for (provider, query), or None when not cached (or older than ``max_age``)."""
        key = normalise_query(query)
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT query, found, raw, fetched_at FROM answers WHERE provider = ? AND query_key = ?",
                    (provider, key),
                ).fetchone()
            except sqlite3.DatabaseError as error:
                if self._is_corruption(error):
                    self._rebuild(error)
                else:
                    log.warning("geocoder cache %s: read failed (%s); not cached", self.path, error)
                return None
        if row is None:
            return None
        stored_query, found, raw, fetched_at = row
        try:  # a damaged row is a miss: asked again, and the answer replaces it
            when = datetime.fromisoformat(fetched_at)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            if max_age is not None and datetime.now(UTC) - when > max_age:
                return None
            value = json.loads(raw) if found else None
        except (TypeError, ValueError, RecursionError, OverflowError):
            log.warning("geocoder cache: unreadable row for %s %r; ignored", provider,
                        printable(stored_query))
            return None
        return CachedAnswer(provider=provider, query=stored_query, raw=value, fetched_at=when)

    def put(self, provider: str, query: str, raw: Any) -> None:
        """Store the raw answer (None: the provider found nothing), replacing any older one.

        A failed write is rolled back and logged, never raised: the cache only saves requests.
        """
        row = (
            provider,
            normalise_query(query),
            query,
            0 if raw is None else 1,
            None if raw is None else json.dumps(raw, ensure_ascii=False, sort_keys=True),
            datetime.now(UTC).isoformat(),
        )
        with self._lock:
            try:
                self._write(row)
            except sqlite3.DatabaseError as error:
                if not self._is_corruption(error):
                    log.warning("geocoder cache %s: write failed (%s); answer not stored", self.path, error)
                    return
                self._rebuild(error)
                self._write(row)

    def _write(self, row: tuple[Any, ...]) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT OR REPLACE INTO answers (provider, query_key, query, found, raw, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> GeoCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
