"""Related papers: a small corpus in three themes whose right neighbours are known."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdigest import related
from paperdigest.related import Related, RelatedMemo, related_papers
from paperdigest.word_counts import Counts, combined, count_words

SLAM = [
    ("slam-lidar", "LiDAR SLAM for Legged Robots",
     "We present a SLAM system that fuses LiDAR scans and inertial odometry on a legged robot. "
     "Loop closure keeps the map consistent over long trajectories in outdoor terrain."),
    ("slam-visual", "Visual SLAM with Learned Features",
     "Our visual SLAM pipeline tracks learned keypoints from a monocular camera and runs "
     "loop closure with pose graph optimization, so the robot map stays consistent."),
    ("slam-dense", "Dense Mapping for Robot Navigation",
     "A robot builds a dense map from depth camera frames; odometry drift is corrected by "
     "loop closure and pose graph optimization during navigation."),
    ("slam-radar", "Radar Odometry in Fog",
     "Radar odometry lets a robot localize when LiDAR and camera fail in fog. We add loop "
     "closure to a radar SLAM map and compare trajectories against LiDAR odometry."),
]  # fmt: skip
DIFFUSION = [
    ("diffusion-latent", "Latent Diffusion for High-Resolution Images",
     "We train a diffusion model in the latent space of an autoencoder. Denoising steps in "
     "latent space generate high-resolution images with far less compute."),
    ("diffusion-guidance", "Classifier-Free Guidance Revisited",
     "Classifier-free guidance trades diversity for fidelity in diffusion sampling. We study "
     "the guidance scale and the denoising schedule for text-to-image generation."),
    ("diffusion-distill", "Distilling Diffusion Samplers into Few Steps",
     "Sampling a diffusion model takes many denoising steps. Distillation teaches a student "
     "sampler to generate images in four steps with little loss of fidelity."),
    ("diffusion-edit", "Image Editing with Text-to-Image Diffusion",
     "A text-to-image diffusion model edits images from prompts: we invert the denoising "
     "process and apply guidance to change only the described region of the images."),
]  # fmt: skip
AGENTS = [
    ("agents-tools", "Language Model Agents that Use Tools",
     "Large language model agents call tools such as search and a calculator. We evaluate "
     "tool use on multi-step reasoning benchmarks and find planning errors dominate."),
    ("agents-cot", "Chain-of-Thought Reasoning in Language Models",
     "Chain-of-thought prompting elicits step-by-step reasoning from large language models "
     "and improves accuracy on math word problems and reasoning benchmarks."),
    ("agents-plan", "Planning with Language Model Agents",
     "Agents built on a large language model plan multi-step tasks, reflect on failures and "
     "retry; planning with reflection improves success on reasoning benchmarks."),
    ("agents-verify", "Verifiers for Math Reasoning",
     "A verifier scores each reasoning step of a language model on math problems; ranking "
     "chain-of-thought samples by the verifier raises accuracy."),
]  # fmt: skip
CORPUS = SLAM + DIFFUSION + AGENTS
THEME = {slug: name for name, papers in (("slam", SLAM), ("diffusion", DIFFUSION),
         ("agents", AGENTS)) for slug, _, _ in papers}  # fmt: skip
TEXT = {slug: f"{title} {abstract}" for slug, title, abstract in CORPUS}


def words(text: str) -> set[str]:
    """The lowercase word tokens a reader sees in a text."""
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def test_neighbours_are_from_the_same_theme() -> None:
    related = related_papers(CORPUS)
    assert set(related) == set(THEME)
    for slug, listed in related.items():
        assert listed, slug
        assert [THEME[r.slug] for r in listed] == [THEME[slug]] * len(listed), slug


def test_a_paper_is_never_related_to_itself_and_lists_at_most_count() -> None:
    related = related_papers(CORPUS, count=2)
    for slug, listed in related.items():
        assert slug not in {r.slug for r in listed}
        assert 1 <= len(listed) <= 2


def test_shared_words_are_in_both_texts() -> None:
    for slug, listed in related_papers(CORPUS).items():
        for other in listed:
            assert 1 <= len(other.shared) <= 3
            assert set(other.shared) <= words(TEXT[slug]) & words(TEXT[other.slug])


def test_the_best_neighbour_and_why() -> None:
    related = related_papers(CORPUS)
    assert related["slam-visual"][0] == Related("slam-dense", ("robot", "graph", "optimization"))
    assert related["diffusion-distill"][0].slug == "diffusion-latent"


def test_the_order_within_the_reference_does_not_matter() -> None:
    shuffled = CORPUS[:]
    random.Random(7).shuffle(shuffled)
    everyone = len(CORPUS)
    assert related_papers(shuffled, reference=everyone) == related_papers(
        CORPUS, reference=everyone
    )


@settings(max_examples=20, deadline=None)
@given(st.permutations(CORPUS))
def test_any_order_gives_the_same_lists(papers: list[tuple[str, str, str]]) -> None:
    everyone = len(CORPUS)
    assert related_papers(papers, reference=everyone) == related_papers(CORPUS, reference=everyone)


NEW = [
    ("slam-thermal", "Thermal SLAM for Robots in Smoke",
     "A thermal camera gives a robot odometry in smoke; loop closure keeps its map."),
    ("diffusion-audio", "Audio Diffusion Models", "Denoising diffusion generates audio clips."),
    ("agents-web", "Web Agents", "Language model agents browse the web and plan tasks."),
]  # fmt: skip


def test_new_papers_change_a_list_only_by_entering_it() -> None:
    # 12 papers, then 15: the reference stays the oldest 8, so the likeness of two papers
    # seen before is as it was, and a list changes only where a new paper enters it.
    before = related_papers(CORPUS)
    after = related_papers([*CORPUS, *NEW])
    new = {slug for slug, _, _ in NEW}
    entered = 0
    for slug, listed in before.items():
        old = [r for r in after[slug] if r.slug not in new]
        assert old == list(listed[: len(old)]), slug
        if len(old) == len(after[slug]):
            assert after[slug] == listed, slug
        entered += len(old) < len(after[slug])
    assert entered  # new papers do enter some lists


def test_ties_are_broken_by_slug() -> None:
    twin = ("Loop Closure for SLAM", "Loop closure corrects odometry drift in a robot map.")
    papers = [("z-twin", *twin), ("a-twin", *twin), *CORPUS]
    related = related_papers(papers, reference=len(papers))
    listed = [r.slug for r in related["slam-dense"]]
    assert listed.index("a-twin") + 1 == listed.index("z-twin")
    assert related["z-twin"][0].slug == "a-twin"
    assert related["a-twin"][0].slug == "z-twin"


def test_papers_without_usable_words_relate_to_nothing() -> None:
    papers = [*CORPUS, ("empty", "On the", ""), ("stop", "We Are What We Are", "It is so.")]
    related = related_papers(papers)
    assert related["empty"] == ()
    assert related["stop"] == ()
    assert all(r.slug not in {"empty", "stop"} for listed in related.values() for r in listed)


def test_unrelated_papers_are_not_listed() -> None:
    papers = [*SLAM, ("baking", "Sourdough Bread Fermentation", "Yeast and flour rise overnight.")]
    assert related_papers(papers)["baking"] == ()


def test_latex_commands_are_not_words() -> None:
    papers = [
        ("fuse-a", "Merging Chat Models", r"\textsc{FuseChat} merges $\alpha$-weighted models."),
        ("fuse-b", "Chat Model Fusion", r"We extend \textsc{FuseChat} with $\mathbf{W}$ fusion."),
        *SLAM,
    ]  # fmt: skip
    shared = {word for r in related_papers(papers)["fuse-a"] for word in r.shared}
    assert "fusechat" in shared
    assert not shared & {"textsc", "alpha", "mathbf"}


def test_an_unrelated_paper_leaves_other_themes_alone() -> None:
    before = related_papers(CORPUS)
    video = ("diffusion-video", "Video Diffusion", "Diffusion denoises video clips frame by frame.")
    after = related_papers([*CORPUS, video])
    for slug in THEME:
        if THEME[slug] != "diffusion":
            assert after[slug] == before[slug], slug


def test_a_memo_of_the_last_build_gives_what_a_build_from_scratch_gives() -> None:
    memo = RelatedMemo()
    related_papers(CORPUS, memo=memo)
    revised = [
        (slug, title, "Loop closure for a radar SLAM map in fog.")
        if slug == "slam-radar"
        else (slug, title, abstract)
        for slug, title, abstract in CORPUS
        if slug != "agents-verify"  # gone
    ]
    # The radar paper's revision keeps its first text in the statistics, as the build does.
    first = {"slam-radar": (SLAM[3][1], SLAM[3][2])}
    grown = [*revised, *NEW]
    assert related_papers(grown, first_texts=first, memo=memo) == related_papers(
        grown, first_texts=first
    )
    assert memo.texts.keys() == {slug for slug, _, _ in grown}


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(CORPUS + NEW), unique=True, min_size=2),
    st.lists(st.sampled_from(CORPUS + NEW), unique=True, min_size=2),
)
def test_any_next_build_with_a_memo_matches_one_from_scratch(
    first: list[tuple[str, str, str]], second: list[tuple[str, str, str]]
) -> None:
    memo = RelatedMemo()
    related_papers(first, memo=memo)
    memo.saved = True  # as a loaded memo is
    before = (memo.epoch, dict(memo.texts), memo.lists, dict(memo.counted))
    assert related_papers(second, memo=memo) == related_papers(second)
    # It says it is unchanged only if it is.
    after = (memo.epoch, memo.texts, memo.lists, memo.counted)
    if memo.saved:
        assert after == before


_TEXTS = [(title, abstract) for _, title, abstract in CORPUS + NEW] + [
    ("Schrödinger Bridges", r"A \\textsc{Bridge} costs $5 and $x^2$ — naïve."),
    ("", ""),
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_TEXTS)), st.lists(st.sampled_from(_TEXTS)))
def test_a_texts_counts_are_the_same_whatever_is_counted_with_it(
    first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> None:
    # What lets a rebuild count only new texts: counted apart and combined, or together,
    # every row has the same words with the same counts, in the same order.
    together = count_words(first + second)
    apart = combined([count_words(first), count_words(second)])
    assert _rows_of(apart) == _rows_of(together)


def test_pruned_counts_keep_every_row_over_only_the_words_rows_use() -> None:
    counts = count_words([("Sparse graphs", "walks"), ("Dense graphs", "matrices")])
    assert counts.pruned() is counts  # every word is used: nothing to copy
    second = counts.rows([1])
    pruned = second.pruned()
    assert pruned.words == ("dense", "graphs", "matrices")
    assert _rows_of(pruned) == _rows_of(second)


def _rows_of(counts: Counts) -> list[list[tuple[str, float]]]:
    matrix = counts.matrix
    return [
        [
            (counts.words[column], value)
            for column, value in zip(
                matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True
            )
        ]
        for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    ]


def test_a_rebuild_counts_only_texts_it_has_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = RelatedMemo()
    related_papers(CORPUS, memo=memo)
    counted: list[tuple[str, str]] = []

    def counting(texts: list[tuple[str, str]]) -> Counts:
        counted.extend(texts)
        return count_words(texts)

    monkeypatch.setattr(related, "count_words", counting)
    assert related_papers([*CORPUS, *NEW], memo=memo) == related_papers([*CORPUS, *NEW])
    assert sorted(counted[: len(NEW)]) == sorted((title, abstract) for _, title, abstract in NEW)
    assert len(counted) == len(NEW) + len(CORPUS + NEW)  # the second call had no memo


def test_the_weights_are_scikit_learns_tf_idf() -> None:
    # scikit-learn is a test dependency only: importing it would cost each build a second.
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    from paperdigest.similarity import weigh

    rng = np.random.default_rng(5)
    counts = sp.csr_matrix(rng.poisson(0.4, size=(40, 25)).astype(np.float64))
    reference = counts[:16]
    expected = TfidfTransformer(sublinear_tf=True).fit(reference).transform(counts)
    assert np.allclose(weigh(counts, reference).toarray(), expected.toarray())


def test_the_stop_words_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from paperdigest.stop_words import STOP_WORDS

    assert STOP_WORDS == ENGLISH_STOP_WORDS


def test_a_lone_dollar_sign_leaves_the_next_paper_alone() -> None:
    # Texts are read in batches: math must not run from one paper into the next.
    papers = [
        ("a-cheap", "Cheap Compute", "It costs $5 to run."),
        ("b-lidar", "Lidar Odometry for Robots", "Lidar odometry at $x$ scale for robots."),
        ("c-lidar", "Robots with Lidar Odometry", "Odometry from lidar on small robots."),
        ("d-bread", "Sourdough", "Yeast rises."),  # words in half the papers are too common
    ]
    related = related_papers(papers, reference=4)
    assert related["b-lidar"] == (Related("c-lidar", ("lidar", "odometry", "robots")),)


def test_a_rebuild_reuses_the_lists_and_matches_a_cold_build(tmp_path: Path) -> None:
    from conftest import digest_text, every_file
    from paperdigest.build import BuildOptions, build
    from paperdigest.read.cache import RELATED, cache_path

    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yml").write_text("year: 2025\n")
    (content / "2025-03-10.txt").write_text(digest_text("Mar 10", *[p[1:] for p in CORPUS]))
    live = BuildOptions(content=content, out=tmp_path / "live", search=False)
    build(live)
    memo_file = cache_path(live.out) / RELATED
    written = memo_file.stat()
    # A build with nothing new leaves the memo's file as it was: it is not written again.
    build(live)
    assert (memo_file.stat().st_mtime_ns, memo_file.stat().st_ino) == (
        written.st_mtime_ns, written.st_ino
    )  # fmt: skip
    (content / "2025-03-11.txt").write_text(digest_text("Mar 11", *[p[1:] for p in NEW]))
    build(live)
    assert memo_file.stat().st_ino != written.st_ino  # replaced: it holds the new papers
    build(BuildOptions(content=content, out=tmp_path / "cold", search=False, prepare_next=False))
    live_files, cold_files = every_file(tmp_path / "live"), every_file(tmp_path / "cold")
    assert live_files.keys() == cold_files.keys()
    assert [p for p in live_files if live_files[p] != cold_files[p]] == []
    page = next((tmp_path / "live/papers").glob("thermal-slam-for-robots-in-smoke-*.md"))
    assert "## Related papers" in page.read_text()
