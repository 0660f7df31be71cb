"""The reader of a digest's JSON export: what it reads back, and how it refuses."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import error_lines, run_cli
from hf import hf_day, hf_record
from paperdigest.dedupe import assign_slugs, build_library, slugify
from paperdigest.errors import ContentError, ContentErrors
from paperdigest.model import DigestFile, Entry, Source
from paperdigest.read.readers import parse_json, reader_for

PATH = "content/2025-03-14.json"
SCHEMA = "https://ex.org/d/schemas/digest-v1.schema.json"
ALPHA = {
    "slug": "alpha-a-model-301cbd12",
    "url": "https://ex.org/d/papers/alpha-a-model-301cbd12/",
    "title": "Alpha: A Model",
    "arxiv_id": "2507.10548",
    "authors": ["A. One", "Zoë Ærø"],
    "abstract": "We do it.",
}
BETA = {"slug": "beta-ba6cc2a5", "url": "https://ex.org/d/papers/beta-ba6cc2a5/", "title": "Beta"}


def export(*papers: Any, **fields: Any) -> str:
    """A digest's export as the site writes it: one paper a line."""
    head = {"$schema": SCHEMA, "date": "2025-03-14", "url": "https://ex.org/d/digests/2025-03-14/"}
    head |= fields
    lines = ",\n".join(json.dumps(paper, ensure_ascii=False) for paper in papers)
    return json.dumps(head, ensure_ascii=False)[:-1] + f',"papers":[\n{lines}\n]}}\n'


def parse(text: str, path: str = PATH):  # type: ignore[no-untyped-def]
    parser = reader_for(path)
    assert parser is not None
    return parser(path, text.encode())


def problems(text: str) -> list[str]:
    try:
        parse(text)
    except (ContentError, ContentErrors) as exc:
        return error_lines(exc)
    raise AssertionError("expected the reader to refuse this file")


def test_an_export_reads_back_as_the_days_listings_with_their_slugs() -> None:
    file, warnings = parse(export(ALPHA, BETA))
    assert file.name_date == date(2025, 3, 14)
    assert file.stated_date.source == Source(PATH, 1)
    assert file.entries == (
        Entry("Alpha: A Model", "We do it.", Source(PATH, 2), "2507.10548",
              ("A. One", "Zoë Ærø"), slug="alpha-a-model-301cbd12"),
        Entry("Beta", "", Source(PATH, 3), slug="beta-ba6cc2a5"),
    )  # fmt: skip
    assert [str(w) for w in warnings] == [
        f"{PATH}:3: warning: paper 2 (beta-ba6cc2a5): 'Beta' has no abstract; "
        "it is published without one"
    ]


def test_json_files_are_read_by_their_shape() -> None:
    day, _ = parse(hf_day(hf_record("2507.10548", "A Day's Paper", day="2025-03-14")))
    assert [e.title for e in day.entries] == ["A Day's Paper"]
    indented = "\ufeff \n" + json.dumps(json.loads(export(BETA)), indent=2)
    assert [e.slug for e in parse(indented)[0].entries] == ["beta-ba6cc2a5"]


def test_a_gzipped_export_reads_as_the_plain_one() -> None:
    text = export(ALPHA, BETA)
    parser = reader_for("content/2025-03-14.JSON.GZ")
    assert parser is not None
    zipped, _ = parser("content/2025-03-14.json.gz", gzip.compress(text.encode(), mtime=0))
    plain, _ = parse_json("content/2025-03-14.json.gz", text.encode())
    assert zipped == plain and [e.slug for e in zipped.entries] == [ALPHA["slug"], BETA["slug"]]


@pytest.mark.parametrize("name", [".json.gz", ".json", "notes.gz", "x.json.gz.bak", "a.tar.gz"])
def test_only_json_and_txt_names_are_content(name: str) -> None:
    assert reader_for(f"content/{name}") is None


GZIP_BROKEN = [
    (b"{not gzip}", "1: not readable as gzip (Error -3 while decompressing data: incorrect "
     "header check)"),
    (gzip.compress(b'{"a": 1}' * 100, mtime=0)[:-12], "1: the gzip data is cut short"),
    (gzip.compress(b"[]", mtime=0) * 2, "1: more than one gzip member, or data after it"),
    # A small file that inflates past the limit is refused before it takes the memory.
    (gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", mtime=0),
     "1: inflates to more than 67,108,864 bytes"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), GZIP_BROKEN)
def test_a_broken_gzip_file_is_named_not_raised(data: bytes, message: str) -> None:
    parser = reader_for("content/d.json.gz")
    assert parser is not None
    assert len(data) < 100_000
    with pytest.raises(ContentError) as caught:
        parser("content/d.json.gz", data)
    assert f"{caught.value.line}: {caught.value.message}" == message


