"""Extraction and timestamp benchmarks: our loader vs trafilatura, our parser vs dateparser.

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python -m bench.extraction [--pages 300] [--repeat 3]

Pages come from the replica (rendered in-process, no I/O), as a browser would
get them. Costs are wall-clock per page, best of ``--repeat`` runs, measured
side by side in one process; accuracy is against the replica's ground truth.
Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.http import HtmlResponse

from newscrawl.site.extract import extract_article
from newscrawl.site.timeparse import format_utc, parse_byline, parse_iso, parse_site_time
from replica.app import ReplicaApp
from replica.corpus import DROPPED_CASES
from replica.truth import expected_item

if TYPE_CHECKING:
    from collections.abc import Callable

HOST = "www.devdiscourse.com"
_TOKEN_RE = re.compile(r"\w+")


def token_f1(got: str | None, want: str | None) -> float:
    if not got or not want:
        return float(got == want)
    g, w = _TOKEN_RE.findall(got.lower()), _TOKEN_RE.findall(want.lower())
    common = sum(min(g.count(t), w.count(t)) for t in set(g) & set(w))
    if not common:
        return 0.0
    precision, recall = common / len(g), common / len(w)
    return 2 * precision * recall / (precision + recall)


def best_per_call(fn: Callable[[], Any], calls: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best / calls


def pages(count: int) -> list[tuple[str, bytes, dict[str, Any]]]:
    app = ReplicaApp(max(count * 2, 300), 1)
    out = []
    for i in range(app.corpus.size):
        article = app.corpus.article(i)
        if article.case in DROPPED_CASES:
            continue
        body = app.handle(article.path, "", False, HOST).body
        out.append((f"http://{HOST}{article.path}", body, expected_item(article, f"http://{HOST}")))
        if len(out) == count:
            break
    return out


def ours(url: str, body: bytes) -> dict[str, Any]:
    item = extract_article(HtmlResponse(url=url, body=body, encoding="utf-8")).item
    return {"title": item.title, "body": item.body, "published_at": item.published_at, "agency": item.agency}


def trafilatura_bare(url: str, body: bytes) -> dict[str, Any]:
    import trafilatura

    result = trafilatura.bare_extraction(body.decode("utf-8"), url=url, with_metadata=True)
    doc: dict[str, Any] = result.as_dict() if result is not None else {}
    date = doc.get("date")
    return {
        "title": doc.get("title"),
        "body": doc.get("text"),
        "published_at": f"{date}" if date else None,
        "agency": doc.get("author"),
    }


def trafilatura_extract(url: str, body: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(body.decode("utf-8"), url=url)


def accuracy(
    extractor: Callable[[str, bytes], dict[str, Any]], sample: list[tuple[str, bytes, dict[str, Any]]]
) -> dict[str, float]:
    title = body = published = agency = 0.0
    for url, html, truth in sample:
        got = extractor(url, html)
        title += got["title"] == truth["title"]
        body += token_f1(got["body"], truth["body"])
        published += got["published_at"] == truth["published_at"]
        agency += got["agency"] == truth["agency"]
    n = len(sample)
    return {
        "title exact": title / n,
        "body token F1": body / n,
        "published exact": published / n,
        "agency exact": agency / n,
    }


def timestamp_bench(repeat: int) -> list[tuple[str, float, float, float, float, str]]:
    import dateparser

    settings = {
        "TIMEZONE": "Asia/Kolkata",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
    }
    rows = []
    for label, text, exact, fmt in (
        ("byline dd-MM-yyyy HH:mm IST", "17-01-2020 00:47 IST", parse_byline, "%d-%m-%Y %H:%M IST"),
        ("meta ISO +05:30", "2020-01-17T00:47:00+05:30", parse_iso, "%Y-%m-%dT%H:%M:%S%z"),
    ):
        n = 20000
        ours_cost = best_per_call(lambda: [parse_site_time(text) for _ in range(n)], n, repeat)
        exact_cost = best_per_call(lambda: [exact(text) for _ in range(n)], n, repeat)
        strptime_cost = best_per_call(lambda: [datetime.strptime(text, fmt) for _ in range(n)], n, repeat)
        dp_text = text.replace(" IST", "")
        m = 300
        dp_cost = best_per_call(
            lambda: [dateparser.parse(dp_text, settings=settings) for _ in range(m)], m, repeat
        )
        ours_value = format_utc(parse_site_time(text))
        parsed = dateparser.parse(dp_text, settings=settings)  # type: ignore[arg-type]
        dp_value = format_utc(parsed.astimezone(UTC)) if parsed else None
        raw = dateparser.parse(text)
        agree = f"ours {ours_value}, dateparser (zone forced) {dp_value}, dateparser raw {raw.isoformat() if raw else None}"
        rows.append((label, ours_cost, exact_cost, strptime_cost, dp_cost, agree))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extraction")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sample = pages(args.pages)
    n = len(sample)
    print(f"# Extraction benchmark: {n} replica article pages, best of {args.repeat}")
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}\n")
    costs = {
        "newscrawl extract_article (parse + loader + processors)": best_per_call(
            lambda: [ours(u, b) for u, b, _ in sample], n, args.repeat
        ),
        "trafilatura.extract": best_per_call(
            lambda: [trafilatura_extract(u, b) for u, b, _ in sample], n, args.repeat
        ),
        "trafilatura.bare_extraction (with metadata)": best_per_call(
            lambda: [trafilatura_bare(u, b) for u, b, _ in sample], n, args.repeat
        ),
    }
    base = costs["newscrawl extract_article (parse + loader + processors)"]
    print("| extractor | ms / page | x ours |\n|---|---:|---:|")
    for name, cost in costs.items():
        print(f"| {name} | {cost * 1000:.2f} | {cost / base:.1f} |")
    print(
        "\n| extractor | title exact | body token F1 | published exact | agency exact |\n|---|---:|---:|---:|---:|"
    )
    for name, fn in (("newscrawl", ours), ("trafilatura.bare_extraction", trafilatura_bare)):
        acc = accuracy(fn, sample)
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in acc.values()) + " |")
    print(
        "\n| timestamp text | parse_site_time µs | exact path µs | strptime µs | dateparser µs | dateparser / ours | values |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, o, e, st, d, agree in timestamp_bench(args.repeat):
        print(
            f"| {label} | {o * 1e6:.2f} | {e * 1e6:.2f} | {st * 1e6:.2f} | {d * 1e6:.1f} | {d / o:.0f} | {agree} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
