"""Scrapy middlewares, one per module.

Spider middleware: :mod:`~.incremental` (skip what earlier runs settled, stop
paging listings early). Downloader middlewares: :mod:`~.robots` (robots.txt
for every request), :mod:`~.retryafter` (Scrapy's retries, honouring
``Retry-After``), :mod:`~.truncated` (article pages cut short, fetched
again), :mod:`~.offsite` (redirects off the crawled host refused).
"""
