"""Digest dates: file names, stated dates and site.yml's `year`, settled per file."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import digest_text
from paperdigest.errors import ContentError, Problems
from paperdigest.model import ParsedFile
from paperdigest.read.resolve import resolve_date
from paperdigest.read.text_dump import parse_dump_text


def parsed(name: str, text: str) -> ParsedFile:
    digest, _ = parse_dump_text(f"content/{name}", text)
    return digest


def test_file_name_date_wins_with_a_warning_when_the_header_disagrees() -> None:
    file = parsed("2025-03-15-extra.txt", digest_text("Mar 14", ("T", "A")))
    problems = Problems()
    assert resolve_date(file, None, problems) == date(2025, 3, 15)
    assert [str(w) for w in problems.warnings] == [
        "content/2025-03-15-extra.txt:9: warning: the header date 'Mar 14' disagrees with "
        "the file name's 2025-03-15; using the file name's date"
    ]


def test_matching_file_name_date_gives_no_warning() -> None:
    file = parsed("2025-03-14.txt", digest_text("Mar 14", ("T", "A")))
    problems = Problems()
    assert resolve_date(file, 1999, problems) == date(2025, 3, 14)
    assert problems.warnings == []


def test_header_year_beats_the_configured_year() -> None:
    file = parsed("x.txt", digest_text("Mar 14, 2024", ("T", "A")))
    assert resolve_date(file, 2025) == date(2024, 3, 14)


@pytest.mark.parametrize(
    ("line", "year", "message"),
    [
        (
            "Mar 14",
            None,
            "content/x.txt:9: the date 'Mar 14' has no year: set `year` in site.yml, "
            "or start the file name with YYYY-MM-DD",
        ),
        ("Feb 29", 2025, "content/x.txt:9: impossible date 'Feb 29': not a day in 2025"),
    ],
)
def test_unresolvable_dates(line: str, year: int | None, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        resolve_date(parsed("x.txt", digest_text(line, ("T", "A"))), year)
    assert str(caught.value) == message


def test_leap_day_in_a_leap_year_is_fine() -> None:
    assert resolve_date(parsed("x.txt", digest_text("Feb 29", ("T", "A"))), 2024) == date(
        2024, 2, 29
    )
