"""An extension that describes what a run exported: by label, by hour, and how fresh.

* ``newscrawl/exported/label/*`` and ``newscrawl/exported/hour/*`` (UTC hour of
  publication): what the run report's charts draw;
* ``newscrawl/freshness/newest_published``: the newest ``published_at`` exported;
* ``newscrawl/freshness/lag_p50_seconds`` and ``lag_p95_seconds``: the time from
  an article's publication to its export, over the run's new articles (editors'
  updates are not new), from a fixed-size uniform sample so a backfill of
  millions costs the same memory as a cron delta.

The run's state records the freshness in the run history (``newscrawl runs``).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.health import stats as names
from newscrawl.site.timeparse import parse_iso

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

SAMPLE_SIZE = 10_000


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5), percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.95)
    (3.0, 5.0)
    >>> percentile([], 0.5) is None
    True
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


class ExportStats:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.newest: str | None = None
        self.lags: list[float] = []  # a uniform sample of publish-to-export lags (reservoir)
        self.seen = 0
        self.random = random.Random(0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.stats.inc_value(names.EXPORTED_LABEL_PREFIX + str(adapter.get("label") or "(none)"))
        published = adapter.get("published_at")
        self.stats.inc_value(names.EXPORTED_HOUR_PREFIX + (published[11:13] if published else "--"))
        if not published or (adapter.get("version") or 1) > 1:
            return
        self.newest = max(self.newest or published, published)  # the feed's form sorts as time
        moment = parse_iso(published)
        if moment is None:  # the schema's form: a line that passed validation has it
            return
        lag = (datetime.now(UTC) - moment).total_seconds()
        self.seen += 1
        if len(self.lags) < SAMPLE_SIZE:
            self.lags.append(lag)
        elif (slot := self.random.randrange(self.seen)) < SAMPLE_SIZE:
            self.lags[slot] = lag

    def spider_closed(self, spider: Any) -> None:
        if self.newest is not None:
            self.stats.set_value(names.FRESHNESS_NEWEST, self.newest)
        for name, share in ((names.FRESHNESS_LAG_P50, 0.5), (names.FRESHNESS_LAG_P95, 0.95)):
            value = percentile(self.lags, share)
            if value is not None:
                self.stats.set_value(name, round(value))
