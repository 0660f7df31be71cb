"""Dates in words and in RFC 822, the same in every locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from paperdigest.dates import date_words, rfc822


def test_dates_are_written_without_the_locale() -> None:
    assert date_words(date(2025, 3, 14)) == "Friday, 14 March 2025"


@given(st.dates())
def test_feed_dates_are_written_as_the_standard_library_writes_rfc_822(day: date) -> None:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert rfc822(day) == format_datetime(midnight, usegmt=True)
