"""The build pipeline: read → dedupe → render → publish, as a flat list of timed steps."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .dates import DatedFile
from .dedupe import build_library
from .errors import ContentErrors, ContentWarning
from .model import Library
from .plan.feeds import (
    feed_digests,
    item_key,
    item_url,
    previous_items,
    render_feed,
    render_robots,
    render_sitemap,
)
from .plan.pages import Page, plan_pages
from .plan.search import SearchRun, plan_shards
from .publish.writer import SiteWriter
from .read.cache import ContentCache, cache_path, load_cache, save_cache
from .read.files import read_content
from .render.templates import (
    STATIC_FILES,
    Layout,
    PageRenderer,
    Templates,
    fingerprint,
    load_templates,
    page_key,
    render_not_found,
    render_search_page,
    site_key,
    templates_dir,
)
from .render.workers import Rendered, RenderTimes, render_pool
from .urls import FEED, NOT_FOUND, ROBOTS, SEARCH_PAGE, SITEMAP, html_path, md_path


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build, from where, to where."""

    content: Path = Path("content")
    """The content folder: digest files and site.yml."""
    out: Path = Path("site")
    """The output folder, replaced as a whole when the build succeeds."""
    base_url: str | None = None
    """Overrides site.yml's `base_url` when given."""
    strict: bool = False
    """Treat warnings as errors."""
    search: bool = True
    """Build the Pagefind search index and show search in the pages."""
    templates: Path | None = None
    """The templates folder; the built-in templates when None."""
    prepare_next: bool = True
    """Leave beside the output what makes the next build of this folder fast: a spare copy
    of the site and the cache of parsed files. A build that runs once (a publishing job on
    a fresh checkout) skips both; a later build then links the spare itself."""


@dataclass(slots=True)
class BuildReport:
    """What a build did, for the summary the command line prints."""

    base_url: str = ""
    digests: int = 0
    papers: int = 0
    entries: int = 0
    pages: int = 0
    rendered: int = 0
    render_times: RenderTimes = field(default_factory=RenderTimes)
    """Rendering split into Markdown, HTML and writing, summed over processes."""
    files: int = 0
    reused: int = 0
    warnings: list[ContentWarning] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def merged(self) -> int:
        """Entries folded into a paper seen before."""
        return self.entries - self.papers


Progress = Callable[[str, float | None], None]
"""Called with a step's name and duration as each step finishes, and with a note (and
None) while a long step is under way."""
PROCESSES = os.cpu_count() or 1
"""Worker processes that render pages."""


class _Steps:
    """Times the named steps of a build and reports each one as it ends."""

    def __init__(self, report: BuildReport, progress: Progress | None) -> None:
        self.report = report
        self.progress = progress

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self._done(name, time.perf_counter() - start)

    def note(self, message: str) -> None:
        """Say how a long step is getting on."""
        if self.progress:
            self.progress(message, None)

    def parts(self, parts: list[tuple[str, float]]) -> None:
        """Report how the last step's time divides, as indented steps of their own."""
        for name, seconds in parts:
            self._done(f"  {name}", seconds)

    def _done(self, name: str, seconds: float) -> None:
        self.report.steps.append((name, seconds))
        if self.progress:
            self.progress(name, seconds)


class _CollectorPaused:
    """Keeps the cyclic garbage collector off while a build makes its long-lived objects.

    Reading, dedupe and planning make a few hundred thousand objects that last the whole
    build and form no cycles; the collector would rescan them over and over, for a third
    of a rebuild's time.
    """

    def __enter__(self) -> _CollectorPaused:
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def freeze_and_resume(self) -> None:
        """Hide every object made so far from the collector, and turn it back on."""
        gc.freeze()
        gc.enable()

    def __exit__(self, *exc_info: object) -> None:
        gc.unfreeze()
        if self.was_enabled:
            gc.enable()
        else:
            gc.disable()


