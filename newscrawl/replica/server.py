"""The replica over real HTTP/1.1 (keep-alive) with Twisted Web."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any, cast

from twisted.web import resource, server

from newscrawl.replica.app import ReplicaApp, is_bot

if TYPE_CHECKING:
    from twisted.web.server import Request

BANNER = "Serving devdiscourse replica at http://{host}:{port}/"


class ReplicaResource(resource.Resource):
    """Every path goes to :class:`ReplicaApp`; optionally logs each request."""

    isLeaf = True  # noqa: N815  (Twisted API)

    def __init__(self, app: ReplicaApp, access_log: IO[str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.app = app
        self.access_log = access_log

    def render(self, request: Request) -> bytes:
        if request.method not in (b"GET", b"HEAD"):
            request.setResponseCode(405)
            return b""
        uri = request.uri.decode("latin-1")
        path, _, query = uri.partition("?")
        user_agent = request.getHeader("user-agent") or ""
        host = request.getHeader("host") or "127.0.0.1"
        response = self.app.handle(path, query, is_bot(user_agent), host)
        request.setResponseCode(response.status)
        for name, value in response.headers:
            request.setHeader(name, value)  # type: ignore[no-untyped-call]
        if self.access_log is not None:
            self.access_log.write(f"{response.status} {uri} {user_agent}\n")
        return response.body


def serve(app: ReplicaApp, host: str, port: int, access_log: IO[str] | None = None) -> None:
    """Listen, print the banner line, and run until SIGINT/SIGTERM."""
    from twisted.internet import reactor as _reactor

    reactor = cast("Any", _reactor)
    site = server.Site(ReplicaResource(app, access_log))  # type: ignore[no-untyped-call]
    site.noisy = False
    bound = reactor.listenTCP(port, site, interface=host).getHost()
    shown = f"[{bound.host}]" if ":" in bound.host else bound.host
    sys.stdout.write(BANNER.format(host=shown, port=bound.port) + "\n")
    sys.stdout.flush()
    reactor.run()  # installs SIGINT/SIGTERM handlers that stop it cleanly
