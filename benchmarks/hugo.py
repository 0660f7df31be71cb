"""The peer baseline: the same corpus as a Hugo site, then Pagefind over Hugo's output.

The Hugo site has the pages paperdigest makes: one per paper (title, abstract, first-seen
date, the digests that listed it), one per digest (its papers, linked), a home page with
the latest digest, an archive by month, and Hugo's RSS feed and sitemap. Its pages are
rendered by Hugo's templates and its Markdown by Goldmark, as a Hugo user would have them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from paperdigest.build import read_library

CONFIG = """\
baseURL = "https://example.github.io/bench/"
title = "Benchmark digest"
disableKinds = ["taxonomy", "term"]
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
"""
BASEOF = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "" | relURL }}">Latest</a> <a href="{{ "digests/" | relURL }}">Archive</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
"""
PAPER = """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>First seen {{ .Date.Format "Monday, 2 January 2006" }}.</p>
<h2>Abstract</h2>
{{ .Content }}
<h2>Listed in</h2>
<ul>{{ range .Params.digests }}<li><a href="{{ printf "digests/%s/" . | relURL }}">{{ . }}</a></li>{{ end }}</ul>
</article>{{ end }}
"""
DIGEST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ol>{{ range .Params.papers }}<li><a href="{{ printf "papers/%s/" .slug | relURL }}">{{ .title }}</a>{{ if .new }} <strong>new</strong>{{ end }}</li>{{ end }}</ol>
{{ end }}
"""
ARCHIVE = """\
{{ define "main" }}<h1>Archive</h1>
{{ range .Pages.GroupByDate "January 2006" }}<h2>{{ .Key }}</h2>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Params.papers }} papers)</li>{{ end }}</ul>
{{ end }}{{ end }}
"""
HOME = """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ with index (where site.RegularPages "Section" "digests").ByDate.Reverse 0 }}
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ol>{{ range .Params.papers }}<li><a href="{{ printf "papers/%s/" .slug | relURL }}">{{ .title }}</a></li>{{ end }}</ol>
{{ end }}{{ end }}
"""
SECTION = '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n'


def write_hugo_site(content: Path, folder: Path) -> None:
    """Write `content` (a paperdigest content folder) as an equivalent Hugo site."""
    _, library = read_library(content)
    shutil.rmtree(folder, ignore_errors=True)
    for path, text in {
        "hugo.toml": CONFIG,
        "layouts/_default/baseof.html": BASEOF,
        "layouts/_default/single.html": PAPER,
        "layouts/_default/list.html": SECTION,
        "layouts/digests/single.html": DIGEST,
        "layouts/digests/list.html": ARCHIVE,
        "layouts/index.html": HOME,
        "static/style.css": "body{font-family:sans-serif;max-width:46rem;margin:auto}\n",
        "content/papers/_index.md": "---\ntitle: Papers\n---\n",
        "content/digests/_index.md": "---\ntitle: Archive\n---\n",
    }.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    for paper in library.papers:
        front = {
            "title": paper.title,
            "date": paper.first_seen.isoformat(),
            "digests": [day.isoformat() for day in reversed(paper.dates)],
        }
        body = paper.abstract.text
        (folder / "content/papers" / f"{paper.slug}.md").write_text(
            f"{json.dumps(front)}\n\n{body}\n"
        )
    for digest in library.digests:
        front = {
            "title": f"Papers of {digest.date.isoformat()}",
            "date": digest.date.isoformat(),
            "slug": digest.date.isoformat(),
            "papers": [
                {"slug": p.slug, "title": p.title, "new": digest.is_new(p)} for p in digest.papers
            ],
        }
        (folder / "content/digests" / f"{digest.date.isoformat()}.md").write_text(
            f"{json.dumps(front)}\n"
        )
