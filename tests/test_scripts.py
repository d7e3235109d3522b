"""Every writing system the members use: real glyphs, emoji as images, right-to-left order."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, make_project, quiet, write

from pressroom import build
from pressroom.source.glyphs import Coverage, stylesheet_families

ARABIC_NAME = ["الشبكة", "العربية", "للعمل"]  # "the Arab network for work", three words
HEBREW_NAME = ["ארגון", "נשים"]
WAVE = "\U0001f44b\U0001f3fd"  # waving hand, medium skin tone
FLAG = "\U0001f1f1\U0001f1e7"  # flag of Lebanon: two regional indicators
SCRIPTS = {"Devanagari": "हिन्दी", "Thai": "เครือข่าย", "Ethiopic": "ማህበር", "Georgian": "ქსელი",
           "Armenian": "ցանց"}

BRIEF = f"""
---
type: policy-brief
title: Members in every script
date: 2025-06
---

# Names as members write them

The {ARABIC_NAME[0]} *{ARABIC_NAME[1]}* {ARABIC_NAME[2]}, founded in 2019, met {" ".join(HEBREW_NAME)}.

A post said {WAVE} and {FLAG} and thanks.

{", ".join(SCRIPTS.values())}.
"""


@pytest.fixture(scope="module")
def scripts_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("scripts") / "project")
    write(project, "content/members/en.md", BRIEF)
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return report.built[0]


@cache
def _coverage(family: str) -> Coverage:
    return Coverage([family], ROOT / "build" / ".cache")


OUR_FAMILIES = set(stylesheet_families(ROOT / "styles"))


def family_of(char: dict) -> str:
    """'ABCDEF+Noto-Sans-Arabic-Bold' -> 'Noto Sans Arabic' (WeasyPrint names embedded fonts so)."""
    name = char["fontname"].split("+")[-1].replace("-", " ")
    return re.sub(r"( (Bold|Italic|Oblique|Regular))+$", "", name)


def without_glyph(pdf: Path) -> list[str]:
    """Characters drawn with a font that is not in our chain, or by a font that lacks them (a box)."""
    problems = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for char in page.chars:
                family = family_of(char)
                if family not in OUR_FAMILIES:
                    problems.append(f"{char['text']!r} in {family}")
                elif any(not _coverage(family).covers(c) for c in char["text"] if not c.isspace()):
                    problems.append(f"{char['text']!r}: {family} has no glyph for it")
    return problems


def emoji_without_image(pdf: Path, emoji: list[str]) -> list[str]:
    """The emoji of ``emoji`` that are not drawn as a picture (a colour glyph) where they stand."""
    missing = []
    with pdfplumber.open(pdf) as document:
        page_chars = [(page, c) for page in document.pages for c in page.chars]
        for text in emoji:
            placed = [(page, c) for page, c in page_chars if c["text"] == text]
            if not placed or not all(any(abs(image["x0"] - c["x0"]) < 2 and abs(image["top"] - c["top"]) < 4
                                         for image in page.images) for page, c in placed):
                missing.append(text)
    return missing


def words_on_line(pdf: Path, words: list[str]) -> list[float]:
    """The x position of each of ``words`` as printed (matched by their letters, whatever order
    the PDF keeps them in), from a line that holds them all."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for line in _lines(page.chars):
                found = _visual_words(line)
                positions = [next((x for letters, x in found if letters == _letters(word)), None) for word in words]
                if None not in positions:
                    return positions
    raise AssertionError(f"no line holds {words}")


def _letters(text: str) -> list[str]:
    return sorted(c for c in text if c.isalpha())


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped by line: scripts differ in height, so by the middle of their boxes."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["top"] + c["bottom"]):
        middle = (char["top"] + char["bottom"]) / 2
        if lines and abs(middle - (lines[-1][0]["top"] + lines[-1][0]["bottom"]) / 2) < 4:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def _visual_words(chars: list[dict]) -> list[tuple[list[str], float]]:
    """Printed words, left to right: (their letters sorted, x of the leftmost)."""
    words: list[list[dict]] = []
    for char in sorted((c for c in chars if not c["text"].isspace()), key=lambda c: c["x0"]):
        if words and char["x0"] - words[-1][-1]["x1"] < 1.5:
            words[-1].append(char)
        else:
            words.append([char])
    return [(_letters("".join(c["text"] for c in word)), word[0]["x0"]) for word in words]


def reads_right_to_left(positions: list[float]) -> bool:
    return all(earlier > later for earlier, later in zip(positions, positions[1:], strict=False))


# --- glyphs ---------------------------------------------------------------------------

