"""Browser-test helpers: a static file server like GitHub Pages, and Debian's Chromium."""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = os.environ.get("PAPERDIGEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class PagesHandler(SimpleHTTPRequestHandler):
    """Serves files like GitHub Pages: a missing path gets the site's own 404.html."""

    not_found_page: Path | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404 and self.not_found_page and self.not_found_page.is_file():
            body = self.not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class QuietServer(ThreadingHTTPServer):
    """Navigating away aborts requests in flight; that is not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def site_root(site: Path, base_path: str, scratch: Path) -> Path:
    """The folder to serve so that `site` lives at its base path, as on GitHub Pages:
    the site itself under `/`, else a folder in `scratch` that links it at the path."""
    if not base_path.strip("/"):
        return site.resolve()
    mount = scratch / base_path.strip("/")
    mount.parent.mkdir(parents=True, exist_ok=True)
    mount.symlink_to(site.resolve(), target_is_directory=True)
    return scratch


@contextmanager
def static_server(root: Path, not_found_page: Path | None = None) -> Iterator[ThreadingHTTPServer]:
    """A real HTTP server for `root` on an ephemeral loopback port, in a thread."""
    handler = type("Handler", (PagesHandler,), {"not_found_page": not_found_page})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


AXE = "axe_playwright_python"
"""The package that bundles axe-core's script (axe.min.js), so nothing is downloaded."""
LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""
"""Sums the page's cumulative layout shift, as Lighthouse counts it, from its first paint."""


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now: `rule (impact): first target`."""
    from importlib.resources import files

    page.add_script_tag(content=(files(AXE) / "axe.min.js").read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
        .map(v => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes[0].target.join(" ")}`)"""
    )
    return list(found)


def horizontal_overflow(page: Page) -> list[str]:
    """The innermost elements that stick out past the viewport or overflow their own box,
    if the page scrolls sideways because of them."""
    found = page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        if (document.scrollingElement.scrollWidth <= width) return [];
        const wide = [...document.querySelectorAll("body *")].filter((e) => {
          const style = getComputedStyle(e);
          if (style.position === "absolute" || style.position === "fixed") return false;
          const spills = style.overflowX === "visible" && e.scrollWidth > e.clientWidth + 1;
          return e.getBoundingClientRect().right > width + 1 || (e.clientWidth > 0 && spills);
        });
        return wide.filter((e) => !wide.some((other) => other !== e && e.contains(other)))
          .slice(0, 5).map((e) => e.tagName.toLowerCase() + "." + e.className);
        }"""
    )
    return list(found)


def layout_shift(page: Page) -> float:
    """The cumulative layout shift so far, on a page opened after `LAYOUT_SHIFT_OBSERVER`."""
    return float(page.evaluate("window.__layoutShift"))
