"""The article item: its fields, names and formats are the feed's contract.

``newscrawl/schemas/article.schema.json`` states the same contract for
consumers; ``tests/test_schema.py`` keeps the two in step.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from typing import Any, ClassVar

from itemadapter import ItemAdapter
from itemadapter.adapter import DataclassAdapter


@dataclass
class ArticleItem:
    """One article as exported. Missing values are ``None`` (lists empty)."""

    url: str | None = None  # canonical, absolute
    article_id: int | None = None
    story_id: int | None = None  # article_id of the story's first exported version (see the README)
    label: str | None = None
    title: str | None = None  # the h1, without " | Label"
    subtitle: str | None = None
    description: str | None = None
    body: str | None = None  # paragraphs joined by a blank line
    agency: str | None = None  # PTI, Reuters, ..., "Devdiscourse News Desk"
    author: str | None = None  # blogs
    dateline: str | None = None  # city
    countries: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    published_at: str | None = None  # UTC, YYYY-MM-DDTHH:MM:SSZ
    updated_at: str | None = None
    published_at_ist: str | None = None  # YYYY-MM-DDTHH:MM:SS+05:30
    published_date_ist: str | None = None  # YYYY-MM-DD: the day in India, what analysts count by
    updated_at_ist: str | None = None
    content_type: str | None = None  # news | blog | video
    syndicated: bool | None = None  # an agency-feed story
    word_count: int | None = None
    wire_revision: int | None = None  # n of "UPDATE n-"; 0 for the original (no prefix): sorts first
    revision_of: str | None = None  # url of the first exported version of this story
    version: int | None = None  # 1 for an article's first export, n for its n-th (editors' updates)
    crawled_at: str | None = None  # UTC


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem))


class ArticleItemAdapter(DataclassAdapter):
    """itemadapter's dataclass adapter for :class:`ArticleItem`, its fields looked up once.

    The dataclass adapter lists an item's fields (``dataclasses.fields`` and a dict) in every
    ``ItemAdapter(item)``, and an article passes through five of them (loader, pipelines,
    stats); registered first, this one answers for ``ArticleItem`` alone, with one dict.

    >>> type(ItemAdapter(ArticleItem(article_id=1)).adapter).__name__
    'ArticleItemAdapter'
    >>> ItemAdapter(ArticleItem(article_id=1)).asdict() == ItemAdapter({**vars(ArticleItem(article_id=1))}).asdict()
    True
    """

    _fields_by_name: ClassVar[dict[str, Field[Any]]] = {f.name: f for f in fields(ArticleItem)}

    def __init__(self, item: Any) -> None:
        self.item = item
        self._fields_dict = self._fields_by_name  # never changed by the adapter

    @classmethod
    def is_item(cls, item: Any) -> bool:
        return type(item) is ArticleItem

    @classmethod
    def is_item_class(cls, item_class: type) -> bool:
        return item_class is ArticleItem


if ArticleItemAdapter not in ItemAdapter.ADAPTER_CLASSES:
    ItemAdapter.ADAPTER_CLASSES.appendleft(ArticleItemAdapter)  # type: ignore[attr-defined]  # a deque


def item_fields(adapter: ItemAdapter) -> dict[str, Any]:
    """An item as a dict of its fields (for the schema and the state's readers).

    An ``ArticleItem``'s values are flat (text, numbers, lists of text), so a shallow
    copy of its fields is what ``ItemAdapter.asdict()`` builds, without asking every
    value whether it is an item itself (three fifths of validation's CPU); and reading
    the dict is a fifth of what reading through the adapter costs.

    >>> item = ArticleItem(article_id=1, title="Title", tags=["a", "b"])
    >>> item_fields(ItemAdapter(item)) == ItemAdapter(item).asdict()
    True
    >>> item_fields(ItemAdapter({"a": {"b": 1}}))
    {'a': {'b': 1}}
    """
    item = adapter.item
    if type(item) is ArticleItem:
        return dict(vars(item))
    return adapter.asdict()
