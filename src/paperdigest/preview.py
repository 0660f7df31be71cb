"""The preview's HTTP side: one built site under its base path, with live reload.

A server thread answers requests from the last good build, which the atomic build swaps
in whole. Open pages hold a Server-Sent Events connection and reload when a new build is
in place; a failed build shows its error in a banner instead. The reload script is added
to HTML responses only, never to the files.
"""

from __future__ import annotations

import html
import json
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .hosts import ANY_ADDRESS, allowed_hosts, host_is_allowed
from .urls import NOT_FOUND

INTERNAL = "/__paperdigest/"
"""URL prefix of the preview's own endpoints; never part of a built site."""
LIVE_RELOAD = Path(__file__).with_name("livereload.js")
HEARTBEAT_SECONDS = 10.0
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".gz": "application/gzip",
}


@dataclass
class BuildState:
    """The latest build's number and error, shared between the builder and the server."""

    version: int = 0
    error: str | None = None
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, error: str | None) -> None:
        """Record a finished build (error None) or a failed one, and wake every open page."""
        with self.changed:
            if error is None:
                self.version += 1
            self.error = error
            self.changed.notify_all()

    def stop(self) -> None:
        """Tell every open event stream to end."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def snapshot(self) -> dict[str, object]:
        """What an open page needs to know."""
        return {"version": self.version, "error": self.error}


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server for one built site under its base path."""

    daemon_threads = True  # open event streams must not keep the process alive

    def __init__(self, address: tuple[str, int], site: Path, base_path: str, state: BuildState):
        # The family of what the host names: `--host ::1` needs an IPv6 socket.
        found = socket.getaddrinfo(*address, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        self.address_family = found[0][0]
        super().__init__(address, PreviewHandler)
        self.site = site
        self.base_path = base_path
        self.state = state
        self.hosts = allowed_hosts(address[0], str(self.server_address[0]))
        self.any_address = self.server_address[0] in ANY_ADDRESS

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore readers who close the tab mid-response; report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves files from the site folder only, injecting the reload script into HTML."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep quiet: a preview's request log is noise."""

    def do_HEAD(self) -> None:  # noqa: N802
        """Answer HEAD like GET, without a body."""
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:  # noqa: N802
        """Serve a file of the site, an internal endpoint, a redirect or the 404 page."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return self.refuse(HTTPStatus.BAD_REQUEST, "a request needs one Host header", head)
        # A page on another site can point its own domain name at this address (DNS
        # rebinding); answering no name but ours keeps it from reading the preview.
        if not host_is_allowed(hosts[0], self.server.hosts, self.server.any_address):
            return self.refuse(
                HTTPStatus.FORBIDDEN,
                "this preview does not answer to that host name (serve it with --host NAME)",
                head,
            )
        try:
            path = urlsplit(self.path).path
            decoded = unquote(path, errors="strict") if "%" in path else path
        except ValueError:  # a malformed URL, or percent-encoding that is not UTF-8
            return self.refuse(HTTPStatus.BAD_REQUEST, "the path is not a valid URL", head)
        base = self.server.base_path
        if path == INTERNAL + "events":
            return self.stream_events()
        if path == INTERNAL + "livereload.js":
            return self.send(HTTPStatus.OK, LIVE_RELOAD.read_bytes(), ".js", head)
        if path in ("", "/") and base != "/":
            return self.redirect(base)
        target = self.resolve(decoded)
        if target is None:
            return self.not_found(head)
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
            if not target.is_file():
                return self.not_found(head)
        self.send(HTTPStatus.OK, target.read_bytes(), target.suffix, head)

    def resolve(self, path: str) -> Path | None:
        """The file a decoded URL path names, or None if it is missing or not in the site."""
        base = self.server.base_path
        if "\0" in path or "\\" in path or not path.startswith(base):
            return None
        relative = path[len(base) :]
        if any(part in (".", "..") for part in relative.split("/")):
            return None
        site = self.server.site.resolve()
        try:
            target = (site / relative).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        # resolve() follows symlinks, so this also refuses a link that points out of the site.
        return target if target == site or site in target.parents else None

    def send(self, status: HTTPStatus, body: bytes, suffix: str, head: bool = False) -> None:
        """Send a body with the type its suffix implies; HTML gets the reload script."""
        if suffix == ".html":
            body = inject_reload(body, self.server.state)
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def refuse(self, status: HTTPStatus, reason: str, head: bool) -> None:
        """A short plain-text answer to a request the preview will not serve."""
        body = f"{status.value} {status.phrase}: {reason}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def not_found(self, head: bool) -> None:
        """Send the site's own 404 page."""
        page = self.server.site / NOT_FOUND
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title>"
        self.send(HTTPStatus.NOT_FOUND, body, ".html", head)

    def redirect(self, location: str) -> None:
        """Send a redirect to `location`."""
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_events(self) -> None:
        """Server-Sent Events: the build state now, then whenever it changes."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        seen = None
        try:
            while True:
                with state.changed:
                    if state.stopping:
                        return
                    current = state.snapshot()
                    if current == seen:
                        state.changed.wait(HEARTBEAT_SECONDS)
                        if state.stopping:  # woken to end, not to say it is still here
                            return
                        current = state.snapshot()
                if current != seen:
                    self.wfile.write(f"data: {json.dumps(current)}\n\n".encode())
                    seen = current
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def inject_reload(page: bytes, state: BuildState) -> bytes:
    """Add the reload script, and the current build error if any, to an HTML page."""
    snapshot = state.snapshot()
    script = f'<script src="{INTERNAL}livereload.js" data-version="{snapshot["version"]}"></script>'
    banner = ""
    if snapshot["error"]:
        banner = error_banner(str(snapshot["error"]))
    extra = (banner + script).encode()
    at = page.rfind(b"</body>")
    return page + extra if at < 0 else page[:at] + extra + page[at:]


def error_banner(message: str) -> str:
    """The banner a page shows while the content is broken (also built by livereload.js)."""
    return (
        '<div id="paperdigest-build-error" role="alert" style="position:fixed;inset:auto 0 0 0;'
        "z-index:2147483647;max-height:50vh;overflow:auto;margin:0;padding:1rem;"
        "background:#7f1d1d;color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap"
        f'">Build failed; showing the last good build.\n{html.escape(message)}</div>'
    )
