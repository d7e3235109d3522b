"""Footnote calls glued to their word (every language, Chinese line-breaking rules), markers clear of
their note, a warning for a note that cannot sit on its call's page, ellipses on cut pull-quotes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, write
from pdfcheck import calls_at_line_start, empty_fractions, lines_starting_with, marker_gaps

from pressroom import build
from pressroom.convert.transform import FILTERS, pandoc_path
from pressroom.formats import VARIANTS
from pressroom.formats.footnote_check import note_call_lines
from pressroom.formats.render import Renderer
from pressroom.project.config import load_project
from pressroom.source.markdown import parse

CLOSING_PUNCTUATION = "。，、）」』》：；！？"
SAMPLES = sorted(ROOT.glob("content/*/*.md"))


def rendered(tmp_path: Path, body: str, lang: str = "en") -> Path:
    """A page of our stylesheets' text (policy brief) around ``body``, rendered by our renderer."""
    html = (f'<html lang="{lang}"><head><link rel="stylesheet" href="styles/base.css">'
            f'<link rel="stylesheet" href="styles/policy-brief.css"></head><body>{body}</body></html>')
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(Renderer(ROOT).render(html, "page.html", VARIANTS["screen"], load_project(ROOT).brand["colours"]))
    return pdf


@pytest.mark.parametrize("source", SAMPLES, ids=lambda s: f"{s.parent.name}/{s.stem}")
def test_no_call_starts_a_line_in_the_samples(sample_build, source):
    pdf = sample_build / source.stem / f"{source.parent.name}.pdf"
    assert not calls_at_line_start(pdf)


def test_a_call_starting_a_line_is_seen(tmp_path):
    pdf = rendered(tmp_path, '<p>A sentence that ends here.<br><span class="footnote">A note.</span> Text.</p>')
    assert calls_at_line_start(pdf) == [(1, 1)]


def test_no_chinese_line_begins_with_closing_punctuation(sample_build):
    pdf = sample_build / "zh" / "law-reform-progress.pdf"
    assert not lines_starting_with(pdf, CLOSING_PUNCTUATION)


def test_a_chinese_line_beginning_with_a_full_stop_is_seen(tmp_path):
    pdf = rendered(tmp_path, "<p>性工作者主导的组织<br>。这样的证据</p>", lang="zh")
    assert lines_starting_with(pdf, CLOSING_PUNCTUATION) == [(1, "。这样的证据")]


def test_the_call_is_glued_to_the_text_before_it(tmp_path):
    """pandoc + our filter: a space typed before a call is dropped, a WORD JOINER ties the call to the
    word (and a second call, after a superscript comma)."""
    source = write(tmp_path, "en.md", "Typed apart [^a] and two.[^b][^c]\n\n[^a]: One.\n\n[^b]: Two.\n\n[^c]: Three.\n")
    html = subprocess.run([pandoc_path(), str(source), "--wrap=none", "--lua-filter", str(FILTERS / "footnotes.lua")],
                          capture_output=True, text=True, check=True).stdout
    assert 'apart\u2060<span class="footnote notes-1">One.</span> and' in html
    assert ('two.\u2060<span class="footnote notes-1">Two.</span>\u2060<span class="note-separator">,</span>'
            '\u2060<span class="footnote notes-1">Three.</span>') in html


@pytest.mark.parametrize(("classes", "clear"), [("footnote notes-3", True), ("footnote", False)])
def test_a_three_digit_marker_needs_the_wider_indent(tmp_path, classes, clear):
    """Note 100 with the indent the filter asks for (notes-3) and, as a control, without it."""
    pdf = rendered(tmp_path, f'<p style="counter-reset: footnote 99">Text<span class="{classes}">Note text.</span></p>')
    gap = marker_gaps(pdf)[100]
    assert (gap >= 1.0) is clear, gap


def test_a_page_broken_early_is_seen_as_half_empty(tmp_path):
    text = "Words of a paragraph of text. " * 40
    pdf = rendered(tmp_path, f'<p>{text}</p><p style="break-before: page">{text * 8}</p>')
    first, second = empty_fractions(pdf)[:2]
    assert first > 0.5 and second < 0.1, (first, second)


def test_a_note_that_cannot_fit_is_reported_with_its_line(project):
    """A note longer than a page in a case study's columns, where WeasyPrint does not split notes
    (a policy brief splits it: tests/test_footnote_split.py)."""
    filler = "A paragraph of text that fills the page, line after line after line. " * 12
    write(project, "content/huge/en.md", f"""
        ---
        type: case-study
        title: "Huge notes"
        date: 2025-06
        ---

        {filler}[^a]

        {filler}

        A call to a note longer than a page.[^huge] More text.

        [^a]: A short note.

        [^huge]: {"This note goes on and on. " * 450}

        {filler}
        """)
    report = build(project, say=lambda _: None)
    assert report.ok
    [warning] = [str(found) for found in report.warnings if found.line == 11]
    found = re.fullmatch(r"content/huge/en\.md:11: note 2 is printed on page (\d+), its call on page (\d+): "
                         r"the note does not fit on its call's page\n  hint: shorten the note, or split it", warning)
    assert found and int(found[1]) == int(found[2]) + 1, warning


@pytest.mark.parametrize("source", SAMPLES, ids=lambda s: f"{s.parent.name}/{s.stem}")
def test_each_note_is_located_in_its_source(sample_build, source):
    from pdfcheck import footnotes

    calls, _ = footnotes(sample_build / source.stem / f"{source.parent.name}.pdf")
    plain = parse(source.read_text(encoding="utf-8"), str(source)).plain
    assert len(note_call_lines(plain)) == len(calls)


@pytest.mark.parametrize(("markdown", "shown"), [
    ("It said that [sex worker-led organisations continue to resist]{.pull} the new laws.",
     "\u2026sex worker-led organisations continue to resist\u2026"),
    ("First. [A whole sentence.]{.pull} Next.", "A whole sentence."),
    ("[Opens the paragraph, goes on,]{.pull} and ends.", "Opens the paragraph, goes on\u2026"),
    ("Before that, [a clause ends the sentence.]{.pull}", "\u2026a clause ends the sentence."),
])
def test_a_pull_quote_cut_from_a_sentence_shows_an_ellipsis(tmp_path, markdown, shown):
    source = write(tmp_path, "en.md", markdown + "\n")
    html = subprocess.run([pandoc_path(), str(source), "--wrap=none", "--lua-filter", str(FILTERS / "pull.lua")],
                          capture_output=True, text=True, check=True).stdout
    assert f'<div class="pullquote from-text" aria-hidden="true">\n<p>{shown}</p>' in html
