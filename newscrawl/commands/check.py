"""``scrapy check devdiscourse -a base_url=URL``: the spider's contracts, with a throwaway state.

The article callback's contracts name a page of the bundled replica's demo site
(``python -m replica serve --articles 2000 --seed 1``) by path
(:class:`newscrawl.contracts.ArticlePathContract`), so they run against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.check import Command as ScrapyCheckCommand

from newscrawl.commands import throwaway

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCheckCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        throwaway(self.settings)
