"""How the web edition's fonts are cut (pressroom/formats/webfonts.py), on single faces and
characters; each check with its control."""

from __future__ import annotations

import pytest

from pressroom.formats import webfonts
from pressroom.formats.webfonts import FACES, face_file, pieces

ARROW = 0x21A9  # the end-notes' back-link


def face(family: str, weight: int = 400, style: str = "normal") -> webfonts.Face:
    return next(f for f in FACES if (f.family, f.weight, f.style) == (family, weight, style))


def test_an_alphabet_is_cut_by_slices_and_the_arrows_face_to_the_page():
    latin = pieces({ord("a"), 0xE9}, face("Noto Serif"))
    assert len(latin) == 1 and {ord("z"), 0xFF, 0x2014} <= latin[0]  # the whole slice: shared by pages
    assert pieces({ARROW}, face("Noto Sans Math")) == [{ARROW}]
    assert len(pieces({ARROW}, face("Noto Sans"))[0]) == 0x21FF - 0x2190 + 1  # control: a sliced face


@pytest.fixture(scope="module")
def latin_slice() -> bytes:
    """Noto Serif's Latin slice as a font file (what HarfBuzz cuts)."""
    path, index = face_file(face("Noto Serif"))
    return webfonts._cut(path, index, pieces({ord("a")}, face("Noto Serif"))[0])


def test_the_woff2_writer_s_quicker_bounds_change_no_byte(latin_slice, monkeypatch):
    import io

    from fontTools.misc import arrayTools
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

    made = webfonts._woff2(latin_slice, 9)
    # The same bytes for the same font: its date is kept, not the time of the cut.
    assert TTFont(io.BytesIO(made))["head"].modified == TTFont(io.BytesIO(latin_slice))["head"].modified
    generic = arrayTools.calcIntBounds  # what fontTools' writer calls: point by point
    monkeypatch.setattr(GlyphCoordinates, "calcIntBounds", lambda self, *args: generic(list(self)))
    assert webfonts._woff2(latin_slice, 9) == made
    monkeypatch.setattr(GlyphCoordinates, "calcIntBounds", lambda self, *args: (0, 0, 0, 0))
    assert webfonts._woff2(latin_slice, 9) != made  # control: the writer takes the glyphs' own bounds
