"""Content is shown literally: Markdown escaping, http(s)-only links, HTML from Markdown."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import find_all, parse_html, text_of
from paperdigest.markdown import (
    EXTERNAL_REL,
    MdText,
    escape_markdown,
    linkify_markdown,
    markdown_to_html,
)

LITERALS = [
    "A* Search Without Expansions",
    "E[Y|X]",
    "`what to align with'",
    "$15 and $20",
    "<not-a-tag>",
    "T[i, ., . , i+m-1]",
    "- not a list",
    "+ not a list",
    "1. not a list",
    "2) not a list",
    "# not a heading",
    "> not a quote",
    "=== not an underline",
    "---",
    "[link](http://example.com)",
    "![image](http://example.com/x.png)",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "&amp; &copy; &#60;",
    "**bold** _it_ ~~gone~~ `code`",
    "a\\",
    "\\*not emphasis\\*",
    "| a | b |",
    "[^1] footnote and :emoji: and @mention and #1",
    "$\\mathcal{O}(n \\log n)$ and \\textbf{x}",
]


def rendered_text(markdown: str) -> str:
    return text_of(find_all(parse_html(markdown_to_html(markdown)), "body")[0]).strip()


@pytest.mark.parametrize("text", LITERALS)
def test_escaped_text_renders_exactly_itself(text: str) -> None:
    html = markdown_to_html(escape_markdown(text))
    assert rendered_text(escape_markdown(text)) == text
    tree = parse_html(html)
    # Nothing from content became an element: one paragraph, no links, images or scripts.
    assert [el.tag.split("}")[1] for el in find_all(tree, "body")[0].iter()] == ["body", "p"]


def test_escaping_keeps_plain_prose_readable() -> None:
    assert escape_markdown("We propose a model, it works.") == "We propose a model, it works."


def test_http_urls_become_nofollow_links_and_trailing_punctuation_stays_text() -> None:
    text = "Code: https://github.com/x_y/repo. See (https://en.wikipedia.org/wiki/A_(b))."
    html = markdown_to_html(linkify_markdown(text))
    tree = parse_html(html)
    links = find_all(tree, "a")
    assert [a.get("href") for a in links] == [
        "https://github.com/x_y/repo",
        "https://en.wikipedia.org/wiki/A_(b)",
    ]
    assert {a.get("rel") for a in links} == {EXTERNAL_REL}
    assert rendered_text(linkify_markdown(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "ftp://example.com/file",
        "data:text/html,<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "vbscript:msgbox",
        "file:///etc/passwd",
    ],
)
def test_only_http_and_https_become_links(text: str) -> None:
    html = markdown_to_html(linkify_markdown(text))
    assert find_all(parse_html(html), "a") == []
    assert rendered_text(linkify_markdown(text)) == text


def test_md_text_passes_through_and_links_between_twins_become_pretty_urls() -> None:
    source = MdText("[paper](../papers/x-1.md) [home](../index.md) [feed](../feed.xml#a)")
    html = markdown_to_html(source, "digests/2025-03-14", "/repo/")
    assert [a.get("href") for a in find_all(parse_html(html), "a")] == [
        "/repo/papers/x-1/",
        "/repo/",
        "/repo/feed.xml#a",
    ]


line_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).map(str.strip)


@given(line_text)
@example("1) 2. - + = * > # ` ~ | $ & \\ < [ ] ( ) ! _ @")
@example("  leading is stripped by the parser, so it is stripped here too")
def test_any_single_line_text_round_trips(text: str) -> None:
    assert rendered_text(escape_markdown(text)) == text.strip()
    assert rendered_text(linkify_markdown(text)) == text.strip()


def _escape_by_one_multiline_pattern(text: str) -> str:
    """What escaping was before the first line and the later ones were matched apart."""
    escaped = re.sub("[" + re.escape("\\`*_[]<>#!|~$&@") + "]", r"\\\g<0>", text)
    marker = re.compile(r"^([ \t]*)(?:([-+=]|:(?=::))|(\d{1,9})([.)]))", re.MULTILINE)
    return marker.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", escaped)


@given(st.text(st.sampled_from(list("\n \t-+=:.)1a*_`|\\<")) | st.characters(), max_size=40))
@example("- a\n\n  2) b\n:::\n=\n")
def test_every_line_start_is_escaped_as_one_multiline_pattern_would(text: str) -> None:
    assert escape_markdown(text) == _escape_by_one_multiline_pattern(text)


@pytest.mark.parametrize(
    ("source", "page", "href"),
    [
        ("[x](../papers/a-1.md)", "digests/2025-03-14", "/papers/a-1/"),
        ("[x](<https://example.com/a b>)", None, "https://example.com/a%20b"),
        ("[x](https://example.com/ü)", None, "https://example.com/%C3%BC"),
        ("[x](https://bücher.example/)", None, "https://xn--bcher-kva.example/"),
    ],
)
def test_link_urls_are_normalized_as_commonmark_says(
    source: str, page: str | None, href: str
) -> None:
    html = markdown_to_html(source, page)
    assert [a.get("href") for a in find_all(parse_html(html), "a")] == [href]


markdownish = st.text(
    st.sampled_from(list("ab \n-:%+=#>|~$@{}^*_[]()!<>&\\`1.")) | st.characters(), max_size=120
)


@given(markdownish)
@example("[x](a%zz) [y](b%20c) <http://x.org/%> [z](HTTP://Ex.ORG/A?b=1&c=2#d)")
@example("a-b: 50% + c=d ~e~ $f$ {g} @h ^i #j >k")
@example("[q](https://x.org/?q=O%27s+o1%2) [r](<https://x.org/%C3%BC%zz>) [s](a\\)b(c))")
@example("- a\r\n- b\rc\0 [d](e%2Gf) [g](%41%)")
def test_the_tuned_parser_renders_like_stock_markdown_it(source: str) -> None:
    from markdown_it import MarkdownIt

    from paperdigest.markdown import DISABLED_RULES

    stock = MarkdownIt("commonmark", {"html": False}).disable(DISABLED_RULES)
    ours = markdown_to_html(source).replace(f' rel="{EXTERNAL_REL}"', "")
    assert ours == stock.render(source)
