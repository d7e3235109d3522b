"""A generated long brief (bench/generate.py; bounded here, 400 pages and 440 notes in `make bench`):
every note on its call's page, no page left half empty, no call cut from its word, room for three-digit
markers, and within 1 GiB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_project
from pdfcheck import calls_at_line_start, empty_fractions, footnotes, marker_gaps

sys.path.insert(0, str(ROOT / "bench"))
from generate import large_brief  # noqa: E402

MEMORY_LIMIT_KIB = 1024 * 1024
NOTES = 150  # past 100: three-digit markers
SIZE = {"sections": 80, "paragraphs": 5, "notes": NOTES}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    project = make_project(tmp_path_factory.mktemp("large") / "project")
    (project / "content" / "large").mkdir()
    (project / "content" / "large" / "en.md").write_text(large_brief(**SIZE), encoding="utf-8")
    # Peak memory of the whole build, render workers included, as the kernel counts it.
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "build.py"), "--root",
                             str(project)], capture_output=True, text=True, check=True)
    return project / "build" / "en" / "large.pdf", int(result.stdout.split()[-1]), result.stderr


def test_it_is_as_large_as_promised(large):
    pdf, _, _ = large
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 80


def test_it_builds_within_one_gibibyte(large):
    _, peak_kib, _ = large
    assert peak_kib < MEMORY_LIMIT_KIB, f"peak {peak_kib / 1024:.0f} MiB"


def test_every_note_is_on_the_page_of_its_call(large):
    pdf, _, log = large
    calls, notes = footnotes(pdf)
    assert sorted(calls) == list(range(1, NOTES + 1)) == sorted(notes)
    misplaced = {n: (calls[n], notes[n]) for n in calls if calls[n] != notes[n]}
    assert not misplaced, misplaced
    assert "is printed on page" not in log  # and the build's own check agrees


def test_no_page_is_left_half_empty(large):
    pdf, _, _ = large
    fractions = empty_fractions(pdf)
    body = range(1, len(fractions) - 2)  # not the cover, the end of the text, the back cover
    assert not {page + 1: round(fractions[page], 2) for page in body if fractions[page] > 0.5}


def test_no_call_starts_a_line(large):
    pdf, _, _ = large
    assert not calls_at_line_start(pdf)


def test_three_digit_markers_sit_clear_of_their_text(large):
    pdf, _, _ = large
    gaps = marker_gaps(pdf)
    assert sorted(gaps) == list(range(1, NOTES + 1))
    assert not {number: round(gap, 2) for number, gap in gaps.items() if gap < 1.0}
