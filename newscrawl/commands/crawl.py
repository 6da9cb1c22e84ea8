"""``scrapy crawl devdiscourse``: Scrapy's crawl, its arguments and settings checked first.

A bad ``-a`` value or ``NEWSCRAWL_*`` setting is one line on stderr and exit
status 2 (:mod:`newscrawl.preflight`), before the crawler, its log or any
request exists.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawl.preflight import EXIT_USAGE, check_run

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if args[:1] != ["devdiscourse"]:
            return
        try:
            check_run(self.settings, opts.spargs)
        except ValueError as exc:
            print(f"scrapy crawl devdiscourse: {exc}", file=sys.stderr)
            raise SystemExit(EXIT_USAGE) from None
