"""An extension that lets Python's cyclic garbage collector run less often during a crawl.

Python collects its youngest generation every 700 net allocations; a crawl
allocates millions (a parsed page, a response, an item, requests), so the
collector ran ~900 times in a 3,000-article crawl and traversed the ~100,000
objects that imports and start-up leave alive in each of its full passes:
~0.2 ms a page, 5% of the crawl's CPU. Pages do not pile up for it any more
(the spider releases a page's tree when its callback ends), so when the spider
opens this extension moves the start-up objects out of the collector's way
(``gc.freeze``) and raises the youngest generation's threshold to
``NEWSCRAWL_GC_THRESHOLD`` (0 keeps Python's). Measured on that crawl: the
collector's time 0.74 s -> 0.2 s, peak RSS 116 -> 117 MB. Python's settings
come back when the spider closes.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class GarbageCollectorTuning:
    # Process-wide like the collector itself: with several spiders in one process
    # (CrawlerProcess), the first to open saves Python's settings, the last to close restores them.
    _open = 0
    _saved: tuple[int, int, int] | None = None

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.tuned = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        threshold = crawler.settings.getint("NEWSCRAWL_GC_THRESHOLD")
        if threshold < 0:
            raise ValueError(f"NEWSCRAWL_GC_THRESHOLD must be 0 (Python's) or more, not {threshold}")
        if threshold == 0:
            raise NotConfigured("NEWSCRAWL_GC_THRESHOLD is 0: Python's garbage collector settings")
        extension = cls(threshold)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        cls = type(self)
        if cls._open == 0:
            if not gc.isenabled():  # turned off on purpose: left so
                return
            cls._saved = gc.get_threshold()
            gc.collect()  # what start-up left as garbage goes now, not into the frozen set
            gc.freeze()
        cls._open += 1
        self.tuned = True
        assert cls._saved is not None
        gc.set_threshold(max(self.threshold, gc.get_threshold()[0]), *cls._saved[1:])
        logger.debug(
            "Garbage collector: %d start-up objects frozen, threshold %d",
            gc.get_freeze_count(),
            self.threshold,
        )

    def spider_closed(self, spider: Any) -> None:
        cls = type(self)
        if not self.tuned:
            return
        self.tuned = False
        cls._open -= 1
        if cls._open == 0 and cls._saved is not None:
            gc.set_threshold(*cls._saved)
            gc.unfreeze()
            cls._saved = None
