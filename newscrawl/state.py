"""Seen-state: which articles and stories were already exported.

The dedupe pipeline asks two questions, both by key, never by scanning:
"is this article id known?" and "which versions of the story with this
headline key are known?". Writes are buffered and made durable by ``flush()``
in batches. :class:`MemorySeenState` serves a single run; persistent stores
(SQLite for cron runs, Redis for several workers) implement the same
:class:`SeenState` protocol.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable

SKETCH_SIZE = 64
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def story_key(normalized_headline: str) -> bytes:
    """A compact key (16 bytes) for a normalised headline."""
    return hashlib.blake2b(normalized_headline.encode(), digest_size=16).digest()


def body_sketch(body: str, size: int = SKETCH_SIZE) -> tuple[int, ...]:
    """Bottom-k MinHash sketch of the body's word 3-shingles (stable across runs).

    >>> len(body_sketch("one two three four five six")) == 4
    True
    >>> body_sketch("") == ()
    True
    """
    tokens = _WORD_RE.findall(body.casefold())
    shingles = {" ".join(tokens[i : i + 3]) for i in range(max(0, len(tokens) - 2))}
    return tuple(sorted(heapq.nsmallest(size, {zlib.crc32(s.encode()) for s in shingles})))


def similarity(a: tuple[int, ...], b: tuple[int, ...], size: int = SKETCH_SIZE) -> float:
    """Estimated Jaccard similarity of two bodies from their sketches.

    >>> s = body_sketch("the quick brown fox jumps over the lazy dog today")
    >>> similarity(s, s)
    1.0
    >>> similarity(s, body_sketch("completely different words in another text here"))
    0.0
    """
    if not a or not b:
        return 1.0 if a == b else 0.0
    union = heapq.nsmallest(size, set(a) | set(b))
    set_a, set_b = set(a), set(b)
    return sum(1 for h in union if h in set_a and h in set_b) / len(union)


@dataclass(frozen=True, slots=True)
class StoryVersion:
    """One exported version of a story."""

    url: str
    article_id: int
    published: float | None  # POSIX seconds, UTC
    revision: int
    corrections: int
    sketch: tuple[int, ...]

    @property
    def rank(self) -> tuple[int, int]:
        return (self.revision, self.corrections)


class SeenState(Protocol):
    """What the dedupe pipeline needs of a seen-state store."""

    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        """The subset of ``article_ids`` already exported."""

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        """Known versions of stories whose headline has this key, oldest first."""

    def add(self, key: bytes, version: StoryVersion) -> None:
        """Record an exported article and its story version (buffered)."""

    def flush(self) -> None:
        """Make buffered records durable."""

    def close(self) -> None: ...


class MemorySeenState:
    """In-process seen-state for one run."""

    def __init__(self) -> None:
        self._articles: set[int] = set()
        self._stories: dict[bytes, list[StoryVersion]] = {}

    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        return {i for i in article_ids if i in self._articles}

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        return list(self._stories.get(key, ()))

    def add(self, key: bytes, version: StoryVersion) -> None:
        self._articles.add(version.article_id)
        self._stories.setdefault(key, []).append(version)

    def flush(self) -> None:
        """Nothing to make durable in memory."""

    def close(self) -> None:
        self._articles.clear()
        self._stories.clear()
