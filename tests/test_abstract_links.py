"""Links from abstracts: where a URL ends, what it points at, and how listings' links merge."""

from __future__ import annotations

import re
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdigest.abstract_links import (
    LABELS,
    artifact_links,
    find_urls,
    link_key,
    merged_links,
)
from paperdigest.model import Link


def urls(text: str) -> list[str]:
    return [found.url for found in find_urls(text)]


# Phrasing from the bundled seed abstracts (content/*.txt), and forms real abstracts use.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The model weights and code are released here: https://github.com/mshukor/UnIVAL.",
         "https://github.com/mshukor/UnIVAL"),
        ("(Our implementation is available in https://github.com/LZY-the-boys/Twin-Mergin.)",
         "https://github.com/LZY-the-boys/Twin-Mergin"),
        ("available at \\url{https://github.com/saranya-venkatraman/multi_llm_story_writing}.",
         "https://github.com/saranya-venkatraman/multi_llm_story_writing"),
        ("will be publicly released\\url{https://github.com/thunlp/UltraChat}.",
         "https://github.com/thunlp/UltraChat"),
        ("is at {https://github.com/FudanDISC/SocialAgent}.",
         "https://github.com/FudanDISC/SocialAgent"),
        ("suite (https://github.com/x/child-play{ChildPlay GitHub Repository}) caution",
         "https://github.com/x/child-play"),
        ("\\href{https://github.com/x/y}{our repository}", "https://github.com/x/y"),
        ("https://github.com/x/C-2-DLM{here}", "https://github.com/x/C-2-DLM"),
        ("Project webpage: https://chain-of-code.github.io/.", "https://chain-of-code.github.io/"),
        ("at https://huggingface.co/datasets/a/b; and", "https://huggingface.co/datasets/a/b"),
        ("GitHub (https://www.nexa4ai.com/) to try", "https://www.nexa4ai.com/"),
        ("to be published at https://aka.ms/orca-lm), a 13-billion", "https://aka.ms/orca-lm"),
        ("The framework is available here: github.com/AgentTorch/AgentTorch.",
         "https://github.com/AgentTorch/AgentTorch"),
        ("Code open-sourced at: github.com/anyasims/edge-of-reach.",
         "https://github.com/anyasims/edge-of-reach"),
        ("see <https://github.com/x/y>", "https://github.com/x/y"),
        ("our [code](https://github.com/x/y).", "https://github.com/x/y"),
        ("(see https://en.wikipedia.org/wiki/Foo_(bar)).", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("[see](https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("at https://github.com/x/y... and more", "https://github.com/x/y"),
        ("Is it https://github.com/x/y?!", "https://github.com/x/y"),
        ("the repo 'https://github.com/x/y', quoted", "https://github.com/x/y"),
        ('the repo "https://github.com/x/y".', "https://github.com/x/y"),
        ("the repo “https://github.com/x/y”.", "https://github.com/x/y"),
        ("代码见https://github.com/x/y。数据集", "https://github.com/x/y"),
        ("代码：https://github.com/x/y，数据", "https://github.com/x/y"),
        ("see https://github.com/x/y—and more", "https://github.com/x/y"),
        ("see https://github.com/x/y\u200b.", "https://github.com/x/y"),
        ("at https://github.com/x/y's page", "https://github.com/x/y"),
        ("see **https://github.com/x/y**", "https://github.com/x/y"),
        ("https://example.org/a%20b/%E4%B8%AD?q=1&r=2#s", "https://example.org/a%20b/%E4%B8%AD?q=1&r=2#s"),
        ("https://zh.wikipedia.org/wiki/北京大学 is", "https://zh.wikipedia.org/wiki/北京大学"),
        ("https://de.wikipedia.org/wiki/Überwachung.", "https://de.wikipedia.org/wiki/Überwachung"),
        ("at https://github.com/x/a\\_b\\_c.", "https://github.com/x/a_b_c"),
        ("HTTPS://GitHub.com/X/Y.", "HTTPS://GitHub.com/X/Y"),
        ("demo at http://34.12.1.7:7860/.", "http://34.12.1.7:7860/"),
        ("availableathttps://github.com/x/y", "https://github.com/x/y"),
    ],
)  # fmt: skip
def test_a_url_ends_where_it_ends(text: str, expected: str) -> None:
    assert urls(text) == [expected]


