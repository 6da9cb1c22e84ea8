"""Golden files: stored article pages and the items they must give, field by field.

Regenerate with ``scripts/regen_golden.py`` and review the diff. Replica pages
are also held to the replica's ground truth, which is computed from the
replica's own data rather than by the extractor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from newscrawl.items import FIELD_NAMES
from newscrawl.site.extract import extract_article
from replica.app import ReplicaApp
from replica.truth import expected_item

GOLDEN = Path(__file__).parent / "golden"
NAMES = sorted(p.stem for p in GOLDEN.glob("*.html"))
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    record = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    body = (GOLDEN / f"{name}.html").read_bytes()
    response = HtmlResponse(url=record["fetched_url"], body=body, encoding="utf-8")
    extraction = extract_article(response, now=NOW)
    got = ItemAdapter(extraction.item).asdict()
    got["_problems"] = [str(problem) for problem in extraction.problems]
    return got, record


def test_there_are_golden_pages() -> None:
    assert {"seed_handbuilt_2020", "seed_handbuilt_2026"} <= set(NAMES) and len(NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_golden_page_gives_expected_item(name: str) -> None:
    got, record = load(name)
    expected = record["expected"]
    assert list(expected) == list(FIELD_NAMES)
    mismatches = {f: (got.get(f), expected[f]) for f in FIELD_NAMES if got.get(f) != expected[f]}
    assert not mismatches, f"{name}: field -> (got, expected): {mismatches}"
    assert got["_problems"] == record["problems"]  # what could not be read, as the golden file says


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("replica_")])
def test_replica_golden_matches_ground_truth(name: str) -> None:
    got, record = load(name)
    index = int(record["note"].split("index ")[1].split(" ")[0])
    app = ReplicaApp(300, 7)
    truth = expected_item(app.corpus.article(index), "http://www.devdiscourse.com")
    wrong = {f: (got[f], v) for f, v in truth.items() if f not in ("revision_of",) and got[f] != v}
    assert not wrong, f"{name}: field -> (got, truth): {wrong}"


@pytest.mark.parametrize("name", ["seed_handbuilt_2020", "seed_handbuilt_2026"])
def test_hand_built_seed_pages_of_both_layouts_give_the_same_item(name: str) -> None:
    got, _ = load(name)
    assert got["published_at"] == "2020-01-16T19:17:00Z"
    assert got["updated_at"] == "2020-01-16T19:29:00Z"
    assert got["image_caption"] == "Representative image" and got["image_credit"] == "Pixabay"
    assert "(This story has not been edited" not in got["body"]
    assert "Download The Devdiscourse" not in got["body"]
    assert got["body"].count("\n\n") == 9


def test_the_2026_and_2020_layouts_give_one_item() -> None:
    old, _ = load("seed_handbuilt_2020")
    new, _ = load("seed_handbuilt_2026")
    assert {f: (old[f], new[f]) for f in FIELD_NAMES if old[f] != new[f]} == {}
    assert (
        new["image_url"]
        == "https://devdiscourse.blob.core.windows.net/devnews/17_01_2020_00_47_12_4433587.jpg"
    )
