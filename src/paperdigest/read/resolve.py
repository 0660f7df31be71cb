"""Settle each content file's digest date from its name, its stated date and site.yml.

A date with no year (a dump's `Mar 14`) in a file whose name has no date takes its year
from the run of such files in name order: site.yml's `year` is the first one's, and it
rolls forward where the month goes back from December to January. Days may go back within
a month (real dumps do: the seeds go Mar 14, Mar 13, Mar 14). A month that goes back in
any other way (March, then February) means the names are not in date order; so does
January followed by December, which would otherwise put a dump from just before New
Year a year late. Both are errors naming both files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..config import SiteConfig
from ..errors import ContentError, Problems
from ..model import DigestFile, ParsedFile, StatedDate


def resolve_dates(
    files: Sequence[ParsedFile], site: SiteConfig | None, problems: Problems
) -> list[DigestFile]:
    """Every file with its digest date, ordered by date then path; problems are collected.

    Without a usable site.yml (`site` None), dates are not checked: its `year` may be wrong.
    """
    if site is None:
        return []
    years = _years_of_the_run(files, site.year, problems)
    dated: list[DigestFile] = []
    for file in files:
        try:
            day = resolve_date(file, years.get(file.path, site.year), problems)
        except ContentError as exc:
            problems.add(exc)
        else:
            dated.append(DigestFile(file.path, day, file.entries))
    dated.sort(key=lambda file: (file.date, file.path))
    return dated


def _years_of_the_run(
    files: Sequence[ParsedFile], year: int | None, problems: Problems
) -> dict[str, int]:
    """The year of each file whose date needs one, by path: see the module's docstring."""
    if year is None:  # each such file says it has no year (resolve_date)
        return {}
    years: dict[str, int] = {}
    previous: tuple[ParsedFile, StatedDate] | None = None
    for file in sorted(files, key=lambda f: f.path):
        stated = file.stated_date
        if file.name_date is not None or stated is None or stated.year is not None:
            continue
        if previous is not None:
            before = previous[1]
            if (before.month, stated.month) == (12, 1):
                year += 1
            elif stated.month < before.month or (before.month, stated.month) == (1, 12):
                problems.add(_out_of_order(file, stated, previous[0], before))
        years[file.path] = year
        previous = file, stated
    return years


def _out_of_order(
    file: ParsedFile, stated: StatedDate, before_file: ParsedFile, before: StatedDate
) -> ContentError:
    where = stated.source
    return ContentError(
        where.path,
        where.line,
        f"the date {stated.text!r} cannot follow {before.text!r} in {before_file.path}, the "
        "file before it in name order; name undated digests in date order, or start each "
        "name with YYYY-MM-DD",
    )


def resolve_date(file: ParsedFile, year: int | None, problems: Problems | None = None) -> date:
    """A file's digest date: its file-name date if any, else its stated date and `year`."""
    stated = file.stated_date
    if file.name_date is not None:
        named = file.name_date
        if stated is not None and problems is not None:
            disagrees = (stated.month, stated.day) != (named.month, named.day) or (
                stated.year not in (None, named.year)
            )
            if disagrees:
                problems.warn(
                    stated.source.path,
                    stated.source.line,
                    f"the header date {stated.text!r} disagrees with the file name's "
                    f"{named.isoformat()}; using the file name's date",
                )
        return named
    if stated is None:
        raise ContentError(file.path, 1, "no date: name the file YYYY-MM-DD")
    where = stated.source
    chosen = stated.year if stated.year is not None else year
    if chosen is None:
        raise ContentError(
            where.path,
            where.line,
            f"the date {stated.text!r} has no year: set `year` in site.yml, "
            "or start the file name with YYYY-MM-DD",
        )
    try:
        return date(chosen, stated.month, stated.day)
    except ValueError:
        raise ContentError(
            where.path, where.line, f"impossible date {stated.text!r}: not a day in {chosen}"
        ) from None
