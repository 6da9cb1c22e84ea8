"""The validation pipeline: required fields, then the feed's JSON Schema."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scrapy.exceptions import DropItem

from newscrawl.items import FIELD_NAMES
from newscrawl.pipelines.validation import ValidationPipeline, article_schema, schema_errors
from tests.helpers import article_item, project_crawler


@pytest.mark.parametrize("field", ["url", "article_id", "title", "body"])
def test_missing_required_field_is_dropped_and_counted(field: str) -> None:
    c = project_crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    bad = replace(article_item(1, "Oil rises"), **{field: None})
    with pytest.raises(DropItem, match=f"Missing {field}"):
        pipeline.process_item(bad)
    assert c.stats.get_value(f"newscrawl/dropped/missing_{field}") == 1


def test_schema_violations_are_dropped_naming_field_and_value() -> None:
    c = project_crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    bad = article_item(1, "Oil rises", published="17-01-2020 00:47 IST")
    with pytest.raises(DropItem, match="published_at: '17-01-2020 00:47 IST' does not match"):
        pipeline.process_item(bad)
    assert c.stats.get_value("newscrawl/dropped/schema_invalid") == 1


def test_valid_item_passes_and_null_dates_are_counted() -> None:
    c = project_crawler()
    pipeline = ValidationPipeline.from_crawler(c)
    good = article_item(1, "Oil rises", published=None)  # type: ignore[arg-type]
    assert pipeline.process_item(good) is good
    assert c.stats.get_value("newscrawl/items/published_at_null") == 1


def test_schema_is_the_item_contract() -> None:
    schema = article_schema()
    assert list(schema["properties"]) == list(FIELD_NAMES)
    assert schema["required"] == list(FIELD_NAMES)
    assert schema_errors(dict.fromkeys(FIELD_NAMES))  # nulls where values are required


def test_the_compiled_validator_agrees_with_the_schema_interpreter() -> None:
    """fastjsonschema is the fast path; jsonschema is the reference: they must agree."""
    from itemadapter import ItemAdapter

    from newscrawl.pipelines.validation import article_validator, is_valid

    base = ItemAdapter(article_item(1, "Oil rises")).asdict()
    variants = [base, {**base, "published_at": "2024-05-01T10:00:00Z", "published_date_ist": "2024-05-01"}]
    for name in FIELD_NAMES:
        for wrong in ({}, -1, "", "x" * 3, [1], True, None):
            variants.append({**base, name: wrong})
    variants += [{k: v for k, v in base.items() if k != "url"}, {**base, "extra": 1}]
    variants += [{**base, "published_at": "2024-05-01 10:00"}, {**base, "url": "ftp://x/article/a/1"}]
    reference = article_validator()
    disagreements = [v for v in variants if is_valid(v) != reference.is_valid(v)]
    assert not disagreements, disagreements[:3]
    assert sum(not is_valid(v) for v in variants) > 100  # the variants do break the schema
