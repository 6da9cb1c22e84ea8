from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests._netguard.guard import NetworkBlockedError
from tests.conftest import ROOT, child_env


def test_non_loopback_connection_fails_loudly() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlockedError):
        sock.connect(("203.0.113.1", 80))  # TEST-NET-3: never routed
    sock.close()


def test_name_lookup_fails_loudly() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("www.devdiscourse.com", 443)


def test_child_processes_are_guarded_too() -> None:
    code = "import socket; socket.create_connection(('203.0.113.1', 80), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=child_env(), cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "NetworkBlockedError" in result.stderr
