"""Scrapy contracts of this project (``SPIDER_CONTRACTS``)."""

from __future__ import annotations

from typing import Any

from scrapy.contracts import Contract


class ArticlePathContract(Contract):
    """``@article_path /article/{id}``: the sample page on the crawled site (``-a base_url``).

    Scrapy's ``@url`` names a whole URL; a path lets the same contract run
    against whichever site the spider crawls (the bundled replica on its port).
    """

    name = "article_path"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        spider = getattr(self.testcase_pre, "spider", None) or args["callback"].__self__
        args["url"] = spider.base_url + self.args[0]
        return args
