"""Refuse non-loopback connections in test processes (set up by tests/conftest.py).

Python imports ``sitecustomize`` at start-up from ``sys.path``; the test suite
puts this folder on ``PYTHONPATH`` of every process it starts, so a crawl or a
replica under test that tries to reach the internet fails loudly instead.
"""

from __future__ import annotations

import os

if os.environ.get("NEWSCRAWL_BLOCK_NETWORK") == "1":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from _netguard.guard import install

    install()
