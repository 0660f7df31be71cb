"""Audit a built site as its readers get it, and print a Markdown table.

    python scripts/audit.py SITE [--no-lighthouse] [--page KIND=PATH ...]

For one page of each kind (found in SITE, or given), served as GitHub Pages serves it (on
127.0.0.1, gzip-compressed, under the site's base path, with its 404 page): Lighthouse's
four scores in mobile and desktop emulation; axe-core's violations at 375 and 1280 px in
light and dark; the Nu HTML Checker's errors on the rendered page; the layout shift; and
whether anything is wider than a 320 px screen. Lighthouse and the Nu
checker come from npm (`npm ci --prefix scripts/audit`; the checker needs Java) and
Lighthouse runs Debian's Chromium; nothing downloads a browser.
`make audit` does the setup and runs this on the bundled site.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import mimetypes
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser tests' own measures, not a copy

from browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    LAYOUT_SHIFT_OBSERVER,
    PagesHandler,
    QuietServer,
    axe_violations,
    horizontal_overflow,
    layout_shift,
    site_root,
)

NODE_MODULES = REPO / "scripts" / "audit" / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml",
              "image/svg+xml", "application/wasm")  # fmt: skip


class CompressingHandler(PagesHandler):
    """GitHub Pages' way: text gzip-compressed when the browser asks, a 10-minute cache."""

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header(
            "Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else "")
        )
        if kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)


def base_path(site: Path) -> str:
    """The path the site was built for, from its home page's canonical link."""
    home = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    return urlsplit(found.group(1)).path if found else "/"


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind in the site, by what it is."""
    digests = sorted(p.name for p in (site / "digests").iterdir() if p.is_dir())
    published = [d for d in digests if (site / "digests" / f"{d}.md").is_file()]
    missing = [d for d in digests if d not in published]
    months = sorted(p.name for p in (site / "archive").iterdir() if p.is_dir())
    papers = sorted(p for p in (site / "papers").iterdir() if p.is_dir())
    # The paper with the most to show: the largest page.
    paper = max(papers, key=lambda p: (p / "index.html").stat().st_size).name
    kinds = {
        "home": "",
        "archive": "archive/",
        "month": f"archive/{months[-1]}/",
        "digest": f"digests/{published[-1]}/",
        **_later_pages(site, published),
        "paper": f"papers/{paper}/",
        "search": "search/?q=language+model",
        "404": "papers/no-such-paper-abcdef12/",
        "404 as a file": "404.html",  # Lighthouse audits no page answered with 404
    }
    if missing:
        kinds["day without a digest"] = f"digests/{missing[0]}/"
    topics = sorted(p for p in (site / "topics").glob("*/") if p.is_dir())
    if topics:
        # The topic with the most papers: its month page is the longest.
        topic = max(topics, key=lambda p: sum(f.stat().st_size for f in p.rglob("index.html")))
        month = sorted(p.name for p in topic.iterdir() if p.is_dir())[-1]
        kinds["topics"] = "topics/"
        kinds["topic"] = f"topics/{topic.name}/"
        kinds["topic's month"] = f"topics/{topic.name}/{month}/"
    return kinds


def browser_checks(origin: str, kinds: dict[str, str], rendered: Path) -> dict[str, dict[str, str]]:
    """axe at 2 widths × 2 schemes, layout shift, overflow at 320 px; rendered DOMs saved."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict[str, str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, path in kinds.items():
            row: dict[str, str] = {}
            violations: list[str] = []
            shifts = []
            for width in (375, 1280):
                for scheme in ("light", "dark"):
                    context = browser.new_context(
                        viewport={"width": width, "height": 800}, color_scheme=scheme
                    )
                    page = context.new_page()
                    page.add_init_script(LAYOUT_SHIFT_OBSERVER)
                    response = page.goto(origin + path, wait_until="networkidle")
                    row["status"] = str(response.status if response else "?")
                    if page.locator("#search").count():
                        page.wait_for_selector(".pagefind-ui__message", timeout=30_000)
                        page.wait_for_function("!document.querySelector('.pagefind-ui__loading')")
                    if scheme == "light":
                        shifts.append(layout_shift(page))
                    if (width, scheme) == (1280, "light"):
                        name = re.sub(r"\W+", "-", kind) + ".html"
                        (rendered / name).write_text(page.content(), encoding="utf-8")
                    page.evaluate(
                        "document.querySelectorAll('details').forEach(d => d.open = true)"
                    )
                    violations += [f"{width}/{scheme}: {v}" for v in axe_violations(page)]
                    context.close()
            page = browser.new_page(viewport={"width": 320, "height": 800})
            page.goto(origin + path, wait_until="networkidle")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            overflow = horizontal_overflow(page)
            page.close()
            row["axe"] = str(len(violations)) if not violations else "; ".join(violations)
            row["layout shift"] = " / ".join(f"{s:.3f}" for s in shifts)
            row["320 px"] = "fits" if not overflow else "wider: " + ", ".join(overflow)
            rows[kind] = row
        browser.close()
    return rows


