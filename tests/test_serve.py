"""`paperdigest serve` as a maintainer uses it: a real server, real HTTP, a real browser."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import digest_text, write_files
from paperdigest.render.templates import templates_dir
from test_broken_input import processes_in
from test_cli import EVIL, SHOWN
from test_config import DOT_SEGMENT, EMPTY_SEGMENT, ENCODED, QUERY, REFUSED_BASE_URLS

CONTENT = {
    "site.yml": "title: Preview test\nbase_url: https://user.github.io/my-digest/\n",
    "2025-03-13.txt": digest_text("Mar 13", ("FuseChat: Knowledge Fusion", "Fusing chats.")),
    "2025-03-14.txt": digest_text("Mar 14", ("Second Paper", "Two."), ("Third", "Three.")),
}


class Preview:
    """A running `paperdigest serve` process and what it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, output: list[str]) -> None:
        self.process = process
        self.url = url
        self.output = output
        parts = urlsplit(url)
        self.host, self.port, self.base = parts.hostname, parts.port, parts.path

    def request(
        self, path: str, method: str = "GET", hosts: list[str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One raw HTTP request; the path is sent exactly as given, unnormalized.

        `hosts` are the Host headers to send, none or several if so given; by default the
        one a browser would send for the printed URL.
        """
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(
                method, path, skip_host=hosts is not None, skip_accept_encoding=True
            )
            for host in hosts or []:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def wait_for_output(self, pattern: str, after: int = 0, timeout: float = 60) -> int:
        """Wait until a printed line matches; return how many lines there were then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.output[after:], start=after):
                if re.search(pattern, line):
                    return index + 1
            time.sleep(0.05)
        raise AssertionError(f"no output matching {pattern!r}: {self.output}")


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[Preview]:
    """Start `paperdigest serve` on a free port in `folder`; stop it with Ctrl-C after."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "paperdigest", "serve", "--port", "0", "--no-open", *options],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout or []), daemon=True)
    reader.start()
    preview = Preview(process, "", output)
    try:
        line = output[preview.wait_for_output(r"^Serving http") - 1]
        preview = Preview(process, line.split()[1], output)
        yield preview
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    folder = tmp_path_factory.mktemp("serve")
    write_files(folder / "content", CONTENT)
    with serving(folder) as running:
        yield running


def test_it_prints_the_url_under_the_base_path_and_redirects_root(preview: Preview) -> None:
    assert preview.base == "/my-digest/"
    assert preview.host == "127.0.0.1"
    status, headers, _ = preview.request("/")
    assert (status, headers["Location"]) == (302, "/my-digest/")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("", "text/html; charset=utf-8"),
        ("digests/2025-03-14/", "text/html; charset=utf-8"),
        ("digests/2025-03-14.md", "text/markdown; charset=utf-8"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("assets/style.css", "text/css; charset=utf-8"),
        ("assets/search.js", "text/javascript; charset=utf-8"),
        ("pagefind/pagefind-entry.json", "application/json"),
        ("pagefind/pagefind.js", "text/javascript; charset=utf-8"),
        ("pagefind/wasm.en.pagefind", "application/octet-stream"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ],
)
def test_pages_feed_and_search_index_load_with_their_types(
    preview: Preview, path: str, content_type: str
) -> None:
    status, headers, body = preview.request(preview.base + path)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert int(headers["Content-Length"]) == len(body) > 0


def test_search_index_data_is_served_as_binary(preview: Preview) -> None:
    status, _, body = preview.request(preview.base + "pagefind/pagefind-entry.json")
    assert status == 200
    language_hash = re.search(rb'"hash":"([^"]+)"', body).group(1).decode()
    status, headers, _ = preview.request(f"{preview.base}pagefind/pagefind.{language_hash}.pf_meta")
    assert (status, headers["Content-Type"]) == (200, "application/octet-stream")


def test_a_directory_without_its_slash_redirects(preview: Preview) -> None:
    status, headers, _ = preview.request(preview.base + "archive")
    assert (status, headers["Location"]) == (302, preview.base + "archive/")


def test_missing_paths_get_the_sites_own_404_page(preview: Preview) -> None:
    for path in [preview.base + "papers/nope/", "/elsewhere/", preview.base + "x.css"]:
        status, headers, body = preview.request(path)
        assert status == 404
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"<h1>Page not found</h1>" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/my-digest/../../etc/passwd",
        "/my-digest/../../../../../../etc/passwd",
        "/my-digest/%2e%2e/%2e%2e/etc/passwd",
        "/my-digest/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/my-digest/..%2f..%2f..%2fetc%2fpasswd",
        "/my-digest/..%5c..%5cetc%5cpasswd",
        "/my-digest/%252e%252e/%252e%252e/etc/passwd",
        "/my-digest//etc/passwd",
        "/my-digest/%00/etc/passwd",
        "/my-digest/papers/%2e%2e/%2e%2e/%2e%2e/content/site.yml",
    ],
)
def test_traversal_attempts_are_refused(preview: Preview, path: str) -> None:
    status, _, body = preview.request(path)
    assert status == 404
    assert b"root:" not in body and b"base_url" not in body


@pytest.mark.parametrize(
    "path",
    ["/%c0%ae", "/%ff", "/my-digest/%ff/", "/my-digest/%c0%ae%c0%ae/etc/passwd", "/%e2%82"],
)
def test_paths_that_do_not_decode_are_bad_requests_without_a_traceback(
    preview: Preview, path: str
) -> None:
    status, headers, body = preview.request(path)
    assert (status, headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert body == b"400 Bad Request: the path is not a valid URL\n"
    assert "Traceback" not in "".join(preview.output)


ALLOWED_HOSTS = ["127.0.0.1", "localhost", "LocalHost", "[::1]"]
REFUSED_HOSTS = [
    "evil.example",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "127.0.0.2",
    "0.0.0.0",
    "user@127.0.0.1",
    "127.0.0.1:80:80",
    "",
]


@pytest.mark.parametrize("host", ALLOWED_HOSTS)
def test_the_names_it_is_reachable_as_are_served_with_or_without_the_port(
    preview: Preview, host: str
) -> None:
    for name in (host, f"{host}:{preview.port}"):
        status, _, body = preview.request(preview.base, hosts=[name])
        assert status == 200 and b"<h1>" in body, name


@pytest.mark.parametrize("host", REFUSED_HOSTS)
@pytest.mark.parametrize("path", ["/", "/my-digest/", "/__paperdigest/events", "/nope"])
def test_other_host_names_are_refused_on_every_path(preview: Preview, host: str, path: str) -> None:
    for name in (host, f"{host}:{preview.port}"):
        status, headers, body = preview.request(path, hosts=[name])
        assert (status, headers["Content-Type"]) == (403, "text/plain; charset=utf-8"), name
        assert body == (
            b"403 Forbidden: this preview does not answer to that host name "
            b"(serve it with --host NAME)\n"
        )


def test_a_request_without_exactly_one_host_is_a_bad_request(preview: Preview) -> None:
    for hosts in ([], ["localhost", "evil.example"], ["localhost", "localhost"]):
        status, _, body = preview.request(preview.base, hosts=hosts)
        assert status == 400, hosts
        assert body == b"400 Bad Request: a request needs one Host header\n"


def test_a_head_request_from_another_host_name_gets_no_body(preview: Preview) -> None:
    status, headers, body = preview.request(preview.base, "HEAD", hosts=["evil.example"])
    assert (status, body) == (403, b"")
    assert int(headers["Content-Length"]) > 0


def test_symlinks_out_of_the_site_are_not_followed(preview: Preview) -> None:
    site = preview_site(preview)
    link = site / "leak.txt"
    link.symlink_to("/etc/passwd")
    try:
        status, _, body = preview.request(preview.base + "leak.txt")
    finally:
        link.unlink()
    assert status == 404 and b"root:" not in body


def preview_site(preview: Preview) -> Path:
    cwd = Path(os.readlink(f"/proc/{preview.process.pid}/cwd"))
    return cwd / "site"


def test_the_reload_script_is_served_but_never_written(preview: Preview) -> None:
    _, _, body = preview.request(preview.base)
    assert b'<script src="/__paperdigest/livereload.js" data-version="1"></script>' in body
    for page in preview_site(preview).rglob("*"):
        if page.is_file():
            assert b"__paperdigest" not in page.read_bytes(), page


def test_concurrent_requests_are_all_answered(preview: Preview) -> None:
    connection = http.client.HTTPConnection(preview.host, preview.port, timeout=10)
    connection.request("GET", "/__paperdigest/events")  # an open page holds one of these
    assert connection.getresponse().status == 200
    paths = [preview.base, preview.base + "archive/", preview.base + "feed.xml"] * 20
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda p: preview.request(p)[0], paths))
    connection.close()
    assert statuses == [200] * len(paths)


def test_ctrl_c_ends_open_event_streams_and_stops_cleanly(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path) as running:
        # Longer than a heartbeat: a stream that outlived Ctrl-C would get one before it ended.
        events = http.client.HTTPConnection(running.host, running.port, timeout=60)
        events.request("GET", "/__paperdigest/events")
        stream = events.getresponse()
        assert stream.status == 200
        assert stream.readline().startswith(b'data: {"version": 1')  # the page is listening
        running.process.send_signal(signal.SIGINT)
        rest = stream.read()  # until the server ends the stream
        assert b": still here" not in rest
        assert running.process.wait(timeout=30) == 0  # only a guard against hanging
        events.close()
    assert processes_in(tmp_path) == []
    assert "Stopped." in running.output[-1]


def test_readers_who_hang_up_mid_request_print_no_traceback(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path) as running:
        for path in ("pagefind/pagefind-ui.js", "feed.xml", "") * 5:
            client = socket.create_connection((running.host, running.port), timeout=10)
            host = f"{running.host}:{running.port}"
            client.sendall(f"GET {running.base}{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            # Linger 0 makes close() a reset, as when a reader closes the tab mid-page.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
        assert running.request(running.base)[0] == 200
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=5) == 0
    assert "Traceback" not in "".join(running.output)


def test_control_characters_in_changed_file_names_are_printed_escaped(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path) as running:
        marker = running.wait_for_output(r"^Serving")
        write_files(tmp_path / "content", {f"{EVIL}.txt": "Mar 16\n\nCut off\n"})
        running.wait_for_output(r"still serving the last good build", after=marker)
    shown = f"content/{SHOWN}.txt"
    assert f"Changed: {shown}\n" in running.output
    assert f"{shown}:3: the title 'Cut off' has no abstract\n" in running.output
    printed = "".join(running.output)
    assert "\x1b" not in printed and "\x07" not in printed


def test_a_port_in_use_is_a_clear_error(preview: Preview, tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    result = subprocess.run(
        [sys.executable, "-m", "paperdigest", "serve", "--port", str(preview.port), "--no-open"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{preview.port} (--host, --port): "
        "Address already in use\n"
    )
    assert not (tmp_path / "site").exists()


def test_a_host_that_does_not_resolve_is_a_clear_error(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    result = subprocess.run(
        [sys.executable, "-m", "paperdigest", "serve", "--host", "no-such-host.invalid"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot listen on no-such-host.invalid:8000 (--host")
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        *REFUSED_BASE_URLS,
        ("//evil.com/", EMPTY_SEGMENT),
        ("/repo//", EMPTY_SEGMENT),
        ("/repo/../x/", DOT_SEGMENT),
        ("/./", DOT_SEGMENT),
        ("/%2e%2e/", ENCODED),
        ("/repo/?q", QUERY),
        ("/repo/#top", QUERY),
        ("/my digest/", "`base_url` must not contain spaces, quotes or backslashes"),
    ],
)
def test_serve_refuses_the_same_base_urls_and_paths_before_it_builds(
    tmp_path: Path, url: str, problem: str
) -> None:
    write_files(tmp_path / "content", CONTENT)
    result = subprocess.run(
        [sys.executable, "-m", "paperdigest", "serve", "--port", "0", "--no-open"]
        + ["--base-url", url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"--base-url:1: {problem}: {url!r}\n"
    assert not (tmp_path / "site").exists()


def test_a_template_change_rebuilds_and_reloads(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    shutil.copytree(templates_dir(), tmp_path / "templates")
    with serving(tmp_path, "--templates", "templates") as running:
        events = http.client.HTTPConnection(running.host, running.port, timeout=30)
        events.request("GET", "/__paperdigest/events")
        stream = events.getresponse()
        assert stream.readline().startswith(b'data: {"version": 1')
        layout = tmp_path / "templates" / "layout.html"
        layout.write_text(layout.read_text().replace("Skip to content", "Jump to the papers"))
        while not (line := stream.readline()).startswith(b"data: "):
            pass
        assert line.startswith(b'data: {"version": 2, "error": null}')
        events.close()
        _, _, body = running.request(running.base)
        assert b"Jump to the papers" in body


def test_it_serves_on_an_ipv6_loopback_address(tmp_path: Path) -> None:
    write_files(tmp_path / "content", CONTENT)
    with serving(tmp_path, "--host", "::1") as running:
        assert running.url.startswith("http://[::1]:")
        status, _, body = running.request(running.base)
        assert status == 200 and b"Preview test" in body
