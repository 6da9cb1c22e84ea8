"""Validation: required fields, then the feed's JSON Schema."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from newscrawl.health import stats as names
from newscrawl.items import item_fields
from newscrawl.state.run import RunState, run_state

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("url", "article_id", "title", "body")
DATE_FIELDS = ("published_at", "updated_at")


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    """The feed contract, shipped as ``newscrawl/schemas/article.schema.json``."""
    text = resources.files("newscrawl.schemas").joinpath("article.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def article_validator() -> Any:
    schema = article_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def compiled_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python once (fastjsonschema): about 20 times quicker than
    interpreting it for every item; it stops at the first violation, so a failing item is
    then described in full by :func:`schema_errors`."""
    validate: Callable[[Any], Any] = fastjsonschema.compile(article_schema())
    return validate


def is_valid(item: dict[str, Any]) -> bool:
    """
    >>> is_valid({"article_id": "1"})
    False
    """
    try:
        compiled_validator()(item)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Readable schema violations of one item, each naming the field and value."""
    if is_valid(item):
        return []
    errors = []
    for error in sorted(article_validator().iter_errors(item), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path) or "(item)"
        errors.append(f"{where}: {error.message}")
    return errors


class ValidationPipeline:
    """Drops items that break the feed contract, counted by reason."""

    def __init__(self, crawler: Crawler, run: RunState) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.run = run
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        article_validator()  # a broken schema fails at start, not on the first item
        compiled_validator()
        return cls(crawler, run_state(crawler))

    def drop(self, reason: str, message: str, article_id: Any) -> DropItem:
        self.stats.inc_value(names.dropped(reason))
        self.stats.inc_value(names.VALIDATION_INVALID)
        if isinstance(article_id, int):
            self.run.dropped(article_id, reason)  # the page will not improve by refetching
        return DropItem(message)

    def process_item(self, item: Any) -> Any:
        self.stats.inc_value(names.VALIDATION_ITEMS)
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        for name in REQUIRED_FIELDS:
            if adapter.get(name) in (None, "", []):
                raise self.drop(f"missing_{name}", f"Missing {name}: {url}", adapter.get("article_id"))
        errors = schema_errors(item_fields(adapter))
        if errors:
            raise self.drop(
                "schema_invalid", f"Invalid item {url}: {'; '.join(errors)}", adapter.get("article_id")
            )
        for name in DATE_FIELDS:
            if adapter.get(name) is None:
                self.stats.inc_value(names.null_date(name))
        return item
