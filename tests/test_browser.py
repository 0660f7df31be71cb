"""Search in a real headless Chromium, on the built site served under a subpath."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from browser import static_server
from conftest import REPO
from hf import hf_day, hf_record
from paperdigest.build import BuildOptions, build

pytestmark = pytest.mark.browser
SUBPATH = "/my-digest/"


APRIL = hf_day(
    hf_record("2504.00001", "An April Paper on Language", "Language models in April.",
              day="2025-04-01"),
    hf_record("2504.00002", "Another April Paper", "More language, later.", day="2025-04-01"),
)  # fmt: skip
"""A day in a second month, so that the month filter has two values."""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled site and a day of April, built for and served under /my-digest/ by a
    plain static server."""
    root = tmp_path_factory.mktemp("www")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    (content / "2025-04-01.json").write_text(APRIL, encoding="utf-8")
    out = root / "www" / SUBPATH.strip("/")
    with static_server(root / "www", not_found_page=out / "404.html") as server:
        url = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
        build(BuildOptions(content=content, out=out, base_url=url))
        yield url


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    """A fresh page that fails the test if anything is requested from outside the site."""
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(site_url) else outside.append(r.url))
    yield page
    context.close()
    assert outside == [], f"requests left the site: {outside}"


def result_titles(page: Page) -> list[str]:
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def result_count(page: Page) -> int:
    message = page.locator(".pagefind-ui__message").inner_text()
    match = re.match(r"(\d+) results? for", message)
    assert match, message
    return int(match.group(1))


