"""Seen-state: which articles and stories earlier work already settled.

The crawl asks two questions, both by key, never by scanning: "is this article
id known?" and "which exported versions of the story with this headline key
are there?". Writes are buffered and made durable by ``flush()`` in batches.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from newscrawl.site.headlines import normalize_headline, split_wire_prefixes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

SKETCH_SIZE = 64
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# On ASCII text _WORD_RE's words are the runs of [A-Za-z0-9_]: every other byte becomes a
# space and bytes.split() finds them (a third of what findall costs).
_ASCII_WORD_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_ASCII_NON_WORDS_TO_SPACE = bytes(c if c in _ASCII_WORD_CHARS else 0x20 for c in range(256))


def story_key(normalized_headline: str) -> bytes:
    """A compact key (16 bytes) for a normalised headline."""
    return hashlib.blake2b(normalized_headline.encode(), digest_size=16).digest()


def body_sketch(body: str, size: int = SKETCH_SIZE) -> tuple[int, ...]:
    """Bottom-k MinHash sketch of the body's word 3-shingles (stable across runs).

    >>> len(body_sketch("one two three four five six")) == 4
    True
    >>> body_sketch("") == ()
    True
    >>> body_sketch("Ünïcödé straße ist groß") == body_sketch("ünïcödé STRASSE ist GROß")
    True
    >>> body_sketch("The quick  brown Fox!") == tuple(sorted([zlib.crc32(b"the quick brown"), zlib.crc32(b"quick brown fox")]))
    True
    """
    folded = body.casefold()
    if folded.isascii():  # most bodies: the same words and bytes, shingled in C (twice as quick)
        words = folded.encode().translate(_ASCII_NON_WORDS_TO_SPACE).split()
        hashes = set(map(zlib.crc32, map(b" ".join, zip(words, words[1:], words[2:], strict=False))))
    else:
        tokens = _WORD_RE.findall(folded)
        hashes = {
            zlib.crc32(f"{a} {b} {c}".encode())
            for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)
        }
    return tuple(sorted(hashes)[:size])


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


@dataclass(frozen=True, slots=True)
class Decision:
    """What dedupe made of an item: exported (``drop`` is None) or dropped and why."""

    drop: str | None = None  # "url", "headline", "stale_revision", "unchanged"
    other: str | None = None  # the url or id it duplicates
    revision_of: str | None = None  # for an exported later revision: the first version's url
    version: int = 1  # the export's number for this article (2, 3, ...: editors' updates)
    story_id: int | None = None  # the story's first exported article (None: this article starts one)

    @property
    def accepted(self) -> bool:
        return self.drop is None


# What an editors' update changes: a page fetched again is exported again only if
# one of these differs from its last export.
CONTENT_FIELDS = (
    "title", "subtitle", "description", "body", "tags", "image_url", "image_caption", "image_credit",
    "published_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An exported article's last export: to tell an editors' update from a refetch."""

    version: int  # the feed's ``version`` of that line
    modified: str | None  # its ``updated_at`` (UTC, the feed's form)
    content: bytes  # :func:`content_hash` of it
    story: int | None = None  # its ``story_id`` (None in records older than the field)


def content_hash(item: Mapping[str, Any]) -> bytes:
    """A digest of what editors change (:data:`CONTENT_FIELDS`), stable across runs.

    >>> content_hash({"title": "A", "body": "b"}) == content_hash({"body": "b", "title": "A", "word_count": 1})
    True
    >>> content_hash({"title": "A"}) == content_hash({"title": "B"})
    False
    """
    values = json.dumps([item.get(name) for name in CONTENT_FIELDS], ensure_ascii=False)
    return hashlib.blake2b(values.encode(), digest_size=16).digest()


def record_of(item: Mapping[str, Any]) -> ArticleRecord:
    """The record of an exported line (its ``version``, 1 when absent)."""
    return ArticleRecord(
        int(item.get("version") or 1), item.get("updated_at"), content_hash(item), item.get("story_id")
    )


