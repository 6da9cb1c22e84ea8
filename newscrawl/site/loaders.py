"""The article loader and its processors.

Processors are small pure functions with doctests. Field processors follow
itemloaders' naming, ``<field>_in`` / ``<field>_out``; every field is
single-valued (the first non-empty value wins, so extraction adds sources in
order of trust) except the list fields.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from itemloaders import ItemLoader
from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst

from newscrawl.items import ArticleItem

if TYPE_CHECKING:
    from collections.abc import Callable

_LABEL_TITLE_RE = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*")  # "Science-Environment"
_IMAGE_URL_PARAM_RE = re.compile(r"(?:^|&)imageUrl=", re.IGNORECASE)
_CREDIT_RE = re.compile(r"\s*Image Credit\s*:\s*", re.IGNORECASE)
# Paragraphs of section.article-cont that are the site's, not the story's.
BOILERPLATE_RE = re.compile(
    r"^\(?\s*(?:This story has not been edited by Devdiscourse staff"
    r"|With inputs from agencies"
    r"|Download The Devdiscourse News App)",
    re.IGNORECASE,
)
# Images the templates print when an article has none.
_PLACEHOLDER_IMAGES = ("/images/newstheme.jpg", "/images/defaultImage.jpg", "/images/sector/")


def clean_text(value: str | None) -> str | None:
    """Decode entities, collapse whitespace (NBSP too); empty becomes ``None``.

    >>> clean_text("  AT&amp;T\\xa0 rises\\n")
    'AT&T rises'
    >>> clean_text("   ") is None
    True
    """
    if value is None:
        return None
    # str.split() splits on exactly what r"\s" matches (str.isspace), at a third of the cost
    return " ".join(html.unescape(value).split()) or None


def strip_label_suffix(title: str, label: str | None = None) -> str:
    """Drop the head title's `` | Label`` (and an ``Opinion:`` prefix).

    >>> strip_label_suffix("Oil rises | Business", "business")
    'Oil rises'
    >>> strip_label_suffix("Opinion: Why rains fail | Science-Environment")
    'Why rains fail'
    >>> strip_label_suffix("A | B headline")
    'A | B headline'
    """
    if label and title.lower().endswith(" | " + label.lower()):
        title = title[: -len(label) - 3]
    else:
        head, sep, tail = title.rpartition(" | ")
        if sep and _LABEL_TITLE_RE.fullmatch(tail):
            title = head
    if title.startswith("Opinion: "):
        title = title[len("Opinion: ") :]
    return title.strip()


def split_keywords(value: str) -> list[str]:
    """``keywords`` meta to a list of tags.

    >>> split_keywords("Iraq, US-led coalition,  , Baghdad")
    ['Iraq', 'US-led coalition', 'Baghdad']
    """
    return [tag for tag in (clean_text(part) for part in value.split(",")) if tag]


def unwrap_image_proxy(url: str) -> str | None:
    """The original image behind the site's resizers; placeholders to ``None``.

    ``/img?imageUrl=`` (2024-), ``/Experiment/Img?imageUrl=`` and ``/remote.axd?``
    (older), nested as older records stored a resizer URL that the page wraps again.

    >>> unwrap_image_proxy("https://www.devdiscourse.com/img?imageUrl=https://devdiscourse.blob.core.windows.net/devnews/a.jpg&width=920&format=jpeg")
    'https://devdiscourse.blob.core.windows.net/devnews/a.jpg'
    >>> unwrap_image_proxy("http://h/img?imageUrl=/remote.axd?https://devdiscourse.blob.core.windows.net/devnews/a.jpg&width=920")
    'https://devdiscourse.blob.core.windows.net/devnews/a.jpg'
    >>> unwrap_image_proxy("http://h/Experiment/Img?imageUrl=https://devdiscourse.blob.core.windows.net/devnews/b.jpg")
    'https://devdiscourse.blob.core.windows.net/devnews/b.jpg'
    >>> unwrap_image_proxy("https://www.devdiscourse.com/remote.axd?https://devdiscourse.blob.core.windows.net/devnews/a.jpg?width=920&format=jpeg")
    'https://devdiscourse.blob.core.windows.net/devnews/a.jpg'
    >>> unwrap_image_proxy("https://www.devdiscourse.com/img?imageUrl=https://www.devdiscourse.com&width=920") is None
    True
    >>> unwrap_image_proxy("https://www.devdiscourse.com/images/newstheme.jpg") is None
    True
    """
    url = url.strip()
    for _ in range(4):  # each pass takes off one wrapper
        parts = urlsplit(url)
        path = parts.path.lower()
        if path.endswith(("/img", "/experiment/img")) and "imageurl=" in parts.query.lower():
            url = _IMAGE_URL_PARAM_RE.split(parts.query, maxsplit=1)[1].split("&", 1)[0]
            if url.lower().startswith(("http%3a", "https%3a", "%2f")):  # the cards escape it
                url = unquote(url)
        elif path.endswith("/remote.axd") and parts.query:
            url = url.split("/remote.axd?", 1)[1].split("?", 1)[0]
        else:
            break
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.path.strip("/"):
        return None
    if any(marker in parts.path for marker in _PLACEHOLDER_IMAGES):
        return None
    return url


def split_caption(figcaption: str) -> tuple[str | None, str | None]:
    """``"{caption} Image Credit: {credit}"`` to (caption, credit).

    >>> split_caption("Representative image Image Credit: Pixabay")
    ('Representative image', 'Pixabay')
    >>> split_caption("File photo")
    ('File photo', None)
    """
    caption, *credit = _CREDIT_RE.split(figcaption, maxsplit=1)
    return clean_text(caption), clean_text(credit[0]) if credit else None


def is_story_paragraph(text: str) -> bool:
    """False for the disclaimer and app plug the site appends to the body.

    >>> is_story_paragraph("(With inputs from agencies.)")
    False
    >>> is_story_paragraph("Officials said on Monday.")
    True
    """
    return BOILERPLATE_RE.match(text) is None


def join_paragraphs(paragraphs: list[str]) -> str | None:
    """Story paragraphs joined by a blank line, boilerplate left out.

    >>> join_paragraphs(["One.", " ", "Two.", "(This story has not been edited by Devdiscourse staff ...)"])
    'One.\\n\\nTwo.'
    >>> join_paragraphs([]) is None
    True
    """
    kept = [p.strip() for p in paragraphs if p.strip() and is_story_paragraph(p.strip())]
    return "\n\n".join(kept) or None


def to_int(value: Any) -> int | None:
    """
    >>> to_int("42"), to_int(None), to_int("x")
    (42, None, None)
    """
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ArticleLoader(ItemLoader):
    """Loads :class:`ArticleItem`; sources are added in order of trust."""

    default_item_class = ArticleItem
    default_input_processor = MapCompose(clean_text)
    default_output_processor = TakeFirst()

    def _get_item_field_attr(self, field_name: str, key: Any, default: Any = None) -> Any:
        """The loader's own processors (or its defaults) apply: ``ArticleItem`` declares none.

        itemloaders would read the item's field metadata for every value added or read
        (an ``ItemAdapter`` and ``dataclasses.fields`` each time): a millisecond a page.

        >>> from dataclasses import fields
        >>> [f.name for f in fields(ArticleItem) if f.metadata]
        []
        """
        return default

    def get_input_processor(self, field_name: str) -> Callable[..., Any]:
        """The field's input processor, looked up once per loader class.

        itemloaders looks it up for every value added (an attribute by a formatted name,
        then an unbound-method unwrap): a tenth of the loader's CPU. Processors here are
        class attributes, so the answer never changes for a class.
        """
        key = (type(self), field_name, "in")
        if key not in _PROCESSORS:
            _PROCESSORS[key] = super().get_input_processor(field_name)
        return _PROCESSORS[key]

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        """The field's output processor, looked up once per loader class.

        >>> loader = ArticleLoader()
        >>> loader.get_output_processor("body") is ArticleLoader.body_out
        True
        >>> loader.get_input_processor("title") is ArticleLoader.default_input_processor
        True
        """
        key = (type(self), field_name, "out")
        if key not in _PROCESSORS:
            _PROCESSORS[key] = super().get_output_processor(field_name)
        return _PROCESSORS[key]

    article_id_in = MapCompose(to_int)
    body_in = MapCompose(clean_text)
    body_out = Compose(join_paragraphs)
    countries_out = Identity()
    tags_in = MapCompose(split_keywords)
    tags_out = Compose(lambda tags: list(dict.fromkeys(tags)))  # keep order, drop repeats
    image_url_in = MapCompose(unwrap_image_proxy)
    syndicated_in = Identity()
    word_count_in = Identity()
    wire_revision_in = Identity()
    story_id_in = Identity()
    version_in = Identity()


# (loader class, field, "in" | "out") -> processor: see ArticleLoader.get_input_processor
_PROCESSORS: dict[tuple[type[ItemLoader], str, str], Callable[..., Any]] = {}
