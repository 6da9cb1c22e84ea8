"""A downloader middleware: retries that honour ``Retry-After``.

Scrapy's :class:`~scrapy.downloadermiddlewares.retry.RetryMiddleware` retries
429 and 503 at once; this subclass first waits what the server asked for
(``Retry-After`` in seconds or as an HTTP date), capped by
``NEWSCRAWL_RETRY_AFTER_MAX`` (default 60 s), without blocking other requests.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware

from newscrawl.health import stats as names

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, ``None`` when absent or unreadable.

    >>> retry_after_seconds(b"2")
    2.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> retry_after_seconds(b"soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    max_wait: float

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX")
        return middleware

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:  # type: ignore[override]
        if response.status in self.retry_http_codes and not request.meta.get("dont_retry", False):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                wait = min(wait, self.max_wait)
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value(names.RETRY_AFTER_WAITS)
                self.crawler.stats.inc_value(names.RETRY_AFTER_SECONDS, round(wait))
                await asyncio.sleep(wait)
        return super().process_response(request, response)
