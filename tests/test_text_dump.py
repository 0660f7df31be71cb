"""The text-dump parser: what it accepts, what it remembers, and how it refuses."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import REPO, digest_text, error_lines, read_folder
from paperdigest.errors import ContentError, ContentErrors
from paperdigest.model import Entry, Source
from paperdigest.read.text import decode
from paperdigest.read.text_dump import parse_dump_text

SEED = digest_text(
    "Mar 14",
    ("A* Search Without Expansions", "We search. It works."),
    ("Second Paper", "Its abstract."),
)


def parse(text: str, path: str = "c/x.txt"):  # type: ignore[no-untyped-def]
    digest, warnings = parse_dump_text(path, text)
    assert warnings == []
    return digest


def problems(text: str, path: str = "c/x.txt") -> list[str]:
    """Every error message the parser raises for `text`, as `path:line: message`."""
    try:
        parse_dump_text(path, text)
    except (ContentError, ContentErrors) as exc:
        return error_lines(exc)
    raise AssertionError("expected the parser to refuse this text")


def test_seed_format_gives_stated_date_and_entries_with_lines() -> None:
    digest = parse(SEED)
    assert (digest.stated_date.month, digest.stated_date.day) == (3, 14)
    assert digest.stated_date.year is None
    assert digest.stated_date.source == Source("c/x.txt", 9)
    assert digest.entries == (
        Entry("A* Search Without Expansions", "We search. It works.", Source("c/x.txt", 11)),
        Entry("Second Paper", "Its abstract.", Source("c/x.txt", 15)),
    )
    assert digest.name_date is None


def test_crlf_bom_trailing_whitespace_and_blank_runs_parse_the_same() -> None:
    messy = (
        "\ufeff"
        + SEED.replace("\n\n", "\n \t\n\n\n", 3).replace("Second Paper", "Second Paper   \t")
    ).replace("\n", "\r\n")
    clean = parse(SEED)
    got = parse(decode("c/x.txt", messy.encode("utf-8")))
    assert [(e.title, e.abstract) for e in got.entries] == [
        (e.title, e.abstract) for e in clean.entries
    ]
    assert got.stated_date.month == 3 and got.stated_date.day == 14


def test_line_numbers_count_crlf_and_blank_runs() -> None:
    text = "Mar 14\r\n\r\n\r\n\r\nTitle one\r\n\r\nAbstract one\r\n"
    assert parse(text).entries[0].source == Source("c/x.txt", 5)


def test_abstract_wrapped_over_lines_is_joined_with_spaces() -> None:
    digest = parse("Mar 14\n\nTitle\n\nFirst half\nsecond half.\n")
    assert digest.entries[0].abstract == "First half second half."


def test_old_mac_line_endings_are_line_breaks() -> None:
    digest = parse("Mar 14\r\rTitle\r\rAbstract\r")
    assert digest.entries[0] == Entry("Title", "Abstract", Source("c/x.txt", 3))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Mar 14", (3, 14, None)),
        ("March 14", (3, 14, None)),
        ("mar. 4", (3, 4, None)),
        ("Sept 9", (9, 9, None)),
        ("Mar 14, 2024", (3, 14, 2024)),
        ("14 Mar 2024", (3, 14, 2024)),
        ("Feb 29", (2, 29, None)),
    ],
)
def test_date_line_forms(line: str, expected: tuple[int, int, int | None]) -> None:
    header = parse(f"new\n\n{line}\n\nTitle\n\nAbstract\n").stated_date
    assert (header.month, header.day, header.year) == expected


def test_date_may_follow_a_header_of_any_short_lines() -> None:
    digest = parse("Trending\nSomething else\n\nApr 1\n\nTitle\n\nAbstract\n")
    assert digest.stated_date.source.line == 4


def test_file_name_date_is_read_from_the_name_only() -> None:
    digest, _ = parse_dump_text("c/2024/2024-12-31-extra.txt", SEED)
    assert digest.name_date == date(2024, 12, 31)
    digest, _ = parse_dump_text("c/2024-12-31/notes.txt", SEED)
    assert digest.name_date is None


def test_multi_line_title_is_an_error_not_a_guess() -> None:
    assert problems("Mar 14\n\nTitle\nAbstract right below\n\n") == [
        "c/x.txt:3: a title runs onto line 4; "
        "separate each title from its abstract with a blank line"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["c/x.txt:1: empty file: expected a header, a date and entries"]),
        (" \n\t\n\n", ["c/x.txt:1: empty file: expected a header, a date and entries"]),
        ("new\n\nMar 14\n\n", ["c/x.txt:3: no entries after the date line"]),
        (
            "new\n\nSubscribe\n\nA Title\n\nAn abstract.\n",
            ["c/x.txt:1: no date line: the header must end with a date such as 'Mar 14'"],
        ),
        (
            "new\n\nMar 1x\n\nA Title\n\nAn abstract.\n",
            ["c/x.txt:3: cannot read the date 'Mar 1x'; write it like 'Mar 14'"],
        ),
        ("Feb 30\n\nT\n\nA\n", ["c/x.txt:1: impossible date 'Feb 30': Feb has no day 30"]),
        ("Apr 31\n\nT\n\nA\n", ["c/x.txt:1: impossible date 'Apr 31': Apr has no day 31"]),
        ("Mar 0\n\nT\n\nA\n", ["c/x.txt:1: impossible date 'Mar 0': Mar has no day 0"]),
        (
            "Mar 14\n\nOne\n\nAbstract one.\n\nDangling\n",
            ["c/x.txt:7: the title 'Dangling' has no abstract"],
        ),
        (
            "Mar 14\n\nMar 15\n\nT\n\nA\n",
            ["c/x.txt:3: a second date line 'Mar 15'; the header already gave 'Mar 14' on line 1"],
        ),
        (
            "x" * 130 + "\n\nMar 14\n\nT\n\nA\n",
            ["c/x.txt:1: expected the header's date (such as 'Mar 14') before the first entry"],
        ),
        (
            "Mar 14\n\nT\x07itle\n\nA\n",
            [
                "c/x.txt:3: control character U+0007 at column 2 "
                "(is this a binary or mis-encoded file?)"
            ],
        ),
        (
            "Mar 14\n\nT\n\n" + "a" * 100_001 + "\n",
            ["c/x.txt:5: line is 100,001 characters long (the limit is 100,000)"],
        ),
    ],
)
def test_broken_files_get_located_messages(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_every_problem_in_a_file_is_reported_together() -> None:
    text = "Mar 14\n\nT\x01\n\nA\x02\n\nT2\n\nA2\x03\n"
    assert [p.split(":")[1] for p in problems(text)] == ["3", "5", "9"]


def test_long_title_longer_than_its_abstract_is_a_warning() -> None:
    digest, warnings = parse_dump_text("c/x.txt", f"Mar 14\n\n{'word ' * 100}\n\nshort\n")
    assert len(digest.entries) == 1
    assert [str(w) for w in warnings] == [
        "c/x.txt:3: warning: this title is 499 characters long and longer than its abstract; "
        "is a title or an abstract missing above it?"
    ]


def test_a_title_that_ends_the_file_is_published_without_an_abstract_and_a_warning() -> None:
    digest, warnings = parse_dump_text(
        "c/x.txt", "Mar 14\n\nOne\n\nAbstract one.\n\nDangling Title\n"
    )
    assert digest.entries[1] == Entry("Dangling Title", "", Source("c/x.txt", 7))
    assert [str(w) for w in warnings] == [
        "c/x.txt:7: warning: the title 'Dangling Title' has no abstract and ends the file "
        "(is the file cut off?); it is published without one"
    ]


def test_two_titles_in_a_row_are_a_paper_without_an_abstract_not_a_shift() -> None:
    text = digest_text(
        "Mar 14",
        ("Segment Anything", "We introduce a model that segments any object. It is fast."),
        ("Mixtral of Experts", "We release a sparse model. It beats larger dense models."),
    ).replace("We introduce a model that segments any object. It is fast.\n\n", "")
    digest, warnings = parse_dump_text("c/x.txt", text)
    assert [(e.title, e.abstract, e.source.line) for e in digest.entries] == [
        ("Segment Anything", "", 11),
        ("Mixtral of Experts", "We release a sparse model. It beats larger dense models.", 13),
    ]
    assert [str(w) for w in warnings] == [
        "c/x.txt:11: warning: the title 'Segment Anything' has no abstract; "
        "it is published without one"
    ]


def test_a_date_line_among_entries_is_the_only_error_about_them() -> None:
    text = "Mar 14\n\nA Paper Title\n\nIts abstract.\n\nnew\n\nSubscribe Now\n\nMar 15\n\nB\n\nb\n"
    assert problems(text) == [
        "c/x.txt:11: a date line 'Mar 15' among the entries; "
        "is a second digest pasted into this file?"
    ]


def test_bundled_seed_dumps_parse_completely() -> None:
    files, warnings, errors = read_folder(REPO / "content")
    assert warnings == errors == []
    assert [(f.path.rsplit("/")[-1], f.stated_date.text, len(f.entries)) for f in files] == [
        ("000_6d8d109777ff5927.txt", "Mar 11", 78),
        ("001_308da96b94c9508c.txt", "Mar 14", 87),
        ("002_2198def53690f55f.txt", "Mar 14", 91),
        ("003_87b117a2289c99e0.txt", "Mar 13", 85),
        ("004_6a1561741c3a71c0.txt", "Mar 14", 107),
    ]
