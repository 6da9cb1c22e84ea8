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

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis import defaults
from twisted.internet import task

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
        self, db: redis.Redis, spider: str, heartbeat: float, sequence: str = "newscrawl:run_seq"
    ) -> None:
        self.db = db
        self.key = f"{spider}:workers"
        self.dupefilter_key = defaults.SCHEDULER_DUPEFILTER_KEY % {"spider": spider}
        self.crawl_key = f"{spider}:crawl"  # the running crawl's number
        self.sequence = sequence  # where crawl numbers come from: the seen-state's run sequence
        self.timeout = 3 * heartbeat
        self.host = socket.gethostname()
        self.pid = os.getpid()

    @classmethod
    def from_settings(cls, settings: BaseSettings, spider: str, sequence: str = "newscrawl:run_seq") -> Self:
        import redis

        db = redis.Redis.from_url(settings["REDIS_URL"] or settings["NEWSCRAWL_REDIS_URL"])
        return cls(db, spider, settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_SECONDS", 10), sequence)

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


class WorkerPresence:
    """Keeps this worker's registry entry fresh, says when it is idle, closes it when all are.

    Busy again (a response arrived) clears the idle mark; the entry is removed
    when the spider closes.
    """

    def __init__(
        self, crawler: Crawler, registry: WorkerRegistry, worker_id: str, interval: float, idle_seconds: float
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.registry = registry
        self.worker_id = worker_id
        self.idle_seconds = idle_seconds
        self.idle_since: float | None = None
        self.task: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_DISTRIBUTED"):
            raise NotConfigured("not in distributed mode")
        assert crawler.spidercls is not None
        registry = WorkerRegistry.from_settings(settings, crawler.spidercls.name)
        interval = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_SECONDS", 10)
        idle = settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS", 5)
        return cls(crawler, registry, settings["NEWSCRAWL_WORKER_ID"], interval, idle)

    def spider_opened(self, spider: Any) -> None:
        settings = self.crawler.settings
        if settings.getbool("NEWSCRAWL_SEED_FRONTIER"):
            logger.info("Worker %s starts a new crawl: shared fingerprints cleared", self.worker_id)
        else:
            others = settings.get("NEWSCRAWL_WORKERS_AT_START")
            logger.info("Worker %s joins a running crawl (with %s)", self.worker_id, others)
        self.task = task.LoopingCall(self.beat)
        self.task.start(self.interval, now=True)

    def beat(self) -> None:
        try:
            self.registry.beat(self.worker_id, self.idle_since)
        except Exception as exc:  # a Redis hiccup must not stop the crawl; the next beat retries
            logger.warning("Worker heartbeat failed: %s", exc)

    def response_received(self) -> None:
        if self.idle_since is not None:
            self.idle_since = None
            self.beat()

    def spider_idle(self, spider: Any) -> None:
        if self.idle_since is None:
            self.idle_since = self.registry.now()
            self.beat()
        idle_for = self.registry.all_idle_for()
        if idle_for < self.idle_seconds:
            raise DontCloseSpider(f"workers idle for {idle_for:.1f}s only")
        logger.info("Every worker has been idle for %.1fs with an empty queue: closing", idle_for)

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.registry.leave(self.worker_id)
        self.registry.db.close()