PAPER_2 = "paper 2 (beta-ba6cc2a5)"
BROKEN = [
    ("{}", "1: a JSON object, but not a digest's export: its `$schema` must name "
     "digest-v1.schema.json (a day of Hugging Face daily papers is a list)"),
    (export(BETA, **{"$schema": "https://ex.org/d/schemas/paper-month-v1.schema.json"}),
     "1: a file of the paper index, not a digest: copy only digests' JSON here"),
    ('{"$schema": "digest-v1.schema.json"', "1: not valid JSON: expected , or } after a value "
     "(column 36)"),
    (export(BETA)[:-3], "3: not valid JSON: expected , or ] after a record (column 1)"),
    (export(BETA) + "{}", "4: not valid JSON: something follows the object (column 1)"),
    (export(BETA, date="14 March"), "1: `date` must be a date such as 2025-03-14, not '14 March'"),
    (export(BETA, date="2025-02-30"), "1: `date` must be a date such as 2025-03-14, "
     "not '2025-02-30'"),
    (export(BETA, url=None), "1: `url` (the digest's page) must be text"),
    (export(BETA, extra=1), "1: unknown field `extra`"),
    (export(BETA, date="2025-03-14").replace('"date"', '"url"', 1), "1: `url` is given twice"),
    (export(), "1: `papers` is an empty list: a digest lists at least one paper"),
    (json.dumps({"$schema": SCHEMA, "date": "2025-03-14", "url": "u", "papers": "none"}),
     "1: `papers` must be a list, not text"),
    (export("Beta"), "2: paper 1: must be an object, not text"),
    (export(BETA | {"slug": "Beta!"}), "2: paper 1: `slug` 'Beta!' is not lowercase letters "
     "and digits joined by hyphens"),
    (export(BETA | {"slug": "../x"}), "2: paper 1: `slug` '../x' is not lowercase letters "
     "and digits joined by hyphens"),
    (export({"title": "Beta"}), "2: paper 1: `slug` is missing"),
    (export(BETA, BETA), "3: paper 2: the slug 'beta-ba6cc2a5' is given on line 2 already"),
    (export(ALPHA, BETA | {"title": ""}), f"3: {PAPER_2}: `title` is empty (leave it out instead)"),
    (export(ALPHA, BETA | {"title": 7}), f"3: {PAPER_2}: `title` must be text, not a number"),
    (export(ALPHA, BETA | {"title": "B\nC"}),
     f"3: {PAPER_2}: `title` holds a line break or a control character"),
    (export(ALPHA, BETA | {"abstract": "A \x1b[2J"}),
     f"3: {PAPER_2}: `abstract` holds a line break or a control character"),
    (export(ALPHA, BETA | {"arxiv_id": "2507.10548v2"}),
     f"3: {PAPER_2}: `arxiv_id` '2507.10548v2' is not an arXiv ID such as 2403.13187"),
    (export(ALPHA, BETA | {"authors": "A. One"}),
     f"3: {PAPER_2}: `authors` must be a list of names, each text on one line"),
    (export(ALPHA, BETA | {"authors": ["A. One", ""]}),
     f"3: {PAPER_2}: `authors` must be a list of names, each text on one line"),
    (export(ALPHA, BETA | {"upvotes": 3}), "3: paper 2: unknown field `upvotes`"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_exports_get_located_messages(text: str, expected: str) -> None:
    assert problems(text) == [f"{PATH}:{expected}"]


def test_every_problem_in_an_export_is_reported_at_once() -> None:
    text = export(ALPHA | {"authors": [1]}, BETA, BETA | {"slug": "x-1", "title": None}, date="")
    assert problems(text) == [
        f"{PATH}:1: `date` must be a date such as 2025-03-14, not ''",
        f"{PATH}:2: paper 1 (alpha-a-model-301cbd12): `authors` must be a list of names, "
        "each text on one line",
        f"{PATH}:4: paper 3 (x-1): `title` is missing",
    ]


def test_a_stated_slug_is_kept_and_a_shared_one_lengthened() -> None:
    def library(*entries: Entry) -> list[str]:
        lib = build_library([DigestFile(PATH, date(2025, 3, 14), entries)])
        return [paper.slug for paper in lib.digests[0].papers]

    alpha = Entry("Alpha", "A.", Source(PATH, 2))
    assert library(alpha) == [slugify("alpha")]
    kept = Entry("Alpha", "A.", Source(PATH, 2), slug="alpha-00000000")
    assert library(kept) == ["alpha-00000000"]
    # Two papers that state one slug, or a slug another paper is given: nothing is shared.
    beta = Entry("Beta", "B.", Source(PATH, 3), slug="alpha-00000000")
    slugs = library(kept, beta)
    assert len(set(slugs)) == 2 and "alpha-00000000" not in slugs
    taken = Entry("Beta", "B.", Source(PATH, 3), slug=slugify("alpha"))
    slugs = library(alpha, taken)
    assert len(set(slugs)) == 2 and slugify("alpha") not in slugs
    assert assign_slugs(["alpha"]) == {"alpha": slugify("alpha")}  # unchanged without slugs


def test_a_broken_export_in_content_stops_the_build_with_its_lines_and_no_traceback(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-03-14.json").write_text(export(BETA | {"slug": "x y"}, {"title": "T"}))
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert f"{content}/2025-03-14.json:2: paper 1: `slug` 'x y' is not" in result.stderr
    assert f"{content}/2025-03-14.json:3: paper 2: `slug` is missing" in result.stderr
    assert "Traceback" not in result.stderr
