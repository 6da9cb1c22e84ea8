"""Seen-state stores behind one protocol, chosen by ``NEWSCRAWL_STATE_URI``.

* ``sqlite:///relative/path.sqlite`` or ``sqlite:////absolute/path.sqlite``
  (default ``sqlite:///.newscrawl/state.sqlite``): kept between cron runs;
* ``memory:``: this run only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newscrawl.state.base import (
    SeenState,
    StoryVersion,
    body_sketch,
    similarity,
    story_key,
    version_of,
)
from newscrawl.state.memory import MemorySeenState
from newscrawl.state.sqlite import SQLiteSeenState

DEFAULT_STATE_URI = "sqlite:///.newscrawl/state.sqlite"


def state_path(uri: str) -> str | None:
    """The file of a ``sqlite://`` URI, ``None`` for ``memory:``; ``ValueError`` otherwise.

    >>> state_path("sqlite:///.newscrawl/state.sqlite")
    '.newscrawl/state.sqlite'
    >>> state_path("sqlite:////var/lib/newscrawl/state.sqlite")
    '/var/lib/newscrawl/state.sqlite'
    >>> state_path("memory:") is None
    True
    >>> state_path("postgres://db/state")
    Traceback (most recent call last):
    ...
    ValueError: NEWSCRAWL_STATE_URI 'postgres://db/state': unknown scheme 'postgres' (use sqlite:///path or memory:)
    """
    parts = urlsplit(uri)
    if parts.scheme == "memory":
        return None
    if parts.scheme == "sqlite" and not parts.netloc and len(parts.path) > 1:
        return parts.path[1:]
    if parts.scheme == "sqlite":
        raise ValueError(
            f"NEWSCRAWL_STATE_URI {uri!r}: expected sqlite:///relative/path or sqlite:////absolute/path"
        )
    raise ValueError(
        f"NEWSCRAWL_STATE_URI {uri!r}: unknown scheme {parts.scheme!r} (use sqlite:///path or memory:)"
    )


def open_state(uri: str) -> SeenState:
    path = state_path(uri)
    return MemorySeenState() if path is None else SQLiteSeenState(path)


__all__ = [
    "DEFAULT_STATE_URI",
    "MemorySeenState",
    "SQLiteSeenState",
    "SeenState",
    "StoryVersion",
    "body_sketch",
    "open_state",
    "similarity",
    "state_path",
    "story_key",
    "version_of",
]
