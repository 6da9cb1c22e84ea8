"""Files on disk: the run's stamp in file names, durable renames, writable directories."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_stamp(moment: datetime) -> str:
    """File-name form of a run's start: ``YYYY-MM-DDTHH-MM-SSZ``.

    >>> run_stamp(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    '2026-01-02T03-04-05Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_writable_dir(path: Path, setting: str) -> None:
    """Create ``path`` if needed and prove it writable; ``ValueError`` naming the setting."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".newscrawl-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValueError(
            f"{setting} {str(path)!r} is not a writable directory: {exc.strerror or exc}"
        ) from None
