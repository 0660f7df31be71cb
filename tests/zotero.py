"""What Zotero's connector saves from a page: its "Embedded Metadata" translator's reading of
Highwire Press tags (zotero/translators, `Embedded Metadata.js`), ported for tests.

Ported parts: the title, creators, date, PDF attachment and URL rules of
`addHighwireMetadata` and `addLowQualityMetadata`, and `ZU.cleanAuthor` for names.
"""

from __future__ import annotations

import re
from typing import Any

from conftest import XHTML, parse_html


def _meta(tree: Any, name: str) -> list[str]:
    """Values of `<meta name$=name>` in the head, as `getContent` finds them."""
    head = tree.find(f"{XHTML}head")
    return [
        m.get("content", "")
        for m in head.iter(f"{XHTML}meta")
        if (m.get("name") or "").endswith(name) and m.get("content")
    ]


def _first(tree: Any, name: str) -> str:
    values = _meta(tree, name)
    return " ".join(values[0].split()) if values else ""  # ZU.trimInternal


def clean_author(name: str, use_comma: bool) -> dict[str, str]:
    """ZU.cleanAuthor: `Last, First` with a comma, else the last word is the surname."""
    name = re.sub(r"^[\s.,/\[\]:]+|[\s,/\[\]:]+$", "", " ".join(name.split()))
    if use_comma:
        last, _, first = name.partition(",")
        return {"firstName": first.strip(), "lastName": last.strip(), "creatorType": "author"}
    first, _, last = name.rpartition(" ")
    return {"firstName": first, "lastName": last, "creatorType": "author"}


def creators(nodes: list[str]) -> list[dict[str, str]]:
    """processHighwireCreators: split by `;`, or by `,` in a lone node of full names."""
    found: list[dict[str, str]] = []
    last = None
    for node in nodes:
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1 and len(nodes) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in names:
            name = name.strip()
            if not name or not re.search(r"[^\s,\-.;]", name) or name == last:
                continue
            last = name
            found.append(clean_author(name, "," in name))
    return found


def zotero_item(html: bytes) -> dict[str, Any]:
    """The item Zotero's Embedded Metadata translator makes of a page."""
    tree = parse_html(html)
    item: dict[str, Any] = {"itemType": "journalArticle" if _meta(tree, "citation_title") else ""}
    item["title"] = _first(tree, "citation_title") or "".join(
        tree.find(f"{XHTML}head").find(f"{XHTML}title").itertext()
    )
    item["creators"] = creators(_meta(tree, "citation_author"))
    date = _first(tree, "citation_date") or _first(tree, "citation_online_date")
    item["date"] = date.replace("/", "-")  # ZU.strToISO for Y/M/D
    pdf = _meta(tree, "citation_pdf_url")
    item["attachments"] = (
        [{"title": "Full Text PDF", "url": pdf[0], "mimeType": "application/pdf"}]
        if pdf
        else [{"title": "Snapshot"}]
    )
    canonical = [
        link.get("href") for link in tree.iter(f"{XHTML}link") if link.get("rel") == "canonical"
    ]
    item["url"] = (
        _first(tree, "citation_public_url")
        or _first(tree, "citation_abstract_html_url")
        or (canonical[0] if canonical else "")
    )
    return item
