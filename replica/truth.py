"""Ground truth: what a perfect crawl of a replica site exports.

``python -m replica truth --articles N --seed S --out truth.jsonl``
writes one JSON object per distinct story, in order of first publication:

* every field of the crawler's item (:data:`newscrawl.items.FIELD_NAMES`)
  except ``crawled_at``, for the story's first article, in the same formats
  (timestamps in UTC with ``Z``; ``url`` on ``--base-url``);
* ``duplicate_ids``: other article ids that carry the same story
  (re-syndicated copies); a crawl exports exactly one of the story's ids;
* ``revision_ids``: for wire stories, the ids of every version in order
  (first version, ``UPDATE 1``, ...); a crawl exports an increasing subset
  that always ends with the last one, later versions with ``revision_of``;
* ``versions``: the story's first article as the site has shown it, one entry
  per editors' update (``version``, ``updated_at``), oldest first; a crawl that
  saw it before an update exports it again with the next ``version``;
* ``case``: the hard case the story exercises (see
  :data:`replica.corpus.CASES`) or null.

Articles a correct crawl drops (empty body, truncated page) are not stories;
:func:`expected_drops` lists them with the drop reason.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from newscrawl.items import FIELD_NAMES
from newscrawl.site.headlines import split_wire_prefixes
from newscrawl.site.routes import DEFAULT_BASE_URL
from newscrawl.site.timeparse import format_ist, format_ist_date, format_utc
from replica.corpus import DROPPED_CASES, Article, Corpus
from replica.pages import city_text, description_of

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def expected_item(article: Article, base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """The item a perfect extraction gives for one article page."""
    meta = article.meta
    body = "\n\n".join(article.paragraphs) or None
    published = None if article.case == "malformed_time" else meta.published
    split = split_wire_prefixes(article.title)
    item: dict[str, Any] = {
        "url": base_url.rstrip("/") + article.path,
        "article_id": meta.article_id,
        "story_id": meta.article_id,  # its own story; a crawl's later revisions name the first (check.py)
        "label": meta.label,
        "title": article.title,
        "subtitle": article.subtitle,
        "description": description_of(article),
        "body": body,
        "agency": meta.agency,
        "author": article.author,
        "dateline": city_text(article.city) if article.city else None,
        "countries": list(article.countries),
        "tags": list(article.tags),
        "image_url": article.image_url,
        "image_caption": article.caption,
        "image_credit": article.credit,
        "published_at": format_utc(published),
        "updated_at": format_utc(article.updated),
        "published_at_ist": format_ist(published),
        "published_date_ist": format_ist_date(published),
        "updated_at_ist": format_ist(article.updated),
        "content_type": meta.kind,
        "syndicated": article.syndicated,
        "word_count": len(body.split()) if body else 0,
        "wire_revision": split.revision,
        "revision_of": None,
        "version": 1,  # a crawl's first sight of the article, whatever the site's edits so far
    }
    assert set(item) == set(FIELD_NAMES) - {"crawled_at"}
    return item


def truth_records(corpus: Corpus, base_url: str = DEFAULT_BASE_URL) -> Iterator[dict[str, Any]]:
    """One record per distinct story of the site, oldest first."""
    stories: dict[int, dict[str, Any]] = {}  # index of the story's first article -> record
    for i in range(corpus.size):
        if not corpus.approved(i):
            continue  # not published yet: its id answers as missing
        article = corpus.article(i)
        if article.case in DROPPED_CASES:
            continue
        if article.duplicate_of is not None:
            stories[article.duplicate_of]["duplicate_ids"].append(article.article_id)
            continue
        if article.revision_base is not None:
            stories[article.revision_base]["revision_ids"].append(article.article_id)
            continue
        record = expected_item(article, base_url)
        record["duplicate_ids"] = []
        record["revision_ids"] = [article.article_id] if article.case == "wire_base" else []
        record["versions"] = [
            {"version": v.version, "updated_at": format_utc(v.updated)} for v in corpus.versions(i)
        ]
        record["case"] = article.case
        stories[i] = record
    yield from stories.values()


def expected_drops(corpus: Corpus) -> dict[int, str]:
    """Article id -> reason, for the pages a correct crawl drops."""
    return {
        meta.article_id: DROPPED_CASES[meta.case]
        for meta in corpus.metas
        if meta.case in DROPPED_CASES and corpus.approved(meta.index)
    }


def write_truth(corpus: Corpus, out: Path, base_url: str = DEFAULT_BASE_URL) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for record in truth_records(corpus, base_url):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
