"""How a paper is cited and saved: the citation meta tags that Zotero's connector and Google
Scholar read (Highwire Press tags), and a BibTeX entry to copy. Both say only what is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from .links_out import arxiv_abs_url, arxiv_pdf_url

_LATEX_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_KEY_WORD = re.compile(r"[a-z0-9]+")
_SPELLED_BRACES = str.maketrans({"{": "\\textbraceleft{}", "}": "\\textbraceright{}"})
# Words Google Scholar's keys skip, as in `vaswani2017attention`.
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "via"})


def citation_meta(
    title: str, authors: Sequence[str], arxiv_id: str, published: date | None
) -> tuple[tuple[str, str], ...]:
    """The `citation_*` meta tags of a paper page, as (name, content) pairs."""
    tags = [("citation_title", title)]
    tags += [("citation_author", author) for author in authors]
    if published is not None:
        # Google Scholar's documented form; Zotero reads it too.
        tags.append(("citation_date", published.strftime("%Y/%m/%d")))
    if arxiv_id:
        tags += [
            ("citation_arxiv_id", arxiv_id),
            ("citation_pdf_url", arxiv_pdf_url(arxiv_id)),
            ("citation_abstract_html_url", arxiv_abs_url(arxiv_id)),
        ]
    return tuple(tags)


def bibtex(title: str, authors: Sequence[str], arxiv_id: str, published: date | None) -> str:
    """A BibTeX `@misc` entry; with an arXiv ID it names it as `eprint` on `arXiv`.

    Without an ID it has no `url`: a digest's page is not where the paper is, and the
    page's searches find it.
    """
    fields = [("title", _value(title))]
    if authors:
        fields.append(("author", " and ".join(_name(author) for author in authors)))
    if published is not None:
        fields.append(("year", str(published.year)))
    if arxiv_id:
        fields += [("eprint", arxiv_id), ("archivePrefix", "arXiv")]
        fields.append(("url", arxiv_abs_url(arxiv_id)))
    key = cite_key(title, authors, published)
    lines = [f"@misc{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    return "\n".join(lines) + "\n}"


def cite_key(title: str, authors: Sequence[str], published: date | None) -> str:
    """A key in Google Scholar's style: first author's surname, year, first title word."""
    surname = _ascii_words(authors[0].split()[-1])[-1:] if authors and authors[0].split() else []
    words = [word for word in _ascii_words(title) if word not in _SMALL_WORDS][:1]
    year = [str(published.year)] if published else []
    return "".join(surname + year + words) or "paper"


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _KEY_WORD.findall(folded.lower())


def _value(text: str) -> str:
    """Text as a braced BibTeX value: LaTeX kept as written (titles are often LaTeX),
    `&`, `%` and `#` escaped, and braces that do not pair spelled out, since BibTeX counts
    every brace, escaped or not, and an unpaired one would swallow the rest of the file."""
    text = _LATEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if not _balanced(text):
        text = text.translate(_SPELLED_BRACES)
    if text.endswith("\\"):  # it would escape the closing brace, for LaTeX
        text = text[:-1] + "\\textbackslash{}"
    return text


def _name(author: str) -> str:
    """One author: braced whole when BibTeX would misread it (`and` in it, or a comma)."""
    name = _value(author)
    if re.search(r"\band\b|,", name, re.IGNORECASE):
        return f"{{{name}}}"
    return name


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
