"""Five languages: localised output, glyph coverage, translation status, mark-translated and QA."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, make_project, quiet, write
from pdfcheck import footnotes, page_texts
from pypdf import PdfReader

from pressroom import build
from pressroom.project.config import load_project
from pressroom.source.glyphs import Coverage, stylesheet_families
from pressroom.translation.qa import Document, check_translation
from pressroom.translation.tracker import Tracker, source_units, version_of

FIXTURE = ROOT / "tests" / "fixtures" / "outside-translations"
OUR_FONTS = ("Noto-Serif", "Noto-Sans")


def coverage() -> Coverage:
    return Coverage(stylesheet_families(ROOT / "styles"), ROOT / "build" / ".cache")


def unprintable(pdf: Path) -> list[str]:
    """Characters drawn with a font that is not ours (a fallback) or that our fonts lack."""
    fonts = coverage()
    problems = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for char in page.chars:
                font = char["fontname"].split("+")[-1]
                if not font.startswith(OUR_FONTS):
                    problems.append(f"page {page.page_number}: {char['text']!r} in fallback font {font}")
                elif any(not fonts.covers(c) for c in char["text"] if not c.isspace()):
                    problems.append(f"page {page.page_number}: {char['text']!r} has no glyph")
    return problems


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("outside-tr") / "project")
    shutil.copytree(FIXTURE / "content", project / "content", dirs_exist_ok=True)
    tracker = Tracker(load_project(project))
    for lang in ("ru", "zh"):
        tracker.mark_translated("short-brief", lang)
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return project / "build"


@pytest.mark.parametrize(("lang", "label", "date", "quoted"), [
    ("ru", "АНАЛИТИЧЕСКАЯ ЗАПИСКА", "15 марта 2024 г.", "«короткие, честные и вовремя»"),
    ("zh", "政策简报", "2024年3月15日", "“简短、诚实、按时”"),
])
def test_outside_translations_print_their_language(outside, lang, label, date, quoted):
    pdf = outside / lang / "short-brief.pdf"
    pages = page_texts(pdf)
    assert label in pages[0] and date in pages[0]
    assert "".join(quoted.split()) in "".join("".join(pages).split())
    assert not unprintable(pdf)
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_no_pdf_of_ours_draws_a_character_without_a_glyph(sample_build):
    pdfs = sorted(sample_build.glob("*/*.pdf"))
    assert {p.parent.name for p in pdfs} == {"en", "fr", "es", "ru", "zh"}
    for pdf in pdfs:
        assert not unprintable(pdf), pdf


def test_the_glyph_detector_sees_a_character_our_fonts_lack(tmp_path):
    from weasyprint import HTML

    bad = tmp_path / "bad.pdf"
    HTML(string='<p style="font-family: Noto Serif">Plain text \U0001f600 and more</p>').write_pdf(bad)
    assert unprintable(bad)


def test_sample_editions_use_their_own_words_dates_and_quotes(sample_build):
    fr = page_texts(sample_build / "fr" / "law-reform-progress.pdf")
    assert "NOTE D’ORIENTATION" in fr[0] and "juin 2025" in fr[0]
    assert "«" in "".join(fr) and "»" in "".join(fr)
    zh = page_texts(sample_build / "zh" / "law-reform-progress.pdf")
    assert "政策简报" in zh[0] and "2025年6月" in zh[0] and "项目资助方：" in zh[-1]
    ru_case = page_texts(sample_build / "ru" / "amnesty-policy-engagement.pdf")
    assert "тематическое ИССЛЕДОВАНИЕ" in ru_case[1] and "ПРИ ПОДДЕРЖКЕ:" in ru_case[-1]


def test_citations_are_localised(sample_build):
    fr = " ".join(" ".join(page_texts(sample_build / "fr" / "law-reform-progress.pdf")).split())
    assert "31 mai 2022" in fr
    ru = " ".join(" ".join(page_texts(sample_build / "ru" / "law-reform-progress.pdf")).split())
    assert "31 мая 2022 г." in ru


def test_a_character_outside_our_fonts_fails_the_build_with_file_and_line(project):
    write(project, "content/short/en.md", """
        ---
        type: policy-brief
        title: Short
        date: 2025-06
        ---

        A line.
        Carved \U00013000 here.
        """)
    report = build(project, say=quiet)
    assert not report.built
    assert [str(p).split("\n")[0] for p in report.failed] == [
        "content/short/en.md:8: character '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001) is in none of the fonts "
        "the stylesheets use"]


# --- translation status -------------------------------------------------------

SOURCE = """
---
type: policy-brief
title: Short
date: 2025-06
---

