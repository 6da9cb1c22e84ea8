"""Several workers on one shared frontier: scrapy-redis, switched on by ``NEWSCRAWL_REDIS_URL``.

With ``NEWSCRAWL_REDIS_URL=redis://[:password@]host:port/db`` (setting or
environment) the :class:`DistributedAddon` puts the run on scrapy-redis's
scheduler (a shared request queue, persisted between runs) with
:class:`IdDupeFilter` (shared request fingerprints, an article being its id as
in a single process), and keeps the seen-state in the same Redis unless
``NEWSCRAWL_STATE_URI`` is given on the command line. Without it nothing changes.

Each worker joins the registry of :mod:`newscrawl.workers` as it starts: it
gets its worker id there (``<host>-<n>`` unless ``NEWSCRAWL_WORKER_ID`` names
one), and learns whether it starts a new crawl (it then clears the shared
fingerprints and seeds the frontier) or joins a running one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy_redis import defaults
from scrapy_redis.dupefilter import RFPDupeFilter

from newscrawl.state.redis import RedisSeenState, state_prefix
from newscrawl.workers import WorkerIdInUseError, WorkerPresence, WorkerRegistry

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

# Above the project's own settings (20), below the command line (40).
_PRIORITY = 25


class IdDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's shared dupefilter with the crawl's own request fingerprints.

    Most article links a worker sees are repeats (the same article in several
    listings and in related links), so it remembers the last
    :attr:`local_size` fingerprints it has put in the shared set and answers
    those without a Redis round trip. Only a new crawl clears the shared set,
    and never while a worker runs, so a remembered answer is still true.
    """

    fingerprinter: Any = None
    local_size = 100_000
    _local: dict[str, None]  # fingerprints this worker added, oldest first

    def request_seen(self, request: Request) -> bool:
        local = self._local
        fingerprint = self.request_fingerprint(request)
        if fingerprint in local:
            return True
        if len(local) >= self.local_size:
            del local[next(iter(local))]  # the oldest: dicts keep insertion order
        local[fingerprint] = None
        return not self.server.sadd(self.key, fingerprint)

    @classmethod
    def from_spider(cls, spider: Any) -> IdDupeFilter:
        dupefilter: IdDupeFilter = super().from_spider(spider)
        dupefilter.fingerprinter = spider.crawler.request_fingerprinter
        dupefilter._local = {}
        return dupefilter

    def request_fingerprint(self, request: Request) -> str:
        return str(self.fingerprinter.fingerprint(request).hex())


