"""The sample policy brief, read back from the PDF as a reader would see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from pdfcheck import footnotes, page_texts, pull_sentences, squeeze
from pypdf import PdfReader

SOURCE = ROOT / "content" / "law-reform-progress" / "en.md"


@pytest.fixture(scope="module")
def pdf(sample_build: Path) -> Path:
    return sample_build / "en" / "law-reform-progress.pdf"


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    return page_texts(pdf)


def test_cover_shows_label_title_and_organisation(pages):
    cover = pages[0]
    assert "POLICY BRIEF" in cover
    assert "Sex Work Law Reform:" in cover
    assert "Global Network of Sex Work Projects" in cover
    assert "June 2025" in cover


def test_brief_is_a_full_length_publication(pages):
    assert len(pages) >= 12


def test_every_footnote_is_printed_on_the_page_of_its_call(pdf):
    calls, notes = footnotes(pdf)
    expected = SOURCE.read_text().count("[@") + len(re.findall(r"\[\^[^\]]+\](?!:)", SOURCE.read_text()))
    assert sorted(calls) == list(range(1, expected + 1)), "calls must be numbered 1..n once each"
    assert sorted(notes) == sorted(calls)
    misplaced = {n: (calls[n], notes[n]) for n in calls if calls[n] != notes[n] or len(calls[n]) != 1}
    assert not misplaced, f"note: (call page, note page): {misplaced}"


def test_each_pull_quote_sentence_is_printed_twice(pdf, pages):
    sentences = pull_sentences(SOURCE.read_text())
    assert len(sentences) >= 4
    text = squeeze("".join(pages))
    for sentence in sentences:
        assert text.count(squeeze(sentence)) == 2, sentence


def test_inner_pages_have_running_head_and_page_number(pdf):
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() for page in document.pages]  # top to bottom, not in drawing order
    for number, text in enumerate(pages[1:-1], start=2):
        lines = text.strip().splitlines()
        assert lines[0].startswith("POLICY BRIEF"), f"page {number}: {lines[0]!r}"
        assert "Sex Work Law Reform" in lines[0]
        assert lines[-1].strip() == str(number), f"page {number} ends with {lines[-1]!r}"


def test_cover_and_back_cover_have_no_running_head(pages):
    assert not pages[0].strip().startswith("POLICY BRIEF")
    assert not pages[-1].strip().startswith("POLICY BRIEF")


def test_back_cover_has_address_and_funders(pages):
    back = pages[-1]
    for words in ("3 Queen Charlotte Lane", "EH6 6AY", "+44 131 553 2555", "secretariat@nswp.org",
                  "www.nswp.org", "SC349355", "PROJECT SUPPORTED BY:"):
        assert words in back


def test_links_are_live_annotations(pdf):
    uris = set()
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.add(action["/URI"])
    assert "https://www.nswp.org" in uris
    assert "mailto:secretariat@nswp.org" in uris
    assert any(u.startswith("https://sweat.org.za/") for u in uris), "URL of a cited source"


def test_metadata_has_title_language_and_authors(pdf):
    reader = PdfReader(pdf)
    assert reader.metadata.title.startswith("Sex Work Law Reform:")
    assert reader.metadata.author == "NSWP"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "decriminalisation" in (reader.metadata.get("/Keywords") or "").lower()


def test_numbered_key_learnings_have_large_numerals(pdf):
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        big = [c["text"] for p in document.pages for c in p.chars if c["size"] > 30 and c["text"].isdigit()]
    assert big == ["1", "2", "3", "4", "5"]


def test_citations_use_the_house_note_form(pages):
    text = " ".join(" ".join(pages).split())
    assert 'Joanna Gill, “How COVID-19 Helped Sex Workers in Belgium Make History,” Thomson Reuters ' \
           'Foundation, 31 May 2022.' in text
    assert "???" not in text and "[@" not in text and "@gill" not in text
