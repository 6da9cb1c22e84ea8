"""scrapy-redis's shared dupefilter, keyed on the crawl's own request fingerprints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy_redis.dupefilter import RFPDupeFilter

if TYPE_CHECKING:
    from scrapy import Request


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
