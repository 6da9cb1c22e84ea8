"""What became of each article page, counted and logged in one place.

The spider reports every article response here: fetched; extracted (the
item's non-empty fields feed the field-coverage monitor, the fields it could
not read are counted and logged in one line per page); or dropped for good
(counted by reason, logged, and recorded in the run's state so later runs do
not fetch it again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newscrawl.health import stats as names
from newscrawl.site.urls import parse_article_url

if TYPE_CHECKING:
    import logging
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from newscrawl.items import ArticleItem
    from newscrawl.site.extract import Problem
    from newscrawl.state.run import RunState

EMPTY: tuple[Any, ...] = (None, "", [])


class PageOutcomes:
    def __init__(
        self, crawler: Crawler, run: RunState, logger: logging.Logger | logging.LoggerAdapter[Any]
    ) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.run = run
        self.logger = logger

    def fetched(self) -> None:
        self.stats.inc_value(names.ARTICLES_FETCHED)

    def extracted(self, response: Response, item: ArticleItem, problems: Sequence[Problem]) -> None:
        """An item came out of the page: its coverage, and what could not be read."""
        for problem in problems:
            self.stats.inc_value(names.extract_invalid(problem.field))
        if problems:  # one line per page
            self.logger.warning("%s: %s", response.url, "; ".join(map(str, problems)))
        self.stats.inc_value(names.COVERAGE_ITEMS)
        for name, value in vars(item).items():  # the dataclass's fields, without an adapter per page
            if value not in EMPTY:
                self.stats.inc_value(names.coverage(name))

    def dropped(self, response: Response, reason: str, why: str) -> None:
        """The page gives no item, for good."""
        self.stats.inc_value(names.dropped(reason))
        self.logger.warning("Dropped %s: %s", response.url, why)
        ref = parse_article_url(response.url)
        self.run.dropped(ref.article_id if ref else None, reason)
