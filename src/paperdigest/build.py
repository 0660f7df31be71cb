"""The build pipeline: read → dedupe → derive → plan → render → publish, as timed steps."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ParamSpec, TypeVar

from .config import SiteConfig, load_site_config
from .dedupe import build_library
from .derive import derive
from .errors import ContentWarning, Problems
from .model import Library
from .plan.outputs import Output, Plan, plan_outputs
from .read.cache import ContentCache, cache_path, load_cache, save_cache
from .read.files import read_digests
from .read.resolve import resolve_dates
from .render.renderer import RenderTimes
from .render.templates import load_templates, templates_dir
from .session import BuildSession


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
    cache: ContentCache | None = field(default=None, compare=False)
    """Parsed files kept in memory from build to build (the preview server's); without
    it, the cache is loaded from beside the output folder."""


@dataclass(slots=True)
class BuildReport:
    """What a build did, for the summary the command line prints."""

    base_url: str = ""
    digests: int = 0
    first_date: date | None = None
    """The oldest digest's date."""
    last_date: date | None = None
    """The newest digest's date."""
    papers: int = 0
    entries: int = 0
    pages: int = 0
    rendered: int = 0
    render_times: RenderTimes = field(default_factory=RenderTimes)
    """Rendering split into Markdown, HTML, other files and writing, summed over processes."""
    files: int = 0
    reused: int = 0
    published_bytes: int = 0
    """The size of what GitHub Pages publishes: every file but the dotfiles."""
    warnings: list[ContentWarning] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    held: tuple[object, ...] = field(default=(), repr=False, compare=False)
    """What the build made (its library, plan, session), alive as long as the report: a
    command that exits next never frees it, object by object (0.5 s of a large publish)."""

    @property
    def merged(self) -> int:
        """Entries folded into a paper seen before."""
        return self.entries - self.papers

    @classmethod
    def of(
        cls,
        base_url: str,
        library: Library,
        plan: Plan,
        changed: list[Output],
        session: BuildSession,
        problems: Problems,
        steps: Steps,
        started: float,
    ) -> BuildReport:
        """The report of a finished build."""
        assert session.writer is not None
        return cls(
            base_url=base_url,
            digests=len(library.digests),
            first_date=library.digests[0].date,
            last_date=library.digests[-1].date,
            papers=len(library.papers),
            entries=library.entry_count,
            pages=sum(output.kind == "page" for output in plan.outputs),
            rendered=sum(output.kind == "page" for output in changed),
            render_times=session.render_times,
            files=len(session.writer.files),
            reused=session.writer.reused,
            published_bytes=session.writer.published_bytes(),
            warnings=problems.warnings,
            steps=steps.done,
            seconds=time.perf_counter() - started,
        )


Progress = Callable[[str, float | None], None]
"""Called with a step's name and duration as each step finishes, and with a note (and
None) while a long step is under way."""
PROCESSES = os.cpu_count() or 1
"""Worker processes that render pages."""


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the whole site from `options.content` into `options.out`, atomically.

    Every output whose inputs match the live site's is kept as it is, so a rebuild after
    a small change renders and writes only what changed.
    """
    started = time.perf_counter()
    step = Steps(progress)
    problems = Problems()
    templates = load_templates(options.templates or templates_dir())
    with BuildSession(options.content, options.out, PROCESSES) as session:
        # In the session, whose collector is off: loading makes 10,000s of objects.
        cache = options.cache or step("load cache", load_cache, cache_path(options.out))
        site = step("load config", load_site_config, options.content, options.base_url, problems)
        parsed = step("read digests", read_digests, options.content, cache, problems)
        files = step("resolve dates", resolve_dates, parsed, site, problems)
        step.check("check input", problems.raise_if_any, strict=options.strict)
        assert site is not None  # site.yml had no problems
        library = step("dedupe", build_library, files, cache.normalize, cache.slugify)
        derived = step("derive", derive, library, site, cache.related)
        plan = step(
            "plan outputs", plan_outputs, library, derived, site, templates.theme(), options.search
        )
        changed = step("find changes", session.find_changes, plan)
        step.parts(step("render", session.render, plan, templates, step.note))
        step.parts(step("index", session.index))
        step("write and swap", session.commit, site.base_url, options.prepare_next)
    if options.prepare_next:
        save_cache(cache_path(options.out), cache, problems)
    report = BuildReport.of(site.base_url, library, plan, changed, session, problems, step, started)
    report.held = (cache, parsed, files, library, derived, plan, session)
    return report


def read_library(content: Path) -> tuple[SiteConfig, Library]:
    """The config and library a build makes of a content folder, for tools and benchmarks."""
    problems = Problems()
    cache = ContentCache()
    site = load_site_config(content, None, problems)
    files = resolve_dates(read_digests(content, cache, problems), site, problems)
    problems.raise_if_any()
    assert site is not None
    return site, build_library(files, cache.normalize, cache.slugify)


P = ParamSpec("P")
T = TypeVar("T")


class Steps:
    """Runs the named steps of a build, timing each and reporting it as it ends.

    Reports are held back until the input is checked, so a build that stops at broken
    input reports only the problems.
    """

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done: list[tuple[str, float]] = []
        self.held: list[tuple[str, float]] | None = []

    def __call__(self, name: str, run: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one step."""
        started = time.perf_counter()
        result = run(*args, **kwargs)
        self._report(name, time.perf_counter() - started)
        return result

    def check(self, name: str, run: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> None:
        """Run the step that checks the input; report the steps before it once it passes."""
        self(name, run, *args, **kwargs)
        held, self.held = self.held or [], None
        for done in held:
            self._report(*done)

    def parts(self, parts: list[tuple[str, float]]) -> None:
        """Report how the last step's time divides, as indented steps of their own."""
        for name, seconds in parts:
            self._report(f"  {name}", seconds)

    def note(self, message: str) -> None:
        """Say how a long step is getting on."""
        if self.progress:
            self.progress(message, None)

    def _report(self, name: str, seconds: float) -> None:
        if self.held is not None:
            self.held.append((name, seconds))
            return
        self.done.append((name, seconds))
        if self.progress:
            self.progress(name, seconds)
