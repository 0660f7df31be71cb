"""Input keys: derived from what each output shows, so a shown change always changes them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import dated, digest_text, write_files
from hf import hf_day, hf_record
from paperdigest.config import SiteConfig
from paperdigest.dedupe import build_library
from paperdigest.derive import derive
from paperdigest.plan.keys import output_id, record_key, shared_key
from paperdigest.plan.outputs import Output, Plan, plan_outputs
from paperdigest.read.readers import READERS
from paperdigest.render.renderer import Renderer, RenderTimes
from paperdigest.render.templates import load_templates, templates_dir
from paperdigest.topics import Topic

TOPICS = (
    Topic("Alphas", "alphas", "Papers on alpha.", ("alpha",), plurals=True),
    Topic("Epsilon", "epsilon", "", ("epsilon", "works"), ("never",), ("epsilon",)),
)
SITE = SiteConfig(title="Keys", base_url="https://example.org/keys/", year=2025, topics=TOPICS)
CONTENT = {
    "2025-03-13.txt": digest_text(
        "Mar 13", ("Alpha Paper", "Old text."), ("Beta", "Robots map rooms with lidar.")
    ),
    "2025-03-14.txt": digest_text(
        "Mar 14", ("Alpha Paper", "New text."), ("Gamma", "Robots map halls with lidar.")
    ),
    "2025-04-02.txt": digest_text("Apr 2", ("Delta", "D http://x.org/d.")),
    "2025-04-03.json": hf_day(
        hf_record("2504.00001", "Epsilon", day="2025-04-03", authors=["A. One", "B. Two"]),
    ),
    "2025-04-04.json": hf_day(
        hf_record(
            "2504.00001",
            "Epsilon Revised",
            "We revise it. It works.",
            day="2025-04-04",
            authors=["A. One"],
            github="https://github.com/a-one/epsilon",
        ),
        hf_record("2504.00002", "Zeta", "We revise Epsilon: it works.", day="2025-04-04"),
    ),
}


def plan_of(files: dict[str, str], site: SiteConfig = SITE, search: bool = True) -> Plan:
    parsed = [
        READERS[Path(name).suffix](f"content/{name}", text.encode())[0]
        for name, text in files.items()
    ]
    library = build_library(dated(parsed, site.year))
    theme = load_templates(templates_dir()).theme()
    return plan_outputs(library, derive(library, site), site, theme, search)


PLAN = plan_of(CONTENT)


def _filled(output: Output) -> int:
    """How many of a record's fields hold something (a richer sample tests more)."""
    record = output.record
    return sum(bool(getattr(record, f.name)) for f in dataclasses.fields(record))


ONE_OF_EACH = {type(output.record).__name__: output for output in sorted(PLAN.outputs, key=_filled)}


def test_every_kind_of_output_is_planned() -> None:
    assert sorted(ONE_OF_EACH) == [
        "ArchivePage", "DigestExport", "DigestPage", "Feed", "FeedItem", "HomePage",
        "LlmsTxt", "MonthPage", "NoDigestPage", "NotFoundPage", "Opml", "PaperIndex",
        "PaperMonth", "PaperPage", "Robots", "Schema", "SearchPage", "Shard", "Sitemap",
        "StaticFile", "TopicMonthPage", "TopicPage", "TopicsPage",
    ]  # fmt: skip


