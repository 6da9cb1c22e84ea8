"""Persistent seen-state in SQLite (WAL), the default for cron runs.

Compact by design: article ids are the primary key of a WITHOUT ROWID table,
story keys are 16-byte BLOBs, body sketches packed 32-bit integers. Writes are
buffered and committed together by ``flush()`` with ``synchronous=FULL``, so a
committed batch survives a crash; lookups are by primary key only.
"""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from pathlib import Path
from typing import Any

from newscrawl.state.base import ArticleRecord, StoryVersion
from newscrawl.state.buffered import BufferedStore, Exported, chunks

SCHEMA_VERSION = 1
EXPORTED, DROPPED = 1, 2
_RUN_FIELDS = (
    "finished", "finish_reason", "exit_status", "items", "requests", "dropped", "skipped_known", "path",
    "updated", "feed", "worker", "base_url", "newest_published", "lag_p50", "lag_p95", "reason",
)  # fmt: skip
# Run columns added after the first schema: added in place to older state files.
_ADDED_COLUMNS = {
    ("runs", "path"): "TEXT",
    ("runs", "updated"): "INTEGER",
    ("runs", "feed"): "TEXT",  # the run's feed file
    ("runs", "worker"): "TEXT",
    ("runs", "base_url"): "TEXT",
    ("runs", "newest_published"): "TEXT",  # freshness: the newest published_at exported
    ("runs", "lag_p50"): "INTEGER",  # publish-to-export seconds over the run's new articles
    ("runs", "lag_p95"): "INTEGER",
    ("runs", "reason"): "TEXT",  # the verdict's one line
    ("versions", "story"): "INTEGER",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS articles (
    article_id INTEGER PRIMARY KEY,
    status INTEGER NOT NULL        -- 1 exported, 2 dropped for good
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    key BLOB NOT NULL,             -- blake2b-128 of the normalised headline
    article_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    published REAL,
    revision INTEGER NOT NULL,
    corrections INTEGER NOT NULL,
    sketch BLOB NOT NULL,          -- body sketch, packed uint32
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (
    article_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,      -- the feed's version of its last export
    modified TEXT,                 -- that export's updated_at
    content BLOB NOT NULL,         -- content_hash of that export
    story INTEGER                  -- its story_id
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS missing (
    article_id INTEGER PRIMARY KEY -- answered 500/404 to an id probe
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    finish_reason TEXT,
    exit_status INTEGER,
    items INTEGER,
    requests INTEGER,
    dropped INTEGER,
    skipped_known INTEGER
);
"""


def not_a_state(path: str | Path, exc: Exception) -> str:
    """What to tell an operator whose state file is damaged or is something else."""
    return (
        f"NEWSCRAWL_STATE_URI: {path} is not a newscrawl state database ({exc}); move it away to start"
        " a fresh state (the next run is then a full backfill) or point NEWSCRAWL_STATE_URI at the right file"
    )


def check_readable(path: str | Path) -> None:
    """A state file that exists must be an SQLite database (read-only: another run may hold it)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ValueError(not_a_state(path, exc)) from None


def _pack(sketch: tuple[int, ...]) -> bytes:
    return array("I", sketch).tobytes()


def _unpack(blob: bytes) -> tuple[int, ...]:
    values = array("I")
    values.frombytes(blob)
    return tuple(values)


class SQLiteSeenState(BufferedStore):
    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ValueError(not_a_state(path, exc)) from None
        row = self.db.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise ValueError(f"{path}: state schema version {row[0]}, this newscrawl reads {SCHEMA_VERSION}")
        for (table, name), kind in _ADDED_COLUMNS.items():
            columns = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if name not in columns:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def _select_ids(self, table: str, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT article_id FROM {table} WHERE article_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def _stored_known(self, ids: list[int]) -> set[int]:
        return self._select_ids("articles", ids)

    def _stored_missing(self, ids: list[int]) -> set[int]:
        return self._select_ids("missing", ids)

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        rows = self.db.execute(
            "SELECT url, article_id, published, revision, corrections, sketch FROM stories WHERE key = ?"
            " ORDER BY article_id",
            (key,),
        )
        versions = [StoryVersion(u, a, p, r, c, _unpack(s)) for u, a, p, r, c, s in rows]
        versions += [v for k, v, r in self._exported if k == key and (r is None or r.version == 1)]
        return versions

    def _stored_records(self, ids: list[int]) -> dict[int, ArticleRecord]:
        found: dict[int, ArticleRecord] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT article_id, version, modified, content, story FROM versions WHERE article_id IN ({marks})",
                chunk,
            )
            found.update((i, ArticleRecord(v, m, bytes(c), s)) for i, v, m, c, s in rows)
        return found

    def _write(self, exported: list[Exported], dropped: dict[int, str], missing: set[int]) -> None:
        with self.db:  # one transaction
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR IGNORE INTO missing VALUES (?)", [(i,) for i in missing])
            self.db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?)",
                [(v.article_id, EXPORTED) for _, v, _ in exported],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO versions (article_id, version, modified, content, story) VALUES (?, ?, ?, ?, ?)",
                [
                    (v.article_id, r.version, r.modified, r.content, r.story)
                    for _, v, r in exported
                    if r is not None
                ],
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO articles VALUES (?, ?)", [(i, DROPPED) for i in dropped]
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (k, v.article_id, v.url, v.published, v.revision, v.corrections, _pack(v.sketch))
                    for k, v, r in exported
                    if r is None or r.version == 1  # a later export: its story row is there
                ],
            )

    def start_run(self, started: str) -> int:
        cursor = self.db.execute("INSERT INTO runs (started) VALUES (?)", (started,))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, **fields: Any) -> None:
        unknown = set(fields) - set(_RUN_FIELDS)
        if unknown:
            raise ValueError(f"unknown run fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self.db.execute(f"UPDATE runs SET {assignments} WHERE run_id = ?", (*fields.values(), run_id))

    def last_runs(self, count: int) -> list[dict[str, Any]]:
        cursor = self.db.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", (count,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def reset(self) -> None:
        self._clear_buffer()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM missing")
            self.db.execute("DELETE FROM versions")
            self.db.execute("DELETE FROM articles")
            self.db.execute("DELETE FROM stories")

    def _close(self) -> None:
        self.db.close()
