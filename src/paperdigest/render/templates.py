"""Render pages: a Markdown twin from a Jinja template, then HTML from that Markdown."""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markdown_it
from markupsafe import Markup

from .. import code_version
from ..config import SiteConfig
from ..plan.pages import Page
from ..urls import FEED, NOT_FOUND, SEARCH_PAGE, md_path, page_path
from .markdown import MdText, escape_markdown, linkify_markdown, markdown_to_html

STYLESHEET = "assets/style.css"
SEARCH_SCRIPT = "assets/search.js"
STATIC_FILES = {STYLESHEET: "style.css", SEARCH_SCRIPT: "search.js"}
"""Files of the site copied from `templates/static/`, by their path in the site."""


def templates_dir() -> Path:
    """The built-in templates: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).parents[1]
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.resolve().parents[1] / "templates"


class Templates:
    """The Markdown and HTML Jinja environments over one templates folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        loader = jinja2.FileSystemLoader(folder)
        self.markdown = jinja2.Environment(
            loader=loader,
            autoescape=False,
            finalize=_finalize_markdown,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.markdown.filters["linkify"] = linkify_markdown
        self.html = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def static(self, site_path: str) -> bytes:
        """The bytes of a static file, by its path in the site (see STATIC_FILES)."""
        return (self.folder / "static" / STATIC_FILES[site_path]).read_bytes()


def _finalize_markdown(value: Any) -> Any:
    """Escape every value a Markdown template prints, unless it is already Markdown."""
    if isinstance(value, MdText):
        return value
    if isinstance(value, str):
        return escape_markdown(value)
    return value


@dataclass(frozen=True, slots=True)
class Layout:
    """What the HTML layout needs to know about the site: a narrow view of the config."""

    site_title: str
    language: str
    author: str
    base_url: str
    base_path: str
    stylesheet_url: str
    search_script_url: str
    feed_url: str
    search: bool

    @classmethod
    def from_config(cls, site: SiteConfig, templates: Templates, search: bool) -> Layout:
        """The layout view of a config; static URLs carry a content hash to bust caches."""

        def versioned(path: str) -> str:
            version = hashlib.sha256(templates.static(path)).hexdigest()[:10]
            return f"{site.base_path}{path}?v={version}"

        return cls(
            site_title=site.title,
            language=site.language,
            author=site.author,
            base_url=site.base_url,
            base_path=site.base_path,
            stylesheet_url=versioned(STYLESHEET),
            search_script_url=versioned(SEARCH_SCRIPT),
            feed_url=f"{site.base_path}{FEED}",
            search=search,
        )


class PageRenderer:
    """Renders pages with templates resolved once per build."""

    def __init__(self, templates: Templates, layout: Layout) -> None:
        self.layout = layout
        self.markdown_templates: dict[str, jinja2.Template] = {}
        self.templates = templates
        self.page_template = templates.html.get_template("page.html")

    def markdown(self, page: Page) -> str:
        """The page's Markdown twin."""
        template = self.markdown_templates.get(page.template)
        if template is None:
            template = self.templates.markdown.get_template(page.template)
            self.markdown_templates[page.template] = template
        return template.render(page.context)

    def html(self, page: Page, markdown: str) -> str:
        """The page's HTML: its Markdown rendered by markdown-it, in the layout."""
        body = markdown_to_html(markdown, page.name, self.layout.base_path)
        view = page_view(page, self.layout)
        return self.page_template.render(layout=self.layout, page=view, body=Markup(body))


def fingerprint(templates: Templates) -> str:
    """A hash of everything besides content that shapes the output: templates and versions."""
    digest = hashlib.sha256()
    for name in (code_version(), markdown_it.__version__, jinja2.__version__):
        digest.update(name.encode() + b"\0")
    for file in sorted(p for p in templates.folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(templates.folder).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def site_key(layout: Layout, fingerprint: str) -> str:
    """What every page's key shares: the templates, the versions and the layout."""
    return hashlib.sha256(json.dumps([fingerprint, astuple(layout)]).encode()).hexdigest()


def page_key(page: Page, site_key: str) -> str:
    """The input key of a page: if it is unchanged, so are the page's files."""
    fields = [site_key, page.name, page.template, page.title, page.description]
    fields += [page.lastmod.isoformat(), str(page.indexed), page.key_data]
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()


def page_view(page: Page, layout: Layout) -> dict[str, Any]:
    """The per-page part of the HTML layout's context."""
    view = standalone_view(page.title, page.description, page_path(page.name), layout)
    view["markdown_url"] = f"{layout.base_path}{md_path(page.name)}"
    view["indexed"] = page.indexed
    view["is_home"] = page.name == ""
    return view


def standalone_view(title: str, description: str, path: str, layout: Layout) -> dict[str, Any]:
    """The layout context of a page at site path `path`."""
    return {
        "title": title,
        "description": description,
        "url": f"{layout.base_path}{path}",
        "canonical": f"{layout.base_url}{path}",
        "is_home": False,
        "noindex": False,
    }


def render_not_found(templates: Templates, layout: Layout, search_shards: list[str]) -> bytes:
    """The 404 page: served at any missing path, so every URL in it is absolute."""
    view = standalone_view("Page not found", "There is no page at this address.", NOT_FOUND, layout)
    view["noindex"] = True
    html = templates.html.get_template("404.html").render(
        layout=layout, page=view, search_shards=search_shards, query_from_path=True
    )
    return html.encode()


def render_search_page(templates: Templates, layout: Layout, search_shards: list[str]) -> bytes:
    """The search page; `search_shards` are the URLs of the index shards to merge."""
    view = standalone_view(
        "Search",
        "Search every paper in the digest.",
        SEARCH_PAGE.removesuffix("index.html"),
        layout,
    )
    html = templates.html.get_template("search.html").render(
        layout=layout, page=view, search_shards=search_shards, query_from_path=False
    )
    return html.encode()


@cache
def load_templates(folder: Path) -> Templates:
    """Templates for a folder, compiled once per process."""
    return Templates(folder)