def changed(value: Any) -> list[Any]:
    """Values of the same shape as `value` that differ from it."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, str):
        return [value + "x", value[:-1]] if value else ["x"]
    if isinstance(value, bytes):
        return [value + b"x"]
    if isinstance(value, date):
        return [value + timedelta(days=1)]
    if value is None:
        return [date(2025, 1, 1)]
    if isinstance(value, tuple):
        options: list[Any] = [value[:-1]] if value else []
        if value:
            options += [value[:-1] + (other,) for other in changed(value[-1])]
            options.append(value + value[-1:])
        return options
    if dataclasses.is_dataclass(value):
        return list(changed_records(value))
    raise AssertionError(f"no way to change a {type(value).__name__}")


def changed_records(record: Any) -> Any:
    """Copies of a record with one field (at any depth) changed."""
    for field in dataclasses.fields(record):
        for other in changed(getattr(record, field.name)):
            yield field.name, dataclasses.replace(record, **{field.name: other})


@pytest.mark.parametrize("kind", sorted(ONE_OF_EACH))
def test_changing_any_field_an_output_shows_changes_its_key(kind: str) -> None:
    record = ONE_OF_EACH[kind].record
    key = record_key(record, "shared")
    variants = list(changed_records(record))
    # Every field of the sample can be changed, so none escapes this test.
    assert {name for name, _ in variants} == {f.name for f in dataclasses.fields(record)}
    for name, variant in variants:
        assert record_key(variant, "shared") != key, f"{kind}.{name}"
    # The same record, rebuilt from equal parts, keeps its key.
    copy = dataclasses.replace(record)
    assert copy is not record and record_key(copy, "shared") == key


def test_changing_the_layout_or_the_templates_changes_every_key() -> None:
    shared = shared_key("fingerprint", PLAN.layout)
    assert shared_key("fingerprint", dataclasses.replace(PLAN.layout)) == shared
    assert shared_key("other templates", PLAN.layout) != shared
    for _, layout in changed_records(PLAN.layout):
        assert shared_key("fingerprint", layout) != shared


def test_planning_the_same_content_again_gives_the_same_keys() -> None:
    again = plan_of(dict(reversed(CONTENT.items())))
    assert [(o.id, o.key) for o in again.outputs] == [(o.id, o.key) for o in PLAN.outputs]


def test_a_new_digest_changes_the_keys_of_exactly_the_outputs_that_show_it() -> None:
    more = plan_of({**CONTENT, "2025-04-05.txt": digest_text("Apr 5", ("Delta", "D."))})
    before = {o.id: o.key for o in PLAN.outputs}
    after = {o.id: o.key for o in more.outputs}
    changed_ids = {name for name, key in after.items() if before.get(name) != key}
    delta = next(o.record.slug for o in more.outputs if getattr(o.record, "title", "") == "Delta")
    assert changed_ids == {
        output_id("page", ""),
        output_id("page", "archive"),
        output_id("page", "archive/2025-04"),  # its calendar
        output_id("page", "digests/2025-04-04"),  # its "next digest" link
        output_id("page", "digests/2025-04-05"),
        output_id("page", f"papers/{delta}"),
        output_id("feed", "2025-04-05"),
        output_id("file", "feed.xml"),
        output_id("file", "sitemap.xml"),
        output_id("search", "pagefind/shards/2025-04"),  # Delta's abstract changed
        output_id("file", "digests/2025-04-05.json.gz"),
        output_id("file", "papers/2025-04.json.gz"),  # Delta's dates
        output_id("file", "papers/index.json"),
        output_id("file", "llms.txt"),  # its latest digests
    }


def test_records_refuse_values_a_key_cannot_be_derived_from() -> None:
    @dataclasses.dataclass(frozen=True)
    class Loose:
        items: frozenset[str]

    with pytest.raises(TypeError, match="not a plain value for a record: frozenset"):
        record_key(Loose(frozenset({"a"})), "shared")


def _record_types(value: Any, found: dict[type, tuple[str, ...]]) -> None:
    """Every dataclass type inside `value`, with its fields' names."""
    if isinstance(value, tuple):
        for item in value:
            _record_types(item, found)
    elif dataclasses.is_dataclass(value):
        names = tuple(field.name for field in dataclasses.fields(value))
        found[type(value)] = names
        for name in names:
            _record_types(getattr(value, name), found)


def test_every_record_is_frozen_and_records_inside_records_differ_in_their_fields() -> None:
    # A key names an output's record class but not the classes inside it, which its text
    # shows as their fields by name: two of those with the same field names could stand
    # for each other unseen. Frozen, a record cannot change after its key is derived.
    inner: dict[type, tuple[str, ...]] = {}
    for output in PLAN.outputs:
        for field in dataclasses.fields(output.record):
            _record_types(getattr(output.record, field.name), inner)
    _record_types(PLAN.layout, inner)
    assert len(inner) > 15
    assert all(kind.__dataclass_params__.frozen for kind in inner)  # type: ignore[attr-defined]
    assert len(set(inner.values())) == len(inner), sorted(inner.values())
    tops = {type(output.record) for output in PLAN.outputs}
    assert all(kind.__dataclass_params__.frozen for kind in tops)  # type: ignore[attr-defined]


