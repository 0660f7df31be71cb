"""Settle each content file's digest date from its name, its stated date and site.yml."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..config import SiteConfig
from ..errors import ContentError, Problems
from ..model import DigestFile, ParsedFile


def resolve_dates(
    files: Sequence[ParsedFile], site: SiteConfig | None, problems: Problems
) -> list[DigestFile]:
    """Every file with its digest date, ordered by date then path; problems are collected.

    Without a usable site.yml (`site` None), dates are not checked: its `year` may be wrong.
    """
    if site is None:
        return []
    dated: list[DigestFile] = []
    for file in files:
        try:
            day = resolve_date(file, site.year, problems)
        except ContentError as exc:
            problems.add(exc)
        else:
            dated.append(DigestFile(file.path, day, file.entries))
    dated.sort(key=lambda file: (file.date, file.path))
    return dated


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
