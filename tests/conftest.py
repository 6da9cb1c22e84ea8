"""Shared fixtures: the network guard and the replica server (a real subprocess)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from replica.app import ReplicaApp
from replica.launch import Launched, launch
from tests._netguard.guard import install

ROOT = Path(__file__).resolve().parent.parent
NETGUARD = Path(__file__).resolve().parent / "_netguard"
REPLICA_ARTICLES = 300
REPLICA_SEED = 7
# Where crawls the tests start write what they do not direct elsewhere (removed at exit).
SCRATCH = Path(tempfile.mkdtemp(prefix="newscrawl-tests-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)

if TYPE_CHECKING:
    from collections.abc import Iterator

install()


def child_env(**extra: str) -> dict[str, str]:
    """Environment for processes the tests start: project importable, network blocked."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(NETGUARD), str(ROOT), env.get("PYTHONPATH", "")])
    env["NEWSCRAWL_BLOCK_NETWORK"] = "1"
    env.setdefault("NEWSCRAWL_STATE_URI", "memory:")  # never the checkout's .newscrawl/
    env.setdefault("NEWSCRAWL_LOG_DIR", str(SCRATCH / "logs"))  # nor its logs/ (run reports)
    env.setdefault("NEWSCRAWL_FEED_DIR", str(SCRATCH / "feeds"))  # nor its feeds/
    env.setdefault("NEWSCRAWL_DATASET_DIR", str(SCRATCH / "dataset"))  # nor its dataset/
    env.update(extra)
    return env


@dataclass
class Replica:
    url: str  # with trailing slash
    articles: int
    seed: int
    access_log: Path
    server: Launched

    @property
    def process(self) -> subprocess.Popen[str]:
        return self.server.process

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    def app(self) -> ReplicaApp:
        return ReplicaApp(self.articles, self.seed)

    def requests(self) -> list[tuple[int, str, str]]:
        """(status, path, user agent) of every request served so far."""
        out = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            status, path, agent = ([*line.split(" ", 2), ""])[:3]
            out.append((int(status), path, agent))
        return out


def start_replica(tmp: Path, articles: int, seed: int, *extra: str) -> Replica:
    log = tmp / f"access-{articles}-{seed}.log"
    log.touch()
    server = launch(articles, seed, *extra, access_log=log, env=child_env(), cwd=ROOT)
    return Replica(server.url, articles, seed, log, server)


def stop_replica(replica: Replica) -> int:
    return replica.server.stop()


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """A replica of 300 articles for the whole session."""
    server = start_replica(tmp_path_factory.mktemp("replica"), REPLICA_ARTICLES, REPLICA_SEED)
    yield server
    stop_replica(server)


@pytest.fixture(scope="session")
def replica_app() -> ReplicaApp:
    """The same site in-process, for expected values."""
    return ReplicaApp(REPLICA_ARTICLES, REPLICA_SEED)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on a free loopback port, no persistence, for the session."""
    import shutil
    import socket
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed; .ci/run installs Debian's redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--requirepass", "test-secret"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    yield f"redis://:test-secret@127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
