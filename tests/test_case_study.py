"""The sample case study and one written by someone else: two columns, spine title, blocks."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, build_fixture
from pdfcheck import footnotes, page_texts, squeeze

from pressroom.translation.tracker import source_units

SOURCE = ROOT / "content" / "amnesty-policy-engagement" / "en.md"
FIXTURE = ROOT / "tests" / "fixtures" / "outside-case-study"
OUTSIDE = FIXTURE / "content" / "peer-navigators" / "en.md"


@pytest.fixture(scope="module")
def pdf(sample_build: Path) -> Path:
    return sample_build / "en" / "amnesty-policy-engagement.pdf"


@pytest.fixture(scope="module")
def outside_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("outside-cs") / "project", FIXTURE)


def inner_pages(path: Path) -> list[pdfplumber.page.Page]:
    document = pdfplumber.open(path)
    return document.pages[1:-1]


@pytest.mark.parametrize("which", ["pdf", "outside_pdf"])
def test_running_head_on_every_inner_page(which, request):
    for page in inner_pages(request.getfixturevalue(which)):
        top = [w["text"] for w in page.extract_words() if w["top"] < 25 * 72 / 25.4]
        assert " ".join(top[:2]) == "case STUDY", f"page {page.page_number}: {top}"


@pytest.mark.parametrize("which", ["pdf", "outside_pdf"])
def test_inner_pages_are_set_in_two_columns(which, request):
    for page in inner_pages(request.getfixturevalue(which)):
        body = [c for c in page.chars if c["upright"] and 9 < c["size"] < 10 and "Serif" in c["fontname"]]
        mm = 72 / 25.4  # styles/case-study.css: inner margin 30 mm, outer 20 mm, 2 columns
        middle = (110 if page.page_number % 2 == 0 else 100) * mm
        left = {round(c["top"]) for c in body if c["x1"] < middle - 5}
        right = {round(c["top"]) for c in body if c["x0"] > middle + 5}
        crossing = [c for c in body if c["x0"] < middle < c["x1"]]
        if len(left) + len(right) < 20:
            continue  # a page of boxes or testimonials only
        assert left and right, f"page {page.page_number} has one column"
        assert not crossing, f"page {page.page_number}: body text crosses the gutter"


@pytest.mark.parametrize("which", ["pdf", "outside_pdf"])
def test_title_runs_vertically_along_the_outer_edge(which, request):
    for page in inner_pages(request.getfixturevalue(which)):
        rotated = [c for c in page.chars if not c["upright"]]
        assert len(rotated) > 10, f"page {page.page_number}: no vertical title"
        outer_left = page.page_number % 2 == 0
        edge = [c["x0"] < page.width * 0.15 if outer_left else c["x0"] > page.width * 0.85 for c in rotated]
        assert all(edge), f"page {page.page_number}: vertical title not on the outer edge"


@pytest.mark.parametrize(("which", "source"), [("pdf", SOURCE), ("outside_pdf", OUTSIDE)])
def test_every_footnote_on_the_page_of_its_call(which, source, request):
    calls, notes = footnotes(request.getfixturevalue(which))
    assert sorted(calls) == list(range(1, len(calls) + 1)) == sorted(notes)
    assert len(calls) == len(re.findall(r"\[@|\[\^[^\]]+\](?!:)", source.read_text()))
    assert all(calls[n] == notes[n] for n in calls), (calls, notes)


@pytest.mark.parametrize(("which", "source"), [("pdf", SOURCE), ("outside_pdf", OUTSIDE)])
def test_attributions_dates_and_goals_are_printed(which, source, request):
    text = squeeze(" ".join(page_texts(request.getfixturevalue(which))))
    markdown = source.read_text()
    attributions = re.findall(r'\.testimonial by="([^"]+)"', markdown)
    timeline = markdown.split("::: timeline", 1)[1].split("\n:::", 1)[0]
    dates = re.findall(r"^\d+\. \*\*([^*]+?):?\*\*", timeline, re.M)
    assert len(dates) == 15
    for words in attributions + dates:
        assert squeeze(words) in text, words
    for number in (1, 2, 3):
        assert f"Goal#{number}" in text


def test_every_paragraph_of_the_outside_case_study_is_printed(outside_pdf):
    text = squeeze("".join(page_texts(outside_pdf, body_only=True)))
    markdown = OUTSIDE.read_text()
    # Testimonials span both columns and are drawn after the columns of their page:
    # find them first, then take them out so that paragraphs broken around them join up.
    testimonials = re.findall(r'::: \{\.testimonial by="([^"]+)"\}\n(.*?)\n:::', markdown, re.S)
    assert len(testimonials) == 4
    quoted = ""
    for by, quotation in testimonials:
        for part in (by, quotation):
            assert squeeze(part) in text, part[:80]
            text = text.replace(squeeze(part), "", 1)
            quoted += squeeze(part)
    for unit in source_units(markdown.split("\n---\n", 1)[1]):
        words = squeeze(re.sub(r" \[note: .*?\]| <[^>]+>|\[@[^\]]+\]", "", unit.text))
        if unit.kind.startswith("div") or words in quoted:
            continue
        assert words in text, words[:80]


def test_outside_case_study_is_demanding_enough():
    markdown = OUTSIDE.read_text()
    assert len(re.findall(r"\.testimonial", markdown)) == 4
    assert len(re.findall(r"\.example", markdown)) == 4
    assert len(set(re.findall(r"\]\((https?://[^)]+)\)", markdown))) == 10


def test_links_in_the_case_study_are_live(outside_pdf):
    from pypdf import PdfReader

    uris = {a.get_object()["/A"]["/URI"] for page in PdfReader(outside_pdf).pages
            for a in page.get("/Annots") or [] if "/URI" in a.get_object().get("/A", {})}
    assert set(re.findall(r"\]\((https?://[^)]+)\)", OUTSIDE.read_text())) <= uris
