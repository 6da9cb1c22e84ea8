"""The dedupe pipeline: by article id, by headline and body, revision-aware."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DropItem

from newscrawl.pipelines.dedupe import DedupePipeline
from tests.helpers import BODY_A, BODY_B, article_item, project_crawler

if TYPE_CHECKING:
    from newscrawl.items import ArticleItem


def run_dedupe(items: list[ArticleItem], **settings: Any) -> tuple[list[ArticleItem], Any]:
    c = project_crawler({"NEWSCRAWL_FEED_ENABLED": True, **settings})
    pipeline = DedupePipeline.from_crawler(c)
    kept = []
    for it in items:
        with contextlib.suppress(DropItem):
            kept.append(pipeline.process_item(it))
    return kept, c.stats


def test_same_article_id_is_exported_once() -> None:
    kept, stats = run_dedupe([article_item(1, "Oil rises"), article_item(1, "Oil rises")])
    assert len(kept) == 1 and stats.get_value("dedupe/url") == 1


def test_resyndicated_copy_is_dropped() -> None:
    kept, stats = run_dedupe(
        [article_item(1, "Oil rises"), article_item(2, "Oil Rises!", published="2024-05-01T12:00:00Z")]
    )
    assert [k.article_id for k in kept] == [1]
    assert stats.get_value("dedupe/headline") == 1


def test_wire_revision_is_exported_with_revision_of() -> None:
    edited = "Fresh paragraph about the update. " + BODY_A
    kept, stats = run_dedupe([
        article_item(1, "Oil rises"),
        article_item(2, "UPDATE 1-Oil rises", body=edited, published="2024-05-01T11:00:00Z"),
        article_item(3, "UPDATE 2-Oil rises", body="More. " + edited, published="2024-05-01T12:00:00Z"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [1, 2, 3]
    assert kept[0].revision_of is None
    assert kept[1].revision_of == kept[0].url and kept[2].revision_of == kept[0].url
    assert [k.story_id for k in kept] == [1, 1, 1]  # one story: the first version's id
    assert [k.wire_revision for k in kept] == [0, 1, 2]  # the original sorts first
    assert stats.get_value("dedupe/revisions_exported") == 2


def test_an_editors_update_keeps_its_story(tmp_path: Any) -> None:
    """Exported again after an edit, in a later run: the next version, the same story_id."""
    settings = {
        "NEWSCRAWL_STATE_URI": f"sqlite:///{tmp_path / 'state.sqlite'}",
        "NEWSCRAWL_FEED_ENABLED": False,
    }
    revision = article_item(2, "UPDATE 1-Oil rises", body="New. " + BODY_A)
    for items, want in (
        ([article_item(1, "Oil rises"), revision], [(1, 1, 1), (2, 1, 1)]),
        ([article_item(2, "UPDATE 1-Oil rises", body="Edited. " + BODY_A)], [(2, 2, 1)]),
    ):
        c = project_crawler(settings)
        pipeline = DedupePipeline.from_crawler(c)
        kept = [pipeline.process_item(it) for it in items]
        assert [(k.article_id, k.version, k.story_id) for k in kept] == want
        c.signals.send_catch_log(signals.spider_closed, spider=c.spider, reason="finished")  # commits


def test_older_revision_after_newer_is_stale() -> None:
    kept, stats = run_dedupe([
        article_item(3, "UPDATE 2-Oil rises", published="2024-05-01T12:00:00Z"),
        article_item(2, "UPDATE 1-Oil rises", published="2024-05-01T11:00:00Z"),
        article_item(1, "Oil rises"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [3]
    assert stats.get_value("dedupe/stale_revision") == 2


def test_recurring_generic_headline_with_another_body_is_kept() -> None:
    kept, stats = run_dedupe([
        article_item(1, "Reuters World News Summary", body=BODY_A, published="2024-05-01T10:00:00Z"),
        article_item(2, "Reuters World News Summary", body=BODY_B, published="2024-05-02T10:00:00Z"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [1, 2]
    assert stats.get_value("dedupe/headline") is None


def test_same_headline_and_body_outside_the_window_is_another_story() -> None:
    kept, _ = run_dedupe(
        [article_item(1, "Oil rises"), article_item(2, "Oil rises", published="2024-05-09T10:00:00Z")],
        NEWSCRAWL_DEDUPE_WINDOW_HOURS=72,
    )
    assert [k.article_id for k in kept] == [1, 2]
