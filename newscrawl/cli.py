"""The ``newscrawl`` command: one entry point for what an operator runs.

    newscrawl cron [--base-url URL] [-a NAME=VALUE ...] [-s NAME=VALUE ...]
    newscrawl export [--feeds DIR] [--out DIR]
    newscrawl runs [--limit N] [--json] [--html FILE]
    newscrawl distributed status|reset|release [--worker ID] [--redis-url URL]
    newscrawl replica serve|truth|check ...     (the offline replica: demos, tests)
    newscrawl demo [--articles N] [--workdir DIR]

Each subcommand is a module's ``main`` (``python -m newscrawl.cron`` and
``python -m newscrawl.distributed`` work alike). The replica's are named, not
imported: the product never imports its test equipment.
"""

from __future__ import annotations

import sys

from scrapy.utils.misc import load_object

COMMANDS = {
    "cron": ("newscrawl.cron.main", "one locked, logged, self-judging crawl (the cron entry point)"),
    "export": ("newscrawl.export.main", "add new feed files to the analysts' Parquet/DuckDB dataset"),
    "runs": ("newscrawl.runs.main", "list past runs from the state; --html writes the history page"),
    "distributed": ("newscrawl.distributed.admin.main", "watch, reset or repair a distributed crawl"),
    "replica": ("replica.__main__.main", "serve the offline replica, write its truth, check a feed"),
    "demo": ("replica.demo.main", "crawl the offline replica with the real settings (make demo)"),
}


def usage() -> str:
    """
    >>> print(usage().splitlines()[0])
    usage: newscrawl {cron,export,runs,distributed,replica,demo} [arguments]
    """
    lines = [f"usage: newscrawl {{{','.join(COMMANDS)}}} [arguments]", ""]
    lines += [f"  {name:<12} {about}" for name, (_, about) in COMMANDS.items()]
    lines += ["", "`newscrawl <command> --help` for a command's arguments."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"newscrawl: unknown command {name!r}\n{usage()}", file=sys.stderr)
        return 2
    command = load_object(COMMANDS[name][0])
    return int(command(rest) or 0)
