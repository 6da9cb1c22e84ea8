"""Start and stop the replica as a subprocess: the one way the demo, the tests and the benchmarks do.

Like Scrapy's test mock server: ``python -m replica serve --port 0`` binds a
free loopback port and prints its URL as its first line; :func:`launch` reads
it and hands back the running server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from replica.server import BANNER

if TYPE_CHECKING:
    from pathlib import Path

BANNER_PREFIX = BANNER[: BANNER.index("http")]  # the URL follows


@dataclass
class Launched:
    process: subprocess.Popen[str]
    url: str  # with its trailing slash

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def stop(self) -> int:
        return stop(self.process)


def stop(process: subprocess.Popen[str]) -> int:
    """SIGTERM, then SIGKILL after 10 s; the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
    return int(process.returncode)


def launch(
    articles: int,
    seed: int,
    *extra: str,
    access_log: Path | None = None,
    port: int = 0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Launched:
    """A replica of ``articles`` articles serving on loopback; ``extra`` are ``serve`` options."""
    command = [sys.executable, "-m", "replica", "serve", "--port", str(port),
               "--articles", str(articles), "--seed", str(seed)]  # fmt: skip
    if access_log is not None:
        command += ["--access-log", str(access_log)]
    process = subprocess.Popen([*command, *extra], stdout=subprocess.PIPE, text=True, env=env, cwd=cwd)
    assert process.stdout is not None
    banner = process.stdout.readline().strip()
    if not banner.startswith(BANNER_PREFIX):
        process.kill()
        process.wait()
        process.stdout.close()
        raise RuntimeError(f"the replica did not start (said {banner!r})")
    return Launched(process, banner[len(BANNER_PREFIX) :])
