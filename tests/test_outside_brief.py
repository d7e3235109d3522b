"""A brief written by someone else, in the authoring format, builds with no change to code or templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, build_fixture
from pdfcheck import footnotes, page_texts, pull_sentences, squeeze

FIXTURE = ROOT / "tests" / "fixtures" / "outside-brief"
SOURCE = FIXTURE / "content" / "harm-reduction-funding" / "en.md"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("outside") / "project", FIXTURE)


def test_it_has_enough_citations_and_pull_quotes_to_be_a_real_test():
    text = SOURCE.read_text()
    assert len(set(re.findall(r"@([\w-]+)", text))) >= 25
    assert len(pull_sentences(text)) == 12


def test_every_note_is_on_the_page_of_its_call(pdf):
    calls, notes = footnotes(pdf)
    assert len(calls) >= 28
    assert sorted(calls) == list(range(1, len(calls) + 1)) == sorted(notes)
    assert {n: calls[n] for n in calls} == {n: notes[n] for n in calls}


def test_every_pull_quote_is_printed_twice(pdf):
    text = squeeze("".join(page_texts(pdf)))
    for sentence in pull_sentences(SOURCE.read_text()):
        assert text.count(squeeze(sentence)) == 2, sentence


def test_no_raw_markup_or_unresolved_citation_is_printed(pdf):
    text = "".join(page_texts(pdf))
    for leak in ("???", "[@", "{.pull}", ":::", "[^"):
        assert leak not in text
