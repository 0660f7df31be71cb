"""Site settings from `content/site.yml`: every key has a default, unknown keys are errors."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import yaml

from .errors import ContentError, ContentErrors, Problems, raise_if_any
from .topics import Topic, html_problem, looks_like_html, parse_topics

CONFIG_NAME = "site.yml"
DEFAULT_BASE_URL = "http://localhost:8000/"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The settings of one digest site."""

    title: str = "Paper digest"
    """The site's name, shown in every page header and in the feed."""
    description: str = "A digest of research papers."
    """One sentence about the site, for the home page, feeds and link previews."""
    base_url: str = DEFAULT_BASE_URL
    """The absolute URL the site is published at, such as `https://user.github.io/repo/`."""
    author: str = ""
    """Who maintains the digest; shown in the footer and page metadata when set."""
    year: int | None = None
    """The year of digests whose header date has none (`Mar 14`) and whose file name has none."""
    language: str = "en"
    """The language of the pages, as an ISO 639-1 code."""
    feed_items: int = 30
    """How many of the latest digests the RSS feed carries."""
    home_digests: int = 10
    """How many recent digests the home page links to."""
    home_papers: int = 10
    """How many of the latest digest's new papers the home page shows, with their teasers."""
    digest_page_papers: int = 100
    """How many papers one HTML page of a digest shows; a longer day goes on in pages 2, 3…"""
    topics: tuple[Topic, ...] = ()
    """The topics papers are sorted into (see `topics`)."""
    related_papers: int = 5
    """How many related papers a paper's page lists; 0 lists none and skips the work."""

    @property
    def base_path(self) -> str:
        """The path part of `base_url`, always starting and ending with `/`."""
        return urlsplit(self.base_url).path


_SCHEMA: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "description": (str,),
    "base_url": (str,),
    "author": (str,),
    "year": (int, type(None)),
    "language": (str,),
    "feed_items": (int,),
    "home_digests": (int,),
    "home_papers": (int,),
    "digest_page_papers": (int,),
    "related_papers": (int,),
    "topics": (tuple,),  # read by `topics.parse_topics`, with each topic's own lines
}
assert set(_SCHEMA) == {f.name for f in fields(SiteConfig)}


def load_site_config(
    content_dir: Path, base_url: str | None, problems: Problems
) -> SiteConfig | None:
    """site.yml with `base_url` (from `--base-url`) applied; None, with problems, if broken."""
    try:
        site = load_config(content_dir)
        return site if base_url is None else with_base_url(site, base_url)
    except (ContentError, ContentErrors) as exc:
        problems.add(exc)
        return None


