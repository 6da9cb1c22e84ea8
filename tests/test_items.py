"""The article item and its adapter."""

from __future__ import annotations

import dataclasses

import pytest
from itemadapter import ItemAdapter
from itemadapter.adapter import DataclassAdapter

from newscrawl.items import FIELD_NAMES, ArticleItem, ArticleItemAdapter


def test_an_article_adapts_as_itemadapters_dataclass_adapter_does() -> None:
    item = ArticleItem(article_id=1, title="Oil rises", tags=["oil"])
    ours, theirs = ItemAdapter(item), DataclassAdapter(item)
    assert isinstance(ours.adapter, ArticleItemAdapter)
    assert list(ours.field_names()) == list(theirs.field_names()) == list(FIELD_NAMES)
    assert dict(ours) == dict(theirs) and ours.asdict() == dataclasses.asdict(item)
    assert ours.get_field_meta("title") == theirs.get_field_meta("title")
    ours["version"] = 2
    assert item.version == 2
    with pytest.raises(KeyError):
        ours["no_such_field"] = 1


def test_other_items_keep_their_own_adapters() -> None:
    @dataclasses.dataclass
    class Other(ArticleItem):
        extra: int = 0

    assert not isinstance(ItemAdapter(Other()).adapter, ArticleItemAdapter)
    assert ItemAdapter(Other(extra=3))["extra"] == 3
    assert not isinstance(ItemAdapter({"title": "x"}).adapter, ArticleItemAdapter)
    assert ItemAdapter.is_item(ArticleItem()) and not ItemAdapter.is_item(object())
