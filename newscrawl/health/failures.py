"""Why a request failed for good, as a short stable name (``newscrawl/failed/<reason>``).

By exception type only (and, for a redirect loop, the request's own redirect
count): message texts change between Scrapy and Twisted releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet.error import ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError
from twisted.web.client import ResponseFailed

from newscrawl.middlewares.offsite import OffsiteRedirect
from newscrawl.middlewares.robots import ForbiddenByRobots

if TYPE_CHECKING:
    from twisted.python.failure import Failure

ROBOTS_FORBIDDEN = "robots_forbidden"

_BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    (OffsiteRedirect, "offsite_redirect"),
    (ForbiddenByRobots, ROBOTS_FORBIDDEN),
    (DownloadCancelledError, "too_large"),
    ((DownloadTimeoutError, TimeoutError, defer.TimeoutError, TCPTimedOutError), "timeout"),
    ((ResponseDataLossError, ResponseFailed, ConnectionLost, DownloadFailedError), "connection_lost"),
    ((DNSLookupError, CannotResolveHostError), "dns"),
    ((ConnectionRefusedError, DownloadConnectionRefusedError), "connection_refused"),
)


def failure_reason(failure: Failure, max_redirects: int = 20) -> str:
    """
    >>> from twisted.python.failure import Failure
    >>> failure_reason(Failure(OffsiteRedirect("to 'evil.example'")))
    'offsite_redirect'
    >>> failure_reason(Failure(DNSLookupError("x")))
    'dns'
    >>> failure_reason(Failure(KeyError("x")))
    'KeyError'
    """
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    for types, reason in _BY_TYPE:
        if isinstance(error, types):
            return reason
    if isinstance(error, IgnoreRequest):
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("redirect_times", 0) >= max_redirects:
            return "redirect_loop"  # Scrapy's RedirectMiddleware gave up
        return "ignored"
    return type(error).__name__
