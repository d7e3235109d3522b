"""A note too long for the room under its call is split across pages (pressroom/formats/footnote_split.py):
a minimal reproduction read back from the PDF, without the fix (the note is not split) and with it;
and a publication built by the pipeline, in two languages."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import weasyprint
from conftest import quiet, write
from pdfcheck import footnotes, overlapping

from pressroom import build
from pressroom.formats import weasyprint_patches

WORDS = [f"w{i}" for i in range(1, 181)]
# Pages of eighteen 10 px lines; the call is on line 6; the note takes 16 lines: it cannot fit
# under its call, nor (with its line) at the top of page 2 with the footnote area's margin.
REPRODUCTION = """<style>
@page { size: 300px 200px; margin: 10px; @footnote { margin-top: 8px } }
body { margin: 0; font: 10px/10px sans-serif; orphans: 2; widows: 2 }
p { margin: 0 }
.note { float: footnote; footnote-policy: line; --note-continued: "(continued)" }
::footnote-call { content: " CALL" counter(footnote); vertical-align: baseline }
::footnote-marker { content: "NOTE" counter(footnote) " " }
</style>
<p>""" + "<br>".join(f"line{i}" + (f'<span class="note">{" ".join(WORDS)}</span>' if i == 6 else "")
                     for i in range(1, 30)) + "</p>"


def read(pdf: bytes) -> list[pdfplumber.page.Page]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(page.extract_text(), overlapping(page, max_size=12)) for page in document.pages]


def space_above(pdf: bytes, page: int, word: str) -> float:
    """The space (pt) between ``word`` on ``page`` (from 1) and the lowest word above it."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[page - 1].extract_words()
    top = next(found["top"] for found in words if found["text"] == word)
    return top - max(found["bottom"] for found in words if found["bottom"] <= top)


def split_pages(pages: list[tuple[str, list]], words: list[str], mark: str) -> tuple[int, list[str], list[str]]:
    """(page where the note starts, the note's words on that page, on the next page), checking on the
    way that the next page's part starts with the mark and that nothing is lost, repeated or overlapping."""
    texts = [text for text, _ in pages] + [""]
    start = next(number for number, text in enumerate(texts, 1) if re.search(rf"\b{words[0]}\b", text))
    first, second = (re.findall(r"\b[wn]\d+\b", texts[start + offset]) for offset in (-1, 0))
    assert first and second, "the note is not split across two pages"
    assert first + second == words
    assert texts[start].index(mark) < texts[start].index(second[0])
    assert not [pairs for _, pairs in pages if pairs]
    return start, first, second


@pytest.fixture
def unpatched():
    weasyprint_patches.remove()
    yield
    weasyprint_patches.apply()


def test_without_the_fix_the_note_is_not_split(unpatched):
    pages = read(weasyprint.HTML(string=REPRODUCTION).write_pdf())
    with pytest.raises(AssertionError, match="not split"):
        split_pages(pages, WORDS, "(continued)")
    assert "CALL1" not in pages[0][0] or "NOTE1" not in pages[0][0]  # the note is not on its call's page


def test_with_the_fix_the_note_continues_on_the_next_page():
    weasyprint_patches.apply()
    pdf = weasyprint.HTML(string=REPRODUCTION).write_pdf()
    pages = read(pdf)
    start, first, second = split_pages(pages, WORDS, "(continued)")
    assert "CALL1" in pages[0][0] and start == 1 and len(first) > len(WORDS) // 2, (start, len(first))
    assert "line7" in pages[1][0]  # the text goes on on page 2, above the rest of the note
    # The footnote area keeps its top margin (6 pt) on the page where the note goes on.
    assert space_above(pdf, 2, "(continued)") >= 5


def test_overlapping_characters_are_seen():
    pdf = weasyprint.HTML(string='<p style="font: 10px sans-serif">ab<span style="margin-left: -6px">cd</span></p>')
    assert read(pdf.write_pdf())[0][1]


FILLER = "A paragraph of text that fills the page, line after line after line. " * 12


@pytest.mark.parametrize(("lang", "mark"), [("en", "(continued)"), ("fr", "(suite)")])
def test_a_built_publication_splits_a_long_note(project, lang, mark):
    """Built by the pipeline: the note splits under its call, the rest is marked in the
    publication's language, and the build does not warn."""
    words = [f"n{i:03d}" for i in range(1, 501)]
    write(project, f"content/long/{lang}.md", f"""
        ---
        type: policy-brief
        title: "Long notes"
        date: 2025-06
        ---

        {FILLER}

        {FILLER}

        {FILLER}

        A call to a long note.[^long] More text.

        [^long]: {" ".join(words)}

        {FILLER}

        {FILLER}
        """)
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    with pdfplumber.open(report.built[0]) as document:
        pages = [(page.extract_text(), overlapping(page)) for page in document.pages]
    start, first, second = split_pages(pages, words, mark)
    assert footnotes(report.built[0])[0] == {1: [start]}  # the call's page