def test_searching_fusechat_puts_its_page_first(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=FuseChat")
    first = page.locator(".pagefind-ui__result-link").first
    expect(first).to_have_text("FuseChat: Knowledge Fusion of Chat Models")
    href = first.get_attribute("href")
    assert href and href.startswith(f"{SUBPATH}papers/fusechat-knowledge-fusion-of-chat-models-")
    first.click()
    expect(page.locator("h1")).to_have_text("FuseChat: Knowledge Fusion of Chat Models")
    assert page.url == f"{site_url}{href.removeprefix(SUBPATH)}"


def test_a_filter_narrows_the_results(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=language")
    expect(page.locator(".pagefind-ui__message")).to_contain_text("results for language")
    everything = result_count(page)
    april = page.locator(".pagefind-ui__filter-label", has_text="2025-04")
    expect(april).to_be_attached()  # filters load after results; opening them earlier can be undone
    page.locator(".pagefind-ui__filter-name", has_text="Month").click()
    april.click()
    expect(page.locator(".pagefind-ui__message")).not_to_have_text(
        f"{everything} results for language"
    )
    narrowed = result_count(page)
    assert 0 < narrowed < everything
    dates = page.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert dates and set(dates) == {"First seen: Tuesday, 1 April 2025"}


def test_the_topic_filter_keeps_only_that_topics_papers(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=language")
    expect(page.locator(".pagefind-ui__message")).to_contain_text("results for language")
    everything = result_count(page)
    # A name with a space: its value has a no-break space, so that ids stay valid.
    diffusion = page.locator(".pagefind-ui__filter-label", has_text="Diffusion")
    expect(diffusion).to_be_attached()
    page.locator(".pagefind-ui__filter-name", has_text="Topic").click()
    diffusion.click()
    expect(page.locator(".pagefind-ui__message")).not_to_have_text(
        f"{everything} results for language"
    )
    assert 0 < result_count(page) < everything
    # The first result is on the topic: its page lists it.
    page.locator(".pagefind-ui__result-link").first.click()
    expect(page.locator("main p", has_text="Topics:")).to_contain_text("Diffusion models")


def test_results_can_be_ordered_by_date(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=merging&order=asc")
    first = page.locator(".pagefind-ui__result-tag").first
    expect(first).to_have_text("First seen: Tuesday, 11 March 2025")
    page.select_option("#search-sort", "desc")  # reloads the page
    expect(first).to_have_text("First seen: Friday, 14 March 2025")
    assert "order=desc" in page.url


def test_the_header_search_box_on_any_page_finds_papers(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}archive/")
    page.get_by_role("searchbox", name="Search papers").fill("FuseChat")
    page.get_by_role("searchbox", name="Search papers").press("Enter")
    expect(page.locator(".pagefind-ui__result-link").first).to_have_text(
        "FuseChat: Knowledge Fusion of Chat Models"
    )
    assert page.url.startswith(f"{site_url}search/?q=FuseChat")


def test_a_missing_page_is_styled_and_searches_for_its_address(page: Page, site_url: str) -> None:
    response = page.goto(f"{site_url}papers/fusechat-knowledge/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator(".pagefind-ui__result-link").first).to_have_text(
        "FuseChat: Knowledge Fusion of Chat Models"
    )
    # The stylesheet loaded from the subpath even at this arbitrary depth.
    padding = page.evaluate("getComputedStyle(document.querySelector('main')).paddingLeft")
    assert padding != "0px"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import digest_text, write_files
    from test_hostile import HOSTILE

    root = tmp_path_factory.mktemp("hostile-www")
    out = root / SUBPATH.strip("/")
    entries = [(f"{text} alert", f"Abstract: {text}.") for text in HOSTILE]
    content = write_files(
        root.parent / f"{root.name}-content",
        {"2025-03-14.txt": digest_text("Mar 14", *entries)},
    )
    with static_server(root, not_found_page=out / "404.html") as server:
        url = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
        build(BuildOptions(content=content, out=out, base_url=url))
        yield url


def test_hostile_titles_in_search_results_stay_text(browser: Browser, hostile_url: str) -> None:
    from test_hostile import HOSTILE

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_url}search/?q=alert")
    expect(page.locator(".pagefind-ui__message")).to_contain_text(f"{len(HOSTILE)} results")
    page.locator(".pagefind-ui__result-link").nth(9).wait_for()
    page.get_by_role("button", name="Load more results").click()  # ten to a page
    page.locator(".pagefind-ui__result-link").nth(len(HOSTILE) - 1).wait_for()
    titles = set(result_titles(page))
    assert titles == {f"{text} alert" for text in HOSTILE}
    # Excerpts show exactly what each abstract says, entities such as &#x3C; included.
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert {" ".join(e.split()) for e in excerpts} == {
        " ".join(f"Abstract: {text}.".split()) for text in HOSTILE
    }
    results = page.locator(".pagefind-ui__results")
    for tag in ("script", "img", "iframe", "svg", "style"):
        assert results.locator(tag).count() == 0, tag
    for paper in range(3):
        page.locator(".pagefind-ui__result-link").nth(paper).click()
        page.go_back()
    # Dialogs open in order, so one a hostile title opened would come before this one.
    with page.expect_event("dialog"):
        page.evaluate("setTimeout(() => alert('sentinel'))")
    assert dialogs == ["sentinel"]
    page.close()


def test_mathml_in_an_abstract_renders_as_math(browser: Browser, tmp_path: Path) -> None:
    from conftest import digest_text, write_files

    abstract = r"We bound it by $\frac{n^2}{\log n}$ and $\mathcal{O}(\alpha_k)$ steps. It holds."
    content = write_files(
        tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("Math Paper", abstract))}
    )
    root = tmp_path / "www"
    with static_server(root) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        build(BuildOptions(content=content, out=root, base_url=url, search=False))
        page = browser.new_page()
        slug = next((root / "papers").glob("*/index.html")).parent.name
        page.goto(f"{url}papers/{slug}/")
        formulas = page.locator("math")
        expect(formulas).to_have_count(2)
        for index in range(2):
            box = formulas.nth(index).bounding_box()
            assert box is not None and box["height"] > 5 and box["width"] > 5
        shown = page.locator("main").inner_text()
        assert "$" not in shown and "\\" not in shown and "frac" not in shown
        page.close()
