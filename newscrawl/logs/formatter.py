"""Log lines for dropped items without the whole item, and no per-page DEBUG records nobody sees."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import logformatter

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.python.failure import Failure


def logs_debug(level: int | str | None, enabled: bool = True) -> bool:
    """Whether Scrapy's log handler, set up with ``LOG_LEVEL`` = ``level``, writes DEBUG lines.

    >>> logs_debug("DEBUG"), logs_debug("INFO"), logs_debug(10), logs_debug("DEBUG", enabled=False)
    (True, False, True, False)
    """
    if not enabled:
        return False
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    return not isinstance(level, int) or level <= logging.DEBUG  # an unknown name: keep logging


class NewscrawlLogFormatter(logformatter.LogFormatter):
    """Scrapy's messages, but a dropped item is one line and DEBUG lines are made only when written.

    "Crawled (200)" and "Scraped from" are DEBUG lines, one or two a page. Scrapy's
    handler filters by ``LOG_LEVEL`` (INFO here), but only after each record was
    built and the caller's frame looked up; Scrapy lets a formatter return ``None``
    to leave a message out, so below DEBUG it does.
    """

    def __init__(self, debug: bool = True) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(logs_debug(settings.get("LOG_LEVEL"), settings.getbool("LOG_ENABLED")))

    # Scrapy documents None as "omit this message"; its type hints do not say so yet.
    def crawled(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider
    ) -> logformatter.LogFormatterResult | None:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(  # type: ignore[override]
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> logformatter.LogFormatterResult | None:
        return super().scraped(item, response, spider) if self.debug else None

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> logformatter.LogFormatterResult:
        level = getattr(exception, "log_level", None) or logging.WARNING
        if isinstance(level, str):
            level = getattr(logging, level)
        return {"level": level, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
