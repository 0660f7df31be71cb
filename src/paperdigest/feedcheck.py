"""`paperdigest check`'s rules for the feeds, their OPML list and the sitemap.

Each feed must be well-formed RSS 2.0 that follows the W3C feed validator's rules, and
every item and sitemap URL must be a page of the site.
"""

from __future__ import annotations

import gzip
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from .urls import FEED, OPML, SITEMAP, SITEMAP_URLS, TOPICS, site_file

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_HTML_TAG = re.compile(r"<[a-zA-Z/!]")


def feed_file_problems(site: Path, base_url: str) -> list[str]:
    """The problems of the site's feeds: its own, and each feed `feeds.opml` lists (a
    topic's), whose channel must link the page the list names; a topic's feed that the
    list leaves out is a problem too."""
    base_path = urlsplit(base_url).path
    feeds = {FEED: base_url}
    problems: list[str] = []
    if (site / OPML).is_file():
        listed, problems = opml_feeds(site, base_url)
        feeds |= listed
    for path in sorted(site.glob(f"{TOPICS}/*/{FEED}")):
        name = path.relative_to(site).as_posix()
        if name not in feeds:
            problems.append(f"{name}: a feed that {OPML} does not list")
    pages: dict[Path, str] = {}  # a topic's month page is the link of many items
    for name, page in feeds.items():
        found = feed_problems(site / name, base_url, page)
        problems += [f"{name}: {problem}" for problem in found]
        if found:
            continue
        for link in ElementTree.parse(site / name).iterfind("channel/item/link"):
            url = urlsplit(link.text or "")
            target = site_file(site, link.text or "", base_path)
            if url.netloc != urlsplit(base_url).netloc or target is None or not target.is_file():
                problems.append(f"{name}: item link {link.text} does not exist")
                continue
            if not url.fragment:
                continue
            if target not in pages:
                pages[target] = target.read_text(encoding="utf-8", errors="replace")
            if f'id="{url.fragment}"' not in pages[target]:
                problems.append(f"{name}: item link {link.text} points at no part of its page")
    return problems


def opml_feeds(site: Path, base_url: str) -> tuple[dict[str, str], list[str]]:
    """The feeds `feeds.opml` lists, as {site path: the page it is the feed of}, and its
    problems: every outline must name a feed of this site by its absolute URL."""
    try:
        root = ElementTree.parse(site / OPML).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        return {}, [f"{OPML}: not well-formed XML: {exc}"]
    if root.tag != "opml" or root.get("version") != "2.0" or root.find("body") is None:
        return {}, [f"{OPML}: not an OPML 2.0 document"]
    feeds, problems = {}, []
    for outline in root.iter("outline"):
        url, page = outline.get("xmlUrl") or "", outline.get("htmlUrl") or ""
        target = site_file(site, url, urlsplit(base_url).path)
        if not url.startswith(base_url) or target is None or not target.is_file():
            problems.append(f"{OPML}: feed {url!r} is not a feed of this site")
        elif not (outline.get("text") or "").strip() or outline.get("type") != "rss":
            problems.append(f"{OPML}: feed {url} needs text and type=rss")
        else:
            feeds[target.relative_to(site).as_posix()] = page
    if FEED not in feeds:
        problems.append(f"{OPML}: the site's own feed is missing")
    return feeds, problems


