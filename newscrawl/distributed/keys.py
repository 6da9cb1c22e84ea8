"""The Redis keys of a distributed crawl, in one place.

scrapy-redis's own (the shared queue and fingerprints) keep its templates;
ours sit beside them under the spider's name. The seen-state's keys live under
their own prefix (:mod:`newscrawl.state.redis`).

>>> workers_key("devdiscourse"), dupefilter_key("devdiscourse")
('devdiscourse:workers', 'devdiscourse:dupefilter')
"""

from __future__ import annotations

from scrapy_redis import defaults

WORKERS = "%(spider)s:workers"  # hash: worker id -> host, pid, heartbeat, idle since
CRAWL = "%(spider)s:crawl"  # the running crawl's number
RUN_SEQUENCE = "%(prefix)s:run_seq"  # crawl numbers come from the seen-state's run sequence


def workers_key(spider: str) -> str:
    return WORKERS % {"spider": spider}


def crawl_key(spider: str) -> str:
    return CRAWL % {"spider": spider}


def run_sequence_key(prefix: str) -> str:
    return RUN_SEQUENCE % {"prefix": prefix}


def queue_key(spider: str) -> str:
    return str(defaults.SCHEDULER_QUEUE_KEY % {"spider": spider})


def dupefilter_key(spider: str) -> str:
    return str(defaults.SCHEDULER_DUPEFILTER_KEY % {"spider": spider})
