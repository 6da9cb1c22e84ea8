"""Seen-state in Redis (``NEWSCRAWL_STATE_URI=redis://[:password@]host:port/db``).

The same protocol as the SQLite store, kept where several machines can reach
it; every lookup is by key (``HMGET``, ``LRANGE``). Keys, under the prefix
``newscrawl`` (``?prefix=`` in the URI changes it):

* ``<prefix>:articles``: hash, article id -> ``4 * crawl + status``, status 1
  exported, 2 dropped for good, 3 claimed by a worker whose feed line is not
  durable yet; *crawl* is the crawl that settled it (a run of one process, or
  all the workers of one distributed crawl), so a listing page holding only
  articles settled by *earlier* crawls says that paging can stop;
* ``<prefix>:story:<hex key>``: list of accepted versions (JSON) of stories
  with that headline key;
* ``<prefix>:claims:<worker>``: hash, article id -> the story entry it pushed,
  for the claims a worker has not committed yet;
* ``<prefix>:versions``: hash, article id -> its last export (``version|updated_at|hash|story``),
  to tell an editors' update from a refetch;
* ``<prefix>:missing``: set of ids the id walk found missing;
* ``<prefix>:run_seq`` and ``<prefix>:run:<id>``: run records.

Several workers decide on one article or story at once, so the decision is a
check-and-set (:meth:`RedisSeenState.claim`), two round trips in Lua scripts
(atomic in Redis): the first takes the article id (``HSETNX``) and reads the
story's versions; the worker decides; the second pushes an accepted version
only if the list is still what the worker read (same length, same last entry;
it only grows, except when a rerun releases claims), else the worker reads and
decides again. A drop needs no check: more versions never turn one into an export. An accepted version is visible to every worker at once and
committed (status 1) when its feed line is fsynced; a killed worker's claims
are settled by its own rerun, after it has recovered its ``.part`` file
(:meth:`release_claims`): what the file holds is committed, the rest released.
"""

from __future__ import annotations

import base64
import json
from array import array
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs, urlsplit

from newscrawl.redisclient import redis_client
from newscrawl.state.base import ArticleRecord, Decision, StoryVersion
from newscrawl.state.buffered import BufferedStore, Exported, chunks

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from scrapy.settings import BaseSettings

EXPORTED, DROPPED, CLAIMED = 1, 2, 3  # the status in 4 * crawl + status

# KEYS: articles, claims, story list; ARGV: article id, claimed value.
# The story's versions if this worker now holds the id, nil if it is taken.
_CLAIM_ARTICLE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
    redis.call('HSET', KEYS[2], ARGV[1], '')
    return redis.call('LRANGE', KEYS[3], 0, -1)
end
return false
"""

# KEYS: articles, claims, story list; ARGV: article id, accepted (1/0), length read,
# last entry read, entry, claim record, dropped value. 0 when the list changed since it was read.
_SETTLE = """
if ARGV[2] == '1' then
    local length = redis.call('LLEN', KEYS[3])
    if length ~= tonumber(ARGV[3]) then return 0 end
    if length > 0 and redis.call('LINDEX', KEYS[3], -1) ~= ARGV[4] then return 0 end
    redis.call('RPUSH', KEYS[3], ARGV[5])
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[6])
    return 1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[7])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""

# KEYS: articles, claims, story list; ARGV: article id, encoded version, exported value.
# A claimed version is already in the story list; a recovered one may not be.
_COMMIT = """
local claim = redis.call('HGET', KEYS[2], ARGV[1])
if claim then
    redis.call('HDEL', KEYS[2], ARGV[1])
    if claim == '' then redis.call('RPUSH', KEYS[3], ARGV[2]) end
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
    return 1
end
local value = redis.call('HGET', KEYS[1], ARGV[1])
if value and tonumber(value) % 4 == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('RPUSH', KEYS[3], ARGV[2])
return 2
"""

# KEYS: articles, claims; ARGV: key prefix. Undo every claim left in the hash.
_RELEASE = """
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
    local id, entry = entries[i], entries[i + 1]
    if entry ~= '' then
        local story = cjson.decode(entry)
        redis.call('LREM', ARGV[1] .. ':story:' .. story[1], 1, story[2])
    end
    local value = redis.call('HGET', KEYS[1], id)
    if value and tonumber(value) % 4 == 3 then redis.call('HDEL', KEYS[1], id) end
end
redis.call('DEL', KEYS[2])
return #entries / 2
"""


def _encode(version: StoryVersion) -> str:
    # The sketch packed as uint32 in base64: 344 characters instead of ~700 as JSON numbers.
    sketch = base64.b64encode(array("I", version.sketch).tobytes()).decode()
    return json.dumps(
        [version.url, version.article_id, version.published, version.revision, version.corrections, sketch]
    )


def _decode(raw: bytes | str) -> StoryVersion:
    url, article_id, published, revision, corrections, sketch = json.loads(raw)
    values = array("I")
    values.frombytes(base64.b64decode(sketch))
    return StoryVersion(url, article_id, published, revision, corrections, tuple(values))


