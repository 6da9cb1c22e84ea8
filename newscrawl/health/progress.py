"""An extension that says how a long run is going, one line every ``NEWSCRAWL_PROGRESS_SECONDS``.

    progress: 1240 items exported (310/min), 1502 pages, 230 requests queued, 4m00s

Logged at INFO by the ``newscrawl.progress`` logger, so it is in every run's
log; the cron entry point also shows it on a terminal. ``0`` switches it off.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newscrawl.health import stats as names
from newscrawl.health.history import duration_text

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger("newscrawl.progress")


def progress_line(
    items: int, pages: int, queued: int | None, seconds: float, items_before: int, interval: float
) -> str:
    """
    >>> progress_line(1240, 1502, 230, 240.0, 930, 60.0)
    'progress: 1240 items exported (310/min), 1502 pages, 230 requests queued, 4m00s'
    """
    rate = (items - items_before) * 60 / interval if interval else 0
    queue = f", {queued} requests queued" if queued is not None else ""
    return f"progress: {items} items exported ({rate:.0f}/min), {pages} pages{queue}, {duration_text(round(seconds))}"


class Progress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = interval
        self.started = time.monotonic()
        self.items_before = 0
        self.task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_SECONDS")
        if interval <= 0:
            raise NotConfigured("NEWSCRAWL_PROGRESS_SECONDS is 0")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.task = task.LoopingCall(self.log)
        self.task.start(self.interval, now=False)

    def queued(self) -> int | None:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        try:
            return len(scheduler) if scheduler is not None else None  # type: ignore[arg-type]
        except TypeError:  # a scheduler without a length
            return None

    def log(self) -> None:
        items = self.stats.get_value(names.ITEMS_SCRAPED, 0)
        pages = self.stats.get_value(names.RESPONSES, 0)
        seconds = time.monotonic() - self.started
        logger.info(
            "%s", progress_line(items, pages, self.queued(), seconds, self.items_before, self.interval)
        )
        self.items_before = items

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
