"""What a build keeps between runs: pandoc's parse, pandoc's HTML per format, loaded files, search
indexes per language. Each must give what a run without it gives, and be made again when an input changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import quiet, write

from pressroom import build
from pressroom.convert.transform import _run_pandoc, transform
from pressroom.project.config import load_project
from pressroom.source import load as load_module
from pressroom.source.load import load_publication

BRIEF = """---
type: policy-brief
title: Kept
date: 2025-06
---

# What is kept

A paragraph with a note.[^1] And a "quoted" word.

| Year | Event |
|---|---|
| 2019 | A law |

[^1]: The note.
"""


class PandocRuns:
    """Counts the subprocesses started from now on (pandoc's runs, in these tests)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = subprocess.run

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(subprocess, "run", counted)


@pytest.fixture
def brief(project: Path) -> Path:
    return write(project, "content/kept/en.md", BRIEF)


def test_both_formats_in_one_run_are_those_of_two_runs(project, brief):
    pub = load_publication(load_project(project), brief)
    together = _run_pandoc(load_project(project), pub, ["pdf", "web"])
    for name in ("pdf", "web"):
        alone = _run_pandoc(load_project(project), pub, [name])[name]
        assert together[name].html == alone.html and together[name].warnings == alone.warnings
    assert together["pdf"].html != together["web"].html  # control: the formats differ


def test_a_pdf_run_makes_the_web_html_asked_for_later(project, brief, monkeypatch):
    p = load_project(project)
    pub = load_publication(p, brief)
    runs = PandocRuns(monkeypatch)
    transform(p, pub, "pdf", also=("web",))
    assert runs.count == 1
    web = transform(p, pub, "web")
    assert runs.count == 1  # kept from the PDF's run
    assert web.html == _run_pandoc(p, pub, ["web"])["web"].html


def test_the_html_is_made_again_when_a_file_pandoc_reads_changes(project, brief, monkeypatch):
    p = load_project(project)
    pub = load_publication(p, brief)
    runs = PandocRuns(monkeypatch)
    transform(p, pub, "pdf")
    transform(p, pub, "pdf")
    assert runs.count == 1
    bibliography = project / "references.bib"
    bibliography.write_text(bibliography.read_text() + "\n@misc{added, title = {Added}}\n")
    transform(p, pub, "pdf")
    assert runs.count == 2


def test_a_body_is_parsed_once_while_unchanged(project, brief, monkeypatch):
    runs = PandocRuns(monkeypatch)
    p = load_project(project)
    first = load_publication(p, brief)
    assert load_publication(p, brief) is first  # the same process: loaded once
    load_module._loaded.clear()
    again = load_publication(p, brief)
    assert runs.count == 1 and again.markdown().tree == first.markdown().tree  # another process: the kept parse
    brief.write_text(BRIEF.replace("The note.", "The changed note."))
    changed = load_publication(p, brief)
    assert runs.count == 2 and "changed" in str(changed.markdown().tree)


def test_an_edit_indexes_its_language_only(project):
    write(project, "content/kept/en.md", BRIEF)
    write(project, "content/kept/fr.md", BRIEF.replace("title: Kept", "title: Gardé"))
    assert build(project, outputs=["site"], say=quiet).ok
    site = project / "build" / "site"
    indexes = {lang: (site / lang / "_search" / "pagefind-entry.json").stat().st_mtime_ns for lang in ("en", "fr")}
    write(project, "content/kept/fr.md", BRIEF.replace("title: Kept", "title: Gardé").replace("word", "mot"))
    assert build(project, [project / "content/kept/fr.md"], outputs=["site"], say=quiet).ok
    after = {lang: (site / lang / "_search" / "pagefind-entry.json").stat().st_mtime_ns for lang in ("en", "fr")}
    assert after["en"] == indexes["en"] and after["fr"] != indexes["fr"]
