"""The write buffer the durable stores share.

The crawl records outcomes one article at a time but a store makes them
durable in batches (``flush()``, called by the feed writer once the feed lines
are fsynced): one SQLite transaction or one Redis pipeline per batch. Until
then the buffered records answer the store's questions like stored ones, so
an article recorded a moment ago is known at once.

A store subclasses :class:`BufferedStore` and implements the ``_stored_*``
lookups and :meth:`_write`; the merge of buffer and store is here, once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from newscrawl.state.base import ArticleRecord, StoryVersion

CHUNK = 500  # ids per lookup (one SQL IN (...) or one HMGET)

Exported = tuple[bytes, "StoryVersion", "ArticleRecord | None"]


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    """
    >>> list(chunks([1, 2, 3, 4, 5], 2))
    [[1, 2], [3, 4], [5]]
    """
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class BufferedStore(ABC):
    def __init__(self) -> None:
        self._exported: list[Exported] = []
        self._dropped: dict[int, str] = {}
        self._missing: set[int] = set()

    # -- buffered writes -----------------------------------------------------
    def add_exported(self, key: bytes, version: StoryVersion, record: ArticleRecord | None = None) -> None:
        self._exported.append((key, version, record))

    def add_dropped(self, article_id: int, reason: str) -> None:
        self._dropped.setdefault(article_id, reason)

    def add_missing(self, article_ids: Iterable[int]) -> None:
        self._missing.update(article_ids)

    def flush(self) -> None:
        """Make buffered records durable in one batch."""
        if not self._exported and not self._dropped and not self._missing:
            return
        self._write(self._exported, self._dropped, self._missing)
        self._clear_buffer()

    def _clear_buffer(self) -> None:
        self._exported = []
        self._dropped = {}
        self._missing = set()

    def close(self) -> None:
        self.flush()
        self._close()

    # -- reads: the buffer, then the store ---------------------------------------
    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        ids = list(article_ids)
        wanted = set(ids)
        found = {v.article_id for _, v, _ in self._exported if v.article_id in wanted}
        found.update(wanted & self._dropped.keys())
        return found | self._stored_known(ids)

    def missing_ids(self, article_ids: Iterable[int]) -> set[int]:
        ids = list(article_ids)
        return self._missing.intersection(ids) | self._stored_missing(ids)

    def article_records(self, article_ids: Iterable[int]) -> dict[int, ArticleRecord]:
        ids = list(article_ids)
        found = self._stored_records(ids)
        wanted = set(ids)
        found.update(
            (v.article_id, r) for _, v, r in self._exported if r is not None and v.article_id in wanted
        )
        return found

    # -- what a store implements ---------------------------------------------------
    @abstractmethod
    def _stored_known(self, ids: list[int]) -> set[int]: ...

    @abstractmethod
    def _stored_missing(self, ids: list[int]) -> set[int]: ...

    @abstractmethod
    def _stored_records(self, ids: list[int]) -> dict[int, ArticleRecord]: ...

    @abstractmethod
    def _write(self, exported: list[Exported], dropped: dict[int, str], missing: set[int]) -> None:
        """Write one batch durably (one transaction)."""

    @abstractmethod
    def _close(self) -> None: ...
