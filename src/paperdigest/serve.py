"""`paperdigest serve`: build, serve the site like GitHub Pages would, rebuild on change.

The main thread builds and watches; a server thread (see `preview`) answers requests from
the last good build, which the atomic build swaps in whole.
"""

from __future__ import annotations

import os
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import watchfiles

from .build import BuildOptions, build
from .config import check_base_url_option
from .errors import BuildError, printable
from .hosts import host_for_url
from .preview import BuildState, PreviewServer
from .read.cache import cache_path, load_cache
from .render.templates import templates_dir


def preview_base_url(base_url: str | None, host: str, port: int) -> str | None:
    """`--base-url` for the preview build: a bare path is served from this host and port."""
    if base_url and base_url.startswith("/"):
        path = base_url if base_url.endswith("/") else base_url + "/"
        return f"http://{host_for_url(host)}:{port}{path}"
    return base_url


def serve(
    options: BuildOptions,
    host: str,
    port: int,
    *,
    open_browser: bool,
    describe: Callable[[BaseException], str],
    say: Callable[[str], None],
) -> None:
    """Build, serve and rebuild on change until Ctrl-C; failed builds keep the last good site."""
    if options.base_url is not None:  # before binding: a typo is not worth a server
        check_base_url_option(options.base_url, bare_path=True)
    state = BuildState()
    # Bind first: a port in use should fail before a build is wasted on it.
    try:
        server = PreviewServer((host, port), options.out, "/", state)
    except OSError as exc:  # a port in use, a host that does not resolve or is not ours
        where = printable(f"{host_for_url(host)}:{port}")
        raise BuildError(
            f"cannot listen on {where} (--host, --port): {exc.strerror or exc}"
        ) from exc
    options = replace(
        options, base_url=preview_base_url(options.base_url, host, server.server_port)
    )
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    try:
        # Parsed files stay in memory from one rebuild to the next.
        options = replace(options, cache=load_cache(cache_path(options.out)))
        rebuild(options, state, server, describe, say, set())
        url = f"http://{host_for_url(host)}:{server.server_port}{server.base_path}"
        thread.start()
        watched = [options.content, options.templates or templates_dir()]
        # The watcher yields an empty set on each timeout, the first once it is watching:
        # only then is "Serving" said, so that no change made after it can go unseen.
        watching = watchfiles.watch(
            *watched, step=100, raise_interrupt=True, yield_on_timeout=True, rust_timeout=200
        )
        ready = False
        for changes in watching:
            if not ready:
                ready = True
                say(f"Serving {url} (Ctrl-C to stop)")
                if open_browser:
                    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
            if changes:
                rebuild(options, state, server, describe, say, {path for _, path in changes})
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        state.stop()
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def rebuild(
    options: BuildOptions,
    state: BuildState,
    server: PreviewServer,
    describe: Callable[[BaseException], str],
    say: Callable[[str], None],
    changed: set[str],
) -> None:
    """Build once; on success serve the new site, on failure keep the old one and say why."""
    if changed:
        names = sorted(printable(os.path.relpath(path)) for path in changed)
        say("Changed: " + ", ".join(names))
    try:
        report = build(options)
    except Exception as exc:  # a preview must outlive anything the content does
        error = describe(exc)
        say(f"{error}\nBuild failed; still serving the last good build.")
        state.publish(error)
        return
    server.base_path = urlsplit(report.base_url).path
    state.publish(None)
    say(f"Built {report.pages:,} pages in {report.seconds:.2f} s.")
