"""Seen-state in Redis (``NEWSCRAWL_STATE_URI=redis://[:password@]host:port/db``).

The same protocol as the SQLite store, kept where several machines can reach
it; every lookup is by key (``HMGET``, ``LRANGE``), writes go in one
``MULTI``/``EXEC`` per ``flush()``. Keys, under the prefix ``newscrawl``
(``?prefix=`` in the URI changes it):

* ``<prefix>:articles``: hash, article id -> 1 exported, 2 dropped for good;
* ``<prefix>:story:<hex key>``: list of exported versions (JSON) of stories
  with that headline key;
* ``<prefix>:run_seq`` and ``<prefix>:run:<id>``: run records.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs, urlsplit

from newscrawl.state.base import StoryVersion

if TYPE_CHECKING:
    from collections.abc import Iterable

EXPORTED, DROPPED = 1, 2
_CHUNK = 500


def _encode(version: StoryVersion) -> str:
    return json.dumps(
        [
            version.url,
            version.article_id,
            version.published,
            version.revision,
            version.corrections,
            version.sketch,
        ]
    )


def _decode(raw: bytes | str) -> StoryVersion:
    url, article_id, published, revision, corrections, sketch = json.loads(raw)
    return StoryVersion(url, article_id, published, revision, corrections, tuple(sketch))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisSeenState:
    def __init__(self, uri: str) -> None:
        import redis

        query = parse_qs(urlsplit(uri).query)
        self.prefix = query.get("prefix", ["newscrawl"])[0]
        clean_uri = uri.split("?", 1)[0]
        self.db = redis.Redis.from_url(clean_uri)
        self.db.ping()  # fail at start, not at the first item
        self._exported: list[tuple[bytes, StoryVersion]] = []
        self._dropped: dict[int, str] = {}

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        ids = list(article_ids)
        wanted = set(ids)
        found = {v.article_id for _, v in self._exported if v.article_id in wanted}
        found.update(wanted & self._dropped.keys())
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            values = self.db.hmget(self._key("articles"), chunk)
            found.update(i for i, value in zip(chunk, values, strict=True) if value is not None)
        return found

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        stored = self.db.lrange(self._key("story", key.hex()), 0, -1)
        return [_decode(raw) for raw in stored] + [v for k, v in self._exported if k == key]

    def add_exported(self, key: bytes, version: StoryVersion) -> None:
        self._exported.append((key, version))

    def add_dropped(self, article_id: int, reason: str) -> None:
        self._dropped.setdefault(article_id, reason)

    def flush(self) -> None:
        if not self._exported and not self._dropped:
            return
        pipe = self.db.pipeline(transaction=True)
        if self._exported:
            pipe.hset(self._key("articles"), mapping={v.article_id: EXPORTED for _, v in self._exported})
        for article_id in self._dropped:
            pipe.hsetnx(self._key("articles"), str(article_id), DROPPED)
        for key, version in self._exported:
            pipe.rpush(self._key("story", key.hex()), _encode(version))
        pipe.execute()
        self._exported.clear()
        self._dropped.clear()

    def start_run(self, started: str) -> int:
        run_id = int(self.db.incr(self._key("run_seq")))
        self.db.hset(self._key("run", str(run_id)), mapping={"run_id": run_id, "started": started})
        return run_id

    def finish_run(self, run_id: int, **fields: Any) -> None:
        values: dict[str, str | int | float] = {
            name: "" if value is None else value for name, value in fields.items()
        }
        if values:
            self.db.hset(self._key("run", str(run_id)), mapping=cast("Any", values))

    def last_runs(self, count: int) -> list[dict[str, Any]]:
        newest = int(self.db.get(self._key("run_seq")) or 0)
        runs = []
        for run_id in range(newest, max(0, newest - count), -1):
            raw = self.db.hgetall(self._key("run", str(run_id)))
            runs.append({_text(k): _text(v) for k, v in raw.items()})
        return runs

    def reset(self) -> None:
        self._exported.clear()
        self._dropped.clear()
        doomed = [self._key("articles"), *self.db.scan_iter(match=self._key("story", "*"), count=1000)]
        for start in range(0, len(doomed), 1000):
            self.db.delete(*doomed[start : start + 1000])

    def close(self) -> None:
        self.flush()
        self.db.close()
