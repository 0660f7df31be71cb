"""Screenshots of a built site's pages at phone and laptop widths, light and dark.

    python scripts/screenshots.py SITE OUT [PATH ...]

Serves SITE on 127.0.0.1 under its base path (read from its canonical links) and saves
OUT/<page>-<width>-<scheme>.png, and `.top.png` of the first screen, for each PATH (site
paths such as `papers/x/`; by default one page of each kind). Uses Debian's Chromium; it
downloads nothing.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser tests' server and browser settings
sys.path.insert(0, str(REPO / "scripts"))

from audit import base_path, page_kinds  # noqa: E402

from browser import CHROMIUM, CHROMIUM_ARGS, site_root, static_server  # noqa: E402

WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


def main(site: Path, out: Path, paths: list[str]) -> None:
    """Save the screenshots."""
    base = base_path(site)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        root = site_root(site, base, Path(scratch))
        with static_server(root, not_found_page=site / "404.html") as server:
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    site_dir = Path(sys.argv[1])
    main(site_dir, Path(sys.argv[2]), sys.argv[3:] or list(page_kinds(site_dir).values()))
