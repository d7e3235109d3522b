"""`make` rebuilds exactly what changed, survives interruption, and shards deterministically."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_project, write

from pressroom.pipeline.build import shard

BRIEF = """
---
type: policy-brief
title: "A Brief:"
date: 2025-06
---

# Introduction

Belgium decriminalised sex work in 2022 [@gill2022covid].
"""

CASE = """
---
type: case-study
title: A Case
date: 2016-03
---

# Introduction

Belgium's new labour law came in 2024 [@nswp2024belgium].
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("incremental") / "project")
    for name in ("Makefile", "build.py"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "pressroom", project / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    write(project, "content/brief/en.md", BRIEF)
    write(project, "content/brief/fr.md", BRIEF.replace("A Brief:", "Une note :"))
    write(project, "content/case/en.md", CASE)
    make(project)
    return project


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", f"PY={sys.executable}", "SETUP=", *args], cwd=project,
                          capture_output=True, text=True, check=True)


def stamps(project: Path) -> dict[str, int]:
    return {str(p.relative_to(project / "build")): p.stat().st_mtime_ns for p in (project / "build").rglob("*.pdf")}


def rebuilt_after(project: Path, change, *targets: str) -> set[str]:
    before = stamps(project)
    time.sleep(0.01)
    change()
    make(project, *targets)
    after = stamps(project)
    return {name for name in after if after[name] != before.get(name)}


def touch(path: Path) -> None:
    os.utime(path)


def test_first_build_makes_every_output(built):
    assert set(stamps(built)) == {"en/brief.pdf", "fr/brief.pdf", "en/case.pdf"}


def test_nothing_changed_nothing_rebuilt(built):
    assert rebuilt_after(built, lambda: None) == set()
    assert "up to date" in make(built).stdout


def test_touching_one_content_file_rebuilds_only_its_output(built):
    assert rebuilt_after(built, lambda: touch(built / "content/brief/fr.md")) == {"fr/brief.pdf"}


def test_a_translation_does_not_depend_on_its_source(built):
    assert rebuilt_after(built, lambda: touch(built / "content/brief/en.md")) == {"en/brief.pdf"}


def test_touching_a_type_template_rebuilds_only_that_type(built):
    assert rebuilt_after(built, lambda: touch(built / "templates/case-study.html")) == {"en/case.pdf"}
    assert rebuilt_after(built, lambda: touch(built / "styles/policy-brief.css")) == {"en/brief.pdf", "fr/brief.pdf"}


def test_shared_files_rebuild_everything_that_uses_them(built):
    everything = {"en/brief.pdf", "fr/brief.pdf", "en/case.pdf"}
    assert rebuilt_after(built, lambda: touch(built / "templates/_base.html")) == everything
    assert rebuilt_after(built, lambda: touch(built / "locales/fr.yaml")) == {"fr/brief.pdf"}


def test_editing_one_bibliography_entry_rebuilds_only_what_cites_it(built):
    bib = built / "references.bib"

    def edit_gill() -> None:
        bib.write_text(bib.read_text().replace("Thomson Reuters Foundation}", "Thomson Reuters Foundation.}"))

    assert rebuilt_after(built, edit_gill) == {"en/brief.pdf", "fr/brief.pdf"}
    assert rebuilt_after(built, lambda: bib.write_text(bib.read_text() + "\n% a comment\n")) == set()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_no_partial_pdf_and_the_next_make_is_correct(built, stop):
    for source in (built / "content").glob("*/*.md"):
        touch(source)
    process = subprocess.Popen(["make", f"PY={sys.executable}", "SETUP="], cwd=built, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(1.5)  # the render workers are at work by now
    os.killpg(process.pid, stop)
    process.wait(30)
    time.sleep(0.5)
    for pdf in (built / "build").glob("*/*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    if stop == signal.SIGINT:
        assert not list((built / "build").glob("*/.*.part")), "Ctrl-C left a temporary file"
    make(built)
    assert not list((built / "build").glob("*/.*.part"))
    assert rebuilt_after(built, lambda: None) == set()
    newest_source = max(p.stat().st_mtime_ns for p in (built / "content").glob("*/*.md"))
    assert min(stamps(built).values()) > newest_source


def test_make_j_is_safe(built):
    for source in (built / "content").glob("*/*.md"):
        touch(source)
    make(built, "-j4")
    assert rebuilt_after(built, lambda: None) == set()


def test_every_output_has_its_own_target_and_stays_exact(built):
    assert rebuilt_after(built, lambda: None, "archive") == {"archive/en/brief.pdf", "archive/fr/brief.pdf",
                                                             "archive/en/case.pdf"}
    assert (built / "build/.deps/archive/fr/brief.d").read_text().startswith("build/archive/fr/brief.pdf:")
    assert rebuilt_after(built, lambda: None, "archive") == set()
    assert rebuilt_after(built, lambda: touch(built / "content/brief/fr.md"), "archive") == {"archive/fr/brief.pdf"}
    assert rebuilt_after(built, lambda: None) == {"fr/brief.pdf"}  # the screen PDF was still outdated
    assert rebuilt_after(built, lambda: None, "screen", "archive") == set()


def test_a_new_content_file_gets_its_rules(built):
    write(built, "content/brief/ru.md", BRIEF.replace("A Brief:", "Записка:"))
    assert rebuilt_after(built, lambda: None) == {"ru/brief.pdf"}
    (built / "content/brief/ru.md").unlink()
    assert "up to date" in make(built).stdout  # its rule is gone, no error


def test_shards_split_the_outputs_deterministically():
    sources = sorted((ROOT / "content").glob("*/*.md"))
    parts = [shard(sources, k, 3) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sources
    assert all(not set(a) & set(b) for a in parts for b in parts if a is not b)
    assert [sorted(shard(list(reversed(sources)), k, 3)) for k in (1, 2, 3)] == [sorted(p) for p in parts]
