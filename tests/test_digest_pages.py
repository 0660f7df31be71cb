"""A long digest's HTML in pages: every paper on exactly one, in the day's order."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from paperdigest.config import SiteConfig
from paperdigest.plan.digest_pages import DigestPage, DigestPart, digest_pages
from paperdigest.plan.views import Listed

DAY = date(2025, 3, 14)


def day_of(new_flags: list[bool]) -> DigestPage:
    """A digest listing one paper per flag, new on DAY or first seen the day before."""
    papers = tuple(
        Listed(f"paper-{i:03d}-abcdef12", f"Paper {i}", DAY if new else date(2025, 3, 13),
               abstract=f"Abstract {i}. It goes on.")
        for i, new in enumerate(new_flags)
    )  # fmt: skip
    return DigestPage(DAY, papers, date(2025, 3, 13), None)


def shown_slugs(page: DigestPage | DigestPart) -> list[str]:
    """The slugs a page's HTML shows, in its order."""
    context = page.context()
    return [item["slug"] for item in context["shown_new"] + context["shown_seen"]]


@given(st.lists(st.booleans(), min_size=1, max_size=60), st.integers(10, 30))
def test_every_paper_is_on_exactly_one_page_new_ones_first(flags: list[bool], size: int) -> None:
    day = day_of(flags)
    pages = list(digest_pages(day, SiteConfig(digest_page_papers=size)))
    assert len(pages) == math.ceil(len(flags) / size)
    new_first = [p.slug for p in day.papers if p.first_seen == DAY]
    new_first += [p.slug for p in day.papers if p.first_seen != DAY]
    shown = [shown_slugs(page) for page in pages]
    assert [slug for part in shown for slug in part] == new_first
    assert all(len(part) == size for part in shown[:-1]) and 0 < len(shown[-1]) <= size
    assert [page.name for page in pages] == ["digests/2025-03-14"] + [
        f"digests/2025-03-14/{n}" for n in range(2, len(pages) + 1)
    ]
    # The first page's twin lists the whole day; the later pages have no twin.
    assert len(pages[0].context()["papers"]) == len(flags)
    assert all(isinstance(page, DigestPart) and not page.twin for page in pages[1:])
    for number, page in enumerate(pages, start=1):
        context = page.context()
        links = context["pages"]
        assert len(links) == (len(pages) if len(pages) > 1 else 0)
        assert [link["current"] for link in links] == [
            n == number for n in range(1, len(links) + 1)
        ]
        assert context["count"] == len(flags) and context["part"] == number


def test_a_day_of_exactly_one_page_is_not_split_and_one_more_paper_is() -> None:
    site = SiteConfig(digest_page_papers=10)
    [whole] = digest_pages(day_of([True] * 10), site)
    assert whole.page_papers == 0 and whole.context()["pages"] == []
    first, second = digest_pages(day_of([True] * 10 + [False]), site)
    labels = [link["label"] for link in first.context()["pages"]]
    assert labels == ["1–10", "11"]
    assert isinstance(second, DigestPart)
    assert second.title == "Papers of Friday, 14 March 2025, page 2"
    assert second.description == "Paper 11 of the 11 listed on Friday, 14 March 2025."
    context = second.context()
    assert context["seen_goes_on"] is False and context["new_goes_on"] is True
    assert [item["slug"] for item in context["shown_seen"]] == ["paper-010-abcdef12"]
