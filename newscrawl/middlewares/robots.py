"""A downloader middleware: Scrapy's robots.txt middleware, obeyed by every request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.robotstxt import RobotParser


class ForbiddenByRobots(IgnoreRequest):
    """A request robots.txt forbids: policy, not failure (``newscrawl/skipped/robots_forbidden``)."""


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with the parsed file given to every waiting request.

    In Scrapy 2.19 the requests that arrive while robots.txt is downloading all
    await one Deferred; the first one's wait consumes its result, so the others
    get ``None`` and are let through unchecked: a crawl's first batch of
    requests (its start requests) ignores robots.txt. The parsed file is in the
    middleware's table by then, so it is read from there.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(stored, Deferred):
                parser = stored
        return parser

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        """Scrapy's check, raising a type of its own so a refusal is told from other ignored requests."""
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise ForbiddenByRobots(*exc.args) from None
