"""The preview's live reload (livereload.js) in a real browser: pages reload themselves
after a rebuild, and show a banner while the content is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from conftest import digest_text, write_files
from test_serve import CONTENT, serving

pytestmark = pytest.mark.browser


def test_pages_reload_themselves_when_a_digest_is_added(browser: Browser, tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path, "--base-url", "/preview/") as running:
        page = browser.new_page()
        page.goto(running.url)
        expect(page.locator("main h2").first).to_have_text("Latest digest: Friday, 14 March 2025")
        page.evaluate("window.notReloaded = true")
        write_files(
            tmp_path / "content",
            {"2025-03-15.txt": digest_text("Mar 15", ("A Brand New Paper", "Fresh."))},
        )
        expect(page.locator("main h2").first).to_have_text(
            "Latest digest: Saturday, 15 March 2025", timeout=30_000
        )
        assert page.evaluate("window.notReloaded === undefined")  # it really reloaded
        page.goto(running.url + "digests/2025-03-15/")
        expect(page.locator("h1")).to_have_text("Papers of Saturday, 15 March 2025")
        page.close()


def test_a_broken_digest_shows_a_banner_and_the_site_stays_up(
    browser: Browser, tmp_path: Path
) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path) as running:
        page = browser.new_page()
        page.goto(running.url + "archive/")
        banner = page.locator("#paperdigest-build-error")
        expect(banner).to_have_count(0)
        marker = running.wait_for_output(r"^Serving")
        write_files(tmp_path / "content", {"2025-03-16.txt": "Mar 16\n\nCut off\n"})
        expect(banner).to_contain_text(
            "content/2025-03-16.txt:3: the title 'Cut off' has no abstract",
            timeout=30_000,
        )
        running.wait_for_output(r"still serving the last good build", after=marker)
        # Other pages still come from the last good build, and say it is broken.
        page.goto(running.url + "digests/2025-03-14/")
        expect(page.locator("h1")).to_have_text("Papers of Friday, 14 March 2025")
        expect(banner).to_be_visible()
        (tmp_path / "content" / "2025-03-16.txt").write_text(
            digest_text("Mar 16", ("A title cut off", "Now with its abstract."))
        )
        expect(banner).to_have_count(0, timeout=30_000)
        page.goto(running.url + "digests/2025-03-16/")
        expect(page.locator("h1")).to_have_text("Papers of Sunday, 16 March 2025")
        page.close()
