"""Several workers on one shared frontier: scrapy-redis, switched on by ``NEWSCRAWL_REDIS_URL``.

With ``NEWSCRAWL_REDIS_URL=redis://[:password@]host:port/db`` (setting or
environment) the :class:`DistributedAddon` puts the run on scrapy-redis's
scheduler (a shared request queue, persisted between runs) with
:class:`IdDupeFilter` (shared request fingerprints, an article being its id as
in a single process), and keeps the seen-state in the same Redis unless
``NEWSCRAWL_STATE_URI`` is given on the command line. Without it nothing changes.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from scrapy_redis.dupefilter import RFPDupeFilter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.settings import Settings

# Above the project's own settings (20), below the command line (40).
_PRIORITY = 25


class IdDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's shared dupefilter with the crawl's own request fingerprints."""

    fingerprinter: Any = None

    @classmethod
    def from_spider(cls, spider: Any) -> IdDupeFilter:
        dupefilter: IdDupeFilter = super().from_spider(spider)
        dupefilter.fingerprinter = spider.crawler.request_fingerprinter
        return dupefilter

    def request_fingerprint(self, request: Request) -> str:
        return str(self.fingerprinter.fingerprint(request).hex())


class DistributedAddon:
    """A Scrapy add-on: distributed mode when ``NEWSCRAWL_REDIS_URL`` is set."""

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
        # Idle workers wait this long on the shared queue before they close.
        settings.set(
            "SCHEDULER_IDLE_BEFORE_CLOSE", settings.getint("NEWSCRAWL_REDIS_IDLE_SECONDS", 5), _PRIORITY
        )
        if not settings.get("NEWSCRAWL_WORKER_ID"):  # feed names and .part recovery are per worker
            settings.set("NEWSCRAWL_WORKER_ID", socket.gethostname(), priority=_PRIORITY)
