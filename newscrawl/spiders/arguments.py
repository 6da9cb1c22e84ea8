"""The spider's ``-a`` arguments: each checked before any request, with a one-line reason.

The cron entry point checks them with the same functions before it takes its
lock, so a typo is exit 2, not a crawl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newscrawl.site.routes import LABELS

if TYPE_CHECKING:
    from collections.abc import Iterable

# Every -a the spider takes; any other name is refused (a typo must not crawl the whole site).
SPIDER_ARGUMENTS = ("base_url", "labels", "mode", "reset", "since", "archive", "floor_id")
# What Scrapy itself may pass to a spider (a spider's name; `scrapy parse`/`check` internals).
SCRAPY_ARGUMENTS = ("name", "_job")
MODES = ("incremental", "full")  # full: page every listing to its end
ARCHIVE_MODES = ("auto", "api", "ids", "none")  # auto: the API, the id walk if it is broken


def validate_base_url(value: str) -> str:
    """The site root to crawl, normalised; ``ValueError`` names what is wrong.

    >>> validate_base_url("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    >>> validate_base_url("ftp://example.com")
    Traceback (most recent call last):
    ...
    ValueError: base_url must be an http(s) URL with a host, got 'ftp://example.com'
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url must be an http(s) URL with a host, got {value!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


class SpiderArgumentError(ValueError):
    """A ``-a`` argument the spider cannot work with."""


def validate_mode(value: str) -> str:
    """
    >>> validate_mode("full")
    'full'
    """
    if value not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {value!r}")
    return value


def parse_labels(value: str | None) -> tuple[str, ...] | None:
    """``-a labels=business,health`` to a tuple; unknown labels are an error.

    >>> parse_labels("business, Health")
    ('business', 'health')
    >>> parse_labels("sport")
    Traceback (most recent call last):
    ...
    ValueError: unknown label 'sport'; known labels: headlines, business, technology, entertainment, education, sports-games, science-environment, health, politics, law-order, lifestyle, national, international, other
    """
    if value is None or not value.strip():
        return None
    labels = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    for label in labels:
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}; known labels: {', '.join(LABELS)}")
    return labels


def validate_archive(value: str) -> str:
    """
    >>> validate_archive("ids")
    'ids'
    >>> validate_archive("sitemap")
    Traceback (most recent call last):
    ...
    ValueError: archive must be one of auto, api, ids, none, got 'sitemap'
    """
    if value not in ARCHIVE_MODES:
        raise ValueError(f"archive must be one of {', '.join(ARCHIVE_MODES)}, got {value!r}")
    return value


def parse_floor(value: str) -> int:
    """``-a floor_id=N``: the lowest id the id walk probes.

    >>> parse_floor("3600000")
    3600000
    >>> parse_floor("x")
    Traceback (most recent call last):
    ...
    ValueError: floor_id must be a positive whole number, got 'x'
    """
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"floor_id must be a positive whole number, got {value!r}")
    return int(value)


def check_argument_names(names: Iterable[str]) -> None:
    """``-a`` names the spider does not take are an error naming the ones it does.

    >>> check_argument_names(["labels", "mode"])
    >>> check_argument_names(["lables"])
    Traceback (most recent call last):
    ...
    ValueError: unknown spider argument 'lables'; known: base_url, labels, mode, reset, since, archive, floor_id
    """
    for name in names:
        if name not in SPIDER_ARGUMENTS and name not in SCRAPY_ARGUMENTS:
            raise ValueError(f"unknown spider argument {name!r}; known: {', '.join(SPIDER_ARGUMENTS)}")