# Heading

A first paragraph that is long enough to be wrapped over
two lines by its author.

* one item
* another item

A last paragraph about 2024.
"""

TRANSLATION = SOURCE.replace("title: Short", "title: Court").replace("A first", "Un premier")


@pytest.fixture
def translated(project: Path) -> Path:
    write(project, "content/short/en.md", SOURCE)
    write(project, "content/short/fr.md", TRANSLATION)
    return project


def status(project: Path, lang: str = "fr"):
    return Tracker(load_project(project)).status("short", lang)


def test_status_moves_from_current_to_stale_when_a_paragraph_changes(translated):
    assert status(translated).state == "stale"  # never marked
    Tracker(load_project(translated)).mark_translated("short", "fr")
    assert status(translated).state == "current"
    assert status(translated, "ru").state == "missing"
    source = translated / "content/short/en.md"
    source.write_text(source.read_text().replace("about 2024", "about 2025"))
    stale = status(translated)
    assert stale.state == "stale" and stale.detail.startswith("1 source paragraph(s) changed")
    assert stale.changes == [{"change": "changed", "before": "A last paragraph about 2024.",
                              "after": "A last paragraph about 2025."}]


def test_status_ignores_rewrapping_white_space_and_list_markers(translated):
    Tracker(load_project(translated)).mark_translated("short", "fr")
    source = translated / "content/short/en.md"
    text = source.read_text()
    text = text.replace("wrapped over\ntwo lines", "wrapped   over two\n   lines")
    text = text.replace("* one item\n* another item", "- one item\n\n- another item")
    source.write_text(text + "\n\n")
    assert status(translated).state == "current"


CITING = """---
type: policy-brief
title: Citing
date: 2025-06
---

# Heading

A first paragraph.

A second paragraph, with a source [@one].

