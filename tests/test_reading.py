"""Every kind of page as a reader gets it, in Debian's Chromium: no accessibility violation
(axe-core) in light and dark at phone and laptop widths, nothing wider than a 320 px
screen, and a search page that does not jump while its results load."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from browser import (
    LAYOUT_SHIFT_OBSERVER,
    axe_violations,
    horizontal_overflow,
    layout_shift,
    static_server,
)
from conftest import REPO
from hf import hf_day, hf_record
from paperdigest.build import BuildOptions, build

pytestmark = pytest.mark.browser
SUBPATH = "/my-digest/"
RICH = r"""We present \textsc{FuseChat-7B}, which improves accuracy by 12\% at $O(n^2)$ cost.
Code is at https://github.com/fanqiwan/FuseChat and the model at
https://huggingface.co/FuseAI/FuseChat-7B-VaRM. It outperforms every source model of its
size on MT-Bench while costing less to serve, as we show in a long series of experiments."""
PAGES = {
    "home": "",
    "archive": "archive/",
    "month": "archive/2025-03/",
    "digest": "digests/2025-03-14/",
    "digest's last page": "digests/2025-03-14/3/",
    "rich digest": "digests/2025-03-15/",
    "paper with versions": "papers/fusechat-knowledge-fusion-of-chat-models-18e04e7f/",
    "paper with an ID": "papers/a-rich-paper-with-an-id-and-links-*/",
    "day without a digest": "digests/2025-03-12/",
    "topics": "topics/",
    "topic": "topics/agents/",
    "topic's month": "topics/agents/2025-03/",
    "search with results": "search/?q=language+model",
    "404": "papers/no-such-paper-abcdef12/",
}
"""One page of each kind, by what it is."""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled dumps and a day of daily papers (IDs, authors, LaTeX, links), served
    under a subpath by a plain static server."""
    root = tmp_path_factory.mktemp("reading")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    day = hf_day(
        hf_record("2503.12345", "A Rich Paper With an ID and Links", " ".join(RICH.split()),
                  day="2025-03-15", authors=[f"Author {n}" for n in range(1, 13)],
                  github="https://github.com/fanqiwan/FuseChat"),
    )  # fmt: skip
    (content / "2025-03-15.json").write_text(day, encoding="utf-8")
    out = root / "www" / SUBPATH.strip("/")
    with static_server(root / "www", not_found_page=out / "404.html") as server:
        url = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
        build(BuildOptions(content=content, out=out, base_url=url))
        pattern = PAGES["paper with an ID"].strip("/").removeprefix("papers/")
        [rich] = [path for path in (out / "papers").glob(pattern) if path.is_dir()]
        PAGES["paper with an ID"] = f"papers/{rich.name}/"
        yield url


def open_page(browser: Browser, url: str, width: int, scheme: str = "light") -> Page:
    """A page at `url` in a fresh context of this width and colour scheme, settled."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.add_init_script(LAYOUT_SHIFT_OBSERVER)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == (404 if "no-such" in url else 200), url
    if "search/?" in url or "no-such-page" in url or "no-such-paper" in url:
        page.wait_for_selector(".pagefind-ui__result-link, .pagefind-ui__message")
        page.wait_for_function("!document.querySelector('.pagefind-ui__loading')")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_page_has_an_accessibility_violation(
    browser: Browser, site_url: str, kind: str, width: int, scheme: str
) -> None:
    page = open_page(browser, site_url + PAGES[kind], width, scheme)
    # Folded parts are checked open too: a digest's abstracts, search's filters.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == [], kind
    page.context.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_nothing_is_wider_than_a_small_phone(browser: Browser, site_url: str, kind: str) -> None:
    page = open_page(browser, site_url + PAGES[kind], 320)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert horizontal_overflow(page) == [], kind
    page.context.close()


@pytest.mark.parametrize("kind", ["digest's last page", "rich digest", "home"])
def test_every_teaser_of_a_list_looks_the_same_whatever_lines_come_before_it(
    browser: Browser, site_url: str, kind: str
) -> None:
    page = open_page(browser, site_url + PAGES[kind], 1280)
    # A teaser is the paragraph before an entry's folded rest, or its last paragraph.
    looks = page.evaluate(
        """() => [...document.querySelectorAll('main article article')].map(entry => {
            const folded = entry.querySelector(':scope > details');
            const ps = entry.querySelectorAll(':scope > p');
            const teaser = folded ? folded.previousElementSibling : ps[ps.length - 1];
            const style = getComputedStyle(teaser);
            return [ps.length, style.fontSize + ' ' + style.color];
        })"""
    )
    assert {lines for lines, _ in looks} != {1}, "some entry should have a line before its teaser"
    assert len({look for _, look in looks}) == 1, looks
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_paper_links_its_entry_on_a_long_digest_and_the_link_lands_there(
    browser: Browser, site_url: str, width: int
) -> None:
    digest = open_page(browser, site_url + PAGES["digest's last page"], width)
    entry = digest.locator("main article article").nth(20)
    slug, title = entry.get_attribute("id"), entry.locator("h3 a")
    title.click()
    digest.wait_for_load_state("networkidle")
    digest.get_by_role("link", name="Friday, 14 March 2025").first.click()
    digest.wait_for_load_state("networkidle")
    assert digest.url.endswith(f"/digests/2025-03-14/3/#{slug}")
    # Wait for two frames: entries off screen are laid out lazily (content-visibility).
    digest.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    top = digest.evaluate(f"document.getElementById({slug!r}).getBoundingClientRect().top")
    assert -2 < top < 100, top  # at the top of the screen, give or take a subpixel
    digest.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_search_page_does_not_move_while_results_load(
    browser: Browser, site_url: str, width: int
) -> None:
    page = open_page(browser, site_url + PAGES["search with results"], width)
    assert page.locator(".pagefind-ui__result-link").count() > 0
    assert layout_shift(page) < 0.02
    page.context.close()


def test_the_search_page_has_one_search_box(browser: Browser, site_url: str) -> None:
    page = open_page(browser, site_url + PAGES["search with results"], 1280)
    boxes = page.locator("input[type=search], input.pagefind-ui__search-input")
    assert boxes.count() == 1 and boxes.first.input_value() == "language model"
    page.context.close()


def test_the_checks_themselves_see_what_they_look_for(browser: Browser) -> None:
    # A page with an unlabelled input, a low-contrast line and a too-wide block.
    page = browser.new_page(viewport={"width": 320, "height": 600})
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><input>'
        '<p style="color:#ccc">faint</p><pre style="white-space:pre">' + "x" * 200 + "</pre>"
    )
    found = " ".join(axe_violations(page))
    assert "label (critical)" in found and "color-contrast (serious)" in found
    assert horizontal_overflow(page) == ["pre."]
    page.close()
