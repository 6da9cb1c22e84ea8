"""Credentials never reach the logs: ``scheme://user:secret@host`` becomes ``scheme://user:***@host``.

Scrapy logs overridden settings (``-s NEWSCRAWL_STATE_URI=...``, a Redis URL)
and request URLs; this extension puts a filter on the root log handlers that
masks the password part of every URL in every message.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

_CREDENTIALS_RE = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:/@\s'\"]*):(?P<secret>[^@/\s'\"]+)@"
)


def mask_credentials(text: str) -> str:
    """
    >>> mask_credentials("NEWSCRAWL_REDIS_URL: 'redis://:s3cret@redis:6379/0'")
    "NEWSCRAWL_REDIS_URL: 'redis://:***@redis:6379/0'"
    >>> mask_credentials("http://user:pw@host/x and https://plain.example/")
    'http://user:***@host/x and https://plain.example/'
    """
    return _CREDENTIALS_RE.sub(r"\g<scheme>\g<user>:***@", text)


class CredentialFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message and "://" in message:
            masked = mask_credentials(message)
            if masked != message:
                record.msg, record.args = masked, None
        return True


class MaskCredentials:
    """Extension: installs :class:`CredentialFilter` on the root handlers."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        install()
        return cls()


def install() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, CredentialFilter) for f in handler.filters):
            handler.addFilter(CredentialFilter())
