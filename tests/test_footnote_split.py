"""A note too long for the room under its call is split across pages (pressroom/formats/footnote_split.py):
a minimal reproduction read back from the PDF, without the fix (the note is not split) and with it;
and a publication built by the pipeline, in two languages."""

from __future__ import annotations

import io
import re

import pdfplumber
import pikepdf
import pytest
import weasyprint
from conftest import quiet, write
from pdfcheck import footnotes, overlapping
from readers import outloud_findings, page_failures

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


def note_parts(pages: list[tuple[str, list]], words: list[str], mark: str,
               split: bool = True) -> list[tuple[int, list[str]]]:
    """(page, the note's words printed on it) for each page holding part of the note, checking on the
    way that the parts are on pages that follow each other, that each part after the first starts
    with the mark, and that nothing is lost, repeated, or drawn over other characters on those pages."""
    word = re.compile(rf"\b{re.match('[a-z]+', words[0])[0]}\d+\b")  # the note's words: w1 w2 ...
    parts = [(number, found) for number, (text, _) in enumerate(pages, 1) if (found := word.findall(text))]
    assert len(parts) > 1 or not split, "the note is not split across pages"
    assert [number for number, _ in parts] == list(range(parts[0][0], parts[0][0] + len(parts)))
    assert [word for _, found in parts for word in found] == words
    for number, found in parts[1:]:
        text = pages[number - 1][0]
        assert mark in text and text.index(mark) < text.index(found[0]), number
    assert not [(number, pages[number - 1][1]) for number, _ in parts if pages[number - 1][1]]
    return parts


@pytest.fixture
def unpatched():
    weasyprint_patches.remove()
    yield
    weasyprint_patches.apply()


def test_without_the_fix_the_note_is_not_split(unpatched):
    pages = read(weasyprint.HTML(string=REPRODUCTION).write_pdf())
    with pytest.raises(AssertionError, match="not split"):
        note_parts(pages, WORDS, "(continued)")
    assert "CALL1" not in pages[0][0] or "NOTE1" not in pages[0][0]  # the note is not on its call's page


def test_with_the_fix_the_note_continues_on_the_next_page():
    weasyprint_patches.apply()
    pdf = weasyprint.HTML(string=REPRODUCTION).write_pdf()
    pages = read(pdf)
    (start, first), (_, second) = note_parts(pages, WORDS, "(continued)")
    assert "CALL1" in pages[0][0] and start == 1 and len(first) > len(WORDS) // 2, (start, len(first))
    assert "line7" in pages[1][0]  # the text goes on on page 2, above the rest of the note
    # The footnote area keeps its top margin (6 pt) on the page where the note goes on.
    assert space_above(pdf, 2, "(continued)") >= 5


def test_two_long_notes_called_from_one_line_are_both_placed():
    """Both are placed, in order, marked where they go on, and on no page does the text run over
    notes carried over from the page before (WeasyPrint lays those out whatever their height)."""
    weasyprint_patches.apply()
    second = [word.replace("w", "v") for word in WORDS]
    html = REPRODUCTION.replace("</span><br>line7", f'</span> and<span class="note">{" ".join(second)}</span><br>line7')
    pages = read(weasyprint.HTML(string=html).write_pdf())
    parts = [note_parts(pages, words, "(continued)", split=False) for words in (WORDS, second)]
    assert parts[0][-1][0] <= parts[1][0][0] and max(map(len, parts)) == 2, parts


def test_overlapping_characters_are_seen():
    pdf = weasyprint.HTML(string='<p style="font: 10px sans-serif">ab<span style="margin-left: -6px">cd</span></p>')
    assert read(pdf.write_pdf())[0][1]


FILLER = "A paragraph of text that fills the page, line after line after line. " * 12


def built(project, lang: str, words: list[str], before: int, after: int) -> tuple[object, list]:
    """A policy brief with one note of ``words``, called after ``before`` paragraphs and followed
    by ``after`` paragraphs, built by the pipeline: (the build's report, pages (text, overlaps))."""
    body = "\n\n".join([FILLER] * before + ["A call to a long note.[^long] More text."] + [FILLER] * after)
    head = '---\ntype: policy-brief\ntitle: "Long notes"\ndate: 2025-06\n---\n\n'
    write(project, f"content/long/{lang}.md", f"{head}{body}\n\n[^long]: {' '.join(words)}\n")
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    with pdfplumber.open(report.built[0]) as document:
        return report, [(page.extract_text(), overlapping(page, max_size=12)) for page in document.pages]


@pytest.mark.parametrize(("lang", "mark"), [("en", "(continued)"), ("fr", "(suite)")])
def test_a_built_publication_splits_a_long_note(project, lang, mark):
    """The note splits under its call, the rest is marked in the publication's language, the
    text goes on above it, and the build does not warn (the note is placed)."""
    words = [f"n{i:03d}" for i in range(1, 501)]
    report, pages = built(project, lang, words, before=3, after=2)
    [(start, _), (following, _)] = note_parts(pages, words, mark)
    assert footnotes(report.built[0])[0] == {1: [start]}  # the call's page
    assert pages[following - 1][0].split("\n")[1].startswith("A paragraph")  # under the running head


def test_a_note_longer_than_a_page_goes_on_over_pages(project):
    """A note of three pages: each page it continues on keeps a quarter of its height for the
    text; the rest of the note is not carried onto the back cover."""
    words = [f"n{i:04d}" for i in range(1, 3001)]
    _, pages = built(project, "en", words, before=1, after=6)
    parts = note_parts(pages, words, "(continued)")
    assert len(parts) >= 4, [number for number, _ in parts]
    for number, _ in parts[1:-1]:
        assert "A paragraph of text" in pages[number - 1][0], number
    assert "Global Network of Sex Work Projects" in pages[-1][0] and parts[-1][0] < len(pages)


def test_the_rest_of_a_note_gets_its_own_page_before_the_back_cover(project):
    words = [f"n{i:03d}" for i in range(1, 501)]
    _, pages = built(project, "en", words, before=3, after=0)
    (start, _), (following, _) = note_parts(pages, words, "(continued)")
    assert following == len(pages) - 1  # then the back cover, with no note on it
    assert "A paragraph" not in pages[following - 1][0]


def tagged(node) -> list:
    """The structure elements under ``node``, in reading order."""
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *tagged(kid)]
    return found


def test_a_split_note_is_tagged_as_one_note_in_two_labelled_parts(project):
    """PDF/UA: the call refers to both parts; the rest's label is the word (the first part's is
    its number), so that a screen reader can tell what the second part is."""
    words = [f"n{i:03d}" for i in range(1, 501)]
    report, _ = built(project, "en", words, before=3, after=2)
    path = report.built[0]
    assert page_failures(path, "ua1") == []
    assert not [finding for finding in outloud_findings(path) if finding.rule.startswith("NOTE")]
    with pikepdf.open(path) as pdf:
        tree = tagged(pdf.Root.StructTreeRoot)
        notes = [element for element in tree if element.S == "/Note"]
        [call] = [element for element in tree if element.S == "/Reference"]
        assert [str(note.ID) for note in call.Ref] == [str(note.ID) for note in notes] == ["note-1", "note-1.2"]
        assert [str(tagged(note)[0].S) for note in notes] == ["/Lbl", "/Lbl"]