A third paragraph, with two [@two; @three].
"""


def test_a_note_added_before_citations_changes_only_its_paragraph(project):
    write(project, "content/short/en.md", CITING)
    write(project, "content/short/fr.md", CITING.replace("title: Citing", "title: Citant"))
    Tracker(load_project(project)).mark_translated("short", "fr")
    source = project / "content/short/en.md"
    source.write_text(source.read_text().replace("A first paragraph.", "A first paragraph.[^new]")
                      + "\n[^new]: An added note.\n")
    stale = status(project)
    assert [change["after"] for change in stale.changes] == ["A first paragraph. [note: An added note.]"]
    # Control: with the citations' numbers in the digest (as versions were recorded before), the
    # renumbered citations count as changes too.
    tracker = Tracker(load_project(project))

    def changed(legacy: bool) -> int:
        before, after = source_units(CITING, legacy=legacy), tracker.units("short", legacy=legacy)
        return sum(a.digest != b.digest for a, b in zip(before, after, strict=True))

    assert changed(legacy=True) == 3  # the note's paragraph and both citing ones
    assert changed(legacy=False) == 1


def test_a_translation_marked_before_the_digest_changed_is_still_current(project):
    write(project, "content/short/en.md", CITING)
    write(project, "content/short/fr.md", CITING.replace("title: Citing", "title: Citant"))
    legacy = version_of(Tracker(load_project(project)).units("short", legacy=True))
    translation = project / "content/short/fr.md"
    translation.write_text(translation.read_text().replace("date: 2025-06", f"date: 2025-06\ntranslation: en@{legacy}"))
    assert status(project).state == "current"
    translation.write_text(translation.read_text().replace(legacy, "0123456789ab"))  # control
    assert status(project).state == "invalid"


def test_status_json_and_stale_build_warning(translated):
    Tracker(load_project(translated)).mark_translated("short", "fr")
    source = translated / "content/short/en.md"
    source.write_text(source.read_text().replace("# Heading", "# Another heading"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "status", "--json", "--root", str(translated)],
                            capture_output=True, text=True, check=True)
    entries = {e["lang"]: e for e in json.loads(result.stdout)}
    assert entries["fr"]["status"] == "stale" and entries["ru"]["status"] == "missing"
    assert entries["fr"]["changes"][0]["after"] == "Another heading"
    report = build(translated, [translated / "content/short/fr.md"], say=quiet)
    assert report.built and list(map(str, report.warnings)) == [
        "content/short/fr.md: translation is stale: 1 source paragraph(s) changed since "
        f"{entries['fr']['detail'].split()[-1]}\n  hint: see: python build.py status short"]


def test_mark_translated_changes_no_other_byte(translated):
    path = translated / "content/short/fr.md"
    original = ("\ufeff" + TRANSLATION.lstrip("\n").replace("\n", "\r\n") + "trailing  ").encode()
    path.write_bytes(original)
    tracker = Tracker(load_project(translated))
    value = tracker.mark_translated("short", "fr")
    marked = path.read_bytes()
    added = f"translation: {value}\r\n".encode()
    assert marked.replace(added, b"", 1) == original
    assert marked.count(b"translation:") == 1
    source = translated / "content/short/en.md"
    source.write_text(source.read_text() + "\nOne more paragraph.\n")
    newer = Tracker(load_project(translated)).mark_translated("short", "fr")
    assert newer != value
    assert path.read_bytes() == marked.replace(added, f"translation: {newer}\r\n".encode())


# --- translation QA -------------------------------------------------------------

def qa(project: Path, slug: str, lang: str) -> list[str]:
    loaded = load_project(project)
    source = Document.read(loaded, project / "content" / slug / "en.md")
    return [str(f) for f in check_translation(source, Document.read(loaded, project / "content" / slug / f"{lang}.md"))]


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    shutil.copytree(ROOT / "content", project / "content", dirs_exist_ok=True)
    return project


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return text[:text.index(old)].count("\n") + 1


def paragraph_at(document: Document, line: int) -> int:
    return max(p.line for p in document.paragraphs() if p.line <= line)


def test_sample_translations_pass_qa(samples):
    for slug, langs in (("law-reform-progress", "fr es ru zh"), ("amnesty-policy-engagement", "fr ru")):
        for lang in langs.split():
            assert qa(samples, slug, lang) == []


def test_qa_catches_deleted_note_changed_year_changed_url_and_missing_pull_quote(samples):
    brief = samples / "content/law-reform-progress/fr.md"
    note_line = edit(brief, "[^nordic]", "")
    pull = re.search(r"\[([^\]]+)\]\{\.pull\}", brief.read_text())
    pull_line = edit(brief, pull.group(0), pull.group(1))
    year = re.search(r"en (1995|2003)", brief.read_text()).group(0)
    year_line = edit(brief, year, year[:-1] + "9")
    case = samples / "content/amnesty-policy-engagement/fr.md"
    url = re.search(r"\]\((https://[^)]+)\)", case.read_text()).group(1)
    url_line = edit(case, url, url + "-changed")
    findings = qa(samples, "law-reform-progress", "fr") + qa(samples, "amnesty-policy-engagement", "fr")
    brief_doc = Document.read(load_project(samples), brief)
    case_doc = Document.read(load_project(samples), case)
    expected = [  # a finding names the paragraph (its first line) where the difference is
        f"content/law-reform-progress/fr.md:{paragraph_at(brief_doc, note_line)}: footnote 'nordic': "
        "1 in the source, 0 in the translation",
        f"content/law-reform-progress/fr.md:{paragraph_at(brief_doc, pull_line)}: pull-quote",
        f"content/law-reform-progress/fr.md:{paragraph_at(brief_doc, year_line)}: numbers differ",
        f"content/amnesty-policy-engagement/fr.md:{paragraph_at(case_doc, url_line)}: URL '{url}-changed'",
        f"content/amnesty-policy-engagement/fr.md:{paragraph_at(case_doc, url_line)}: URL '{url}'",
    ]
    for start in expected:
        assert any(f.startswith(start) and "(source: content/" in f for f in findings), (start, findings)


def test_check_command_exits_non_zero_on_findings(samples):
    command = [sys.executable, str(ROOT / "build.py"), "check", "--root", str(samples)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    edit(samples / "content/law-reform-progress/ru.md", "[^nordic]", "")
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "footnote 'nordic'" in result.stderr


def test_every_edition_prints_every_note_on_the_page_of_its_call(sample_build):
    for pdf in sorted(sample_build.glob("*/*.pdf")):
        calls, notes = footnotes(pdf)
        assert calls and sorted(calls) == list(range(1, len(calls) + 1)) == sorted(notes), pdf
        assert {n: calls[n] for n in calls} == {n: notes[n] for n in calls}, pdf
