"""Pipelines: validation, dedupe rules, and the JSON Lines feed writer."""

from __future__ import annotations

import contextlib
import gzip
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.headlines import normalize_headline, split_wire_prefixes
from newscrawl.items import FIELD_NAMES, ArticleItem
from newscrawl.pipelines import DedupePipeline, FeedWriterPipeline, ValidationPipeline
from newscrawl.pipelines.validation import article_schema, schema_errors
from newscrawl.spiders.devdiscourse import DevdiscourseSpider

if TYPE_CHECKING:
    from pathlib import Path

BODY_A = " ".join(f"Officials in city {i} approved the water plan on day {i}." for i in range(30))
BODY_B = " ".join(f"Researchers tested crop insurance scheme number {i} this week." for i in range(30))


def item(
    article_id: int, title: str, body: str = BODY_A, published: str = "2024-05-01T10:00:00Z", **kw: Any
) -> ArticleItem:
    return ArticleItem(
        url=f"https://www.devdiscourse.com/article/business/{article_id}-x",
        article_id=article_id,
        label="business",
        title=title,
        body=body,
        published_at=published,
        published_at_ist=None,
        word_count=len(body.split()),
        content_type="news",
        syndicated=True,
        **{"version": 1, **kw},  # as extraction yields it: the dedupe pipeline numbers later exports
    )


def crawler(**settings: Any):  # type: ignore[no-untyped-def]
    c = get_crawler(DevdiscourseSpider, {"NEWSCRAWL_STATE_URI": "memory:", **settings})
    c.stats.open_spider()  # type: ignore[union-attr]
    return c


# -- headlines ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("UPDATE 3-Oil prices rise", "oil prices rise"),
        ("REFILE-UPDATE 2-Oil prices rise", "oil prices rise"),
        ("CORRECTED-EXCLUSIVE-Oil prices rise", "oil prices rise"),
        ("update 1 - Oil   prices, rise!", "oil prices rise"),
        ("Ｏｉｌ prices rise", "oil prices rise"),  # NFKC
        ("OIL PRICES RISE", "oil prices rise"),
        ("Straße closes", "strasse closes"),  # casefold
        ("Update on the economy", "update on the economy"),  # not a prefix
        ("₹500 crore for café owners", "500 crore for café owners"),
        ("Reuters World News Summary", "reuters world news summary"),
    ],
)
def test_headline_normalisation(title: str, normalized: str) -> None:
    assert normalize_headline(title) == normalized


@pytest.mark.parametrize(
    ("title", "rank"),
    [("Oil rises", (0, 0)), ("UPDATE 2-Oil rises", (2, 0)), ("CORRECTED-UPDATE 2-Oil rises", (2, 1)),
     ("REFILE-Oil rises", (0, 1)), ("UPDATE 10-Oil rises", (10, 0))],
)  # fmt: skip
def test_wire_revision_rank(title: str, rank: tuple[int, int]) -> None:
    assert split_wire_prefixes(title).rank == rank


# -- validation -----------------------------------------------------------------
@pytest.mark.parametrize("field", ["url", "article_id", "title", "body"])
def test_missing_required_field_is_dropped_and_counted(field: str) -> None:
    c = crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    bad = replace(item(1, "Oil rises"), **{field: None})
    with pytest.raises(DropItem, match=f"Missing {field}"):
        pipeline.process_item(bad)
    assert c.stats.get_value(f"newscrawl/dropped/missing_{field}") == 1


def test_schema_violations_are_dropped_naming_field_and_value() -> None:
    c = crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    bad = item(1, "Oil rises", published="17-01-2020 00:47 IST")
    with pytest.raises(DropItem, match="published_at: '17-01-2020 00:47 IST' does not match"):
        pipeline.process_item(bad)
    assert c.stats.get_value("newscrawl/dropped/schema_invalid") == 1


def test_valid_item_passes_and_null_dates_are_counted() -> None:
    c = crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    good = item(1, "Oil rises", published=None)  # type: ignore[arg-type]
    assert pipeline.process_item(good) is good
    assert c.stats.get_value("newscrawl/items/published_at_null") == 1


def test_schema_is_the_item_contract() -> None:
    schema = article_schema()
    assert list(schema["properties"]) == list(FIELD_NAMES)
    assert schema["required"] == list(FIELD_NAMES)
    assert schema_errors(dict.fromkeys(FIELD_NAMES))  # nulls where values are required


# -- dedupe ----------------------------------------------------------------------
def run_dedupe(items: list[ArticleItem], **settings: Any) -> tuple[list[ArticleItem], Any]:
    c = crawler(**settings)
    pipeline = DedupePipeline.from_crawler(c)
    kept = []
    for it in items:
        with contextlib.suppress(DropItem):
            kept.append(pipeline.process_item(it))
    return kept, c.stats


