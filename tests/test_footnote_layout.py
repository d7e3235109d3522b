"""WeasyPrint 70 defers a note away from its call (pressroom/formats/weasyprint_patches.py): the
minimal reproduction, read back from the PDF, fails without our fix and passes with it."""

from __future__ import annotations

import io

import pdfplumber
import pytest
import weasyprint

from pressroom.formats import weasyprint_patches

# Seven 10 px lines a page; the note takes one. The second paragraph's second line ("seven")
# does not fit; orphans: 2 forbid breaking before it, so WeasyPrint makes room by moving
# note 1 to page 2, although its call stays on page 1 and footnote-policy is "line".
REPRODUCTION = """<style>
@page { size: 300px 72px; margin: 0; @footnote { margin: 0 } }
body { margin: 0; font: 10px/10px sans-serif; orphans: 2; widows: 2 }
p { margin: 0 }
.note { float: footnote; footnote-policy: POLICY }
::footnote-call { content: " CALL" counter(footnote); vertical-align: baseline }
::footnote-marker { content: "NOTE" counter(footnote) " " }
</style>
<p>one<span class="note">the note</span><br>two<br>three<br>four<br>five</p>
<p>six<br>seven<br>eight<br>nine</p>
"""


def pages_of(policy: str) -> tuple[int, int]:
    """(page of the call, page of the note), from 1."""
    pdf = weasyprint.HTML(string=REPRODUCTION.replace("POLICY", policy)).write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [page.extract_text() for page in document.pages]
    call = next(n for n, text in enumerate(texts, 1) if "CALL1" in text)
    note = next(n for n, text in enumerate(texts, 1) if "NOTE1" in text)
    return call, note


@pytest.fixture
def unpatched():
    weasyprint_patches.remove()
    yield
    weasyprint_patches.apply()


def test_our_renderer_applies_the_fix(unpatched, tmp_path):
    from pressroom.formats import VARIANTS
    from pressroom.formats.render import Renderer

    assert not weasyprint_patches.applied()
    Renderer(tmp_path).render('<html lang="en"><p>x</p></html>', "doc.html", VARIANTS["screen"])
    assert weasyprint_patches.applied()


def test_without_the_fix_the_note_leaves_its_call(unpatched):
    assert pages_of("line") == (1, 2)


def test_with_the_fix_the_note_stays_with_its_call():
    weasyprint_patches.apply()
    call, note = pages_of("line")
    assert call == note == 1  # the second paragraph starts page 2 instead


def test_notes_that_may_move_still_move():
    """footnote-policy: auto lets the note go to a later page: the fix leaves that alone."""
    weasyprint_patches.apply()
    assert pages_of("auto") == (1, 2)


def test_another_weasyprint_version_is_refused(monkeypatch):
    weasyprint_patches.remove()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    try:
        with pytest.raises(weasyprint_patches.PatchRefused, match="WeasyPrint 70.0, not 71.0"):
            weasyprint_patches.apply()
        assert not weasyprint_patches.applied()
    finally:
        monkeypatch.undo()
        weasyprint_patches.apply()
