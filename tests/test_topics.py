"""Topic rules from site.yml: what each topic matches, and how bad rules are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import digest_text, error_lines, run_cli, write_files
from paperdigest.config import parse_config
from paperdigest.errors import ContentError, ContentErrors
from paperdigest.topics import Topic, topics_of, words

PATH = "content/site.yml"
SLAM = Topic("Robot mapping", "slam", "", ("SLAM", "visual odometry"), ("watermark",))


def topics(text: str) -> tuple[Topic, ...]:
    return parse_config(PATH, "topics:\n" + text).topics


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        ("SLAM-Based Mapping for Legged Robots", "", True),
        ("A Survey", "We fuse Visual  Odometry with lidar.", True),  # a phrase, any spacing
        ("A Survey", "We study visual and odometry cues.", False),  # the words, not in order
        ("SLAM: Watermarking LLM Output", "A watermark for text.", False),  # excluded
        ("SLAMMER: Fast Hashing", "", False),  # a whole word only
        ("Mapping", r"We use \textsc{SLAM} indoors.", True),  # LaTeX read as text
        ("Ｓｌａｍ in full width", "", True),  # NFKC and case folding, like titles
    ],
)
def test_include_exclude_and_whole_words(title: str, abstract: str, expected: bool) -> None:
    assert SLAM.matches(title, abstract) is expected


def test_title_phrases_must_also_be_in_the_title() -> None:
    [topic] = topics("  - name: Diffusion\n    include: [diffusion]\n    title: [diffusion]\n")
    assert topic.matches("Diffusion Models Beat GANs", "")
    assert not topic.matches("A Survey of GANs", "We compare diffusion models.")


def test_plurals_are_folded_only_when_asked() -> None:
    plain, folded = topics(
        "  - name: Agents\n    include: agent\n"
        "  - name: Agents too\n    include: agent\n    plurals: true\n"
    )
    assert not plain.matches("Multi-Agents at Scale", "") and plain.matches("One Agent", "")
    assert folded.matches("Multi-Agents at Scale", "") and not folded.matches("Agentic AI", "")


def test_a_papers_topics_come_in_site_yml_order() -> None:
    config = topics(
        "  - name: Agents\n    include: [agent, agents]\n"
        "  - name: Robot mapping\n    slug: slam\n    include: SLAM\n"
    )
    assert topics_of(config, "SLAM for Agents", "") == ("agents", "slam")
    assert topics_of(config, "Neither", "") == ()


def test_hostile_names_give_safe_slugs_and_stay_names() -> None:
    code, climb = topics(
        "  - name: 'x = a < b && c > d'\n    include: x\n  - name: '../../etc'\n    include: y\n"
    )
    assert (code.name, code.slug) == ("x = a < b && c > d", "x-a-b-c-d")
    assert (climb.name, climb.slug) == ("../../etc", "etc")


def test_a_name_that_looks_like_html_is_refused() -> None:
    # Pages would show it literally; a feed reader may run a feed title's markup.
    with pytest.raises((ContentError, ContentErrors)) as raised:
        topics("  - name: '<script>alert(1)</script>'\n    include: x\n")
    assert error_lines(raised.value) == [
        f"{PATH}:2: topic 1: `name` '<script>alert(1)</script>' looks like HTML, which feed "
        "readers may run"
    ]


def test_every_bad_rule_is_named_with_its_line() -> None:
    text = (
        "title: T\n"
        "topics:\n"
        "  - name: Fine\n    include: [a]\n"  # 3-4
        "  - include: [b]\n"  # 5: no name
        "  - name: Typo\n    includes: [c]\n"  # 6-7
        "  - name: Bad slug\n    slug: ../x\n    include: d\n"  # 8-10
        "  - name: Fine again\n    slug: fine\n    include: e\n"  # 11-13: slug taken
        "  - just text\n"  # 14
        "  - name: Empty phrase\n    include: ['  ', '!!']\n"  # 15-16
        "  - name: Flag\n    include: f\n    plurals: maybe\n"  # 17-19
    )
    with pytest.raises((ContentError, ContentErrors)) as caught:
        parse_config(PATH, text)
    assert error_lines(caught.value) == [
        f"{PATH}:5: topic 2: `name` is required",
        f"{PATH}:6: topic 3: `include` is required",
        f"{PATH}:7: topic 3: unknown key `includes`; known: name, slug, description, include, "
        "exclude, title, plurals",
        f"{PATH}:9: topic 4: `slug` '../x' must be lowercase letters and digits joined by "
        "single hyphens, at most 60 characters",
        f"{PATH}:11: topic slug `fine` is taken by the topic on line 3",
        f"{PATH}:14: topic 6 must be a mapping such as `name: …`",
        f"{PATH}:16: topic 7: `include`: '  ' has no words to match",
        f"{PATH}:19: topic 8: `plurals` must be true or false",
    ]


def test_topics_must_be_a_list() -> None:
    with pytest.raises(ContentError, match=r"site.yml:1: `topics` must be a list of topics"):
        parse_config(PATH, "topics: agents\n")


_words = st.sampled_from(["slam", "SLAM", "odometry", "visual", "robot", "-", "watermark", "x"])


@given(st.lists(_words, max_size=12), st.lists(_words, max_size=12))
def test_an_excluded_word_always_wins(title: list[str], abstract: list[str]) -> None:
    matched = SLAM.matches(" ".join(title), " ".join(abstract))
    if "watermark" in title + abstract:
        assert not matched
    elif "slam" in [w.lower() for w in title + abstract]:
        assert matched


def _starts(text: str, phrase: str, plurals: bool) -> int:
    """Where a phrase starts in a text, by the definition: its words in order, compared as
    lists of words (the last one with `s` or `es` if plurals are on)."""
    have, wanted = words(text), words(phrase)
    last = {wanted[-1]} | ({wanted[-1] + "s", wanted[-1] + "es"} if plurals else set())
    size = len(wanted)
    return sum(
        have[i : i + size - 1] == wanted[:-1] and have[i + size - 1] in last
        for i in range(len(have) - size + 1)
    )


_pieces = st.sampled_from(
    ["agent", "Agents", "agentes", "agent's", "AGENT_1", "tool", "tool use", "use", "x", "é",
     "Ａgent", "\\textsc{agent}", "$x_{agent}$", "\\emph{tool}s", "ﬁne", "fine", "agent-tool",
     "agent--tool", "tool/use", "user", "reagent", "agentic"]
)  # fmt: skip
_glue = st.sampled_from([" ", "", "-", "\n", ", ", "\u00a0", "—"])
_text = st.lists(st.tuples(_pieces, _glue), max_size=10).map(
    lambda parts: "".join(piece + glue for piece, glue in parts)
)
_phrase = st.lists(
    st.sampled_from(["agent", "tool", "use", "fine", "é", "x"]), min_size=1, max_size=3
)


@given(_text, _text, _phrase, _phrase, st.booleans())
def test_matching_is_whole_words_in_order(
    title: str, abstract: str, include: list[str], exclude: list[str], plurals: bool
) -> None:
    include_phrase, exclude_phrase = " ".join(include), "-".join(exclude)
    topic = Topic("T", "t", "", (include_phrase,), (exclude_phrase,), plurals=plurals)
    found = {
        (name, which): _starts(text, phrase, plurals)
        for name, text in (("title", title), ("abstract", abstract))
        for which, phrase in (("include", include_phrase), ("exclude", exclude_phrase))
    }
    expected = not (found["title", "exclude"] or found["abstract", "exclude"]) and bool(
        found["title", "include"] or found["abstract", "include"]
    )
    assert topic.matches(title, abstract) is expected
    one_mention = not found["title", "include"] and found["abstract", "include"] == 1
    assert topic.borderline(title, abstract) is one_mention


def test_the_report_counts_matches_and_shows_those_resting_on_one_mention(
    tmp_path: Path,
) -> None:
    config = (
        "year: 2025\ntopics:\n  - name: Robot *mapping*\n    slug: slam\n"
        "    include: SLAM\n    exclude: watermark\n"
    )
    dump = digest_text(
        "Mar 14",
        ("SLAM for Legged Robots", "We map rooms."),
        ("A Survey of Sensors", "One section covers SLAM briefly."),
        ("SLAM: Watermarking LLMs", "We watermark text."),
        ("Nothing Related", "We study fonts."),
    )
    write_files(tmp_path / "content", {"site.yml": config, "2025-03-14.txt": dump})
    result = run_cli("topics", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Robot *mapping* (slug slam): 2 papers\n"
        "  borderline (no include phrase in the title, one in the abstract):\n"
        "  - A Survey of Sensors\n"
    )
