"""`paperdigest fetch`: save the Hugging Face daily-papers list of each day into content/.

A day's list is saved as `content/YYYY-MM-DD.json`, in the shape the API returns, but only
once the reader the build uses has read it without a problem. A day already saved keeps
what it holds: papers listed since are added after them, while counts that change by the
hour (upvotes, comments) stay as first fetched, so nothing published for that day churns.
A file whose content would not change is not touched; a new one is written atomically.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ContentError, ContentErrors, PaperdigestError, printable
from .read.hf_json import parse_hf_day

DAILY_PAPERS = "https://huggingface.co/api/daily_papers"
PAGE_SIZE = 100
"""The most records the API gives in one answer; a day longer than that is paged."""
MAX_PAGES = 20
MAX_BYTES = 50 * 2**20
"""A day's answer is a few hundred KB; anything far larger is not a daily list."""
RETRY_WAITS = (2.0, 8.0)
"""Seconds to wait before asking again after a server error or a refused connection."""
MAX_RATE_WAIT = 120.0
"""The longest a rate limit is waited out; a longer one is reported instead."""
RATE_WAITS = 3
"""How many rate limits in a row are waited out before giving up."""


class FetchError(PaperdigestError):
    """A day's list could not be fetched or saved."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What fetching one day did."""

    day: date
    """The day."""
    papers: int
    """How many papers the day's list holds now."""
    added: int
    """How many of them were not saved before."""
    path: Path | None
    """The file written, or None if nothing changed (or nothing was listed)."""


Say = Callable[[str], None]


def fetch_days(
    days: list[date], content: Path, api: str, *, timeout: float, say: Say
) -> list[Fetched]:
    """Fetch and save each day's list; report the days that failed together, after the rest."""
    failures = []
    done = []
    for day in days:
        try:
            fetched = fetch_day(day, content, api, timeout=timeout, say=say)
        except FetchError as exc:
            failures.append(f"{day.isoformat()}: {exc}")
            continue
        done.append(fetched)
        say(describe(fetched, content))
    if failures:
        raise FetchError("\n".join(failures))
    return done


def describe(fetched: Fetched, content: Path) -> str:
    """One line on what fetching a day did."""
    day = fetched.day.isoformat()
    if not fetched.papers:
        return f"{day}: no papers listed (a weekend or a holiday?); nothing saved"
    papers = f"{fetched.papers} paper{'s' if fetched.papers != 1 else ''}"
    if fetched.path is None:
        return f"{day}: {papers}, as saved before; nothing changed"
    added = f", {fetched.added} new" if fetched.added != fetched.papers else ""
    return f"{day}: {papers}{added}; saved {printable(str(fetched.path))}"


