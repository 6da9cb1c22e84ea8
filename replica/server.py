"""The replica over real HTTP/1.1 (keep-alive) with Twisted Web, faults optional."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any, cast

from twisted.web import resource, server

from replica import faults
from replica.app import ReplicaApp, is_bot

if TYPE_CHECKING:
    from twisted.web.server import Request

BANNER = "Serving devdiscourse replica at http://{host}:{port}/"


class ReplicaResource(resource.Resource):
    """Every path goes to :class:`ReplicaApp`; optionally logs each request."""

    isLeaf = True  # noqa: N815  (Twisted API)

    def __init__(
        self, app: ReplicaApp, access_log: IO[str] | None = None, plan: faults.FaultPlan | None = None
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.app = app
        self.access_log = access_log
        self.plan = plan
        self._padding: bytes | None = None

    def render(self, request: Request) -> bytes | int:
        if request.method not in (b"GET", b"HEAD"):
            request.setResponseCode(405)
            return b""
        uri = request.uri.decode("latin-1")
        path, _, query = uri.partition("?")
        user_agent = request.getHeader("user-agent") or ""
        host = request.getHeader("host") or "127.0.0.1"
        kind = self.plan.fault(path, query) if self.plan is not None else None
        if path.startswith("/loop/"):
            kind = "loop"
        if kind is not None:
            early = self._fault_before(kind, request, path, host)
            if early is not None:
                self._log(request.code, uri, user_agent)
                return early
        response = self.app.handle(path, query, is_bot(user_agent), host)
        body = response.body
        request.setResponseCode(response.status)
        for name, value in response.headers:
            request.setHeader(name, value)  # type: ignore[no-untyped-call]
        self._log(response.status, uri, user_agent)
        if kind is not None and response.status == 200:
            return self._fault_after(kind, request, body)
        return body

    def _log(self, status: int, uri: str, user_agent: str) -> None:
        if self.access_log is not None:
            self.access_log.write(f"{status} {uri} {user_agent}\n")

    # -- faults ----------------------------------------------------------------
    def _fault_before(self, kind: str, request: Request, path: str, host: str) -> bytes | None:
        if kind == "5xx":
            request.setResponseCode((500, 502, 503)[len(path) % 3])
            return b"<html><body>Server error</body></html>"
        if kind == "429":
            request.setResponseCode(429)
            request.setHeader("Retry-After", "1")  # type: ignore[no-untyped-call]
            return b"<html><body>Too many requests</body></html>"
        if kind == "loop":  # /article/.../ID -> /loop/ID/1 -> /loop/ID/2 -> ...
            if path.startswith("/loop/"):
                _, _, origin, hop = path.split("/")[:4]
                target = f"/loop/{origin}/{int(hop) + 1}"
            else:
                target = f"/loop/{path.rsplit('/', 1)[-1].split('-', 1)[0]}/1"
            request.setResponseCode(302)
            request.setHeader("Location", f"http://{host}{target}")  # type: ignore[no-untyped-call]
            return b""
        if kind == "offsite":
            request.setResponseCode(301)
            request.setHeader("Location", f"http://offsite.invalid{path}")  # type: ignore[no-untyped-call]
            return b""
        return None

    def _fault_after(self, kind: str, request: Request, body: bytes) -> bytes | int:
        from twisted.internet import reactor as _reactor

        reactor = cast("Any", _reactor)
        if kind == "slow":
            reactor.callLater(self.plan.slow_seconds if self.plan else 3, _finish, request, body)
            return server.NOT_DONE_YET
        if kind == "drop":
            request.setHeader("Content-Length", str(len(body)))  # type: ignore[no-untyped-call]
            request.write(body[: len(body) // 2])  # type: ignore[no-untyped-call]
            reactor.callLater(0.05, request.channel.transport.abortConnection)  # type: ignore[union-attr]
            return server.NOT_DONE_YET
        if kind == "truncate":
            return body[: len(body) // 2]
        if kind == "big":
            if self._padding is None:
                size = self.plan.big_bytes if self.plan else 12_000_000
                self._padding = b"<!--" + b"x" * size + b"-->"
            return body.replace(b"</body>", self._padding + b"</body>", 1)
        if kind == "ctype":
            request.setHeader("Content-Type", "application/octet-stream")  # type: ignore[no-untyped-call]
            return body
        if kind == "badbytes":
            return faults.with_bad_bytes(body, b'class="article-cont"')
        if kind == "cp1252":
            request.setHeader("Content-Type", "text/html; charset=windows-1252")  # type: ignore[no-untyped-call]
            return faults.as_cp1252(body)
        if kind == "badfragment":
            return faults.mangle_fragment(body)
        return body


def _finish(request: Request, body: bytes) -> None:
    if not request.finished and not getattr(request, "_disconnected", False):
        request.write(body)  # type: ignore[no-untyped-call]
        request.finish()  # type: ignore[no-untyped-call]


def serve(
    app: ReplicaApp,
    host: str,
    port: int,
    access_log: IO[str] | None = None,
    plan: faults.FaultPlan | None = None,
) -> None:
    """Listen, print the banner line, and run until SIGINT/SIGTERM."""
    from twisted.internet import reactor as _reactor

    reactor = cast("Any", _reactor)
    site = server.Site(ReplicaResource(app, access_log, plan))  # type: ignore[no-untyped-call]
    site.noisy = False
    bound = reactor.listenTCP(port, site, interface=host).getHost()
    shown = f"[{bound.host}]" if ":" in bound.host else bound.host
    sys.stdout.write(BANNER.format(host=shown, port=bound.port) + "\n")
    sys.stdout.flush()
    reactor.run()  # installs SIGINT/SIGTERM handlers that stop it cleanly