class SeenState(Protocol):
    """What the crawl needs of a seen-state store; every question is by key.

    Writes (``add_exported``, ``add_dropped``) are buffered until ``flush()``
    makes them durable in one batch.
    """

    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        """The subset of ``article_ids`` with a recorded outcome (exported or dropped)."""
        ...

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        """Exported versions of stories whose headline has this key, oldest first."""
        ...

    def add_exported(self, key: bytes, version: StoryVersion, record: ArticleRecord | None = None) -> None:
        """Record an exported article, its story version and (with ``record``) its last export."""

    def article_records(self, article_ids: Iterable[int]) -> dict[int, ArticleRecord]:
        """The last export of each of ``article_ids`` that has one (exported since versions were kept)."""
        ...

    def add_dropped(self, article_id: int, reason: str) -> None:
        """Record an article whose page gave no item for good (duplicate, invalid)."""

    def add_missing(self, article_ids: Iterable[int]) -> None:
        """Record ids that answered as missing (500/404) to an id probe: not probed again."""

    def missing_ids(self, article_ids: Iterable[int]) -> set[int]:
        """The subset of ``article_ids`` recorded as missing by earlier probes."""
        ...

    def flush(self) -> None:
        """Make buffered records durable."""

    def start_run(self, started: str) -> int:
        """Open a run record; its id."""
        ...

    def finish_run(self, run_id: int, **fields: Any) -> None:
        """Complete a run record (finished, finish_reason, counts, exit_status)."""

    def last_runs(self, count: int) -> list[dict[str, Any]]:
        """The newest run records, newest first."""
        ...

    def reset(self) -> None:
        """Forget everything: the next run is a full backfill."""

    def close(self) -> None: ...


@runtime_checkable
class SharedSeenState(SeenState, Protocol):
    """A store several workers write at once: decisions are check-and-set.

    Records carry the *crawl* that wrote them (one process's run, or all the
    workers of one distributed crawl), so "known before this crawl" can be told
    from "settled by another worker since this crawl began".
    """

    crawl: int

    def known_before_crawl(self, article_ids: Iterable[int]) -> set[int]:
        """The subset of ``article_ids`` settled by earlier crawls."""
        ...

    def claim(
        self, key: bytes, version: StoryVersion, decide: Callable[[list[StoryVersion]], Decision]
    ) -> Decision:
        """Atomically: take the article id, ``decide`` on the story's versions, claim if accepted."""
        ...

    def release_claims(self) -> int:
        """Undo claims a killed run of this worker left uncommitted; how many."""
        ...


def utc_timestamp(text: str) -> float:
    """POSIX time of an exported timestamp (``2020-01-16T19:17:00Z``); one without an offset is an error.

    ``fromisoformat`` (C) rather than ``strptime`` (a regex built in Python, ~10 us a call).

    >>> utc_timestamp("2020-01-16T19:17:00Z"), utc_timestamp("2020-01-17T00:47:00+05:30")
    (1579202220.0, 1579202220.0)
    >>> utc_timestamp("2020-01-16T19:17:00")
    Traceback (most recent call last):
    ...
    ValueError: no UTC offset in '2020-01-16T19:17:00'
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"no UTC offset in {text!r}")
    return moment.timestamp()


def version_of(item: Mapping[str, Any]) -> tuple[bytes, StoryVersion]:
    """Story key and version of an exported item (a feed line or an item's fields)."""
    title = item["title"]
    wire = split_wire_prefixes(title)
    published = item.get("published_at")
    version = StoryVersion(
        url=item["url"],
        article_id=item["article_id"],
        published=utc_timestamp(published) if published else None,
        revision=wire.revision,
        corrections=wire.corrections,
        sketch=body_sketch(item.get("body") or ""),
    )
    return story_key(normalize_headline(title)), version
