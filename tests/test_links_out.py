"""Links out of a paper page: what each says and where it goes."""

from __future__ import annotations

from paperdigest.model import Link
from paperdigest.plan.links_out import has_html_version, labelled_links, paper_links


def test_arxiv_makes_html_versions_from_december_2023_on() -> None:
    assert [has_html_version(i) for i in ("2311.99999", "2312.00001", "2501.12345")] == [
        False,
        True,
        True,
    ]
    assert not has_html_version("hep-th/9901001")  # old-style IDs predate HTML versions
    labels = [link.label for link in paper_links("2311.00001", "T")]
    assert labels == ["arXiv 2311.00001", "PDF", "Hugging Face"]


def test_old_style_ids_link_their_arxiv_pages() -> None:
    (abstract, pdf, _) = paper_links("hep-th/9901001", "T")
    assert abstract.url == "https://arxiv.org/abs/hep-th/9901001"
    assert pdf.url == "https://arxiv.org/pdf/hep-th/9901001"


def test_without_an_id_the_title_is_searched_with_its_spaces_collapsed() -> None:
    urls = [link.url for link in paper_links("", "  A  Title\twith & more ")]
    assert urls[1] == "https://scholar.google.com/scholar?q=A+Title+with+%26+more"


def test_links_of_one_kind_are_told_apart_and_shown_in_kind_order() -> None:
    links = (
        Link("project", "https://a.github.io/p/"),
        Link("code", "https://github.com/a/one"),
        Link("dataset", "https://huggingface.co/datasets/a/d"),
        Link("code", "https://gitlab.com/b/two/"),
    )
    assert [(link.label, link.url) for link in labelled_links(links)] == [
        ("Code: a/one", "https://github.com/a/one"),
        ("Code: b/two", "https://gitlab.com/b/two/"),
        ("Dataset", "https://huggingface.co/datasets/a/d"),
        ("Project page", "https://a.github.io/p/"),
    ]