def test_same_article_id_is_exported_once() -> None:
    kept, stats = run_dedupe([item(1, "Oil rises"), item(1, "Oil rises")])
    assert len(kept) == 1 and stats.get_value("dedupe/url") == 1


def test_resyndicated_copy_is_dropped() -> None:
    kept, stats = run_dedupe([item(1, "Oil rises"), item(2, "Oil Rises!", published="2024-05-01T12:00:00Z")])
    assert [k.article_id for k in kept] == [1]
    assert stats.get_value("dedupe/headline") == 1


def test_wire_revision_is_exported_with_revision_of() -> None:
    edited = "Fresh paragraph about the update. " + BODY_A
    kept, stats = run_dedupe([
        item(1, "Oil rises"),
        item(2, "UPDATE 1-Oil rises", body=edited, published="2024-05-01T11:00:00Z"),
        item(3, "UPDATE 2-Oil rises", body="More. " + edited, published="2024-05-01T12:00:00Z"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [1, 2, 3]
    assert kept[0].revision_of is None
    assert kept[1].revision_of == kept[0].url and kept[2].revision_of == kept[0].url
    assert stats.get_value("dedupe/revisions_exported") == 2


def test_older_revision_after_newer_is_stale() -> None:
    kept, stats = run_dedupe([
        item(3, "UPDATE 2-Oil rises", published="2024-05-01T12:00:00Z"),
        item(2, "UPDATE 1-Oil rises", published="2024-05-01T11:00:00Z"),
        item(1, "Oil rises"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [3]
    assert stats.get_value("dedupe/stale_revision") == 2


def test_recurring_generic_headline_with_another_body_is_kept() -> None:
    kept, stats = run_dedupe([
        item(1, "Reuters World News Summary", body=BODY_A, published="2024-05-01T10:00:00Z"),
        item(2, "Reuters World News Summary", body=BODY_B, published="2024-05-02T10:00:00Z"),
    ])  # fmt: skip
    assert [k.article_id for k in kept] == [1, 2]
    assert stats.get_value("dedupe/headline") is None


def test_same_headline_and_body_outside_the_window_is_another_story() -> None:
    kept, _ = run_dedupe(
        [item(1, "Oil rises"), item(2, "Oil rises", published="2024-05-09T10:00:00Z")],
        NEWSCRAWL_DEDUPE_WINDOW_HOURS=72,
    )
    assert [k.article_id for k in kept] == [1, 2]


# -- feed -----------------------------------------------------------------------
def feed_pipeline(tmp_path: Path, **settings: Any) -> tuple[FeedWriterPipeline, Any]:
    c = crawler(NEWSCRAWL_FEED_DIR=str(tmp_path), **settings)
    pipeline = FeedWriterPipeline.from_crawler(c)
    pipeline.open_spider()
    return pipeline, c.stats


def test_feed_is_written_to_part_then_renamed(tmp_path: Path) -> None:
    pipeline, stats = feed_pipeline(tmp_path)
    pipeline.process_item(item(1, "₹500 crore for café owners"))
    pipeline.process_item(item(2, "Oil rises"))
    assert pipeline.part_path.exists() and not pipeline.path.exists()
    pipeline.close_spider()
    assert not pipeline.part_path.exists()
    assert pipeline.path.parent == tmp_path / "devdiscourse"
    assert pipeline.path.name.endswith("Z.jsonl")
    raw = pipeline.path.read_bytes()
    assert "₹500 crore for café owners".encode() in raw  # ensure_ascii=False, UTF-8
    lines = [json.loads(line) for line in raw.decode().splitlines()]
    assert [list(line) for line in lines] == [list(FIELD_NAMES)] * 2  # schema order, every key
    assert stats.get_value("newscrawl/feed/items") == 2


def test_run_with_nothing_new_leaves_no_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pipeline, _ = feed_pipeline(tmp_path)
    with caplog.at_level("INFO"):
        pipeline.close_spider()
    assert not any(tmp_path.rglob("*.jsonl*"))
    assert "no feed written" in caplog.text


def test_gzip_feed(tmp_path: Path) -> None:
    pipeline, _ = feed_pipeline(tmp_path, NEWSCRAWL_FEED_GZIP=True)
    pipeline.process_item(item(1, "Oil rises"))
    pipeline.close_spider()
    assert pipeline.path.name.endswith(".jsonl.gz")
    (line,) = gzip.decompress(pipeline.path.read_bytes()).decode().splitlines()
    assert json.loads(line)["article_id"] == 1


def test_feed_can_be_switched_off(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        feed_pipeline(tmp_path, NEWSCRAWL_FEED_ENABLED=False)