def fetch_day(day: date, content: Path, api: str, *, timeout: float, say: Say) -> Fetched:
    """Fetch one day's whole list, merge it into the day's file, and save that if it changed."""
    records: list[Any] = []
    for page in range(MAX_PAGES):
        query = {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}
        answer = ask(f"{api}?{urllib.parse.urlencode(query)}", timeout=timeout, say=say)
        records += answer
        if len(answer) < PAGE_SIZE:
            break
    path = content / f"{day.isoformat()}.json"
    saved = _saved_records(path)
    merged, added = merge(saved, records)
    if not merged:
        return Fetched(day, 0, 0, None)
    data = (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode()
    _check_readable(path, data)
    if path.exists() and path.read_bytes() == data:
        return Fetched(day, len(merged), 0, None)
    write_atomically(path, data)
    return Fetched(day, len(merged), added, path)


def merge(saved: list[Any], fetched: list[Any]) -> tuple[list[Any], int]:
    """The saved records as they were, then the fetched ones not saved yet; and how many."""
    known = {_paper_id(record) for record in saved}
    new = []
    for record in fetched:
        paper_id = _paper_id(record)
        if paper_id not in known:
            known.add(paper_id)
            new.append(record)
    return saved + new, len(new)


def _paper_id(record: Any) -> object:
    paper = record.get("paper") if isinstance(record, dict) else None
    return paper.get("id") if isinstance(paper, dict) else json.dumps(record, sort_keys=True)


def _saved_records(path: Path) -> list[Any]:
    if not path.exists():
        return []
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FetchError(f"{printable(str(path))} cannot be read to add to it: {exc}") from None
    if not isinstance(saved, list):
        raise FetchError(f"{printable(str(path))} is not a list of papers; fix or move it")
    return saved


def _check_readable(path: Path, data: bytes) -> None:
    """Refuse to save what the build could not read."""
    try:
        parse_hf_day(str(path), data)
    except (ContentError, ContentErrors) as exc:
        first = str(exc).split("\n")[0]
        raise FetchError(
            f"the answer cannot be read as a daily list, so nothing was saved: {first}"
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that it is either whole or not there (and what was there stays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise FetchError(f"cannot write {printable(str(path))}: {exc.strerror}") from None


def ask(url: str, *, timeout: float, say: Say) -> list[Any]:
    """The JSON list a URL answers with; waits out rate limits and retries server errors."""
    waits, rate_waits = list(RETRY_WAITS), RATE_WAITS
    while True:
        try:
            return _get(url, timeout)
        except urllib.error.HTTPError as exc:
            wait = _rate_wait(exc) if exc.code == 429 else None
            if wait is not None and wait <= MAX_RATE_WAIT and rate_waits:
                rate_waits -= 1
                say(f"rate limited by {_host(url)}; waiting {wait:.0f} s as it asks")
                time.sleep(wait)
                continue
            if exc.code == 429:
                raise FetchError(f"rate limited by {_host(url)}; try again later") from None
            if exc.code >= 500 and waits:
                time.sleep(waits.pop(0))
                continue
            raise FetchError(f"HTTP {exc.code} from {_host(url)}{_said(exc)}") from None
        except http.client.HTTPException:
            raise FetchError(f"the answer from {_host(url)} was cut off") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise FetchError(f"no answer from {_host(url)} within {timeout:g} s") from None
            if waits and isinstance(reason, ConnectionError):
                time.sleep(waits.pop(0))
                continue
            raise FetchError(f"cannot reach {_host(url)}: {reason}") from None


def _get(url: str, timeout: float) -> list[Any]:
    headers = {"Accept": "application/json", "User-Agent": f"paperdigest/{__version__}"}
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers), timeout=timeout
    ) as answer:
        body = answer.read(MAX_BYTES + 1)
        if answer.length:  # fewer bytes came than Content-Length said: the answer was cut off
            raise http.client.IncompleteRead(body, answer.length)
    if len(body) > MAX_BYTES:
        raise FetchError(f"{_host(url)} answered with more than {MAX_BYTES // 2**20} MB")
    try:
        data = json.loads(body)
    except ValueError:
        raise FetchError(f"{_host(url)} answered with something that is not JSON") from None
    if not isinstance(data, list):
        raise FetchError(f"{_host(url)} answered with JSON that is not a list of papers")
    return data


def _rate_wait(exc: urllib.error.HTTPError) -> float | None:
    """How long a 429 asks to wait: `Retry-After` (seconds or a date), or `RateLimit`'s t."""
    retry = exc.headers.get("Retry-After", "").strip()
    if retry.isdigit():
        return float(retry)
    if retry:
        try:
            when = email.utils.parsedate_to_datetime(retry)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    match = re.search(r"\bt=(\d+)", exc.headers.get("RateLimit", ""))
    return float(match.group(1)) + 1 if match else None


def _said(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.loads(exc.read(4096)).get("error")
    except (ValueError, AttributeError, OSError):
        return ""
    return f": {printable(str(error))[:200]}" if error else ""


def _host(url: str) -> str:
    return printable(urllib.parse.urlsplit(url).netloc or url)


def days_to_fetch(days: list[date], since: date | None, today: date) -> list[date]:
    """The days asked for; without any, yesterday and today (the API's days are UTC's)."""
    chosen = set(days)
    if since is not None:
        chosen.update(date.fromordinal(n) for n in range(since.toordinal(), today.toordinal() + 1))
    if not days and since is None:
        chosen = {date.fromordinal(today.toordinal() - 1), today}
    future = sorted(day for day in chosen if day > today)
    if future:
        raise FetchError(
            f"{future[0].isoformat()} has not come yet (today is {today.isoformat()} in UTC)"
        )
    return sorted(chosen)
