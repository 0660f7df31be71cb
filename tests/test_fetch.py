"""`paperdigest fetch` against a real HTTP server on 127.0.0.1 that answers like the API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import run_cli
from hf import hf_day, hf_record
from paperdigest import fetch
from paperdigest.cli import main
from paperdigest.read.hf_json import parse_hf_day

DAY = "2025-07-15"


class Api:
    """What the fake API answers: a list of records per day, or a failure to play."""

    def __init__(self) -> None:
        self.days: dict[str, list[dict[str, object]]] = {}
        self.plays: list[tuple[int, dict[str, str], bytes]] = []  # answered first, in turn
        self.slow: float = 0.0
        self.requests: list[str] = []


class Handler(BaseHTTPRequestHandler):
    api: Api

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.api.requests.append(self.path)
        if self.api.plays:
            status, headers, body = self.api.plays.pop(0)
        else:
            query = parse_qs(urlsplit(self.path).query)
            day, page = query["date"][0], int(query.get("p", ["0"])[0])
            limit = int(query.get("limit", ["50"])[0])
            records = self.api.days.get(day, [])[page * limit : (page + 1) * limit]
            status, headers, body = 200, {}, json.dumps(records).encode()
        if self.api.slow:
            time.sleep(self.api.slow)  # a slow server, bounded by the test
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api() -> Iterator[tuple[Api, str]]:
    state = Api()
    handler = type("Bound", (Handler,), {"api": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/api/daily_papers"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "RETRY_WAITS", (0.01, 0.01))


def run(
    url: str, content: Path, *args: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    status = main(["fetch", "--content", str(content), "--base-api", url, *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def records(n: int, day: str = DAY, start: int = 0) -> list[dict[str, object]]:
    return [
        hf_record(f"2507.{10000 + start + i}", f"Paper Number {start + i}", day=day)
        for i in range(n)
    ]


def test_a_day_is_saved_as_the_api_gives_it_and_the_build_reads_it(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(3)
    status, out, err = run(url, tmp_path / "content", DAY, capsys=capsys)
    assert (status, err) == (0, "")
    saved = tmp_path / "content" / f"{DAY}.json"
    assert out == f"{DAY}: 3 papers; saved {saved}\n"
    assert json.loads(saved.read_text()) == state.days[DAY]
    file, _ = parse_hf_day(str(saved), saved.read_bytes())
    assert [e.arxiv_id for e in file.entries] == ["2507.10000", "2507.10001", "2507.10002"]
    assert run_cli("build", "--no-search", cwd=tmp_path).returncode == 0


def test_a_day_longer_than_one_answer_is_fetched_page_by_page(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(230)
    status, _, _ = run(url, tmp_path, DAY, capsys=capsys)
    assert status == 0
    assert len(json.loads((tmp_path / f"{DAY}.json").read_text())) == 230
    assert [parse_qs(urlsplit(r).query)["p"] for r in state.requests] == [["0"], ["1"], ["2"]]


def test_fetching_again_adds_new_papers_keeps_first_counts_and_touches_nothing_unchanged(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(2)
    run(url, tmp_path, DAY, capsys=capsys)
    saved = tmp_path / f"{DAY}.json"
    stamp = saved.stat().st_mtime_ns
    status, out, _ = run(url, tmp_path, DAY, capsys=capsys)
    assert (status, out) == (0, f"{DAY}: 2 papers, as saved before; nothing changed\n")
    assert saved.stat().st_mtime_ns == stamp
    later = records(3)
    later[0]["paper"]["upvotes"] = 500  # type: ignore[index]  # counts grow by the hour
    state.days[DAY] = [later[2], later[0], later[1]]  # and the order follows them
    status, out, _ = run(url, tmp_path, DAY, capsys=capsys)
    assert (status, out) == (0, f"{DAY}: 3 papers, 1 new; saved {saved}\n")
    kept = json.loads(saved.read_text())
    assert [r["paper"]["id"] for r in kept] == ["2507.10000", "2507.10001", "2507.10002"]
    assert kept[0]["paper"]["upvotes"] == 12  # as first fetched


def test_an_empty_day_saves_nothing(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = api
    status, out, _ = run(url, tmp_path, "2025-07-19", capsys=capsys)
    assert (status, out) == (
        0,
        "2025-07-19: no papers listed (a weekend or a holiday?); nothing saved\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_rate_limit_is_waited_out_as_the_server_asks(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(1)
    state.plays = [(429, {"Retry-After": "0"}, b'{"error": "slow down"}')]
    status, out, _ = run(url, tmp_path, DAY, capsys=capsys)
    assert status == 0
    assert (
        out.splitlines()[0]
        == "rate limited by " + urlsplit(url).netloc + "; waiting 0 s as it asks"
    )
    assert (tmp_path / f"{DAY}.json").is_file()


@pytest.mark.parametrize(
    ("plays", "message"),
    [
        ([(429, {"Retry-After": "3600"}, b"{}")], "rate limited by {host}; try again later"),
        ([(429, {"Retry-After": "0"}, b"{}")] * 4, "rate limited by {host}; try again later"),
        ([(404, {}, b'{"error": "Not Found"}')], "HTTP 404 from {host}: Not Found"),
        ([(400, {}, b'{"error": "Invalid date"}')], "HTTP 400 from {host}: Invalid date"),
        ([(500, {}, b"oops")] * 3, "HTTP 500 from {host}"),
        ([(200, {}, b"<html>not json</html>")], "{host} answered with something that is not JSON"),
        ([(200, {}, b'{"papers": []}')], "{host} answered with JSON that is not a list of papers"),
        ([(200, {"Content-Length": "1000"}, b"[1, 2")], "the answer from {host} was cut off"),
        (
            [(200, {}, json.dumps([{"paper": {"title": "no id"}}]).encode())],
            "the answer cannot be read as a daily list, so nothing was saved: "
            "{path}:2: record 1: `paper.id` (the arXiv ID) is missing",
        ),
    ],
)
def test_failures_say_what_went_wrong_and_save_nothing(
    api: tuple[Api, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    plays: list[tuple[int, dict[str, str], bytes]],
    message: str,
) -> None:
    state, url = api
    state.days[DAY] = records(1)
    state.plays = list(plays)
    status, _, err = run(url, tmp_path, DAY, capsys=capsys)
    expected = message.format(host=urlsplit(url).netloc, path=tmp_path / f"{DAY}.json")
    assert status == 1
    assert err.splitlines() == [f"error: {DAY}: {expected}"]
    assert list(tmp_path.iterdir()) == []


def test_a_server_error_that_passes_is_retried(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(1)
    state.plays = [(500, {}, b"oops"), (503, {}, b"busy")]
    assert run(url, tmp_path, DAY, capsys=capsys)[0] == 0
    assert (tmp_path / f"{DAY}.json").is_file()


def test_a_server_that_answers_too_slowly_times_out(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days[DAY] = records(1)
    state.slow = 1.0
    status, _, err = run(url, tmp_path, DAY, "--timeout", "0.2", capsys=capsys)
    assert status == 1
    assert err == f"error: {DAY}: no answer from {urlsplit(url).netloc} within 0.2 s\n"
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_is_not_there_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run("http://127.0.0.1:9/api", tmp_path, DAY, capsys=capsys)
    assert status == 1
    assert err.startswith(f"error: {DAY}: cannot reach 127.0.0.1:9: ")
    assert "Connection refused" in err


def test_a_failed_day_does_not_stop_the_others_and_a_kept_file_stays_whole(
    api: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, url = api
    state.days = {"2025-07-14": records(1, "2025-07-14"), "2025-07-16": records(2, "2025-07-16")}
    (tmp_path / "2025-07-15.json").write_text(hf_day(*records(1)))
    before = (tmp_path / "2025-07-15.json").read_bytes()
    state.plays = [(200, {}, json.dumps(records(1, "2025-07-14")).encode()), (500, {}, b"")] + [
        (500, {}, b"")
    ] * 2
    status, out, err = run(url, tmp_path, "2025-07-14", "2025-07-15", "2025-07-16", capsys=capsys)
    assert status == 1
    assert err == f"error: 2025-07-15: HTTP 500 from {urlsplit(url).netloc}\n"
    assert (tmp_path / "2025-07-15.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025-07-14.json", "2025-07-15.json", "2025-07-16.json",
    ]  # fmt: skip
    assert out.count("saved") == 2


def test_which_days_are_fetched() -> None:
    today = date(2025, 7, 15)
    assert fetch.days_to_fetch([], None, today) == [date(2025, 7, 14), today]
    assert fetch.days_to_fetch([date(2025, 1, 2)], None, today) == [date(2025, 1, 2)]
    assert fetch.days_to_fetch([], date(2025, 7, 12), today) == [
        date(2025, 7, 12), date(2025, 7, 13), date(2025, 7, 14), today,
    ]  # fmt: skip
    with pytest.raises(fetch.FetchError, match="2025-07-16 has not come yet"):
        fetch.days_to_fetch([date(2025, 7, 16)], None, today)


def test_a_date_that_is_no_date_is_refused_by_the_command_line() -> None:
    result = run_cli("fetch", "2025-02-30")
    assert result.returncode == 2
    assert "'2025-02-30' is not a date such as 2025-03-14" in result.stderr


def test_the_fetch_workflow_runs_daily_commits_only_changes_and_publishes_itself() -> None:
    import shlex

    import yaml

    from conftest import REPO
    from paperdigest.arguments import make_parser

    workflow = yaml.safe_load((REPO / ".github/workflows/fetch.yml").read_text())
    on = workflow[True]  # YAML reads `on:` as True
    assert on["schedule"] and "since" in on["workflow_dispatch"]["inputs"]
    fetch_job, publish = workflow["jobs"]["fetch"], workflow["jobs"]["publish"]
    assert fetch_job["permissions"] == {"contents": "write"}
    runs = "\n".join(step.get("run", "") for step in fetch_job["steps"])
    for line in (line.strip() for line in runs.splitlines()):
        if line.startswith("paperdigest fetch"):  # commands we accept
            make_parser().parse_args(shlex.split(line.replace('"$SINCE"', "2025-01-01"))[1:])
    assert "${{" not in runs  # inputs reach the script through the environment only
    assert "git diff --cached --quiet" in runs and "git push" in runs
    # A push with the workflow's own token starts no workflow: it publishes by calling one.
    assert publish["uses"] == "./.github/workflows/pages.yml"
    assert publish["needs"] == "fetch" and "changed == 'true'" in publish["if"]
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    pages = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert "workflow_call" in pages[True]
    checkout = pages["jobs"]["build"]["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.ref }}"  # the commit fetch just pushed
