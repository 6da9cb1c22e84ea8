"""Everything that can be judged before a run starts, judged before it starts.

``newscrawl cron`` and ``scrapy crawl devdiscourse`` both ask :func:`check_run`
before anything is touched: a bad ``-a`` value or setting is one line on
stderr and exit status 2, never a traceback and never a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newscrawl.files import check_writable_dir
from newscrawl.site.indexes import parse_since
from newscrawl.spiders.arguments import (
    check_argument_names,
    parse_floor,
    parse_labels,
    validate_archive,
    validate_base_url,
    validate_mode,
)
from newscrawl.state import parse_state_uri
from newscrawl.state.sqlite import check_readable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.settings import BaseSettings

EXIT_USAGE = 2  # EX_USAGE-like: fix the command line or the settings


def check_run(settings: BaseSettings, spider_args: Mapping[str, str], *, dataset: bool = False) -> None:
    """``ValueError`` naming the argument or setting that is wrong, and how."""
    check_argument_names(spider_args)
    if "base_url" in spider_args:
        validate_base_url(spider_args["base_url"])
    parse_labels(spider_args.get("labels"))
    validate_mode(spider_args.get("mode", "incremental"))
    validate_archive(spider_args.get("archive", "auto"))
    parse_floor(spider_args.get("floor_id", "1"))
    if spider_args.get("since"):
        parse_since(spider_args["since"])
    kind, target = parse_state_uri(settings.get("NEWSCRAWL_STATE_URI"))
    if kind == "sqlite" and target is not None and Path(target).exists():
        check_readable(target)
    if settings.getbool("NEWSCRAWL_FEED_ENABLED"):
        check_writable_dir(Path(settings.get("NEWSCRAWL_FEED_DIR")), "NEWSCRAWL_FEED_DIR")
    check_writable_dir(Path(settings.get("NEWSCRAWL_LOG_DIR")), "NEWSCRAWL_LOG_DIR")
    if dataset and settings.get("NEWSCRAWL_DATASET_DIR"):
        check_writable_dir(Path(settings.get("NEWSCRAWL_DATASET_DIR")), "NEWSCRAWL_DATASET_DIR")
