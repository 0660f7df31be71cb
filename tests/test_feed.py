"""The RSS feed as a feed reader sees it (feedparser), the W3C rules, the sitemap, robots."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from conftest import REPO, digest_text, find_all, parse_html
from hf import hf_day, hf_record
from paperdigest.build import BuildOptions, BuildReport, build
from paperdigest.check import check_site
from paperdigest.feedcheck import feed_problems
from paperdigest.plan import files

Builder = Callable[..., tuple[BuildReport, Path]]
BASE = "https://user.github.io/repo/"
DAYS = {
    f"2025-03-{day:02}.txt": digest_text(
        f"Mar {day}",
        (f"Paper of day {day}", f"Abstract <b>{day}</b> & more, see https://x.org/{day}."),
        ("Recurring Paper", f"Version {day}."),
    )
    for day in (10, 11, 12)
}


def feed_of(site: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_feed_parses_as_rss2_with_self_link_and_content_dates(make_site: Builder) -> None:
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\ntitle: T & Co\n"})
    feed = feed_of(site)
    assert feed.version == "rss20"
    assert feed.feed.title == "T & Co"
    assert feed.feed.link == BASE
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{BASE}feed.xml"]
    assert feed.feed.updated == "Wed, 12 Mar 2025 00:00:00 GMT"
    assert feed_problems(site / "feed.xml", BASE) == []


def test_items_are_digests_newest_first_with_permalink_guids_and_utc_dates(
    make_site: Builder,
) -> None:
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\n"})
    entries = feed_of(site).entries
    guids = ElementTree.parse(site / "feed.xml").getroot().iterfind("channel/item/guid")
    assert {guid.get("isPermaLink") for guid in guids} == {"true"}
    assert [e.title for e in entries] == [
        "Wednesday, 12 March 2025: 2 papers, 1 new",
        "Tuesday, 11 March 2025: 2 papers, 1 new",
        "Monday, 10 March 2025: 2 papers, 2 new",
    ]
    for entry, day in zip(entries, (12, 11, 10), strict=True):
        assert entry.link == f"{BASE}digests/2025-03-{day}/"
        assert entry.id == entry.link
        assert parsedate_to_datetime(entry.published) == datetime(2025, 3, day, tzinfo=UTC)


def test_item_html_links_papers_absolutely_and_escapes_abstracts(make_site: Builder) -> None:
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\n"})
    entry = feed_of(site).entries[0]
    tree = parse_html(entry.summary)
    links = [a.get("href") for a in find_all(tree, "a")]
    assert links[0].startswith(f"{BASE}papers/paper-of-day-12-")
    assert "https://x.org/12" in links
    assert all(link.startswith(("https://", "http://")) for link in links)
    text = "".join(tree.itertext())
    assert "Abstract <b>12</b> & more" in text  # the content's markup stays text
    assert find_all(tree, "b") == []
    # A paper seen in an earlier item is listed by its title alone.
    assert "Recurring Paper" in text and "Version" not in text
    assert links[-1].startswith(f"{BASE}papers/recurring-paper-")


def test_a_new_papers_teaser_is_its_first_sentence_and_its_authors_are_named(
    make_site: Builder,
) -> None:
    long = "We study a question at length. " + "It has many parts, each of them hard. " * 10
    day = hf_day(hf_record("2503.00001", "A Long One", long, day="2025-03-12",
                           authors=["A. One", "B. Two", "C. Three", "D. Four"]))  # fmt: skip
    _, site = make_site({"site.yml": f"base_url: {BASE}\n", "2025-03-12.json": day})
    [entry] = feed_of(site).entries
    text = " ".join("".join(parse_html(entry.summary).itertext()).split())
    by = "By A. One, B. Two, C. Three and 1 more."
    assert text == f"1 new paper: A Long One {by} We study a question at length."


def test_the_largest_bundled_day_is_a_small_item(tmp_path: Path) -> None:
    # 272 papers, 235 of them new: every abstract of the day made one item 500 KB.
    build(BuildOptions(content=REPO / "content", out=tmp_path / "site", search=False))
    items = (tmp_path / "site/feed.xml").read_bytes().split(b"<item>")[1:]
    assert max(len(item) for item in items) < 90_000


def test_feed_carries_the_latest_feed_items_digests(make_site: Builder) -> None:
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\nfeed_items: 2\n"})
    assert [e.title for e in feed_of(site).entries] == [
        "Wednesday, 12 March 2025: 2 papers, 1 new",
        "Tuesday, 11 March 2025: 2 papers, 1 new",
    ]


def test_adding_a_digest_never_changes_existing_items(make_site: Builder) -> None:
    config = {"site.yml": f"base_url: {BASE}\n"}
    _, site = make_site({**DAYS, **config})
    before = {e.id: (e.published, e.summary, e.title) for e in feed_of(site).entries}
    later = digest_text("Mar 13", ("Recurring Paper", "A revised abstract."), ("New", "n"))
    _, site = make_site({**DAYS, **config, "2025-03-13.txt": later})
    after = {e.id: (e.published, e.summary, e.title) for e in feed_of(site).entries}
    assert set(after) == set(before) | {f"{BASE}digests/2025-03-13/"}
    for guid, item in before.items():
        assert after[guid] == item


def test_feed_problems_catches_what_the_w3c_validator_would(tmp_path: Path) -> None:
    bad = tmp_path / "feed.xml"
    bad.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{BASE}feed.xml</link><description>d</description>"
        "<item><title>&lt;b&gt;x&lt;/b&gt;</title><link>/relative/</link>"
        "<guid>not-a-url</guid><pubDate>2024-13-45</pubDate>"
        '<description>&lt;a href="/x/"&gt;x&lt;/a&gt;</description></item>'
        "</channel></rss>"
    )
    assert feed_problems(bad, BASE) == [
        f"the channel link should be {BASE}",
        'expected one atom:link rel="self" pointing at the feed',
        "no lastBuildDate",
        "item 1: HTML in the title",
        f"item 1: link '/relative/' is not an absolute URL under {BASE}",
        "item 1: a permalink guid must be a full URL",
        "item 1: pubDate '2024-13-45' is not an RFC 822 date",
        "item 1: relative URL '/x/' in the description",
    ]


def test_sitemap_lists_every_page_absolutely_with_lastmod(make_site: Builder) -> None:
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\n"})
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {
        u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod")
        for u in ElementTree.parse(site / "sitemap.xml").getroot()
    }
    pages = [p for p in site.rglob("index.html") if p.parent.name != "search"]
    assert len(urls) == len(pages) == 2 + 1 + 3 + 4  # home, archive and March, digests, papers
    assert urls[BASE] == "2025-03-12"
    recurring = next(u for u in urls if "/papers/recurring-paper-" in u)
    assert urls[recurring] == "2025-03-12"  # its latest digest
    assert urls[f"{BASE}digests/2025-03-10/"] == "2025-03-10"
    assert (site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )


def test_a_site_with_more_pages_than_a_sitemap_may_list_gets_an_index_of_parts(
    make_site: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 50,000 URLs is the protocol's limit; four stands in for it so the site stays small.
    monkeypatch.setattr(files, "SITEMAP_URLS", 4)
    _, site = make_site({**DAYS, "site.yml": f"base_url: {BASE}\n"})
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    parts = {s.findtext(f"{ns}loc"): s.findtext(f"{ns}lastmod") for s in index}
    assert parts == {
        f"{BASE}sitemaps/1.xml.gz": "2025-03-12",  # home, archive, two digests
        f"{BASE}sitemaps/2.xml.gz": "2025-03-12",
        f"{BASE}sitemaps/3.xml.gz": "2025-03-12",  # the ninth and tenth pages
    }
    listed = [
        u.findtext(f"{ns}loc")
        for n in (1, 2, 3)
        for u in ElementTree.fromstring(
            gzip.decompress((site / f"sitemaps/{n}.xml.gz").read_bytes())
        )
    ]
    assert len(listed) == len(set(listed)) == 10 and listed[:2] == [BASE, f"{BASE}archive/"]
    assert check_site(site).problems == []
    # `check` reads the parts: a part that is gone, or lists a missing page, is named.
    text = gzip.decompress((site / "sitemaps/2.xml.gz").read_bytes()).decode()
    (site / "sitemaps/2.xml.gz").write_bytes(
        gzip.compress(text.replace("/papers/", "/gone/", 1).encode())
    )
    (site / "sitemaps/3.xml.gz").unlink()
    problems = check_site(site).problems
    assert f"sitemap.xml: part {BASE}sitemaps/3.xml.gz does not exist" in problems
    assert any(p.startswith(f"sitemaps/2.xml.gz: {BASE}gone/") for p in problems)