def nu_errors(rendered: Path) -> dict[str, str]:
    """The Nu HTML Checker's errors on each rendered page (vnu.jar from npm's vnu-jar)."""
    files = sorted(rendered.glob("*.html"))
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    found: dict[str, list[str]] = {file.name: [] for file in files}
    for message in messages:
        name = Path(unquote(urlsplit(message.get("url", "")).path)).name
        found.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return {
        name: str(len(errors)) if not errors else "; ".join(errors)
        for name, errors in found.items()
    }


def _later_pages(site: Path, published: list[str]) -> dict[str, str]:
    """The last page of the longest digest, if its HTML goes on in pages."""
    paged = [day for day in published if (site / "digests" / day / "2").is_dir()]
    if not paged:
        return {}
    day = max(paged, key=lambda d: len(list((site / "digests" / d).glob("*/index.html"))))
    last = max(int(p.parent.name) for p in (site / "digests" / day).glob("*/index.html"))
    return {"digest's last page": f"digests/{day}/{last}/"}


def lighthouse(url: str, desktop: bool) -> str:
    """Lighthouse's four scores for one page, as `P/A/BP/SEO`."""
    command = [
        str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
    ] + (["--preset=desktop"] if desktop else [])  # fmt: skip
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if done.returncode != 0:
        return "failed: " + done.stderr.strip().splitlines()[-1][:80] if done.stderr else "failed"
    report = json.loads(done.stdout)
    return "/".join(str(round(100 * report["categories"][c]["score"])) for c in CATEGORIES)


def main() -> None:
    """Audit the site and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--page", action="append", default=[], metavar="KIND=PATH")
    args = parser.parse_args()
    site: Path = args.site.resolve()
    base = base_path(site)
    kinds = dict(item.split("=", 1) for item in args.page) or page_kinds(site)
    with tempfile.TemporaryDirectory() as scratch:
        root = site_root(site, base, Path(scratch, "www"))
        handler = type("Handler", (CompressingHandler,), {"not_found_page": site / "404.html"})
        server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_address[1]}{base}"
        rendered = Path(scratch, "rendered")
        rendered.mkdir()
        rows = browser_checks(origin, kinds, rendered)
        nu = nu_errors(rendered)
        for kind in kinds:
            rows[kind]["Nu errors"] = nu.get(re.sub(r"\W+", "-", kind) + ".html", "?")
            if args.no_lighthouse:
                continue
            if rows[kind]["status"] != "200":  # Lighthouse refuses such a page: see "404 as a file"
                rows[kind]["Lighthouse mobile"] = rows[kind]["Lighthouse desktop"] = "not run"
                continue
            rows[kind]["Lighthouse mobile"] = lighthouse(origin + kinds[kind], desktop=False)
            rows[kind]["Lighthouse desktop"] = lighthouse(origin + kinds[kind], desktop=True)
        server.shutdown()
    columns = ["page", *rows[next(iter(rows))].keys()]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for kind, row in rows.items():
        print("| " + " | ".join([f"{kind} (`{kinds[kind] or '/'}`)", *row.values()]) + " |")
    print()
    print("Lighthouse: performance/accessibility/best practices/SEO. axe: violations at "
          "375 and 1280 px, light and dark. Layout shift: 375 px / 1280 px.")  # fmt: skip


if __name__ == "__main__":
    main()
