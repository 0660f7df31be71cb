"""Digest dates: file names, stated dates and site.yml's `year`, settled per file."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import digest_text
from paperdigest.config import SiteConfig
from paperdigest.errors import ContentError, Problems
from paperdigest.model import DigestFile, ParsedFile
from paperdigest.read.resolve import resolve_date, resolve_dates
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


# --- the year of a run of undated dumps -----------------------------------------------------


def run_of(days: list[str], year: int | None = 2025) -> list[DigestFile] | list[str]:
    """Dumps named 000_x.txt, 001_x.txt, ... with these header dates, resolved together."""
    files = [
        parsed(f"{n:03}_x.txt", digest_text(day, (f"P{n}", "A."))) for n, day in enumerate(days)
    ]
    problems = Problems()
    digests = resolve_dates(files, SiteConfig(year=year), problems)
    return [str(e) for e in problems.errors] or digests


def test_a_run_across_new_year_rolls_the_year_forward() -> None:
    days = [f"Dec {d}" for d in range(1, 32)] + [f"Jan {d}" for d in range(1, 32)]
    digests = run_of(days)
    assert [d.date for d in digests] == [date(2025, 12, d) for d in range(1, 32)] + [
        date(2026, 1, d) for d in range(1, 32)
    ]


def test_a_run_across_two_new_years_rolls_twice() -> None:
    days = ["Nov 30", "Dec 31", "Jan 1", "Jun 1", "Dec 30", "Jan 2", "Jan 2"]
    assert [d.date for d in run_of(days, 2024)] == [
        date(2024, 11, 30), date(2024, 12, 31), date(2025, 1, 1), date(2025, 6, 1),
        date(2025, 12, 30), date(2026, 1, 2), date(2026, 1, 2),
    ]  # fmt: skip


def test_days_may_go_back_within_a_month_as_real_dumps_do() -> None:
    # The bundled seeds, in name order: Mar 11, Mar 14, Mar 14, Mar 13, Mar 14.
    days = ["Mar 11", "Mar 14", "Mar 14", "Mar 13", "Mar 14", "Dec 31", "Dec 30", "Jan 1"]
    assert [d.date for d in run_of(days)] == [
        date(2025, 3, 11), date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 14),
        date(2025, 3, 14), date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("days", "line"),
    [
        (["Mar 14", "Feb 3"], "content/001_x.txt:9: the date 'Feb 3' cannot follow 'Mar 14'"),
        (["Mar 1", "Feb 28"], "content/001_x.txt:9: the date 'Feb 28' cannot follow 'Mar 1'"),
        (["Nov 30", "Jan 2"], "content/001_x.txt:9: the date 'Jan 2' cannot follow 'Nov 30'"),
        (["Dec 30", "Feb 1"], "content/001_x.txt:9: the date 'Feb 1' cannot follow 'Dec 30'"),
        (["Jan 1", "Dec 31"], "content/001_x.txt:9: the date 'Dec 31' cannot follow 'Jan 1'"),
    ],
)
def test_any_other_step_back_names_both_files(days: list[str], line: str) -> None:
    assert run_of(days) == [
        f"{line} in content/000_x.txt, the file before it in name order; name undated "
        "digests in date order, or start each name with YYYY-MM-DD"
    ]


def test_files_with_a_dated_name_or_a_stated_year_stand_outside_the_run() -> None:
    files = [
        parsed("000_x.txt", digest_text("Dec 30", ("A", "A."))),
        parsed("001_x.txt", digest_text("Mar 1, 2020", ("B", "B."))),
        parsed("2019-06-01-y.txt", digest_text("Jun 1", ("C", "C."))),
        parsed("002_x.txt", digest_text("Jan 2", ("D", "D."))),
    ]
    problems = Problems()
    digests = resolve_dates(files, SiteConfig(year=2025), problems)
    assert problems.errors == []
    assert [d.date for d in digests] == [
        date(2019, 6, 1), date(2020, 3, 1), date(2025, 12, 30), date(2026, 1, 2),
    ]  # fmt: skip


def test_without_a_year_every_undated_file_says_so() -> None:
    assert run_of(["Dec 30", "Jan 2"], year=None) == [
        f"content/00{n}_x.txt:9: the date '{day}' has no year: set `year` in site.yml, "
        "or start the file name with YYYY-MM-DD"
        for n, day in enumerate(["Dec 30", "Jan 2"])
    ]
