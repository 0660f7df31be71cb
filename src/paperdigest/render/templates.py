"""The templates: Jinja environments for Markdown and HTML over one folder, and their
fingerprint, which every output's key includes."""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markdown_it
from markupsafe import Markup

from .. import code_version
from ..markdown import MdText, escape_markdown, linkify_markdown, plain_markdown
from ..plan.files import Theme
from ..urls import FAVICON, SEARCH_SCRIPT, STYLESHEET

STATIC_FILES = {STYLESHEET: "style.css", SEARCH_SCRIPT: "search.js", FAVICON: "favicon.svg"}
"""Files of the site copied from `templates/static/`, by their path in the site."""


def templates_dir() -> Path:
    """The built-in templates: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).parents[1]
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.resolve().parents[1] / "templates"


class Environment(jinja2.Environment):
    """Jinja's environment, reading `a.b` of a plain dict as its key first.

    Jinja tries the attribute first and the key only once that raised, and our views are
    dicts, so every lookup raised and caught AttributeError (0.61 us a lookup, against
    0.09 us; a paper page makes about 125).
    A dict's methods are still there when no key has their name.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template."""
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Templates:
    """The Markdown and HTML Jinja environments over one templates folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        loader = jinja2.FileSystemLoader(folder)
        self.markdown = Environment(
            loader=loader,
            autoescape=False,
            finalize=_finalize_markdown,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.markdown.filters["linkify"] = linkify_markdown
        self.markdown.filters["plain"] = plain_markdown
        # What a template's own macro made is Markdown already (its values were escaped).
        self.markdown.filters["md"] = MdText
        self.html = Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.html.filters["cdata"] = cdata_text

    def theme(self) -> Theme:
        """The templates' fingerprint and static files, as every output's plan needs them."""
        static = {
            path: (self.folder / "static" / name).read_bytes()
            for path, name in STATIC_FILES.items()
        }
        return Theme(fingerprint(self), static)


def cdata_text(html: str) -> Markup:
    """HTML to place inside `<![CDATA[...]]>` as it is: a feed item's description, which
    escaped would be a tenth larger. `]]>` would end the section, so it is split."""
    return Markup(html.replace("]]>", "]]]]><![CDATA[>"))


def _finalize_markdown(value: Any) -> Any:
    """Escape every value a Markdown template prints, unless it is already Markdown."""
    if isinstance(value, MdText):
        return value
    if isinstance(value, str):
        return _escape_short(value) if len(value) <= _SHORT else escape_markdown(value)
    return value


_SHORT = 40
"""Text this short (separators such as `" · "`, words, labels) repeats from page to page:
a paper page prints 70 such values, and finalizing one takes a third of the time."""
_escape_short = lru_cache(maxsize=1 << 16)(escape_markdown)


def fingerprint(templates: Templates) -> str:
    """A hash of everything besides content that shapes the output: templates and versions."""
    digest = hashlib.sha256()
    for name in (code_version(), markdown_it.__version__, jinja2.__version__):
        digest.update(name.encode() + b"\0")
    for file in sorted(p for p in templates.folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(templates.folder).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


@cache
def load_templates(folder: Path) -> Templates:
    """Templates for a folder, compiled once per process."""
    return Templates(folder)
