"""Several workers on one shared frontier: scrapy-redis, switched on by ``NEWSCRAWL_REDIS_URL``.

With ``NEWSCRAWL_REDIS_URL=redis://[:password@]host:port/db`` (setting or
environment) the :class:`DistributedAddon` puts the run on scrapy-redis's
scheduler (a shared request queue, persisted between runs) with
:class:`IdDupeFilter` (shared request fingerprints, an article being its id as
in a single process), and keeps the seen-state in the same Redis unless
``NEWSCRAWL_STATE_URI`` is given on the command line. Without it nothing changes.

The add-on only changes settings; nothing here touches the network. Each
worker joins the registry (:mod:`newscrawl.distributed.registry`) when its
run's state is built (:class:`~newscrawl.state.run.RunState`): it gets its
worker id there (``<host>-<n>`` unless ``NEWSCRAWL_WORKER_ID`` names one), and
learns whether it starts a new crawl (it then clears the shared fingerprints
and seeds the frontier) or joins a running one.

The package, one component per module: :mod:`~.addon` (settings),
:mod:`~.dupefilter`, :mod:`~.registry` (who is crawling), :mod:`~.presence`
(heartbeat and idle close, an extension), :mod:`~.keys` (Redis key
templates), :mod:`~.admin` (``python -m newscrawl.distributed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newscrawl.distributed.presence import WorkerPresence

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

# Above the project's own settings (20), below the command line (40).
_PRIORITY = 25


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
        settings.set("REDIS_URL", url, priority=_PRIORITY)
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority=_PRIORITY)
        settings.set("DUPEFILTER_CLASS", "newscrawl.distributed.dupefilter.IdDupeFilter", priority=_PRIORITY)
        settings.set("SCHEDULER_PERSIST", True, priority=_PRIORITY)
        settings.set("NEWSCRAWL_STATE_URI", url, priority=_PRIORITY)
        # Not SCHEDULER_IDLE_BEFORE_CLOSE: scrapy-redis's blocking pop would block the reactor
        # (and its priority queue ignores it); WorkerPresence closes idle workers.
        settings.set_in_component_priority_dict("EXTENSIONS", WorkerPresence, 100)
