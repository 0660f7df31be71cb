"""site.yml: defaults for every key, unknown keys refused, every problem reported at once."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from conftest import error_lines
from paperdigest.config import SiteConfig, load_config, parse_config, with_base_url
from paperdigest.errors import ContentError, ContentErrors


def messages(text: str) -> list[str]:
    try:
        parse_config("content/site.yml", text)
    except (ContentError, ContentErrors) as exc:
        return error_lines(exc)
    raise AssertionError("expected the config to be refused")


def test_missing_or_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == SiteConfig()
    (tmp_path / "site.yml").write_text("# nothing set\n")
    assert load_config(tmp_path) == SiteConfig()


def test_every_key_has_a_default() -> None:
    for field in fields(SiteConfig):
        assert getattr(SiteConfig(), field.name) == field.default


def test_values_are_read_and_base_url_gets_a_trailing_slash() -> None:
    config = parse_config(
        "site.yml",
        "title: My digest\nbase_url: https://me.github.io/digest\nyear: 2024\nfeed_items: 5\n",
    )
    assert config.title == "My digest"
    assert config.base_url == "https://me.github.io/digest/"
    assert config.base_path == "/digest/"
    assert (config.year, config.feed_items) == (2024, 5)


def test_all_problems_are_reported_together_with_lines() -> None:
    text = (
        "title: ok\n"
        "titel: typo\n"
        "year: next year\n"
        "base_url: /relative/\n"
        "feed_items: 0\n"
        "language: [en]\n"
        "year: 2025\n"
    )
    assert messages(text) == [
        "content/site.yml:2: unknown setting `titel` (did you mean `title`?); known settings: "
        "title, description, base_url, author, year, language, feed_items, home_digests, "
        "home_papers, digest_page_papers, related_papers, topics",
        "content/site.yml:3: `year` must be a whole number or empty, not str 'next year'",
        "content/site.yml:4: `base_url` must be an absolute http(s) URL such as "
        "https://user.github.io/repo/, not '/relative/'",
        "content/site.yml:5: `feed_items` must be between 1 and 10000, not 0",
        "content/site.yml:6: `language` must be text, not a list",
        "content/site.yml:7: `year` is set twice",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [unclosed\n", "content/site.yml:2: not valid YAML: "),
        ("- a list\n", "content/site.yml:1: expected `key: value` settings"),
        ("year: yes\n", "content/site.yml:1: `year` must be a whole number or empty, not `true`"),
        ("title: '  '\n", "content/site.yml:1: `title` must not be empty"),
        ("year: 9999\n", "content/site.yml:1: `year` must be a year from 1900 to 2999, not 9999"),
        (
            "digest_page_papers: 9\n",
            "content/site.yml:1: `digest_page_papers` must be between 10 and 10000, not 9",
        ),
    ],
)
def test_malformed_files(text: str, message: str) -> None:
    assert messages(text)[0].startswith(message)


@pytest.mark.parametrize(
    "text", ["title:\n", 'title: ""\n', "title: ~\n", "title:\ndescription: About.\nyear: 2025\n"]
)
def test_an_empty_title_is_one_line_that_says_so(text: str) -> None:
    assert messages(text) == ["content/site.yml:1: `title` must not be empty"]


def test_a_title_or_description_that_looks_like_html_is_refused_with_its_line() -> None:
    # Pages show them literally, but they are also the feed's title and description,
    # whose markup some feed readers run.
    assert messages("title: Fine\ndescription: <img src=x onerror=alert(1)>\n") == [
        "content/site.yml:2: `description` '<img src=x onerror=alert(1)>' looks like HTML,"
        " which feed readers may run"
    ]
    assert messages("title: A </title> digest\n")[0].startswith("content/site.yml:1: `title`")
    assert parse_config("site.yml", "title: 1 < 2 digest\n").title == "1 < 2 digest"


def test_other_empty_settings_are_empty_text_or_say_what_they_need() -> None:
    assert parse_config("site.yml", "author:\nyear:\n") == SiteConfig()
    assert messages("language:\nfeed_items:\n") == [
        "content/site.yml:1: `language` must be a language code such as `en`, not ''",
        "content/site.yml:2: `feed_items` must be a whole number, not empty",
    ]


def test_base_url_from_the_command_line_is_checked_too() -> None:
    assert with_base_url(SiteConfig(), "https://x.org/a").base_url == "https://x.org/a/"
    with pytest.raises(ContentError, match="must not have a query"):
        with_base_url(SiteConfig(), "https://x.org/?q=1")


EMPTY_SEGMENT = "`base_url` must not contain an empty path segment (`//`)"
DOT_SEGMENT = "`base_url` must not contain a `.` or `..` path segment"
ENCODED = "`base_url` must not contain percent-encoded characters (`%`)"
USER = "`base_url` must not contain a user name or password (`user:password@`)"
QUERY = "`base_url` must not have a query or fragment"
REFUSED_BASE_URLS = [
    ("https://ex.com//evil.com/", EMPTY_SEGMENT),
    ("https://ex.com/repo//", EMPTY_SEGMENT),
    ("https://ex.com/../../x/", DOT_SEGMENT),
    ("https://ex.com/repo/./", DOT_SEGMENT),
    ("https://ex.com/repo/..", DOT_SEGMENT),
    ("https://ex.com/%2e%2e/x/", ENCODED),
    ("https://ex.com/my%20digest/", ENCODED),
    ("https://ex%2ecom/", ENCODED),
    ("https://user:secret@ex.com/", USER),
    ("https://user@ex.com/repo/", USER),
    ("https://ex.com/repo/?", QUERY),
    ("https://ex.com/repo/#top", QUERY),
    ("https://ex.com:99999/", "`base_url` has an invalid host or port"),
    ("https://ex.com/\x1b[2J/", "`base_url` must not contain control characters"),
    ("https://ex.com/a b/", "`base_url` must not contain spaces, quotes or backslashes"),
]
"""Base URLs every command refuses, with what it says is wrong (then `: 'the URL'`)."""


@pytest.mark.parametrize(("url", "problem"), REFUSED_BASE_URLS)
def test_site_yml_refuses_base_urls_with_unsafe_paths_or_parts(url: str, problem: str) -> None:
    text = yaml.safe_dump({"base_url": url})
    assert messages(text) == [f"content/site.yml:1: {problem}: {url!r}"]


@pytest.mark.parametrize(
    "url",
    [
        "https://ex.com",
        "https://ex.com/",
        "http://localhost:8000/a.b/c-d_e~f/",
        "https://ex.com/..x/",
    ],
)
def test_base_urls_with_plain_paths_are_accepted(url: str) -> None:
    assert with_base_url(SiteConfig(), url).base_url.startswith(url)
