"""Which face draws which character of a web page (pressroom/formats/fontuse.py), on tiny pages.

The browser test (test_web.py) checks the same on every built page against Chromium; these
check each rule of the cascade and of font matching alone, each with a control.
"""

from __future__ import annotations

from pressroom.formats.fontuse import characters_by_face
from pressroom.formats.webfonts import FACES, choose_face

SHEET = """
html { font-family: "Noto Serif", "Noto Serif CJK SC", serif; }
h1, .sans, button { font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; }
.arrow { font-family: "Noto Sans", "Noto Sans Math", sans-serif; }
.quote::before { content: open-quote; }
.label::after { content: "\\2116"; }
@media (min-width: 40em) { .wide { font-style: italic; } }
@media print { .wide { font-weight: 700; } }
:lang(fr) { quotes: "\\00AB" "\\00BB"; }
"""


def face(family: str, weight: int = 400, style: str = "normal"):
    return next(f for f in FACES if (f.family, f.weight, f.style) == (family, weight, style))


def drawn(body: str, sheet: str = SHEET, lang: str = "en") -> dict[tuple[str, int, str], str]:
    found = characters_by_face(f'<html lang="{lang}"><head><title>Tîtle</title></head><body>{body}</body></html>',
                               sheet, choose_face)
    return {(f.family, f.weight, f.style): "".join(sorted(map(chr, codes))) for f, codes in found.items()}


def test_each_family_gets_the_characters_of_its_elements():
    found = drawn("<h1>Hé 中</h1><p>Ab 文</p>")
    assert "é" in found[("Noto Sans", 700, "normal")] and "A" not in found[("Noto Sans", 700, "normal")]
    assert found[("Noto Sans CJK SC", 700, "normal")] == "中"
    assert found[("Noto Serif CJK SC", 400, "normal")] == "文"
    assert "b" in found[("Noto Serif", 400, "normal")] and "é" not in found[("Noto Serif", 400, "normal")]
    assert "î" not in "".join(found.values())  # the <title> is not drawn on the page
    control = drawn("<h1>Hé 中</h1><p>Ab 文</p>", SHEET.replace("h1, ", ""))
    assert "中" in control[("Noto Serif CJK SC", 400, "normal")]  # h1 in the text's face without its rule


def test_faces_match_as_in_css_fonts():
    assert choose_face(_style(("Noto Sans",), 400, True), ord("a")) == face("Noto Sans", 700, "italic")
    assert choose_face(_style(("Noto Serif CJK SC",), 700, False), ord("中")) == face("Noto Serif CJK SC")
    assert choose_face(_style(("Noto Serif", "Noto Serif CJK SC"), 400, False), ord("中")) == face("Noto Serif CJK SC")
    assert choose_face(_style(("Noto Serif CJK SC", "Noto Serif"), 400, False), ord("a")) == face("Noto Serif")
    assert choose_face(_style(("Noto Sans", "sans-serif"), 400, False), ord("中")) is None  # the reader's own
    assert choose_face(_style(("Noto Serif",), 700, False), ord("a")) == face("Noto Serif", 700)  # control


def test_inherited_and_default_styles():
    found = drawn("<p>x <strong>B</strong> <em>I</em> <span class=wide>W</span> <button>K</button></p>")
    assert "B" in found[("Noto Serif", 700, "normal")]
    assert "I" in found[("Noto Serif", 400, "italic")]
    assert "W" in found[("Noto Serif", 400, "italic")]  # a width query applies, print's does not
    assert "W" not in found.get(("Noto Serif", 700, "italic"), "")
    assert "K" in found[("Noto Sans", 400, "normal")]  # the sheet names buttons
    assert "x" in found[("Noto Serif", 400, "normal")]


def test_a_button_without_a_font_is_drawn_by_the_system():
    found = drawn("<p>x <button>K</button></p>", SHEET.replace(", button", ""))
    assert "K" not in "".join(found.values())
    found = drawn("<p>x <button>K</button></p>", SHEET.replace(", button", "") + "button { font: inherit; }")
    assert "K" in found[("Noto Serif", 400, "normal")]  # control


def test_generated_content_and_upper_case():
    found = drawn('<p class="quote">a</p><p class="label">b</p>', lang="fr")
    assert {"«", "»", "“", "№", "A", "B"} <= set(found[("Noto Serif", 400, "normal")])
    assert "№" not in drawn('<p class="quote">a</p>').get(("Noto Serif", 400, "normal"), "")  # control


def test_arrows_come_from_the_math_face():
    found = drawn('<p><a class="arrow">↩ x</a></p>')
    assert found[("Noto Sans Math", 400, "normal")] == "↩"
    assert "x" in found[("Noto Sans", 400, "normal")]
    assert "↩" not in "".join(drawn("<p><a>↩</a></p>").values())  # control: no face of ours has it


def test_text_the_script_writes():
    found = drawn('<div class="search-results" data-none="Rien"></div>'
                  '<p class="sans">Note <span class="note-popover-number"></span></p>')
    assert "R" in found[("Noto Serif", 400, "normal")]
    assert "7" in found[("Noto Sans", 400, "normal")]


def _style(families, weight, italic):
    from pressroom.formats.fontuse import Style

    return Style(families, weight, italic)


def test_what_is_never_drawn_gets_no_face():
    found = drawn('<template><h1>Ω</h1></template><p>x</p>')
    assert "Ω" not in "".join(found.values()) and "x" in found[("Noto Serif", 400, "normal")]
    assert "Ω" in "".join(drawn("<div><h1>Ω</h1></div>").values())  # control: the same heading, drawn
