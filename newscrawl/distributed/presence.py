"""An extension that keeps a worker present in the registry and closes it when all are idle.

See :mod:`newscrawl.distributed.registry`: the heartbeat every
``NEWSCRAWL_REDIS_HEARTBEAT_SECONDS``, the idle mark, and the close once every
live worker has been idle for ``NEWSCRAWL_REDIS_IDLE_SECONDS``.

An idle worker looks at the shared queue again every
``NEWSCRAWL_REDIS_IDLE_POLL_SECONDS`` rather than on Scrapy's 5-second engine
heartbeat: while the others' pages are still finding links, a worker whose own
requests ran out would otherwise sit out up to 5 seconds each time, and the
busy workers (woken by every response) take nearly all the new work.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from newscrawl.distributed.registry import WorkerRegistry
from newscrawl.state.run import run_state

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class WorkerPresence:
    """Keeps this worker's registry entry fresh, says when it is idle, closes it when all are.

    Busy again (a response arrived) clears the idle mark; the entry is removed
    when the spider closes.
    """

    def __init__(
        self,
        crawler: Crawler,
        registry: WorkerRegistry,
        interval: float,
        idle_seconds: float,
        poll_seconds: float,
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.registry = registry
        self.worker_id = ""  # the run's state has it once the spider opens
        self.idle_seconds = idle_seconds
        self.poll_seconds = poll_seconds
        self.idle_since: float | None = None
        self.task: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.get("NEWSCRAWL_REDIS_URL"):
            raise NotConfigured("not in distributed mode")
        assert crawler.spidercls is not None
        registry = WorkerRegistry.from_settings(settings, crawler.spidercls.name)
        interval = settings.getfloat("NEWSCRAWL_REDIS_HEARTBEAT_SECONDS")
        idle = settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS")
        poll = settings.getfloat("NEWSCRAWL_REDIS_IDLE_POLL_SECONDS")
        if poll <= 0:
            raise ValueError(f"NEWSCRAWL_REDIS_IDLE_POLL_SECONDS must be > 0, not {poll}")
        return cls(crawler, registry, interval, idle, poll)

    def spider_opened(self, spider: Any) -> None:
        self.worker_id = run_state(self.crawler).worker_id
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
            wake_engine(self.crawler, self.poll_seconds)
            raise DontCloseSpider(f"workers idle for {idle_for:.1f}s only")
        logger.info("Every worker has been idle for %.1fs with an empty queue: closing", idle_for)

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.registry.leave(self.worker_id)
        self.registry.db.close()


def wake_engine(crawler: Crawler, delay: float) -> bool:
    """Run the engine's loop (next request from the scheduler, idle check) again in ``delay`` seconds.

    Scrapy has no public call for this: its engine runs the loop on its own
    ``_slot.nextcall`` after each response and every 5 seconds. Without the slot
    (a Scrapy that renamed it) the worker falls back to that heartbeat: slower
    to pick up shared work, still correct. A test fails when Scrapy renames it.
    """
    nextcall = getattr(getattr(crawler.engine, "_slot", None), "nextcall", None)
    if nextcall is None:
        return False
    nextcall.schedule(delay)
    return True
