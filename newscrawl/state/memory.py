"""In-process seen-state: one run, nothing kept (``NEWSCRAWL_STATE_URI=memory:``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from newscrawl.state.base import ArticleRecord, StoryVersion


class MemorySeenState:
    def __init__(self) -> None:
        self._articles: dict[int, str] = {}
        self._stories: dict[bytes, list[StoryVersion]] = {}
        self._runs: list[dict[str, Any]] = []
        self._missing: set[int] = set()
        self._records: dict[int, ArticleRecord] = {}

    def known_articles(self, article_ids: Iterable[int]) -> set[int]:
        return {i for i in article_ids if i in self._articles}

    def story_versions(self, key: bytes) -> list[StoryVersion]:
        return list(self._stories.get(key, ()))

    def add_exported(self, key: bytes, version: StoryVersion, record: ArticleRecord | None = None) -> None:
        if record is not None:
            self._records[version.article_id] = record
        if self._articles.get(version.article_id) == "exported":
            return  # a later export of the article: its story holds it already
        self._articles[version.article_id] = "exported"
        self._stories.setdefault(key, []).append(version)

    def article_records(self, article_ids: Iterable[int]) -> dict[int, ArticleRecord]:
        return {i: self._records[i] for i in article_ids if i in self._records}

    def add_dropped(self, article_id: int, reason: str) -> None:
        self._articles.setdefault(article_id, reason)

    def add_missing(self, article_ids: Iterable[int]) -> None:
        self._missing.update(article_ids)

    def missing_ids(self, article_ids: Iterable[int]) -> set[int]:
        return self._missing.intersection(article_ids)

    def flush(self) -> None:
        """Nothing to make durable in memory."""

    def start_run(self, started: str) -> int:
        self._runs.append({"run_id": len(self._runs) + 1, "started": started})
        return len(self._runs)

    def finish_run(self, run_id: int, **fields: Any) -> None:
        self._runs[run_id - 1].update(fields)

    def last_runs(self, count: int) -> list[dict[str, Any]]:
        return [dict(r) for r in reversed(self._runs[-count:])]

    def reset(self) -> None:
        self._articles.clear()
        self._stories.clear()
        self._missing.clear()
        self._records.clear()

    def close(self) -> None:
        """Nothing to release."""
