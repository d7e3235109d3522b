"""Bad input gives one clear message naming the file and line, and never a half-written output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, quiet, write

from pressroom import BuildError, build

GOOD = """
---
type: policy-brief
title: "A Short Brief:"
date: 2025-06
---

# Introduction

Belgium decriminalised sex work in 2022 [@gill2022covid].[^why]

[^why]: The first country in Europe to do so.
"""


def errors(project: Path) -> list[str]:
    report = build(project, say=quiet)
    assert not report.built, "nothing may be built from bad input"
    return [str(p) for p in report.failed]


def one_error(project: Path) -> str:
    found = errors(project)
    assert len(found) == 1, found
    return found[0]


def error_saying(project: Path, says: str) -> str:
    found = [message for message in errors(project) if says in message]
    assert len(found) == 1, errors(project)
    return found[0]


def project_error(project: Path) -> str:
    """Problems with the project as a whole (brand, bibliography) stop the build up front."""
    with pytest.raises(BuildError) as caught:
        build(project, say=quiet)
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value.problems[0])


def brief(project: Path, text: str, lang: str = "en") -> Path:
    return write(project, f"content/short/{lang}.md", text)


@pytest.mark.parametrize(("change", "where", "says"), [
    (("title: \"A Short Brief:\"\n", ""), "content/short/en.md:2", "missing required key 'title'"),
    (("title:", "titel:"), "content/short/en.md:3", "did you mean 'title'?"),
    (("policy-brief", "policy-breif"), "content/short/en.md:2", "did you mean 'policy-brief'?"),
    (("2025-06", "2025-13"), "content/short/en.md:4", "not a real date"),
    (("2025-06", "June 2025"), "content/short/en.md:4", "YYYY-MM or YYYY-MM-DD"),
    (("date: 2025-06\n", "date: 2025-06\nlang: fr\n"), "content/short/en.md:5", "disagrees with the file name"),
    (("[^why]:", "[^reason]:"), "content/short/en.md:9", "footnote '[^why]' has no definition"),
    (("[@gill2022covid]", "[@gil2022covid]"), "content/short/en.md:9", "did you mean 'gill2022covid'?"),
    (("[^why]\n", "[^why] ![](images/map.png)\n"), "content/short/en.md:9", "has no alt text"),
    (("[^why]\n", "[^why] ![A map](images/map.png)\n"), "content/short/en.md:9", "image 'images/map.png' not found"),
])
def test_front_matter_and_body_errors_name_file_and_line(project, change, where, says):
    old, new = change
    assert old in GOOD
    brief(project, GOOD.replace(old, new, 1))
    message = error_saying(project, says)
    assert message.startswith(where + ":"), message
    assert says in message


def test_missing_front_matter(project):
    brief(project, "# Just a heading\n")
    assert one_error(project).startswith("content/short/en.md:1: no front-matter")


def test_unknown_citation_key_names_line_and_nearest_key(project):
    brief(project, GOOD.replace("in 2022 [@gill2022covid]", "in 2022\n[see @nswp2024belgum, p. 3]"))
    message = one_error(project)
    assert message.startswith("content/short/en.md:10: unknown citation key '@nswp2024belgum'")
    assert "did you mean 'nswp2024belgium'?" in message


def test_malformed_bibliography_entry_names_its_line(project):
    bib = project / "references.bib"
    lines = bib.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("@online{nswp2024belgium"))
    lines[at + 1] = "  title        = {Belgium's sex workers get maternity leave,"  # brace never closed
    bib.write_text("\n".join(lines) + "\n")
    brief(project, GOOD)
    message = project_error(project)
    assert message.startswith(f"references.bib:{at + 1}: malformed entry"), message


def test_duplicate_bibliography_key_names_both_lines(project):
    bib = project / "references.bib"
    first = bib.read_text().splitlines().index("@online{gill2022covid,") + 1
    text = bib.read_text() + "\n@online{gill2022covid,\n  title = {Again},\n}\n"
    bib.write_text(text)
    second = text.splitlines().index("@online{gill2022covid,", first) + 1
    brief(project, GOOD)
    message = project_error(project)
    assert message.startswith(f"references.bib:{second}: duplicate key 'gill2022covid'")
    assert f"references.bib:{first}" in message


def test_failed_build_keeps_previous_pdf_and_leaves_no_temporary_files(project):
    brief(project, GOOD)
    assert build(project, say=quiet).ok
    pdf = project / "build" / "en" / "short.pdf"
    before = pdf.read_bytes()
    brief(project, GOOD.replace("[@gill2022covid]", "[@nobody]"))
    assert errors(project)
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["short.pdf"]


def test_one_bad_publication_does_not_stop_the_others(project):
    brief(project, GOOD)
    write(project, "content/broken/en.md", GOOD.replace("type: policy-brief", "type: leaflet"))
    report = build(project, say=quiet)
    assert [p.name for p in report.built] == ["short.pdf"]
    assert len(report.failed) == 1 and str(report.failed[0]).startswith("content/broken/en.md:2:")


def test_command_line_prints_one_clear_error_without_traceback(project):
    brief(project, GOOD.replace("[^why]:", "[^other]:"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "error: content/short/en.md:9: footnote '[^why]' has no definition" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not list(project.glob("build/*/*.pdf")) and not list(project.glob("build/**/*.part"))


def test_bad_brand_file_names_the_key(project):
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace('primary: "#b0173a"', 'primary: "crimson"'))
    brief(project, GOOD)
    message = project_error(project)
    assert message.startswith("brand.yaml:14: 'colours.primary'"), message
    assert "#RRGGBB" in message


def test_missing_locale_word_names_file_and_key(project):
    locale = project / "locales" / "en.yaml"
    locale.write_text(locale.read_text().replace("policy_brief: POLICY BRIEF\n", ""))
    brief(project, GOOD)
    assert one_error(project).startswith("locales/en.yaml: missing key 'policy_brief'")


def test_missing_word_in_a_translation_locale_names_file_and_key(project):
    locale = project / "locales" / "fr.yaml"
    locale.write_text("\n".join(line for line in locale.read_text().splitlines()
                                if not line.startswith("supported_by:")) + "\n")
    write(project, "content/short/fr.md", GOOD.replace("title: \"A Short Brief:\"", "title: Une note"))
    message = one_error(project)
    assert message.startswith("locales/fr.yaml: missing key 'supported_by'")
    assert "PROJECT SUPPORTED BY:" in message  # the English word, to translate
