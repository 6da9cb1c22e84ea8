"""Incremental crawling: do not fetch what earlier runs settled.

Like scrapy-deltafetch, but keyed on the canonical article id, so slug, label,
query and fragment variants of a known article are all skipped
(``incremental/skipped_known`` counts articles, ``incremental/skipped_known_links``
the links to them). Listing pagination stops once
``NEWSCRAWL_STOP_AFTER_KNOWN_PAGES`` pages in a row hold only articles known
before this run (``incremental/listings_stopped``), since listings are newest
first. ``-a mode=full`` pages every listing to its end regardless, and so does a
run after one that did not finish (its gaps may lie below pages it settled).

A page's output is looked up in one batch (one SQL ``IN`` or one Redis
``HMGET`` for all its article links, not one per link): a listing holds 20
cards and an article page a dozen related links, mostly repeats.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newscrawl.discovery.idbits import IdBits
from newscrawl.health import stats as names
from newscrawl.site.urls import parse_article_url
from newscrawl.state.run import RunState, run_state

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator
    from typing import Any, Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

LISTING_META = "newscrawl_listing"  # on a next-page request: the listing path
CARDS_META = "newscrawl_cards"  # ... and the article ids of the page it follows
KNOWN_PAGES_META = "newscrawl_known_pages"  # pages in a row with nothing new so far
REFETCH_META = "newscrawl_refetch"  # on an article request: changed since its export, fetch it anyway
ARTICLE_ID_META = "newscrawl_article_id"  # on an article request: its id, so nobody parses its URL again


def requested_article_id(request: Request) -> int | None:
    """The article a request asks for: the id the spider put in its meta, else from its URL."""
    article_id: int | None = request.meta.get(ARTICLE_ID_META)
    if article_id is None and (ref := parse_article_url(request.url)) is not None:
        article_id = ref.article_id
    return article_id


class IncrementalMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler, run: RunState, stop_after: int) -> None:
        super().__init__(crawler)
        self.run = run
        self.stop_after = stop_after
        self._known: set[int] | None = None  # known_before_run of the current batch
        self._skipped = IdBits()  # articles skipped so far: the stat counts articles, not links

    def _batch(self, results: list[Any], response: Response | None) -> Iterator[Any]:
        ids = set()
        for o in results:
            if isinstance(o, Request) and (article_id := requested_article_id(o)) is not None:
                ids.add(article_id)
        self._known = self.run.known_before_run(ids) if ids else set()
        try:
            for o in results:
                if (o := self._get_processed(o, response)) is not None:
                    yield o
        finally:
            self._known = None

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        yield from self._batch(list(result), response)

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        for o in self._batch([o async for o in result], response):
            yield o

    def _known_before_run(self, article_id: int) -> bool:
        if self._known is not None:
            return article_id in self._known
        return bool(self.run.known_before_run([article_id]))  # start requests

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWL_INCREMENTAL"):
            raise NotConfigured("NEWSCRAWL_INCREMENTAL is off")
        stop_after = max(1, crawler.settings.getint("NEWSCRAWL_STOP_AFTER_KNOWN_PAGES"))
        return cls(crawler, run_state(crawler), stop_after)

    @property
    def full_mode(self) -> bool:
        if self.run.fill_gaps:
            return True
        return getattr(self.crawler.spider, "mode", "incremental") == "full"

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        stats = self.crawler.stats
        assert stats is not None
        run = self.run
        listing = request.meta.get(LISTING_META)
        if listing is not None:
            cards: list[int] = request.meta.get(CARDS_META, [])
            if not cards:  # a page with nothing this crawl wants (-a labels): it says nothing
                return request
            nothing_new = len(run.known_before_run(cards)) == len(set(cards))
            streak = request.meta.get(KNOWN_PAGES_META, 0) + 1 if nothing_new else 0
            if streak >= self.stop_after and not self.full_mode:
                stats.inc_value(names.LISTINGS_STOPPED)
                logger.debug("Stopped paging %s: %d page(s) in a row hold nothing new", listing, streak)
                return None
            request.meta[KNOWN_PAGES_META] = streak
            return request
        article_id = requested_article_id(request)
        # Repeats within this run are the dupefilter's (dupefilter/filtered).
        if (
            article_id is not None
            and not request.meta.get(REFETCH_META)
            and self._known_before_run(article_id)
        ):
            stats.inc_value(names.SKIPPED_KNOWN_LINKS)
            if article_id not in self._skipped:
                self._skipped.add(article_id)
                stats.inc_value(names.SKIPPED_KNOWN)
            return None
        return request
