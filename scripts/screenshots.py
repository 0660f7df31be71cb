"""Screenshots of a built site's pages at phone and laptop widths, light and dark.

    python scripts/screenshots.py SITE OUT [PATH ...]

Serves SITE on 127.0.0.1 under its base path (read from its canonical links) and saves
OUT/<page>-<width>-<scheme>.png, and `.top.png` of the first screen, for each PATH (site
paths such as `papers/x/`; by default one page of each kind). Uses Debian's Chromium; it
downloads nothing.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


def base_path(site: Path) -> str:
    """The path the site is built for, from the home page's canonical link."""
    home = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    return urlsplit(found.group(1)).path if found else "/"


def default_paths(site: Path) -> list[str]:
    """One page of each kind: home, archive, the latest digest, a paper, search, the 404."""
    digests = sorted(p.name for p in (site / "digests").iterdir() if p.is_dir())
    papers = sorted(p.name for p in (site / "papers").iterdir() if p.is_dir())
    return ["", "archive/", f"digests/{digests[-1]}/", f"papers/{papers[0]}/",
            "search/?q=language+model", "no-such-page/"]  # fmt: skip


class Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing path with the site's 404 page, as Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):  # type: ignore[override]
        page = Path(self.directory) / self.server.base.strip("/") / "404.html"  # type: ignore[attr-defined]
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def main(site: Path, out: Path, paths: list[str]) -> None:
    """Save the screenshots."""
    base = base_path(site)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root:
        mount = Path(root, base.strip("/")) if base.strip("/") else Path(root)
        if base.strip("/"):
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(site.resolve())
        else:
            root = str(site.resolve())
        handler = functools.partial(Handler, directory=root)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.base = base  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for path in paths:
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:40] or "home"
                for width in WIDTHS:
                    for scheme in SCHEMES:
                        page = browser.new_page(
                            viewport={"width": width, "height": 900}, color_scheme=scheme
                        )
                        page.goto(f"{origin}{base}{path}", wait_until="networkidle")
                        shot = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(shot), full_page=True)
                        # The first screen alone, as a reader sees it on arrival.
                        page.screenshot(path=str(shot.with_suffix(".top.png")))
                        page.close()
                        print(shot)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    site_dir = Path(sys.argv[1])
    main(site_dir, Path(sys.argv[2]), sys.argv[3:] or default_paths(site_dir))