class DistributedAddon:
    """A Scrapy add-on: distributed mode when ``NEWSCRAWL_REDIS_URL`` is set."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        url = settings.get("NEWSCRAWL_REDIS_URL")
        if not url:
            return
        settings.set("NEWSCRAWL_DISTRIBUTED", True, priority=_PRIORITY)
        settings.set("REDIS_URL", url, priority=_PRIORITY)
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority=_PRIORITY)
        settings.set("DUPEFILTER_CLASS", "newscrawl.distributed.IdDupeFilter", priority=_PRIORITY)
        settings.set("SCHEDULER_PERSIST", True, priority=_PRIORITY)
        settings.set("NEWSCRAWL_STATE_URI", url, priority=_PRIORITY)
        # Not SCHEDULER_IDLE_BEFORE_CLOSE: scrapy-redis's blocking pop would block the reactor
        # (and its priority queue ignores it); newscrawl.workers.WorkerPresence closes idle workers.
        settings.set_in_component_priority_dict("EXTENSIONS", WorkerPresence, 100)
        self.join(settings, url)

    def join(self, settings: Settings, url: str) -> None:
        """Register as a worker: the id (feed names, claims) and whether to seed the frontier."""
        assert self.crawler.spidercls is not None
        state_uri = settings.get("NEWSCRAWL_STATE_URI") or url
        registry = WorkerRegistry.from_settings(
            settings, self.crawler.spidercls.name, sequence=f"{state_prefix(state_uri)}:run_seq"
        )
        try:
            member = registry.join(settings.get("NEWSCRAWL_WORKER_ID") or None)
        except WorkerIdInUseError as exc:
            logger.error("Cannot start this worker: %s", exc)  # `scrapy crawl` exits 1
            raise
        finally:
            registry.db.close()
        settings.set("NEWSCRAWL_WORKER_ID", member.worker_id, priority=50)  # the registry's word is final
        settings.set("NEWSCRAWL_SEED_FRONTIER", member.first, priority=_PRIORITY)
        settings.set("NEWSCRAWL_CRAWL_ID", member.crawl, priority=_PRIORITY)
        settings.set("NEWSCRAWL_WORKERS_AT_START", ",".join(member.others), priority=_PRIORITY)


def status(url: str, spider: str = "devdiscourse", prefix: str = "newscrawl") -> dict[str, Any]:
    """Progress of the shared crawl: workers, queue, fingerprints, seen-state sizes."""
    import redis

    db = redis.Redis.from_url(url)
    try:
        registry = WorkerRegistry(db, spider, heartbeat=10)
        queue = defaults.SCHEDULER_QUEUE_KEY % {"spider": spider}
        kind = db.type(queue)
        length = db.zcard(queue) if kind in (b"zset", "zset") else db.llen(queue)
        return {
            "workers": {
                worker: "idle" if entry.get("idle_since") is not None else "busy"
                for worker, entry in sorted(registry.live_workers().items())
            },
            "queue": int(length),
            "fingerprints": int(db.scard(registry.dupefilter_key)),
            "articles_settled": int(db.hlen(f"{prefix}:articles")),
            "claims_uncommitted": sum(int(db.hlen(k)) for k in db.scan_iter(match=f"{prefix}:claims:*")),
        }
    finally:
        db.close()


def reset(url: str, spider: str = "devdiscourse") -> None:
    """Forget the shared crawl (queue, fingerprints, seen-state); refused while workers run."""
    import redis

    db = redis.Redis.from_url(url)
    try:
        registry = WorkerRegistry(db, spider, heartbeat=10)
        live = registry.live_workers()
        if live:
            raise RuntimeError(f"workers are running: {', '.join(sorted(live))}; stop them first")
        db.delete(defaults.SCHEDULER_QUEUE_KEY % {"spider": spider}, registry.dupefilter_key, registry.key)
    finally:
        db.close()
    state = RedisSeenState(url)
    try:
        state.reset()
    finally:
        state.close()


def release(url: str, worker: str, spider: str = "devdiscourse") -> int:
    """Release the uncommitted claims of a worker that will not run again (its host and feed are gone)."""
    import redis

    db = redis.Redis.from_url(url)
    try:
        if worker in WorkerRegistry(db, spider, heartbeat=10).live_workers():
            raise RuntimeError(f"worker {worker!r} is running")
    finally:
        db.close()
    state = RedisSeenState(url, worker)
    try:
        return state.release_claims()
    finally:
        state.close()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m newscrawl.distributed", description="Watch, reset or repair a distributed crawl."
    )
    parser.add_argument("command", choices=("status", "reset", "release"))
    parser.add_argument("--worker", help="with release: the worker id whose claims to release")
    parser.add_argument(
        "--redis-url", default=os.environ.get("NEWSCRAWL_REDIS_URL"), help="default: $NEWSCRAWL_REDIS_URL"
    )
    args = parser.parse_args(argv)
    if not args.redis_url:
        parser.error("no Redis URL: pass --redis-url or set NEWSCRAWL_REDIS_URL")
    try:
        if args.command == "status":
            print(json.dumps(status(args.redis_url), indent=2))
        elif args.command == "release":
            if not args.worker:
                parser.error("release needs --worker ID")
            released = release(args.redis_url, args.worker)
            print(f"Released {released} claim(s) of {args.worker}: those articles will be fetched again")
        else:
            reset(args.redis_url)
            print("Reset: queue, fingerprints and seen-state deleted")
    except Exception as exc:  # one line, no traceback (and no password: redis-py errors name host:port)
        print(f"newscrawl.distributed {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
