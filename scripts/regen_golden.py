"""Regenerate the golden files of tests/golden/ (Fundus style).

Replica pages are rendered anew from the replica (``<name>.html``); every
``<name>.html`` (the hand-built seed page included) is run through the
extractor and its item written to ``<name>.json`` with the URL it was fetched
from. Review the diff before committing: a changed golden is a changed feed.

    .venv/bin/python scripts/regen_golden.py
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newscrawl.site.extract import extract_article
from replica.app import ReplicaApp

ROOT = Path(__file__).resolve().parent.parent

GOLDEN = ROOT / "tests" / "golden"
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # crawled_at of every golden item
HOST = "www.devdiscourse.com"
SEED, ARTICLES = 7, 300
BOT_UA = True

# name -> (article index, served to a "bot" User-Agent?)
REPLICA_PAGES = {
    "replica_seed_story": (42, False),
    "replica_seed_story_bot": (42, True),
    "replica_blog_opinion": (105, False),
    "replica_video": (145, True),
    "replica_resyndicated_copy": (113, True),
    "replica_wire_update_2": (129, False),
    "replica_no_updated_time": (150, False),
    "replica_malformed_time": (155, True),
    "replica_no_figure": (160, False),
    "replica_no_jsonld": (170, True),
    "replica_non_ascii": (186, False),
    "replica_html_entities": (187, True),
    "replica_image_remote_axd": (21, False),  # an older record: /img?imageUrl=/remote.axd?...
    "replica_image_experiment": (77, True),  # /Experiment/Img?imageUrl=...
}
# Pages written by hand from the real page's text (tests/fixtures/seed_article.txt):
# the 2020 layout as seen then, and the same story as the 2026 templates render it.
HAND_BUILT = {
    "seed_handbuilt_2020": "hand-built from the real page's text, 2020 markup (tests/fixtures/seed_article.txt)",
    "seed_handbuilt_2026": "hand-built from the real page's text, as the 2026 templates render it (docs/SITE.md)",
}
HAND_BUILT_URL = "https://www.devdiscourse.com/article/international/823307-iraq-denies-resuming-joint-ops-with-us-led-coalition"


def page_url(name: str) -> str:
    meta = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    return str(meta["fetched_url"])


def write_expected(name: str, fetched_url: str, note: str) -> None:
    html = (GOLDEN / f"{name}.html").read_bytes()
    response = HtmlResponse(url=fetched_url, body=html, encoding="utf-8")
    extraction = extract_article(response, now=NOW)
    record = {
        "fetched_url": fetched_url,
        "note": note,
        "problems": [str(p) for p in extraction.problems],
        "expected": ItemAdapter(extraction.item).asdict(),
    }
    (GOLDEN / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")


def main() -> int:
    app = ReplicaApp(ARTICLES, SEED)
    for name, (index, bot) in REPLICA_PAGES.items():
        article = app.corpus.article(index)
        response = app.handle(article.path, "", bot, HOST)
        (GOLDEN / f"{name}.html").write_bytes(response.body)
        note = f"replica --articles {ARTICLES} --seed {SEED}, index {index} ({article.case}), bot UA: {bot}"
        write_expected(name, f"http://{HOST}{article.path}", note)
    for name, note in HAND_BUILT.items():
        write_expected(name, HAND_BUILT_URL, note)
    print(f"wrote {len(REPLICA_PAGES) + len(HAND_BUILT)} golden files to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
