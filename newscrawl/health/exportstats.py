"""An extension that counts exported articles by label and by hour of publication (UTC).

What the run report's charts draw (``newscrawl/exported/label/*`` and
``newscrawl/exported/hour/*``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.health.stats import EXPORTED_HOUR_PREFIX, EXPORTED_LABEL_PREFIX

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class ExportStats:
    """Counts exported articles by label and by publication hour (UTC)."""

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.stats.inc_value(EXPORTED_LABEL_PREFIX + str(adapter.get("label") or "(none)"))
        published = adapter.get("published_at")
        self.stats.inc_value(EXPORTED_HOUR_PREFIX + (published[11:13] if published else "--"))