def load_config(content_dir: Path, display_dir: str | None = None) -> SiteConfig:
    """Read `site.yml` in the content folder, or return the defaults if there is none."""
    path = content_dir / CONFIG_NAME
    shown = f"{display_dir or content_dir}/{CONFIG_NAME}".replace("//", "/")
    if not path.exists():
        return SiteConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(shown, 1, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ContentError(shown, 1, f"cannot read the file: {exc.strerror}") from None
    return parse_config(shown, text)


def parse_config(path: str, text: str) -> SiteConfig:
    """Parse and check the text of a site.yml; report every problem at once."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, line, f"not valid YAML: {problem}") from None
    if root is None:
        return SiteConfig()
    if not isinstance(root, yaml.MappingNode):
        raise ContentError(path, root.start_mark.line + 1, "expected `key: value` settings")

    errors: list[ContentError] = []
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = key_node.value
        if key not in _SCHEMA:
            errors.append(ContentError(path, line, _unknown_key_message(str(key))))
            continue
        if key in seen:
            errors.append(ContentError(path, line, f"`{key}` is set twice"))
            continue
        seen.add(key)
        if key == "topics":
            values["topics"], problems = parse_topics(path, value_node)
            errors += problems
            continue
        try:
            value = _construct(value_node)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or type(exc).__name__
            errors.append(ContentError(path, line, f"`{key}`: not a plain value ({problem})"))
            continue
        if value is None and _SCHEMA[key] == (str,):
            value = ""  # `title:` with nothing after it is empty text, checked as such
        problem = _check_value(key, value)
        if problem:
            errors.append(ContentError(path, value_node.start_mark.line + 1, problem))
        else:
            values[key] = _clean(key, value)
    raise_if_any(errors)
    return SiteConfig(**values)


def _construct(node: yaml.Node) -> Any:
    """The value of one composed YAML node, as safe_load would give it."""
    # Constructing the node itself, not a re-serialized copy: an empty value serializes
    # to a document that no longer parses.
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    """The config with `base_url` replaced (from `--base-url`), checked like the file's."""
    check_base_url_option(base_url)
    return dataclasses.replace(config, base_url=_clean("base_url", base_url))


def check_base_url_option(value: str, *, bare_path: bool = False) -> None:
    """Refuse a bad `--base-url`; with `bare_path`, a path alone (`/repo/`) is checked too."""
    if bare_path and value.startswith("/"):
        problem = base_path_problem(value)
    else:
        problem = base_url_problem(value)
    if problem:
        raise ContentError("--base-url", 1, problem)


def _unknown_key_message(key: str) -> str:
    close = difflib.get_close_matches(key, list(_SCHEMA), n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return f"unknown setting `{key}`{hint}; known settings: {', '.join(_SCHEMA)}"


def _check_value(key: str, value: Any) -> str | None:
    types = _SCHEMA[key]
    # YAML reads `yes` as True, and bool is an int in Python; neither is a year or a count.
    if isinstance(value, bool) or not isinstance(value, types):
        wanted = " or ".join("empty" if t is type(None) else _TYPE_NAMES[t] for t in types)
        return f"`{key}` must be {wanted}, not {_describe(value)}"
    value = cast(Any, value)  # its type is the schema's now
    if key == "base_url":
        return base_url_problem(value)
    if key == "year" and value is not None and not 1900 <= value <= 2999:
        return f"`year` must be a year from 1900 to 2999, not {value}"
    if key in ("feed_items", "home_digests", "home_papers") and not 1 <= value <= 10_000:
        return f"`{key}` must be between 1 and 10000, not {value}"
    if key == "digest_page_papers" and not 10 <= value <= 10_000:
        return f"`digest_page_papers` must be between 10 and 10000, not {value}"
    if key == "related_papers" and not 0 <= value <= 20:
        return f"`related_papers` must be between 0 and 20, not {value}"
    if key == "language" and not (value.isascii() and value.replace("-", "").isalpha()):
        return f"`language` must be a language code such as `en`, not {value!r}"
    if key == "title" and not value.strip():
        return "`title` must not be empty"
    if key in ("title", "description") and looks_like_html(value):
        return html_problem(key, value)
    return None


def base_url_problem(value: str) -> str | None:
    """What is wrong with a base URL, in words; None if a site can be published there.

    `build` (site.yml and `--base-url`), `serve` and `check` all ask this one function, so
    no command accepts a URL another refuses. Every page loads its scripts and styles from
    the URL's path, so `https://ex.com//evil.com/` would load them from evil.com.
    """
    problem = _text_problem(value)
    if problem:
        return problem
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        return f"`base_url` has an invalid host or port: {value!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            "`base_url` must be an absolute http(s) URL such as "
            f"https://user.github.io/repo/, not {value!r}"
        )
    if "@" in parts.netloc:
        return f"`base_url` must not contain a user name or password (`user:password@`): {value!r}"
    return base_path_problem(parts.path, value)


def base_path_problem(path: str, shown: str | None = None) -> str | None:
    """What is wrong with the path of a base URL (or `serve --base-url /path/`), or None."""
    shown = path if shown is None else shown
    problem = _text_problem(shown)
    if problem:
        return problem
    if "?" in shown or "#" in shown:
        return f"`base_url` must not have a query or fragment: {shown!r}"
    if "%" in shown:
        return f"`base_url` must not contain percent-encoded characters (`%`): {shown!r}"
    segments = path.split("/")[1:]
    if "" in segments[:-1]:
        return f"`base_url` must not contain an empty path segment (`//`): {shown!r}"
    if "." in segments or ".." in segments:
        return f"`base_url` must not contain a `.` or `..` path segment: {shown!r}"
    return None


def _text_problem(value: str) -> str | None:
    if any(ch.isspace() or ch in "\"'<>\\" for ch in value):
        return f"`base_url` must not contain spaces, quotes or backslashes: {value!r}"
    if any(not ch.isprintable() for ch in value):
        return f"`base_url` must not contain control characters: {value!r}"
    return None


def _clean(key: str, value: Any) -> Any:
    if key == "base_url" and not value.endswith("/"):
        return value + "/"
    if isinstance(value, str) and key != "base_url":
        return value.strip()
    return value


_TYPE_NAMES = {str: "text", int: "a whole number"}


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"{type(value).__name__} {value!r}"
