"""A generated 300-page brief with 400 footnotes: within 1 GiB, every note on its call's page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_project
from pdfcheck import footnotes

sys.path.insert(0, str(ROOT / "bench"))
from generate import large_brief  # noqa: E402

MEMORY_LIMIT_KIB = 1024 * 1024


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    project = make_project(tmp_path_factory.mktemp("large") / "project")
    (project / "content" / "large").mkdir()
    (project / "content" / "large" / "en.md").write_text(large_brief(), encoding="utf-8")
    # Peak memory of the whole build, render workers included, as the kernel counts it.
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "build.py"), "--root",
                             str(project)], capture_output=True, text=True, check=True)
    return project / "build" / "en" / "large.pdf", int(result.stdout.split()[-1])


def test_it_is_as_large_as_promised(large):
    pdf, _ = large
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 280


def test_it_builds_within_one_gibibyte(large):
    _, peak_kib = large
    assert peak_kib < MEMORY_LIMIT_KIB, f"peak {peak_kib / 1024:.0f} MiB"


def test_all_400_notes_are_on_the_page_of_their_call(large):
    pdf, _ = large
    calls, notes = footnotes(pdf)
    assert sorted(calls) == list(range(1, 401)) == sorted(notes)
    misplaced = {n: (calls[n], notes[n]) for n in calls if calls[n] != notes[n]}
    assert not misplaced, misplaced