def test_a_url_written_twice_as_in_href_is_two_urls_and_one_link() -> None:
    text = "Code is available at https://github.com/zihao-ai/BoT{https://github.com/zihao-ai/BoT}."
    assert urls(text) == ["https://github.com/zihao-ai/BoT"] * 2
    assert artifact_links(text) == (Link("code", "https://github.com/zihao-ai/BoT"),)


def test_urls_listed_without_a_space_are_two_but_a_url_inside_a_path_is_part_of_it() -> None:
    assert urls("https://github.com/a/b,https://github.com/c/d;HTTPS://x.org") == [
        "https://github.com/a/b", "https://github.com/c/d", "HTTPS://x.org"
    ]  # fmt: skip
    assert urls("https://web.archive.org/web/2024/https://x.org/a?to=https://y.org") == [
        "https://web.archive.org/web/2024/https://x.org/a?to=https://y.org"
    ]


def test_a_url_broken_by_a_line_wrap_is_not_joined() -> None:
    assert urls("at https://github.com/x/ long-name and") == ["https://github.com/x/"]
    assert artifact_links("at https://github.com/x/ long-name and") == ()


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/x git@github.com:x/y.git ssh://github.com/x/y",
        "https:// github.com",
        "https://",
        "https://.",
        "https://x@evil.com/",
        "https://localhost:8000/",
        "https://javascript:alert(1)",
        "user@github.com/x/y",
        "hosted on GitHub and HuggingFace, a github.com profile",
    ],
)
def test_what_is_no_url(text: str) -> None:
    assert urls(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('https://x.com/"><script>alert(1)</script>', "https://x.com/"),
        ("https://x.com/'onmouseover='alert(1)", "https://x.com/"),
        ("https://x.com/a<b>c", "https://x.com/a"),
        ("https://x.com/a\\b", "https://x.com/a"),
        ("https://x.com/a\\url{b}", "https://x.com/a"),
        ("https://x.com/a\x00b\x1fc\x7fd", "https://x.com/a"),
        ("https://x.com/a\u0085b", "https://x.com/a"),
        ("https://x.com/a`b", "https://x.com/a"),
        ("https://x.com/a\tb\nc", "https://x.com/a"),
        ("https://x.com/a\u2028b", "https://x.com/a"),
    ],
)
def test_a_url_is_cut_at_what_could_break_out_of_an_attribute(text: str, expected: str) -> None:
    assert urls(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code: https://github.com/x/y.", Link("code", "https://github.com/x/y")),
        ("https://github.com/x/y.git.", Link("code", "https://github.com/x/y")),
        ("https://github.com/x/y.git/", Link("code", "https://github.com/x/y")),
        ("https://github.com/modelscope/agentscope/tree/main/examples/paper_llm_based_algorithm.",
         Link("code", "https://github.com/modelscope/agentscope/tree/main/examples/paper_llm_based_algorithm")),
        ("https://gitlab.com/group/sub/project", Link("code", "https://gitlab.com/group/sub/project")),
        ("https://bitbucket.org/x/y", Link("code", "https://bitbucket.org/x/y")),
        ("https://codeberg.org/x/y", Link("code", "https://codeberg.org/x/y")),
        ("https://gist.github.com/abc123", Link("code", "https://gist.github.com/abc123")),
        ("github.com/x/y", Link("code", "https://github.com/x/y")),
        ("https://huggingface.co/infly/Universal-PRM-7B.",
         Link("model", "https://huggingface.co/infly/Universal-PRM-7B")),
        ("https://hf.co/x/y", Link("model", "https://hf.co/x/y")),
        ("https://huggingface.co/datasets/ifujisawa/procbench",
         Link("dataset", "https://huggingface.co/datasets/ifujisawa/procbench")),
        ("https://huggingface.co/datasets/squad", Link("dataset", "https://huggingface.co/datasets/squad")),
        ("https://huggingface.co/spaces/x/demo", Link("demo", "https://huggingface.co/spaces/x/demo")),
        ("https://hf-proxy-2.923828430.workers.dev/datasets/math-ai/TemplateGSM.",
         Link("dataset", "https://huggingface.co/datasets/math-ai/TemplateGSM")),
        ("models (https://huggingface.host/NexaAIDev/Octopus-v4), and",
         Link("model", "https://huggingface.co/NexaAIDev/Octopus-v4")),
        ("Project page: https://x.github.io/y/.", Link("project", "https://x.github.io/y/")),
        ("https://sites.google.com/view/words-to-routes/",
         Link("project", "https://sites.google.com/view/words-to-routes/")),
        ("https://huggingface.co/blog/x", Link("project", "https://huggingface.co/blog/x")),
        ("videos: https://youtu.be/gCuUyGETbTU (part 1)", Link("video", "https://youtu.be/gCuUyGETbTU")),
    ],
)  # fmt: skip
def test_a_link_is_classified_by_its_host_and_path(text: str, expected: Link) -> None:
    assert artifact_links(text) == (expected,)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2403.13187", "https://export.arxiv.org/pdf/2403.13187",
        "https://doi.org/10.1/x", "https://openreview.net/forum?id=x",
        "https://aclanthology.org/2024.acl-long.1/", "https://huggingface.co/papers/2403.13187",
        "https://paperswithcode.com/paper/x", "https://github.com", "https://github.com/",
        "https://github.com/THUDM", "https://github.com/orgs/x/repositories",
        "https://github.com/topics/llm", "https://huggingface.co", "https://huggingface.co/THUDM",
        "https://hf-proxy-2.923828430.workers.dev/THUDM.", "https://huggingface.co/datasets",
        "https://huggingface.co/spaces/x", "https://huggingface.co/models?search=x",
        "https://creativecommons.org/licenses/by/4.0/", "https://youtube.com",
    ],
)  # fmt: skip
def test_papers_profiles_and_bare_hosts_give_no_link(url: str) -> None:
    assert artifact_links(f"see {url} here") == ()