def feed_problems(feed: Path, base_url: str, page: str = "") -> list[str]:
    """The ways a feed breaks RSS 2.0 or the W3C feed validator's rules; its channel
    must link `page` (by default the site)."""
    try:
        root = ElementTree.parse(feed).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        return [f"not well-formed XML: {exc}"]
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return ["not an RSS 2.0 document"]
    problems = []
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            problems.append(f"the channel has no {required}")
    if _has_markup(channel.find("title")):
        problems.append("HTML in the channel title")
    if channel.findtext("link") != (page or base_url):
        problems.append(f"the channel link should be {page or base_url}")
    self_links = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if len(self_links) != 1 or not (self_links[0].get("href") or "").startswith(base_url):
        problems.append('expected one atom:link rel="self" pointing at the feed')
    problems.extend(_date_problems("lastBuildDate", channel.findtext("lastBuildDate")))
    guids = set()
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number}"
        title = item.findtext("title") or ""
        if not title.strip():
            problems.append(f"{where}: no title")
        if _has_markup(item.find("title")):
            problems.append(f"{where}: HTML in the title")
        link = item.findtext("link") or ""
        if not link.startswith(base_url):
            problems.append(f"{where}: link {link!r} is not an absolute URL under {base_url}")
        guid = item.find("guid")
        text = (guid.text or "").strip() if guid is not None else ""
        if guid is None or not text:
            problems.append(f"{where}: no guid")
        else:
            permalink = guid.get("isPermaLink", "true") == "true"
            if permalink and not text.startswith(("http://", "https://")):
                problems.append(f"{where}: a permalink guid must be a full URL")
            if text in guids:
                problems.append(f"{where}: guid {text} is used twice")
            guids.add(text)
        problems.extend(
            f"{where}: {p}" for p in _date_problems("pubDate", item.findtext("pubDate"))
        )
        description = item.findtext("description") or ""
        for href in re.findall(r'(?:href|src)="([^"]*)"', description):
            if not urlsplit(href).scheme:
                problems.append(f"{where}: relative URL {href!r} in the description")
    return problems


def _has_markup(title: ElementTree.Element | None) -> bool:
    """Whether a title holds HTML, escaped as text or as elements inside it."""
    if title is None:
        return False
    return len(title) > 0 or bool(_HTML_TAG.search("".join(title.itertext())))


def _date_problems(name: str, value: str | None) -> list[str]:
    if not value:
        return [f"no {name}"]
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return [f"{name} {value!r} is not an RFC 822 date"]
    if parsed.tzinfo is None:
        return [f"{name} {value!r} has no time zone"]
    return []


def sitemap_problems(site: Path, base_url: str) -> list[str]:
    """Sitemap URLs that are not pages of the site or have no `lastmod` date.

    A large site's `sitemap.xml` is an index; each part it names is checked the same way,
    and must be a file of the site listing at most 50,000 URLs.
    """
    base_path = urlsplit(base_url).path
    root, problems = _sitemap_root(site / SITEMAP, SITEMAP)
    if root is None or root.tag != f"{SITEMAP_NS}sitemapindex":
        urls = [] if root is None else _url_problems(root, SITEMAP, site, base_url)
        return problems + urls
    for part in root.iter(f"{SITEMAP_NS}sitemap"):
        loc = part.findtext(f"{SITEMAP_NS}loc") or ""
        target = site_file(site, loc, base_path)
        if not loc.startswith(base_url) or target is None or not target.is_file():
            problems.append(f"{SITEMAP}: part {loc} does not exist")
            continue
        name = target.relative_to(site).as_posix()
        part_root, part_problems = _sitemap_root(target, name)
        problems += part_problems
        if part_root is not None:
            problems += _url_problems(part_root, name, site, base_url)
    return problems


def _sitemap_root(path: Path, name: str) -> tuple[ElementTree.Element | None, list[str]]:
    try:
        data = path.read_bytes()
        return ElementTree.fromstring(gzip.decompress(data) if name.endswith(".gz") else data), []
    except (OSError, EOFError, ElementTree.ParseError) as exc:  # gzip's errors are OSErrors
        return None, [f"{name}: not well-formed XML: {exc}"]


def _url_problems(root: ElementTree.Element, name: str, site: Path, base_url: str) -> list[str]:
    problems = []
    urls = list(root.iter(f"{SITEMAP_NS}url"))
    if len(urls) > SITEMAP_URLS:
        problems.append(f"{name}: {len(urls):,} URLs; search engines read at most {SITEMAP_URLS:,}")
    base_path = urlsplit(base_url).path
    for url in urls:
        loc = url.findtext(f"{SITEMAP_NS}loc") or ""
        lastmod = url.findtext(f"{SITEMAP_NS}lastmod") or ""
        target = site_file(site, loc, base_path)
        if not loc.startswith(base_url) or target is None or not target.is_file():
            problems.append(f"{name}: {loc} does not exist")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod):
            problems.append(f"{name}: {loc} has no lastmod date")
    return problems
