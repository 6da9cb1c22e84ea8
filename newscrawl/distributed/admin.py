"""What an operator does to a distributed crawl: watch it, reset it, release a lost worker's claims.

    python -m newscrawl.distributed status|reset|release [--worker ID] [--redis-url URL]

Clients and heartbeat come from the project settings (``REDIS_PARAMS``,
``NEWSCRAWL_REDIS_HEARTBEAT_SECONDS``), as in a crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from newscrawl.distributed.keys import queue_key
from newscrawl.distributed.registry import WorkerRegistry
from newscrawl.state.redis import RedisSeenState

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SPIDER = "devdiscourse"


def project_settings() -> BaseSettings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def status(
    url: str, settings: BaseSettings | None = None, spider: str = SPIDER, prefix: str = "newscrawl"
) -> dict[str, Any]:
    """Progress of the shared crawl: workers, queue, fingerprints, seen-state sizes."""
    settings = settings if settings is not None else project_settings()
    registry = WorkerRegistry.from_settings(settings, spider, url)
    db = registry.db
    try:
        queue = queue_key(spider)
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


def reset(url: str, settings: BaseSettings | None = None, spider: str = SPIDER) -> None:
    """Forget the shared crawl (queue, fingerprints, seen-state); refused while workers run."""
    settings = settings if settings is not None else project_settings()
    registry = WorkerRegistry.from_settings(settings, spider, url)
    try:
        live = registry.live_workers()
        if live:
            raise RuntimeError(f"workers are running: {', '.join(sorted(live))}; stop them first")
        registry.db.delete(queue_key(spider), registry.dupefilter_key, registry.key)
    finally:
        registry.db.close()
    state = RedisSeenState(url, settings=settings)
    try:
        state.reset()
    finally:
        state.close()


def release(url: str, worker: str, settings: BaseSettings | None = None, spider: str = SPIDER) -> int:
    """Release the uncommitted claims of a worker that will not run again (its host and feed are gone)."""
    settings = settings if settings is not None else project_settings()
    registry = WorkerRegistry.from_settings(settings, spider, url)
    try:
        if worker in registry.live_workers():
            raise RuntimeError(f"worker {worker!r} is running")
    finally:
        registry.db.close()
    state = RedisSeenState(url, worker, settings)
    try:
        return state.release_claims()
    finally:
        state.close()


def main(argv: list[str] | None = None) -> int:
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
        print(f"newscrawl.distributed.addon {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0