def test_links_come_once_each_in_order_of_first_appearance() -> None:
    text = (
        "Code: https://github.com/THUDM/T1. Mirror: https://github.com/thudm/t1/ and "
        "https://github.com/THUDM/T1/tree/main/eval; page https://x.github.io/p/ "
        "(https://X.github.io/p), data https://huggingface.co/datasets/a/b, "
        "again https://www.huggingface.co/datasets/a/b/ and http://github.com/THUDM/T1.git"
    )
    assert artifact_links(text) == (
        Link("code", "https://github.com/THUDM/T1"),
        Link("project", "https://x.github.io/p/"),
        Link("dataset", "https://huggingface.co/datasets/a/b"),
    )


def test_a_listings_links_come_first_and_the_abstract_adds_what_they_lack() -> None:
    given = (Link("code", "https://github.com/x/y"), Link("project", "https://x.github.io/y"))
    found = artifact_links(
        "Code at https://github.com/x/y/tree/main/src, page at https://x.github.io/y/, "
        "model at https://huggingface.co/x/y-7b."
    )
    assert merged_links(given, found) == (*given, Link("model", "https://huggingface.co/x/y-7b"))
    assert merged_links((), found) == found and merged_links(given, ()) == given


def test_the_key_ignores_scheme_case_of_host_slash_and_fragment_but_not_the_query() -> None:
    assert link_key("http://WWW.Example.org/a/#top") == link_key("https://example.org/a")
    assert link_key("https://example.org/a?x=1") != link_key("https://example.org/a?x=2")
    assert link_key("https://example.org/A") != link_key("https://example.org/a")
    assert link_key("https://gitlab.com/g/s/p/-/tree/main") == link_key("https://gitlab.com/g/s/p")


def test_every_kind_has_a_label() -> None:
    assert LABELS["code"] == "Code" and LABELS["project"] == "Project page"
    kinds = {link.kind for link in artifact_links(
        "https://github.com/a/b https://huggingface.co/a/b https://huggingface.co/datasets/a/b "
        "https://huggingface.co/spaces/a/b https://a.github.io https://youtu.be/x"
    )}  # fmt: skip
    assert kinds == set(LABELS)


# --- properties -----------------------------------------------------------------------------

NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}(\.[A-Za-z0-9_-]{1,8}){0,2}", fullmatch=True)
SEGMENT = st.one_of(
    NAME,
    st.from_regex(r"[a-z]{1,6}%[0-9A-F]{2}[a-z]{1,6}", fullmatch=True),
    st.text(alphabet="éüßあ中文Ωж", min_size=1, max_size=6),
    NAME.map(lambda name: f"{name}_({name})"),
)
REPO_URL = st.builds(
    lambda scheme, host, owner, name, deep, slash: (
        f"{scheme}{host}/{owner}/{name}{''.join('/' + s for s in deep)}{slash}"
    ),
    st.sampled_from(["https://", "http://", "HTTPS://"]),
    st.sampled_from(
        [
            "github.com",
            "gitlab.com",
            "huggingface.co",
            "huggingface.co/datasets",
            "huggingface.co/spaces",
            "codeberg.org",
            "x-y.github.io",
            "www.example.org",
        ]
    ),  # fmt: skip
    NAME,
    NAME,
    st.lists(SEGMENT, max_size=3),
    st.sampled_from(["", "/"]),
)
WORDS = st.text(alphabet=string.ascii_letters + " ,", max_size=30)
BEFORE = st.sampled_from(["", " ", " (", " {", " \\url{", " <", " [code](", " “", ": ", "：", "「"])
AFTER = st.lists(
    st.sampled_from(
        list(".,;:!?'\"*")
        + [
            ")",
            "]",
            "}",
            "”",
            "。",
            "，",
            "、",
            "）",
            "{here}",
            "{\\textbf{x}}",
            "...",
            "…",
            " ",
            "\u00a0",
            "\n",
            "<",
            ">",
            "\\",
            "\\footnote{x}",
        ]
    ),  # fmt: skip
    max_size=4,
)


@settings(max_examples=400)
@given(WORDS, BEFORE, REPO_URL, AFTER, WORDS)
def test_a_url_in_a_sentence_is_found_exactly(
    head: str, before: str, url: str, after: list[str], tail: str
) -> None:
    text = f"{head}{before}{url}{''.join(after)} {tail}"
    assert urls(text) == [url]


@settings(max_examples=200)
@given(WORDS, st.sampled_from([" ", " (", ": ", "{"]), NAME, NAME, AFTER)
def test_a_url_without_scheme_on_a_code_host_gets_https(
    head: str, before: str, owner: str, name: str, after: list[str]
) -> None:
    text = f"{head}{before}github.com/{owner}/{name}{''.join(after)}"
    assert urls(text) == [f"https://github.com/{owner}/{name}"]


HOSTILE = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("htps:/.w{}()[]<>\"'`\\ _%#&~@?!;,\x00\n。”—é")),
        st.characters(),
    ),
    max_size=80,
).map(lambda noise: noise.replace("HTTP", "https://github.com/a/"))


@settings(max_examples=500)
@given(st.one_of(HOSTILE, st.text(max_size=80)), HOSTILE)
def test_found_urls_are_http_substrings_that_cannot_break_out(head: str, tail: str) -> None:
    text = f"{head} https://github.com/{tail}"
    position = 0
    for found in find_urls(text):
        assert position <= found.start < found.end <= len(text)
        position = found.end
        written = text[found.start : found.end]
        assert re.sub(r"\\([_%#&~])", r"\1", written) == found.text
        assert found.url in (found.text, "https://" + found.text)
        assert re.match(r"https?://", found.url, re.IGNORECASE)
        assert not re.search(r"[\s\"'<>\\`{}\[\]|^\x00-\x1f\x7f]", found.url)
    for link in artifact_links(text):
        assert re.match(r"https?://", link.url, re.IGNORECASE)
        assert not re.search(r"[\s\"'<>\\`]", link.url)


@pytest.mark.parametrize(
    "text",
    [
        "https://" * 20_000,
        "https://a." * 20_000,
        "(" * 100_000 + "https://x.org/" + ")" * 100_000,
        "github.com/" * 20_000,
        " https://x.org" * 20_000,
        "a.github.io" * 20_000,
    ],
)
def test_hostile_runs_are_read_in_linear_time(text: str) -> None:
    # Each of these took two minutes or more when every start re-read the run after it, or
    # every `.github.io` looked back over all the text before it.
    started = time.perf_counter()
    find_urls(text)
    artifact_links(text)
    assert time.perf_counter() - started < 5


def test_the_measurement_script_runs_and_lists_what_it_measures() -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "abstract_links.py"
    result = subprocess.run(
        [sys.executable, str(script), "--papers", "60", "--links"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for heading in (
        "## Bundled seeds",
        "### Cut otherwise than naive",
        "### URLs that give no",
        "### Every link",
        "## Seed links in generated wrappers",
        "| CJK full stop |",
    ):
        assert heading in result.stdout  # fmt: skip
    assert "`https://github.com/mshukor/UnIVAL.` → `https://github.com/mshukor/UnIVAL`" in (
        result.stdout
    )