def state_prefix(uri: str) -> str:
    """The key prefix a Redis state URI names (``?prefix=``, default ``newscrawl``).

    >>> state_prefix("redis://localhost:6379/0?prefix=news")
    'news'
    >>> state_prefix("redis://localhost:6379/0")
    'newscrawl'
    """
    return parse_qs(urlsplit(uri).query).get("prefix", ["newscrawl"])[0]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisSeenState(BufferedStore):
    def __init__(self, uri: str, worker_id: str = "", settings: BaseSettings | None = None) -> None:
        super().__init__()
        self.prefix = state_prefix(uri)
        self.db = redis_client(settings, uri)
        self.db.ping()  # fail at start, not at the first item
        self.worker_id = worker_id or "default"
        self.crawl = 0  # set by the run (newscrawl.state.run.RunState) before any record is written
        self._claim_article = self.db.register_script(_CLAIM_ARTICLE)
        self._settle = self.db.register_script(_SETTLE)
        self._commit = self.db.register_script(_COMMIT)
        self._release = self.db.register_script(_RELEASE)

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    @property
    def _claims(self) -> str:
        return self._key("claims", self.worker_id)

    def _values(self, ids: list[int]) -> Iterator[tuple[int, bytes | None]]:
        """Each id with its stored value (``4 * crawl + status``) or None, by chunks of ``HMGET``."""
        for chunk in chunks(ids):
            yield from zip(chunk, self.db.hmget(self._key("articles"), chunk), strict=True)

    def _stored_known(self, ids: list[int]) -> set[int]:
        return {i for i, value in self._values(ids) if value is not None}

    def known_before_crawl(self, article_ids: Iterable[int]) -> set[int]:
        """The subset of ``article_ids`` settled by earlier crawls (not by this one's workers)."""
        return {
            i
            for i, value in self._values(list(article_ids))
            if value is not None and int(value) // 4 < self.crawl
        }

    def _value(self, status: int) -> int:
        return 4 * self.crawl + status

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        stored = self.db.lrange(self._key("story", key.hex()), 0, -1)
        return [_decode(raw) for raw in stored]

    def claim(
        self, key: bytes, version: StoryVersion, decide: Callable[[list[StoryVersion]], Decision]
    ) -> Decision:
        """Decide on ``version`` atomically with every other worker; an accepted one is claimed."""
        article_id = str(version.article_id)
        keys = [self._key("articles"), self._claims, self._key("story", key.hex())]
        stored = self._claim_article(keys=keys, args=[article_id, self._value(CLAIMED)])
        if stored is None:
            return Decision("url", f"article {article_id}")
        entry = _encode(version)
        record = json.dumps([key.hex(), entry])
        while True:
            decision = decide([_decode(raw) for raw in stored])
            last = stored[-1] if stored else b""
            args = [
                article_id,
                int(decision.accepted),
                len(stored),
                last,
                entry,
                record,
                self._value(DROPPED),
            ]
            if self._settle(keys=keys, args=args):
                return decision
            stored = self.db.lrange(keys[2], 0, -1)  # another worker changed the story: again

    def _stored_records(self, ids: list[int]) -> dict[int, ArticleRecord]:
        found: dict[int, ArticleRecord] = {}
        for chunk in chunks(ids):
            for article_id, raw in zip(chunk, self.db.hmget(self._key("versions"), chunk), strict=True):
                if raw is not None:
                    number, modified, digest, *story = _text(raw).split("|")  # story: since story ids
                    found[article_id] = ArticleRecord(
                        int(number),
                        modified or None,
                        bytes.fromhex(digest),
                        int(story[0]) if story and story[0] else None,
                    )
        return found

    def _stored_missing(self, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for chunk in chunks(ids):
            flags = self.db.smismember(self._key("missing"), chunk)
            found.update(i for i, flag in zip(chunk, flags, strict=True) if flag)
        return found

    def _write(self, exported: list[Exported], dropped: dict[int, str], missing: set[int]) -> None:
        pipe = self.db.pipeline(transaction=True)
        if missing:
            pipe.sadd(self._key("missing"), *missing)
        for key, version, record in exported:
            # A later export of an article finds it exported: the script leaves its story alone.
            self._commit(
                keys=[self._key("articles"), self._claims, self._key("story", key.hex())],
                args=[version.article_id, _encode(version), self._value(EXPORTED)],
                client=pipe,
            )
            if record is not None:
                value = (
                    f"{record.version}|{record.modified or ''}|{record.content.hex()}|{record.story or ''}"
                )
                pipe.hset(self._key("versions"), str(version.article_id), value)
        for article_id in dropped:
            pipe.hsetnx(self._key("articles"), str(article_id), self._value(DROPPED))
        pipe.execute()

    def release_claims(self) -> int:
        """Undo this worker's uncommitted claims (a killed run's); how many."""
        self.flush()
        return int(self._release(keys=[self._key("articles"), self._claims], args=[self.prefix]))

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
        # Distributed crawls take their numbers from the same sequence: skip those.
        newest = int(self.db.get(self._key("run_seq")) or 0)
        runs: list[dict[str, Any]] = []
        for run_id in range(newest, 0, -1):
            raw = self.db.hgetall(self._key("run", str(run_id)))
            if raw:
                runs.append({_text(k): _text(v) for k, v in raw.items()})
                if len(runs) == count:
                    break
        return runs

    def reset(self) -> None:
        self._clear_buffer()
        doomed = [
            self._key("articles"),
            self._key("missing"),
            self._key("versions"),
            *self.db.scan_iter(match=self._key("story", "*"), count=1000),
            *self.db.scan_iter(match=self._key("claims", "*"), count=1000),
        ]
        for start in range(0, len(doomed), 1000):
            self.db.delete(*doomed[start : start + 1000])

    def _close(self) -> None:
        self.db.close()
