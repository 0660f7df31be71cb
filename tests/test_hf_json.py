"""The Hugging Face daily-papers reader: what it reads, what it leaves, and how it refuses."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from conftest import error_lines
from hf import hf_day, hf_record
from paperdigest.errors import ContentError, ContentErrors
from paperdigest.model import Link, Source
from paperdigest.read.hf_json import parse_hf_day

PATH = "content/2025-07-15.json"


def parse(text: str, path: str = PATH):  # type: ignore[no-untyped-def]
    return parse_hf_day(path, text.encode())


def problems(text: str, path: str = PATH) -> list[str]:
    try:
        parse(text, path)
    except (ContentError, ContentErrors) as exc:
        return error_lines(exc)
    raise AssertionError("expected the reader to refuse this file")


def test_a_day_gives_its_papers_in_listing_order_with_what_they_carry() -> None:
    text = hf_day(
        hf_record(
            "2507.10548v2",
            "EmbRACE-3K: Embodied Reasoning and Action in Complex\n  Environments",
            "Recent vision-language models\nperform well. We introduce a dataset.",
            authors=["Mingxian Lin", "Zhanchao Zhou", "Wei Huang"],
            hidden=("Zhanchao Zhou",),
            upvotes=18,
            comments=2,
            github="https://github.com/mxllc/EmbRACE-3K",
            stars=5,
            project="https://mxllc.github.io/EmbRACE-3K/",
            organization={"_id": "x", "name": "hku", "fullname": "HKU"},
        ),
        hf_record("2507.09876", "A Second Paper"),
    )
    file, warnings = parse(text)
    assert warnings == []
    assert file.name_date == date(2025, 7, 15)
    assert (file.stated_date.year, file.stated_date.month, file.stated_date.day) == (2025, 7, 15)
    first, second = file.entries
    assert first.arxiv_id == "2507.10548"  # the version is not part of the identity
    assert first.title == "EmbRACE-3K: Embodied Reasoning and Action in Complex Environments"
    assert first.abstract == "Recent vision-language models perform well. We introduce a dataset."
    assert first.authors == ("Mingxian Lin", "Wei Huang")  # the hidden author is left out
    assert first.links == (
        Link("code", "https://github.com/mxllc/EmbRACE-3K"),
        Link("project", "https://mxllc.github.io/EmbRACE-3K/"),
    )
    assert (first.upvotes, first.comments, first.stars) == (18, 2, 5)
    assert first.published == date(2025, 7, 14)
    assert first.ai_summary == "A one-sentence summary."
    assert first.keywords == ("vision-language models", "embodied reasoning")
    assert first.organization == "HKU"
    assert first.thumbnail.endswith("/papers/2507.10548v2.png")
    assert first.source == Source(PATH, 2)
    assert (second.arxiv_id, second.source.line) == (
        "2507.09876",
        text.count("\n", 0, text.index('{\n    "paper"', 10)) + 1,
    )


def test_the_oldest_shape_without_the_days_date_takes_it_from_the_file_name() -> None:
    record = hf_record("2405.14458", "An Older Paper", day=None)
    del record["thumbnail"], record["submittedBy"], record["isAuthorParticipating"]
    record["mediaUrl"] = "https://cdn-thumbnails.huggingface.co/x.png"  # the old field's name
    file, _ = parse(hf_day(record), "content/2024-05-27.json")
    assert file.stated_date is None and file.name_date == date(2024, 5, 27)
    assert file.entries[0].thumbnail == ""


def test_the_date_may_come_from_the_records_alone() -> None:
    file, _ = parse(hf_day(hf_record("2507.10548", "A Paper")), "content/daily.json")
    assert file.name_date is None
    assert file.stated_date.text == "2025-07-15"


def test_the_outer_title_and_summary_stand_in_for_missing_ones() -> None:
    record = hf_record("2507.10548", "Outer Title", "Outer summary. It works.")
    del record["paper"]["title"], record["paper"]["summary"]
    entry = parse(hf_day(record))[0].entries[0]
    assert (entry.title, entry.abstract) == ("Outer Title", "Outer summary. It works.")


def test_unknown_fields_missing_optional_ones_and_nulls_are_fine() -> None:
    record = hf_record("2507.10548", "A Paper", mediaUrls=["https://x/y.gif"], withdrawnAt=None)
    record["somethingNew"] = {"nested": [1, 2]}
    for key in ("ai_summary", "ai_keywords", "discussionId", "publishedAt"):
        del record["paper"][key]
    record["paper"]["projectPage"] = None
    record["paper"]["githubRepo"] = ""
    del record["numComments"]
    entry = parse(hf_day(record))[0].entries[0]
    assert (entry.ai_summary, entry.keywords, entry.published, entry.links) == ("", (), None, ())
    assert entry.comments is None


def test_a_short_github_repo_is_read_as_its_url() -> None:
    entry = parse(hf_day(hf_record("2507.10548", "A Paper", github="mxllc/EmbRACE-3K")))[0]
    assert entry.entries[0].links == (Link("code", "https://github.com/mxllc/EmbRACE-3K"),)


def test_an_empty_abstract_is_a_paper_without_one_and_a_warning() -> None:
    file, warnings = parse(hf_day(hf_record("2507.10548", "A Paper", "  ")))
    assert file.entries[0].abstract == ""
    assert [str(w) for w in warnings] == [
        f"{PATH}:2: warning: record 1 (2507.10548): 'A Paper' has no abstract; "
        "it is published without one"
    ]


def record_with(**changes: Any) -> str:
    record = hf_record("2507.10548", "A Paper")
    for path, value in changes.items():
        holder = record
        *parents, key = path.split("__")
        for parent in parents:
            holder = holder[parent]
        if value is DELETE:
            del holder[key]
        else:
            holder[key] = value
    return hf_day(record)


DELETE = object()
R1 = "2: record 1 (2507.10548)"


NOT_A_LIST = "not valid JSON: expected a list of records, starting with [ (column 1)"
NO_ID = "record 1: `paper.id` (the arXiv ID) is missing"
BROKEN = [
    ("", f"1: {NOT_A_LIST}"),
    ('{"paper": {}}', f"1: {NOT_A_LIST}"),
    ('[\n  {"paper": {"id": "2507.1"}\n]', "3: not valid JSON: Expecting ',' delimiter (column 1)"),
    ("[\n  1,\n]", "3: not valid JSON: Expecting value (column 1)"),
    ("[] []", "1: not valid JSON: something follows the list (column 4)"),
    ("[]", "1: an empty list: no papers were listed on this day"),
    ('[\n  "a paper"\n]', "2: record 1: must be an object, not text"),
    ('[{"paper": [1]}]', "1: record 1: `paper` must be an object, not a list"),
    (record_with(paper__id=DELETE), f"2: {NO_ID}"),
    (record_with(paper__id=2507.10548), f"2: {NO_ID}"),
    (
        record_with(paper__id="arxiv:2507"),
        "2: record 1: `paper.id` 'arxiv:2507' is not an arXiv ID such as 2403.13187",
    ),
    (record_with(paper__title=DELETE, title=DELETE), f"{R1}: `paper.title` is missing"),
    (record_with(paper__title=["A"]), f"{R1}: `paper.title` must be text, not a list"),
    (record_with(paper__summary=DELETE, summary=DELETE), f"{R1}: `paper.summary` is missing"),
    (record_with(paper__title="A \x1b[2J Paper"), f"{R1}: `title` holds a control character"),
    (record_with(paper__authors="Wei Huang"), f"{R1}: `paper.authors` must be a list, not text"),
    (
        record_with(paper__authors=[{"hidden": False}]),
        f"{R1}: author 1 must be an object with a `name` and `hidden`",
    ),
    (record_with(paper__upvotes=-1), f"{R1}: `paper.upvotes` must be a whole number, not -1"),
    (record_with(paper__upvotes=True), f"{R1}: `paper.upvotes` must be a whole number, not True"),
    (record_with(numComments="3"), f"{R1}: `numComments` must be a whole number, not '3'"),
    (
        record_with(paper__githubRepo="javascript:alert(1)"),
        f"{R1}: `paper.githubRepo` must be an http(s) URL, not 'javascript:alert(1)'",
    ),
    (
        record_with(paper__projectPage="https://x.org/a b"),
        f"{R1}: `paper.projectPage` holds spaces or control characters",
    ),
    (
        record_with(paper__publishedAt="yesterday"),
        f"{R1}: `paper.publishedAt` must be a date and time such as 2025-03-14T00:00:00Z",
    ),
    (record_with(paper__ai_keywords="a, b"), f"{R1}: `paper.ai_keywords` must be a list of text"),
    (
        record_with(paper__organization="HKU"),
        f"{R1}: `organization` must be an object with a `fullname` or `name`",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_shapes_get_located_messages(text: str, expected: str) -> None:
    assert problems(text) == [f"{PATH}:{expected}"]


def test_every_broken_record_is_reported_at_once() -> None:
    records = [hf_record(f"2507.1054{n}", f"Paper {n}") for n in range(4)]
    records[1]["paper"]["upvotes"] = "many"
    del records[3]["paper"]["id"]
    text = hf_day(*records)
    lines = [text.count("\n", 0, m) + 1 for m in _record_starts(text)]
    assert problems(text) == [
        f"{PATH}:{lines[1]}: record 2 (2507.10541): `paper.upvotes` must be a whole number, "
        "not 'many'",
        f"{PATH}:{lines[3]}: record 4: `paper.id` (the arXiv ID) is missing",
    ]


def _record_starts(text: str) -> list[int]:
    decoder, starts, position = json.JSONDecoder(), [], text.index("[") + 1
    while True:
        while text[position] in " \n,":
            position += 1
        if text[position] == "]":
            return starts
        starts.append(position)
        position = decoder.raw_decode(text, position)[1]


def test_records_of_several_days_in_one_file_are_refused() -> None:
    text = hf_day(
        hf_record("2507.10548", "A", day="2025-07-15"),
        hf_record("2507.10549", "B", day="2025-07-16"),
    )
    assert problems(text, "content/both.json") == [
        f"content/both.json:{_line_of(text, 1)}: the records are listed on several days "
        "(2025-07-15 and 2025-07-16); a file holds one day"
    ]


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, _record_starts(text)[index]) + 1


def test_a_file_that_is_not_utf8_is_refused_like_a_dump() -> None:
    with pytest.raises(ContentError, match="the file is UTF-16 text"):
        parse_hf_day(PATH, "[]".encode("utf-16"))


def test_links_written_loosely_are_read_or_left_out_with_a_warning() -> None:
    record = hf_record("2507.10548", "A Paper", github="github.com/mxllc", project="N/A")
    record["paper"]["upvotes"] = 12.0  # the API's schema calls counts numbers
    file, warnings = parse(hf_day(record))
    entry = file.entries[0]
    assert entry.links == (Link("code", "https://github.com/mxllc"),)
    assert entry.upvotes == 12
    assert [str(w) for w in warnings] == [
        f"{PATH}:2: warning: record 1 (2507.10548): `paper.projectPage` 'N/A' is no link; left out"
    ]


@pytest.mark.parametrize("url", ["ftp://x.org/a", "javascript:alert(1)", "data:text/html,x"])
def test_a_link_of_another_scheme_is_refused(url: str) -> None:
    assert problems(record_with(paper__projectPage=url)) == [
        f"{PATH}:{R1}: `paper.projectPage` must be an http(s) URL, not {url!r}"
    ]
