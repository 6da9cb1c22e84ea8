"""Compare a crawl's feed with the replica's ground truth.

Rules (see :mod:`replica.truth`): every story exported; no article
id twice; one article per non-wire story (any of its duplicate ids); for a
wire story an increasing run of its revisions that ends with the newest, the
later ones carrying ``revision_of`` = the first exported url; every exported
article of a story carrying ``story_id`` = the first exported article's id; and
every field of every exported article equal to what its page holds.

Editors' updates: an article may have several lines, ``version`` 1, 2, ... in
order (one per export of a changed page); its last line is held to the page as
the site shows it now, and a version number twice is a repeat.

Several workers' feeds have no common order: with ``ordered=False`` a story's
exported revisions are taken in revision order, so the check is that they are
an increasing subset ending with the newest, not that they came out in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from replica.truth import expected_item, truth_records

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from replica.corpus import Corpus

IGNORED_FIELDS = frozenset({"crawled_at", "revision_of", "version", "story_id"})  # checked per story


@dataclass
class FeedCheck:
    stories: int = 0
    exported: int = 0
    missing: list[int] = field(default_factory=list)  # first article id of each missing story
    repeated_ids: list[int] = field(default_factory=list)
    unexpected_ids: list[Any] = field(default_factory=list)
    story_errors: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing or self.repeated_ids or self.unexpected_ids or self.story_errors or self.field_errors
        )

    def summary(self, limit: int = 10) -> str:
        parts = [f"{self.exported} items for {self.stories} stories"]
        for name in ("missing", "repeated_ids", "unexpected_ids", "story_errors", "field_errors"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name} ({len(values)}): {values[:limit]}")
        return "; ".join(parts)


def read_feeds(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """All lines of the given JSON Lines files, in order."""
    items: list[dict[str, Any]] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            items.extend(json.loads(line) for line in fh if line.strip())
    return items


def check_feed(
    items: list[dict[str, Any]], corpus: Corpus, base_url: str, *, ordered: bool = True
) -> FeedCheck:
    base_url = base_url.rstrip("/")
    report = FeedCheck(exported=len(items))
    story_of: dict[int, dict[str, Any]] = {}
    records = list(truth_records(corpus, base_url))
    report.stories = len(records)
    for record in records:
        for article_id in [record["article_id"], *record["duplicate_ids"], *record["revision_ids"]]:
            story_of[article_id] = record
    lines: dict[Any, list[dict[str, Any]]] = {}
    for item in items:
        lines.setdefault(item.get("article_id"), []).append(item)
    for article_id, article_lines in lines.items():
        numbers = [line.get("version") or 1 for line in article_lines]
        if len(set(numbers)) < len(numbers) and isinstance(article_id, int):
            report.repeated_ids.append(article_id)
        elif sorted(numbers) != list(range(1, len(numbers) + 1)) or (ordered and numbers != sorted(numbers)):
            report.story_errors.append(f"{article_id}: versions {numbers}, want 1, 2, ... in order")
    report.repeated_ids.sort()
    exported: dict[int, list[dict[str, Any]]] = {}
    for article_id, article_lines in lines.items():
        found = story_of.get(article_id) if isinstance(article_id, int) else None
        index = corpus.index_of(article_id) if isinstance(article_id, int) else None
        if found is None or index is None:
            report.unexpected_ids.append(article_id)
            continue
        item = max(article_lines, key=lambda line: line.get("version") or 1)  # the page as it is now
        exported.setdefault(found["article_id"], []).append(item)
        expected = expected_item(corpus.article(index), base_url)
        for name, value in expected.items():
            if name not in IGNORED_FIELDS and item.get(name) != value:
                report.field_errors.append(f"{article_id}.{name}: got {item.get(name)!r}, want {value!r}")
    for record in records:
        got = exported.get(record["article_id"], [])
        if not got:
            report.missing.append(record["article_id"])
            continue
        revisions = record["revision_ids"]
        if not revisions:
            if len(got) > 1:
                report.story_errors.append(
                    f"story {record['article_id']} exported {len(got)} times: {[i['article_id'] for i in got]}"
                )
            if got[0].get("revision_of") is not None:
                report.story_errors.append(f"{got[0]['article_id']}: revision_of set on a plain story")
            if got[0].get("story_id") != got[0]["article_id"]:
                report.story_errors.append(f"{got[0]['article_id']}: story_id {got[0].get('story_id')!r}")
            continue
        if not ordered:
            got = sorted(got, key=lambda i: revisions.index(i["article_id"]))
        order = [revisions.index(i["article_id"]) for i in got]
        if order != sorted(set(order)):
            report.story_errors.append(f"story {record['article_id']}: revisions out of order {order}")
        if got[-1]["article_id"] != revisions[-1]:
            report.story_errors.append(
                f"story {record['article_id']}: newest revision {revisions[-1]} missing"
            )
        first_url = got[0]["url"]
        stray = [i["article_id"] for i in got if i.get("story_id") != got[0]["article_id"]]
        if stray:
            report.story_errors.append(
                f"story {record['article_id']}: story_id is not {got[0]['article_id']} on {stray}"
            )
        if got[0].get("revision_of") is not None:
            report.story_errors.append(f"{got[0]['article_id']}: first version has revision_of")
        for later in got[1:]:
            if later.get("revision_of") != first_url:
                report.story_errors.append(
                    f"{later['article_id']}: revision_of {later.get('revision_of')!r}, want {first_url!r}"
                )
    return report
