"""``scrapy parse URL``: one article page through the spider's article callback.

    scrapy parse https://www.devdiscourse.com/article/health/3401234-some-slug

The spider is ``devdiscourse``, the callback ``parse_article``, the site the
URL's own (``-a base_url``), unless the options say otherwise; the state is
thrown away. Scrapy's options all work as documented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.commands.parse import Command as ScrapyParseCommand
from w3lib.url import is_url

from newscrawl.commands import throwaway

if TYPE_CHECKING:
    import argparse


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        throwaway(self.settings)
        opts.spider = opts.spider or "devdiscourse"
        opts.callback = opts.callback or "parse_article"
        if len(args) == 1 and is_url(args[0]) and "base_url" not in opts.spargs:
            parts = urlsplit(args[0])
            opts.spargs["base_url"] = f"{parts.scheme}://{parts.netloc}"
