"""Every Redis client of the project comes from here.

Built by scrapy-redis's own factory, so ``REDIS_PARAMS`` (timeouts, retries,
client class) applies to the seen-state, the worker registry and the
operator's commands exactly as it does to scrapy-redis's scheduler and
dupefilter. The URL is the one given (a state URI, whose ``?prefix=`` names
key prefixes and is no connection option), else ``REDIS_URL``, else
``NEWSCRAWL_REDIS_URL``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy_redis import defaults
from scrapy_redis.connection import get_redis

if TYPE_CHECKING:
    import redis
    from scrapy.settings import BaseSettings


def connection_url(url: str) -> str:
    """A Redis URL without newscrawl's own query (``?prefix=``).

    >>> connection_url("redis://:pw@host:6379/2?prefix=news")
    'redis://:pw@host:6379/2'
    """
    return url.split("?", 1)[0]


def redis_client(settings: BaseSettings | None = None, url: str | None = None) -> redis.Redis:
    """A client for ``url`` (or the settings' Redis URL) with ``REDIS_PARAMS`` applied."""
    params: dict[str, Any] = dict(defaults.REDIS_PARAMS)
    if settings is not None:
        params.update(settings.getdict("REDIS_PARAMS"))
        url = url or settings.get("REDIS_URL") or settings.get("NEWSCRAWL_REDIS_URL")
    if not url:
        raise ValueError("no Redis URL: set NEWSCRAWL_REDIS_URL")
    client: redis.Redis = get_redis(url=connection_url(url), **params)
    return client
