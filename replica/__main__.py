"""Command line of the replica: ``serve`` and ``truth``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawl.site.routes import DEFAULT_BASE_URL


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m replica",
        description="Offline replica of devdiscourse.com for tests, demos and benchmarks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "truth"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--articles", type=_positive, default=300, help="site size (default 300)")
        cmd.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    serve = sub.choices["serve"]
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--access-log", type=Path, help="append one line per request to this file")
    serve.add_argument(
        "--faults", default="", help="fault injection, e.g. 5xx=0.05,drop=0.02 (see faults.py)"
    )
    serve.add_argument(
        "--layout", choices=("v1", "v2"), default="v1", help="v2: a redesign that moves the article body"
    )
    serve.add_argument(
        "--archive-api",
        choices=("on", "off"),
        default="on",
        help="off: /api/Search/GetAllNews answers 404 (default on)",
    )
    serve.add_argument(
        "--missing-status",
        type=int,
        choices=(500, 404),
        default=500,
        help="what a missing or unapproved article id answers (default 500, as the live code)",
    )
    serve.add_argument("--robots", action="store_true", help="serve a robots.txt (the site has none)")
    serve.add_argument(
        "--break",
        dest="broken",
        default="",
        help="comma-separated channels that answer wrongly: sitemap (HTML error page), listings (no cards)",
    )
    truth = sub.choices["truth"]
    truth.add_argument("--out", type=Path, required=True)
    truth.add_argument("--base-url", default=DEFAULT_BASE_URL, help="host of the urls in the truth")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from replica.app import ReplicaApp

    try:
        app = ReplicaApp(
            args.articles,
            args.seed,
            getattr(args, "layout", "v1"),
            archive_api=getattr(args, "archive_api", "on") == "on",
            missing_status=getattr(args, "missing_status", 500),
            robots=getattr(args, "robots", False),
            broken=frozenset(filter(None, getattr(args, "broken", "").split(","))),
        )
    except ValueError as exc:
        print(f"python -m replica: {exc}", file=sys.stderr)
        return 2

    if args.command == "truth":
        from replica.truth import write_truth

        count = write_truth(app.corpus, args.out, args.base_url)
        print(f"wrote {count} stories to {args.out}", file=sys.stderr)
        return 0
    from replica.faults import FaultPlan
    from replica.server import serve

    try:
        plan = FaultPlan.parse(args.faults, args.seed) if args.faults else None
    except ValueError as exc:
        print(f"python -m replica: --faults: {exc}", file=sys.stderr)
        return 2
    log = args.access_log.open("a", encoding="utf-8", buffering=1) if args.access_log else None
    try:
        serve(app, args.host, args.port, log, plan)
    finally:
        if log is not None:
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