def test_a_record_json_cannot_hold_still_gets_a_key_of_everything_it_shows() -> None:
    # A lone surrogate (a file name's bytes that are not UTF-8) or a huge number.
    odd = Texts(("\udcff name",))
    assert record_key(odd, "shared") == record_key(Texts(("\udcff name",)), "shared")
    assert record_key(odd, "shared") != record_key(Texts(("\udcfe name",)), "shared")
    big = Number(2**70)
    assert record_key(big, "shared") == record_key(Number(2**70), "shared")
    assert record_key(big, "shared") != record_key(Number(2**70 + 1), "shared")


def rendered(plan: Plan, output: Output) -> list[tuple[str, bytes]]:
    renderer = Renderer(load_templates(templates_dir()), plan.layout, {})
    return renderer.render(output, RenderTimes())


_titles = st.sampled_from(["Alpha Paper", "alpha paper", "Beta", "Gamma", "Delta"])
_abstracts = st.sampled_from(["One.", "One.  again", "Two http://x.org/a.", "<b>Three</b>"])
_DAYS = {"Mar 13": "2025-03-13", "Mar 14": "2025-03-14", "Apr 2": "2025-04-02"}
# Files named by their date, in any number per day.
_contents = st.dictionaries(
    st.tuples(st.sampled_from(sorted(_DAYS)), st.sampled_from("abc")).map(
        lambda day_file: f"{_DAYS[day_file[0]]}-{day_file[1]}.txt"
    ),
    st.lists(st.tuples(_titles, _abstracts), min_size=1, max_size=3),
    min_size=1,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=_contents, second=_contents, title=st.sampled_from(["Keys", "Other"]))
def test_outputs_with_equal_keys_render_equal_bytes(
    first: dict[str, list[tuple[str, str]]],
    second: dict[str, list[tuple[str, str]]],
    title: str,
) -> None:
    # Whatever a renderer reads must be in the key: two sites whose outputs share an id
    # and a key must render those outputs to the same bytes.
    day = {iso: words for words, iso in _DAYS.items()}
    one = plan_of({n: digest_text(day[n[:10]], *e) for n, e in first.items()}, search=False)
    two = plan_of(
        {n: digest_text(day[n[:10]], *e) for n, e in second.items()},
        dataclasses.replace(SITE, title=title),
        search=False,
    )
    keys = {output.id: output for output in one.outputs}
    for output in two.outputs:
        twin = keys.get(output.id)
        if twin is not None and twin.key == output.key and output.paths:
            assert rendered(one, twin) == rendered(two, output), output.id


def test_a_build_records_each_outputs_key_in_the_manifest(tmp_path: Path) -> None:
    from paperdigest.build import BuildOptions, build

    content = write_files(tmp_path / "content", {"site.yml": "year: 2025\n", **CONTENT})
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    manifest = json.loads((tmp_path / "site/.paperdigest-manifest.json").read_text())
    planned = plan_of(CONTENT, SiteConfig(year=2025), search=False)
    assert manifest["keys"] == {output.id: output.key for output in planned.outputs}


@dataclasses.dataclass(frozen=True)
class Texts:
    values: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Number:
    value: int


def test_text_that_looks_like_a_separator_cannot_shift_fields() -> None:
    # A key hashes the record's JSON, which quotes every text: no value spills into the
    # next, whatever it holds.
    keys = {
        record_key(Texts(values), "shared")
        for values in [("a", "b"), ("a\x1fb",), ('a", "b',), ("a", "", "b"), ("ab",)]
    }
    assert len(keys) == 5
    parts = ["shared", "Texts", {"values": ["a", "b"]}]
    text = json.dumps(parts, separators=(",", ":")).encode()
    assert record_key(Texts(("a", "b")), "shared") == hashlib.sha256(text).hexdigest()
