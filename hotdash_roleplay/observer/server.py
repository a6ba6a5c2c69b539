"""The room's web server: an aiohttp application on the app's own asyncio loop (qasync in the
desktop app), listening on one chosen interface while the session's console is open."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from hotdash_roleplay.observer import security
from hotdash_roleplay.observer.network import join_url
from hotdash_roleplay.observer.room_routes import RoomApi
from hotdash_roleplay.observer.routes import ChangeListener, refuse
from hotdash_roleplay.paths import RESOURCES

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.live import Change, LiveSession

log = logging.getLogger(__name__)

PAGE_DIR = RESOURCES / "observer"
# The largest draft the page can send is 13 fields x 2000 characters; 3-byte UTF-8 (CJK) puts
# that near 80 KB, so the limit sits above it rather than at a round 64 KB.
MAX_BODY = 128 * 1024
# The page's own files: every script and style sheet in its folder (no sub-folders).
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css"}
STATIC_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(?:js|css)$")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

API_KEY = web.AppKey("observer_api", RoomApi)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal as JSON `{"error": ...}`, and nothing unexpected takes the server down."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return refuse(413, f"The request is too large (limit {MAX_BODY // 1024} KB).")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = refuse(exc.status, exc.reason)
        if "Allow" in exc.headers:  # 405 says which methods the route takes
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("Observer request failed: %s %s", request.method, request.path)
        return refuse(500, "Something went wrong on the trainer's computer.")


@web.middleware
async def bound_host_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request must name this server's own address and port in `Host`: that stops
    DNS-rebinding pages, which reach us under their own name (and so pass a same-origin
    check). The address is the listening socket's, as the connection reached it."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not sockname or not security.host_matches(request.host, sockname[0], sockname[1]):
        return refuse(421, "Open the page at the address shown on the projector.")
    return await handler(request)


@web.middleware
async def same_origin_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Writes must be same-origin JSON: a cross-site form or script cannot post here (the
    SameSite cookie already stays home)."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return refuse(403, "Cross-site requests are refused.")
        if request.content_type != "application/json":
            return refuse(415, "Send the body as application/json.")
    return await handler(request)


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    # API answers carry personal drafts: never cached. The page revalidates on every load.
    response.headers["Cache-Control"] = (
        "no-store" if request.path.startswith("/api/") else "no-cache"
    )


def _page_routes(page_dir: Path) -> list[web.RouteDef]:
    """The page and its files, read once; no directory is ever served."""
    index = (page_dir / "index.html").read_bytes()
    files = {
        path.name: (path.read_bytes(), STATIC_TYPES[path.suffix])
        for path in sorted(page_dir.iterdir())
        if path.is_file() and STATIC_NAME.match(path.name)
    }

    async def page(_: web.Request) -> web.Response:
        return web.Response(body=index, content_type="text/html", charset="utf-8")

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in files:
            raise web.HTTPNotFound(reason="Not found.")
        body, content_type = files[name]
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    return [web.get("/", page), web.get("/static/{name}", static)]


def create_app(
    services: Services,
    live: LiveSession,
    *,
    throttle: security.Throttle | None = None,
    on_change: ChangeListener | None = None,
    page_dir: Path = PAGE_DIR,
) -> web.Application:
    """The room's application for one live session (its join code, the round being played).
    Whoever owns `live` calls `app[API_KEY].changed(change)` after each of its changes."""
    app = web.Application(
        client_max_size=MAX_BODY, middlewares=[json_errors, bound_host_only, same_origin_json]
    )
    api = RoomApi(services, live, throttle or security.Throttle(), on_change)
    app.add_routes([*_page_routes(page_dir), *api.routes()])
    app.on_response_prepare.append(_headers)
    app[API_KEY] = api
    return app


class ObserverServer:
    """Serve one live session's room page on `host` (a free port unless one is given).

    `start` and `stop` run on the current asyncio loop; the server adds no thread."""

    def __init__(
        self,
        services: Services,
        live: LiveSession,
        *,
        on_change: ChangeListener | None = None,
        throttle: security.Throttle | None = None,
    ) -> None:
        self._services = services
        self._live = live
        self._session_id = live.session_id
        self._on_change = on_change
        self._throttle = throttle or security.Throttle()  # kept across restarts of the server
        self._runner: web.AppRunner | None = None
        self.url: str | None = None
        self.host: str | None = None
        self.port: int | None = None

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def session_id(self) -> int:
        return self._session_id

    @property
    def join_code(self) -> str | None:
        return self._runner.app[API_KEY].join_code if self._runner else None

    def invalidate(self) -> None:
        """Tokens changed (the trainer released a name): re-read them on next use."""
        if self._runner is not None:
            self._runner.app[API_KEY].invalidate()

    def changed(self, change: Change) -> None:
        """The live session changed: every open page hears of it at once."""
        if self._runner is not None:
            self._runner.app[API_KEY].changed(change)

    async def start(self, host: str, port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("The observer server is already running.")
        app = create_app(
            self._services, self._live, throttle=self._throttle, on_change=self._on_change
        )
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.host, self.port = host, int(runner.addresses[0][1])
        self.url = join_url(host, self.port)
        log.info("Observer page served at %s", self.url)
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        self.url = self.host = self.port = None
        if runner is not None:
            runner.app[API_KEY].hub.close()  # open event streams end instead of holding on
            await runner.cleanup()

    def close_now(self) -> None:
        """Stop listening at once, without awaiting (the app is quitting and the loop may not
        run again). Connections still open die with the process."""
        runner = self._runner
        if runner is not None:
            runner.app[API_KEY].hub.close()
            for site in list(runner.sites):
                server = getattr(site, "_server", None)
                if server is not None:
                    server.close()
        self._runner = None
        self.url = self.host = self.port = None
