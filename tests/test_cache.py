"""The build cache: reused only while files are unchanged, and never trusted with code."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

import paperdigest
from conftest import (
    digest_text,
    find_all,
    paper_page,
    parse_html,
    run_cli,
    text_of,
    write_files,
)
from paperdigest.abstract_links import artifact_links
from paperdigest.build import BuildOptions, build
from paperdigest.errors import Problems
from paperdigest.latex import plain
from paperdigest.model import Link
from paperdigest.read import files
from paperdigest.read.cache import MEMOS, STAMPS, ContentCache, cache_path, load_cache, stamp_of
from paperdigest.render.templates import templates_dir


def test_an_edited_digest_is_read_again(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("Old Title", "Abstract."))}
    )
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    assert load_cache(cache_path(options.out)).files
    (content / "2025-03-14.txt").write_text(digest_text("Mar 14", ("New Title", "Abstract.")))
    build(options)
    assert (
        text_of(find_all(parse_html(paper_page(options.out, "New Title").read_bytes()), "h1")[0])
        == "New Title"
    )
    assert not list((options.out / "papers").glob("old-title-*"))


def test_the_cache_forgets_files_that_are_gone(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "2025-03-13.txt": digest_text("Mar 13", ("A", "a")),
            "2025-03-14.txt": digest_text("Mar 14", ("B", "b")),
        },
    )
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    (content / "2025-03-13.txt").unlink()
    build(options)
    cache = load_cache(cache_path(options.out))
    assert set(cache.files) == {"2025-03-14.txt"}
    assert set(cache.keys) == {"B"}
    names = sorted(path.suffix for path in cache_path(options.out).iterdir())
    assert names == [".pickle", ".table"]  # its entry, and the stamps of the files left


def test_a_changed_paperdigest_reuses_nothing_an_older_one_made(tmp_path: Path) -> None:
    write_files(
        tmp_path / "content",
        {"2025-03-14.txt": digest_text("Mar 14", ("A Paper About Caching", "Short."))},
    )
    assert run_cli("build", "--no-search", cwd=tmp_path).returncode == 0
    # The same version number, other code: a checkout updated in place, say.
    code = tmp_path / "code" / "paperdigest"
    shutil.copytree(Path(paperdigest.__file__).parent, code)
    shutil.copytree(templates_dir(), code / "templates", dirs_exist_ok=True)
    edit(code / "read/align.py", "SUSPICIOUS_TITLE_CHARS = 300", "SUSPICIOUS_TITLE_CHARS = 5")
    edit(code / "plan/views.py", "DESCRIPTION_CHARS = 160", "DESCRIPTION_CHARS = 3")
    result = run_cli("build", "--no-search", cwd=tmp_path, env={"PYTHONPATH": str(code.parent)})
    assert result.returncode == 0, result.stderr
    assert "this title is 21 characters long" in result.stderr  # the file was parsed again
    page = parse_html(paper_page(tmp_path / "site", "A Paper About Caching").read_bytes())
    description = [m for m in find_all(page, "meta") if m.get("name") == "description"]
    assert description[0].get("content") == "Sho…"  # and its page rendered again


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


class Exploit:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch pwned",))


def test_a_planted_cache_cannot_run_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / ".site.cache"
    folder.mkdir()
    (folder / "x.pickle").write_bytes(pickle.dumps(("0.1.0", "content", "x", Exploit(), {}, {})))
    monkeypatch.chdir(tmp_path)
    assert load_cache(folder) == ContentCache()
    assert not (tmp_path / "pwned").exists()


def test_a_corrupt_cache_is_an_empty_one(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "A"))}
    )
    cache_path(tmp_path / "site").mkdir()
    (cache_path(tmp_path / "site") / "x.pickle").write_bytes(b"\x80\x05garbage")
    build(BuildOptions(content=content, out=tmp_path / "site", search=False))
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_rebuild_takes_what_was_worked_out_of_unchanged_abstracts_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    abstract = r"We add \textsc{FuseChat} at $x^{2}$; code: https://github.com/a/fuse."
    content = write_files(
        tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("Fuse", abstract))}
    )
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    before = {path: path.read_bytes() for path in options.out.rglob("*") if path.is_file()}
    # A new process: nothing known but what the cache gives back.
    for memo in MEMOS.values():
        monkeypatch.setattr(memo, "known", {})
    cache = load_cache(cache_path(options.out))
    assert plain.known[abstract] == "We add FuseChat at x²; code: https://github.com/a/fuse."
    assert artifact_links.known[abstract] == (Link("code", "https://github.com/a/fuse"),)

    def unread(text: str) -> object:
        raise AssertionError(f"read again: {text}")

    for memo in MEMOS.values():
        monkeypatch.setattr(memo, "function", unread)
    (options.out / "index.html").unlink()  # so that the build renders something
    build(BuildOptions(content=content, out=options.out, search=False, cache=cache))
    assert {path: path.read_bytes() for path in options.out.rglob("*") if path.is_file()} == before


def test_a_fresh_checkout_of_the_same_files_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_files(
        tmp_path / "content",
        {
            "2025-03-13.txt": digest_text("Mar 13", ("Kept", "Same bytes.")),
            "2025-03-14.txt": digest_text("Mar 14", ("Edited", "Old bytes.")),
        },
    )
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    entries = {path: path.read_bytes() for path in cache_path(options.out).glob("*.pickle")}
    # As a new clone has them: every file written anew (new inode and time), one edited.
    for path in content.glob("*.txt"):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data.replace(b"Old bytes.", b"New bytes."))
    parsed: list[str] = []
    real = files.reader_for

    def reader_for(relative: str) -> object:
        parse = real(relative)
        assert parse is not None

        def parsing(shown: str, data: bytes) -> object:
            parsed.append(relative)
            return parse(shown, data)

        return parsing

    monkeypatch.setattr(files, "reader_for", reader_for)
    build(options)
    assert parsed == ["2025-03-14.txt"]
    assert "New bytes." in paper_page(options.out, "Edited").read_text()
    # Only the edited file's entry was written again; the other one's stamp is in the table.
    rewritten = [p for p, data in entries.items() if not p.exists() or p.read_bytes() != data]
    assert len(rewritten) == 1
    parsed.clear()
    hashed: list[str] = []
    by_bytes = ContentCache.parsed_bytes

    def parsed_bytes(self: ContentCache, relative: str, *args: object) -> object:
        hashed.append(relative)
        return by_bytes(self, relative, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ContentCache, "parsed_bytes", parsed_bytes)
    build(options)  # the new stamps were saved: nothing is parsed, nor even read
    assert parsed == []
    assert hashed == []


def test_a_stamp_of_other_bytes_does_not_stand_for_the_cached_parse(tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"2025-03-14.txt": digest_text("Mar 14", ("T", "Old bytes."))}
    )
    options = BuildOptions(content=content, out=tmp_path / "site", search=False)
    build(options)
    edited = content / "2025-03-14.txt"
    edited.write_bytes(edited.read_bytes().replace(b"Old", b"New"))
    # A table that gives the edited file's stamp, for bytes the cached parse was not of.
    table = cache_path(options.out) / STAMPS
    version, stamps = pickle.loads(table.read_bytes())
    stamps["2025-03-14.txt"] = (stamp_of(edited.stat()), "0" * 64)
    table.write_bytes(pickle.dumps((version, stamps)))
    cache = load_cache(cache_path(options.out))
    assert cache.parsed("2025-03-14.txt", stamp_of(edited.stat())) is None
    build(options)
    assert "New bytes." in paper_page(options.out, "T").read_text()


def test_the_related_memo_loads_as_saved_unless_its_lists_name_other_papers(
    tmp_path: Path,
) -> None:
    from paperdigest.read.cache import RELATED, save_cache
    from paperdigest.related import RelatedMemo, related_papers
    from test_related import CORPUS

    cache = ContentCache(related=RelatedMemo())
    related_papers(CORPUS, memo=cache.related)
    folder = tmp_path / "cache"
    save_cache(folder, cache, Problems())
    loaded, saved = load_cache(folder).related, cache.related
    assert loaded.saved and loaded.counts is not None and saved.counts is not None
    assert (loaded.epoch, loaded.texts, loaded.counted) == (saved.epoch, saved.texts, saved.counted)
    assert loaded.lists == saved.lists and len(loaded.lists) > 0
    assert loaded.counts.words == saved.counts.words
    assert (loaded.counts.matrix != saved.counts.matrix).nnz == 0
    # Lists the memo's texts do not account for would be kept past a change to them.
    version, epoch, digests, lists, counts, counted = pickle.loads((folder / RELATED).read_bytes())
    del digests["agents-cot"]
    (folder / RELATED).write_bytes(pickle.dumps((version, epoch, digests, lists, counts, counted)))
    assert load_cache(folder).related == RelatedMemo()
