"""Past runs, from the run records in ``NEWSCRAWL_STATE_URI``.

    newscrawl runs [--limit N] [--json] [--html FILE]     (or python -m newscrawl.runs)

Prints one line per run, newest first: start, duration, result (healthy,
unhealthy and why, or did not finish), articles exported and updated, items
dropped, requests, and the feed file. ``--html`` writes the history page with
its trend charts (what cron keeps as ``<NEWSCRAWL_LOG_DIR>/index.html``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawl.health.history import RunRecord, format_table, render_history, table_rows
from newscrawl.state import open_state, parse_state_uri

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

HISTORY_PAGE = "index.html"
HISTORY_RUNS = 100


def read_runs(uri: str, limit: int) -> list[RunRecord]:
    kind, target = parse_state_uri(uri)
    if kind == "sqlite" and target is not None and not Path(target).exists():
        return []  # no run yet: not a reason to create the state file
    state = open_state(uri)
    try:
        return [RunRecord.of(raw) for raw in state.last_runs(limit)]
    finally:
        state.close()


def write_history(settings: BaseSettings, path: Path | None = None) -> Path:
    """The history page of the last runs, linking the reports and logs in the log folder."""
    log_dir = Path(settings.get("NEWSCRAWL_LOG_DIR"))
    path = path or log_dir / HISTORY_PAGE
    runs = read_runs(settings.get("NEWSCRAWL_STATE_URI"), HISTORY_RUNS)

    def link(run: RunRecord, suffix: str) -> str | None:
        target = log_dir / f"{run.stamp}{suffix}"
        if not target.exists():
            return None
        return os.path.relpath(target, path.parent)

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_history(runs, link), encoding="utf-8")
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    parser = argparse.ArgumentParser(prog="newscrawl runs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    parser.add_argument("--html", type=Path, help="write the history page with trend charts here")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    for pair in args.settings:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    uri = settings.get("NEWSCRAWL_STATE_URI")
    try:
        kind, _ = parse_state_uri(uri)
        if kind == "memory":
            raise ValueError("NEWSCRAWL_STATE_URI is memory: a memory state keeps no run history")
        if args.html is not None:
            print(f"newscrawl runs: history written to {write_history(settings, args.html)}")
            return 0
        runs = read_runs(uri, args.limit)
    except (OSError, ValueError) as exc:
        print(f"newscrawl runs: {exc}", file=sys.stderr)
        return 2
    if args.json:
        for run in runs:
            print(json.dumps(run.as_json()))
        return 0
    print(format_table(table_rows(runs)) if runs else "no runs recorded yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
