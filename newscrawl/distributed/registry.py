"""Who is crawling on a shared Redis: worker ids, liveness, the start of a crawl.

Workers register in the hash ``<spider>:workers`` (next to scrapy-redis's
``<spider>:requests`` and ``<spider>:dupefilter``): worker id -> host, pid and
the Redis time of its last heartbeat. A worker is alive while its heartbeat is
younger than ``3 x NEWSCRAWL_REDIS_HEARTBEAT_SECONDS`` and, on the same host,
its process exists (so a killed worker's slot is free at once on its host).

The first worker to join when none is alive starts a new *crawl*: it clears the
shared request fingerprints (what an earlier crawl failed on or lost with a
killed worker is fetched again; the seen-state says what is done) and it alone
seeds the frontier with the entry and listing pages. Workers joining a running
crawl take their requests from the shared queue.

A worker with nothing to do records since when it has been idle; it closes once
every live worker has been idle for ``NEWSCRAWL_REDIS_IDLE_SECONDS``: then the
queue is empty and nobody is left to fill it. (An idle timeout alone would close
a worker that starts a second before the seeder has filled the queue.)
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawl.distributed.keys import crawl_key, dupefilter_key, run_sequence_key, workers_key
from newscrawl.redisclient import redis_client
from newscrawl.state.redis import state_prefix

if TYPE_CHECKING:
    from typing import Self

    import redis
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


class WorkerIdInUseError(RuntimeError):
    """Another live worker has this id (feed names and claims are per worker)."""


def process_exists(pid: int) -> bool:
    """Whether a process with this pid runs on this host.

    >>> process_exists(os.getpid())
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _entries(raw: Any) -> dict[str, dict[str, Any]]:
    return {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in raw.items()}


@dataclass(frozen=True)
class Membership:
    worker_id: str
    first: bool  # no other worker was alive: this worker starts a new crawl
    others: tuple[str, ...]
    crawl: int  # the crawl's number: records in the seen-state carry it


class WorkerRegistry:
    def __init__(
        self, db: redis.Redis, spider: str, heartbeat: float, sequence: str = run_sequence_key("newscrawl")
    ) -> None:
        self.db = db
        self.key = workers_key(spider)
        self.dupefilter_key = dupefilter_key(spider)
        self.crawl_key = crawl_key(spider)  # the running crawl's number
        self.sequence = sequence  # where crawl numbers come from: the seen-state's run sequence
        self.timeout = 3 * heartbeat
        self.host = socket.gethostname()
        self.pid = os.getpid()

    @classmethod
    def from_settings(cls, settings: BaseSettings, spider: str, url: str | None = None) -> Self:
        """The registry of ``spider`` on ``url`` (default: the settings' Redis), crawl numbers
        from the state's sequence, the heartbeat the settings say."""
        sequence = run_sequence_key(state_prefix(settings.get("NEWSCRAWL_STATE_URI") or ""))
        heartbeat = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_SECONDS")
        return cls(redis_client(settings, url), spider, heartbeat, sequence)

    def now(self) -> float:
        seconds, micros = self.db.time()
        return float(seconds) + micros / 1e6

    def alive(self, entry: dict[str, Any], now: float) -> bool:
        if now - float(entry.get("beat", 0)) > self.timeout:
            return False
        return entry.get("host") != self.host or process_exists(int(entry.get("pid", 0)))

    def live_workers(self) -> dict[str, dict[str, Any]]:
        now = self.now()
        entries = _entries(self.db.hgetall(self.key))
        return {worker: entry for worker, entry in entries.items() if self.alive(entry, now)}

    def _entry(self, idle_since: float | None = None) -> str:
        return json.dumps({"host": self.host, "pid": self.pid, "beat": self.now(), "idle_since": idle_since})

    def join(self, wanted: str | None) -> Membership:
        """Register this process; a free ``<host>-<n>`` id unless one is ``wanted``."""
        import redis

        with self.db.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(self.key, self.sequence)  # type: ignore[no-untyped-call]
                    now = self.now()
                    entries = _entries(pipe.hgetall(self.key))
                    live = {w for w, e in entries.items() if self.alive(e, now)}
                    if wanted and wanted in live:
                        entry = entries[wanted]
                        raise WorkerIdInUseError(
                            f"worker id {wanted!r} is in use by pid {entry.get('pid')} on {entry.get('host')} "
                            "(give each worker its own NEWSCRAWL_WORKER_ID, or leave it unset)"
                        )
                    worker_id = wanted or next(
                        f"{self.host}-{n}" for n in range(1, len(live) + 2) if f"{self.host}-{n}" not in live
                    )
                    if live:
                        crawl = int(pipe.get(self.crawl_key) or 0)
                    else:
                        crawl = int(pipe.get(self.sequence) or 0) + 1
                    pipe.multi()
                    dead = [w for w in entries if w not in live and w != worker_id]
                    if dead:
                        pipe.hdel(self.key, *dead)
                    pipe.hset(self.key, worker_id, self._entry())
                    if not live:
                        pipe.delete(self.dupefilter_key)
                        pipe.set(self.sequence, crawl)
                        pipe.set(self.crawl_key, crawl)
                    pipe.execute()
                    return Membership(worker_id, first=not live, others=tuple(sorted(live)), crawl=crawl)
                except redis.WatchError:  # another worker joined or beat: look again
                    continue

    def beat(self, worker_id: str, idle_since: float | None = None) -> None:
        self.db.hset(self.key, worker_id, self._entry(idle_since))

    def all_idle_for(self) -> float:
        """How long every live worker has been idle (0 while any is busy)."""
        now = self.now()
        live = self.live_workers().values()
        since = [entry.get("idle_since") for entry in live]
        idle = [float(s) for s in since if s is not None]
        if not since or len(idle) < len(since):
            return 0.0
        return now - max(idle)

    def leave(self, worker_id: str) -> None:
        self.db.hdel(self.key, worker_id)


def join_crawl(crawler: Crawler) -> Membership:
    """Register this process as a worker of the shared crawl (the run's state asks, once)."""
    assert crawler.spidercls is not None
    registry = WorkerRegistry.from_settings(crawler.settings, crawler.spidercls.name)
    try:
        membership = registry.join(crawler.settings.get("NEWSCRAWL_WORKER_ID") or None)
    except WorkerIdInUseError as exc:
        logger.error("Cannot start this worker: %s", exc)  # `scrapy crawl` exits 1
        raise
    finally:
        registry.db.close()
    if membership.first:
        logger.info("Worker %s starts a new crawl: shared fingerprints cleared", membership.worker_id)
    else:
        others = ", ".join(membership.others)
        logger.info("Worker %s joins a running crawl (with %s)", membership.worker_id, others)
    return membership
