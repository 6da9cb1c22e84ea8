"""Seen-state stores behind one protocol, chosen by ``NEWSCRAWL_STATE_URI``.

* ``sqlite:///relative/path.sqlite`` or ``sqlite:////absolute/path.sqlite``
  (the default in ``settings.py``): kept between cron runs;
* ``redis://[:password@]host:port/db``: kept in Redis, reachable from several hosts;
* ``memory:``: this run only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newscrawl.state.base import (
    ArticleRecord,
    Decision,
    SeenState,
    SharedSeenState,
    StoryVersion,
    body_sketch,
    record_of,
    similarity,
    story_key,
    version_of,
)
from newscrawl.state.memory import MemorySeenState
from newscrawl.state.sqlite import SQLiteSeenState

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def parse_state_uri(uri: str) -> tuple[str, str | None]:
    """(kind, target) of a state URI; ``ValueError`` naming the setting otherwise.

    >>> parse_state_uri("sqlite:///.newscrawl/state.sqlite")
    ('sqlite', '.newscrawl/state.sqlite')
    >>> parse_state_uri("sqlite:////var/lib/newscrawl/state.sqlite")
    ('sqlite', '/var/lib/newscrawl/state.sqlite')
    >>> parse_state_uri("memory:")
    ('memory', None)
    >>> parse_state_uri("redis://:secret@redis.internal:6379/2")
    ('redis', 'redis://:secret@redis.internal:6379/2')
    >>> parse_state_uri("postgres://db/state")
    Traceback (most recent call last):
    ...
    ValueError: NEWSCRAWL_STATE_URI 'postgres://db/state': unknown scheme 'postgres' (use sqlite:///path, redis://host:port/db or memory:)
    """
    if not uri:
        raise ValueError(
            "NEWSCRAWL_STATE_URI is not set (use sqlite:///path, redis://host:port/db or memory:)"
        )
    parts = urlsplit(uri)
    if parts.scheme == "memory":
        return "memory", None
    if parts.scheme == "sqlite" and not parts.netloc and len(parts.path) > 1:
        return "sqlite", parts.path[1:]
    if parts.scheme == "sqlite":
        raise ValueError(
            f"NEWSCRAWL_STATE_URI {uri!r}: expected sqlite:///relative/path or sqlite:////absolute/path"
        )
    if parts.scheme in ("redis", "rediss", "unix") and (parts.hostname or parts.path):
        return "redis", uri
    raise ValueError(
        f"NEWSCRAWL_STATE_URI {uri!r}: unknown scheme {parts.scheme!r} (use sqlite:///path, redis://host:port/db or memory:)"
    )


def open_state(uri: str, worker_id: str = "", settings: BaseSettings | None = None) -> SeenState:
    """Open the store ``uri`` names; ``worker_id`` owns claims in a shared store.

    ``settings`` give a Redis store its client parameters (``REDIS_PARAMS``).
    """
    kind, target = parse_state_uri(uri)
    if kind == "memory":
        return MemorySeenState()
    if kind == "redis":
        from newscrawl.state.redis import RedisSeenState

        return RedisSeenState(uri, worker_id, settings)
    assert target is not None
    return SQLiteSeenState(target)


__all__ = [
    "ArticleRecord",
    "Decision",
    "MemorySeenState",
    "SQLiteSeenState",
    "SeenState",
    "SharedSeenState",
    "StoryVersion",
    "body_sketch",
    "open_state",
    "parse_state_uri",
    "record_of",
    "similarity",
    "story_key",
    "version_of",
]