def build(
    options: BuildOptions, progress: Progress | None = None, cache: ContentCache | None = None
) -> BuildReport:
    """Build the whole site from `options.content` into `options.out`, atomically.

    Every step is skipped where its inputs match those of the live site, so a rebuild
    after a small change renders and writes only what changed. A preview server passes
    its `cache` from build to build; otherwise it is kept in a file beside the output.
    """
    started = time.perf_counter()
    report = BuildReport()
    step = _Steps(report, progress)

    with _CollectorPaused() as collector:
        with step("parse"):
            saved = cache is None
            cache = load_cache(cache_path(options.out)) if cache is None else cache
            site, dated, report.warnings = read_content(
                options.content, options.out, options.base_url, cache
            )
            _refuse_warnings_if_strict(options, report.warnings)
        with step("dedupe"):
            library = build_library(dated, cache.normalize, cache.slugify)
        with step("plan"):
            templates = load_templates(options.templates or templates_dir())
            layout = Layout.from_config(site, templates, search=options.search)
            version = fingerprint(templates)
            pages = list(plan_pages(library, site))
            shards = plan_shards(library.papers) if options.search else []
            shard_urls = [f"{site.base_path}{shard.bundle}/" for shard in shards[1:]]
            renderer = PageRenderer(templates, layout)
            writer = SiteWriter(options.out)
        try:
            with step("find changes"):
                todo = _pages_to_render(pages, renderer, writer, version)
            # Everything made so far lives as long as the build: hide it from the collector, in
            # this process and in the forked workers (where collecting would also copy every
            # page it touches), and let it collect what rendering throws away.
            collector.freeze_and_resume()
            # The pool forks before the search index starts its thread; Pagefind then indexes
            # while pages render, filling the cores the page writer leaves idle.
            with render_pool(todo, renderer, PROCESSES) as render_todo:
                search = None
                try:
                    if options.search:
                        search = SearchRun(shards, site.language, writer, version)
                    with step("render pages"):
                        _write_rendered(render_todo(), writer, report.render_times, step.note)
                    step.parts(report.render_times.parts(PROCESSES))
                    with step("feed and sitemap"):
                        writer.write(FEED, _feed(library, site, templates, writer, version))
                        sitemap = [(page.name, page.lastmod) for page in pages]
                        writer.write(SITEMAP, render_sitemap(sitemap, site, templates))
                        writer.write(ROBOTS, render_robots(site, templates))
                    with step("static files"):
                        for path in STATIC_FILES:
                            writer.write(path, templates.static(path))
                        writer.write(NOT_FOUND, render_not_found(templates, layout, shard_urls))
                        # GitHub Pages publishing from a branch would run Jekyll without it.
                        writer.write(".nojekyll", b"")
                    if search:
                        with step("search index"):
                            writer.write(
                                SEARCH_PAGE, render_search_page(templates, layout, shard_urls)
                            )
                            search.finish(writer)
                        step.parts([("indexing, alongside the steps above", search.seconds)])
                except BaseException:
                    if search:
                        search.cancel()
                    raise
            with step("write and swap in"):
                writer.commit(site.base_url, make_spare=options.prepare_next)
        except BaseException:
            writer.abort()
            raise
    report.pages, report.rendered = len(pages), len(todo)
    _remember(cache, dated, cache_path(options.out) if saved and options.prepare_next else None)

    report.base_url = site.base_url
    report.digests = len(library.digests)
    report.papers = len(library.papers)
    report.entries = library.entry_count
    report.files = len(writer.files)
    report.reused = writer.reused
    report.seconds = time.perf_counter() - started
    return report


def _remember(cache: ContentCache, dated: list[DatedFile], path: Path | None) -> None:
    """Keep in the cache what this content still has; save it if it lives in a folder."""
    cache.prune({file.sort_key for _, file in dated})
    if path is not None:
        save_cache(path, cache)


def _refuse_warnings_if_strict(options: BuildOptions, warnings: list[ContentWarning]) -> None:
    if options.strict and warnings:
        raise ContentErrors(warning.as_error() for warning in warnings)


def _pages_to_render(
    pages: list[Page], renderer: PageRenderer, writer: SiteWriter, version: str
) -> list[Page]:
    """The pages whose inputs changed; the others keep the live site's files."""
    todo = []
    shared = site_key(renderer.layout, version)
    for page in pages:
        if writer.unchanged(f"page:{page.name}", page_key(page, shared)):
            writer.keep(md_path(page.name))
            writer.keep(html_path(page.name))
        else:
            todo.append(page)
    return todo


def _write_rendered(
    batches: Iterator[tuple[Rendered, RenderTimes]],
    writer: SiteWriter,
    times: RenderTimes,
    note: Callable[[str], None],
) -> None:
    """Write each batch of rendered pages as it comes, saying how far it has got."""
    pages = 0
    for rendered, part in batches:
        started = time.perf_counter()
        for path, data in rendered:
            writer.write(path, data)
        times.add(part)
        times.write += time.perf_counter() - started
        pages += len(rendered) // 2  # two files a page
        note(f"rendered {pages:,} pages")


def _feed(
    library: Library, site: SiteConfig, templates: Templates, writer: SiteWriter, version: str
) -> bytes:
    """The feed, reusing the live feed's HTML for every item whose inputs are unchanged."""
    unchanged = {
        item_url(digest, site)
        for digest in feed_digests(library, site)
        if writer.unchanged(f"feed:{digest.date}", item_key(digest, site, version))
    }
    if unchanged:
        live_items = previous_items(writer.out / FEED)
        reuse = {guid: html for guid, html in live_items.items() if guid in unchanged}
    else:
        reuse = {}
    return render_feed(library, site, templates, reuse)