def test_every_script_prints_with_a_font_of_our_chain(scripts_pdf):
    assert not without_glyph(scripts_pdf)
    with pdfplumber.open(scripts_pdf) as document:
        families = {family_of(c) for page in document.pages for c in page.chars}
    assert {"Noto Naskh Arabic", "Noto Serif Hebrew", "Noto Color Emoji"} <= families
    assert {f"Noto Serif {script}" for script in SCRIPTS} <= families


def test_the_glyph_check_sees_a_script_outside_our_chain(tmp_path):
    """Control: Tifinagh, straight to WeasyPrint (a build refuses it), is drawn by a fallback font."""
    from weasyprint import HTML

    pdf = tmp_path / "control.pdf"
    HTML(string='<p style="font-family: Noto Serif">x \u2d30 y</p>').write_pdf(pdf)
    assert "'\u2d30' in DejaVu Sans" in without_glyph(pdf)


def test_emoji_with_skin_tone_and_flags_are_colour_pictures(scripts_pdf):
    assert emoji_without_image(scripts_pdf, [WAVE, FLAG]) == []


def test_a_black_and_white_symbol_is_not_taken_for_a_colour_emoji(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "control.pdf"
    HTML(string='<p style="font-family: Noto Sans Symbols 2">\u2764</p>').write_pdf(pdf)
    assert emoji_without_image(pdf, ["\u2764"]) == ["\u2764"]


# --- direction ------------------------------------------------------------------------

def test_an_arabic_name_with_emphasis_reads_right_to_left(scripts_pdf):
    assert reads_right_to_left(words_on_line(scripts_pdf, ARABIC_NAME))
    assert reads_right_to_left(words_on_line(scripts_pdf, HEBREW_NAME))
    # ...and the name sits where the sentence has it: after "The", before "founded".
    the, arabic, founded = words_on_line(scripts_pdf, ["The", ARABIC_NAME[0], "founded"])
    assert the < arabic < founded


def test_without_the_filter_the_emphasised_word_breaks_the_order(tmp_path):
    """Control: the same sentence straight to WeasyPrint, no span: its words print left to right."""
    from weasyprint import HTML

    pdf = tmp_path / "control.pdf"
    HTML(string=f'<p style="font-family: Noto Serif, Noto Naskh Arabic">The {ARABIC_NAME[0]} '
                f'<em>{ARABIC_NAME[1]}</em> {ARABIC_NAME[2]} met.</p>').write_pdf(pdf)
    assert not reads_right_to_left(words_on_line(pdf, ARABIC_NAME))


# --- an edition in a right-to-left language -------------------------------------------

EDITION = """
---
type: {type}
title: "{title}"
date: 2025-06
---

# {heading}

{text}[^1]

1. {item}

[^1]: {note}
"""
ENGLISH = {"title": "Rights first", "heading": "Introduction", "item": "Decriminalise sex work.",
           "text": "The network works with members in the Middle East and North Africa. " * 3,
           "note": "Consultations with members, 2024."}
ARABIC = {"title": "الحقوق أولاً", "heading": "مقدمة", "item": "إلغاء تجريم العمل الجنسي.",
          "text": "تعمل الشبكة مع أعضاء في الشرق الأوسط وشمال أفريقيا. " * 3,
          "note": "مشاورات مع الأعضاء، 2024."}
LABELS = {"en": "POLICY", "ar": "موجز"}  # the first word of the running label (locales/<lang>.yaml)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """en and ar editions of a brief and of a case study; ar is not in project.yaml's languages."""
    from pressroom.project.config import load_project
    from pressroom.translation.tracker import Tracker

    project = make_project(tmp_path_factory.mktemp("editions") / "project")
    for kind in ("policy-brief", "case-study"):
        for lang, words in (("en", ENGLISH), ("ar", ARABIC)):
            write(project, f"content/{kind}/{lang}.md", EDITION.format(type=kind, **words))
        Tracker(load_project(project)).mark_translated(kind, "ar")
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return {f"{pdf.parent.name}/{pdf.stem}": pdf for pdf in report.built}


def side(page, chars: list[dict]) -> str:
    """Which half of the page the characters are on."""
    assert chars, "nothing found"
    middle = sum((c["x0"] + c["x1"]) / 2 for c in chars) / len(chars)
    return "left" if middle < page.width / 2 else "right"


def furniture_sides(pdf: Path) -> dict[str, str]:
    """Where the second page (the first of the text) has its running label, folio and heading."""
    lang = pdf.parent.name
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        top = [c for c in page.chars if c["bottom"] < 25 * 72 / 25.4 and c["size"] <= 9.5]
        label_word = [w for w in page.extract_words() if w["text"] == LABELS[lang]
                      or w["text"][::-1] == LABELS[lang] or sorted(w["text"]) == sorted(LABELS[lang])]
        folio = [c for c in page.chars if c["text"] == "2" and c["top"] > page.height - 30 * 72 / 25.4]
        return {"label": side(page, [c for c in top if any(w["x0"] <= c["x0"] < w["x1"] for w in label_word)]),
                "folio": side(page, folio), "heading": heading_side(pdf)}


def heading_side(pdf: Path) -> str:
    """Where the first heading of the text stands: its column, in a case study."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        title = max(c["bottom"] for c in page.chars if c["size"] > 18)
        return side(page, [c for c in page.chars if 12 < c["size"] < 18 and c["top"] > title])


def test_an_arabic_edition_mirrors_running_head_folios_and_headings(editions):
    # control: the English edition has them on the other side
    assert furniture_sides(editions["en/policy-brief"]) == {"label": "left", "folio": "left", "heading": "left"}
    assert furniture_sides(editions["ar/policy-brief"]) == {"label": "right", "folio": "right", "heading": "right"}


def spine_side(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        return side(page, [c for c in page.chars if not c["upright"]])


def test_an_arabic_case_study_mirrors_its_spine_and_columns(editions):
    assert spine_side(editions["en/case-study"]) == "left"
    assert spine_side(editions["ar/case-study"]) == "right"
    # the text starts in the right-hand column (its heading), the English one in the left-hand one
    assert heading_side(editions["en/case-study"]) == "left"
    assert heading_side(editions["ar/case-study"]) == "right"


def test_an_arabic_edition_reads_right_to_left(editions):
    words = ARABIC["text"].split()[:4]
    assert reads_right_to_left(words_on_line(editions["ar/policy-brief"], words))


def test_an_edition_outside_the_project_languages_is_not_a_required_translation(tmp_path):
    from pressroom.project.config import load_project
    from pressroom.translation.commands import translation_languages
    from pressroom.translation.tracker import Tracker

    project = make_project(tmp_path / "project")
    assert "ar" not in translation_languages(Tracker(load_project(project)))
    # control: listed in project.yaml, it becomes one
    settings = project / "project.yaml"
    settings.write_text(settings.read_text().replace("languages: [en,", "languages: [en, ar,"))
    assert "ar" in translation_languages(Tracker(load_project(project)))


# --- filters/scripts.lua on tiny inputs ------------------------------------------------

def html_of_markdown(markdown: str, lang: str = "en") -> str:
    import subprocess

    from pressroom.convert.transform import FILTERS, pandoc_path

    return subprocess.run([pandoc_path(), "--from", "markdown", "--to", "html5", "--wrap=none",
                           "--metadata", f"lang={lang}", "--lua-filter", str(FILTERS / "scripts.lua")],
                          input=markdown, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(("markdown", "html"), [
    (f"Hi {WAVE}!", f'<p>Hi <span class="emoji">{WAVE}</span>!</p>'),
    (f"{FLAG}{FLAG}", f'<p><span class="emoji">{FLAG}{FLAG}</span></p>'),
    ("a 1\ufe0f\u20e3 b \u2764\ufe0f", '<p>a <span class="emoji">1\ufe0f\u20e3</span> b <span class="emoji">'
                                       '\u2764\ufe0f</span></p>'),
    ("\U0001f469\u200d\u2695\ufe0f", '<p><span class="emoji">\U0001f469\u200d\u2695\ufe0f</span></p>'),
    ("a \u2764 b 12 #", "<p>a \u2764 b 12 #</p>"),  # control: text symbols, digits stay text
    ("`code \U0001f44b`", "<p><code>code \U0001f44b</code></p>"),
])
def test_emoji_are_wrapped_for_the_colour_font(markdown, html):
    assert html_of_markdown(markdown) == html


@pytest.mark.parametrize(("markdown", "lang", "html"), [
    ("The الشبكة العربية, in 2019.", "en", '<p>The <span dir="rtl">الشبكة العربية</span>, in 2019.</p>'),
    ("See (ארגון).", "en", '<p>See (<span dir="rtl">ארגון</span>).</p>'),
    ("[مرحبا]{dir=rtl} x", "en", '<p><span dir="rtl">مرحبا</span> x</p>'),  # marked by hand: kept
    ("فقرة *Global Network* هنا، ثم", "ar", '<p>فقرة <span dir="ltr"><em>Global Network</em></span> هنا، ثم</p>'),
    ("Plain English, 2019.", "en", "<p>Plain English, 2019.</p>"),  # control: nothing to mark
    ("نص عربي فقط.", "ar", "<p>نص عربي فقط.</p>"),
])
def test_passages_against_the_text_direction_get_their_own_span(markdown, lang, html):
    assert html_of_markdown(markdown, lang) == html
