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


# --- errors at the point of the mistake (front-matter, bibliography, blocks) ---------------

@pytest.mark.parametrize(("change", "where", "says"), [
    (('title: "A Short Brief:"', 'title: "A Short Brief:'), "content/short/en.md:3",
     "'title': the quote opened here is never closed"),
    (("date: 2025-06\n", "date: 2025-06\nkeywords: [health, rights\n"), "content/short/en.md:5",
     "'keywords': the bracket opened here is never closed"),
    (("date: 2025-06\n", "date: 2025-06\nsummary: A summary: with a colon\n"), "content/short/en.md:5",
     "invalid YAML in 'summary'"),
])
def test_yaml_errors_point_at_the_value_and_name_its_key(project, change, where, says):
    old, new = change
    assert old in GOOD
    brief(project, GOOD.replace(old, new, 1))
    message = one_error(project)
    assert message.startswith(f"{where}: {says}"), message
    assert "hint:" in message


LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 18))


def test_yaml_aliases_are_refused_at_once_with_file_and_line(project):
    front = 'type: policy-brief\ntitle: "Laughs"\ndate: 2025-06\nl0: &l0 ["lol", "lol", "lol"]\n' + LAUGHS
    assert len(front.splitlines()) == 21  # 9 ** 17 copies if the aliases were expanded
    brief(project, f"---\n{front}---\n\nText.\n")
    message = one_error(project)
    assert message.startswith("content/short/en.md:6: 'l1': YAML alias '*l0' is not allowed"), message


def test_yaml_aliases_cost_no_memory():
    import tracemalloc

    from pressroom.project.yamlfile import parse_yaml

    tracemalloc.start()
    with pytest.raises(BuildError) as caught:
        parse_yaml("l0: &l0 [lol, lol]\n" + LAUGHS, "x.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert str(caught.value).startswith("x.yaml:2: 'l1': YAML alias '*l0'")
    assert peak < 2 * 1024 * 1024, peak
    # control: the anchor alone (no alias) is still read
    assert parse_yaml("a: &x [1, 2]\n", "x.yaml").data == {"a": [1, 2]}


def test_malformed_bibliography_entry_is_named_by_its_key_and_field(project):
    bib = project / "references.bib"
    lines = bib.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("@online{nswp2024belgium"))
    lines[at + 1] = "  title        = {Belgium's sex workers get maternity leave,"
    bib.write_text("\n".join(lines) + "\n")
    brief(project, GOOD)
    message = project_error(project)
    assert message.startswith(f"references.bib:{at + 1}: malformed entry 'nswp2024belgium': "
                               f"the braces of field 'title' (references.bib:{at + 2})"), message


def test_a_field_without_its_comma_is_named(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@online{late2025,\n  title = {Late}\n  year = {2025},\n}\n")
    brief(project, GOOD)
    line = bib.read_text().splitlines().index("@online{late2025,") + 1
    message = project_error(project)
    assert message.startswith(f"references.bib:{line}: malformed entry 'late2025': field 'title' runs into"), message


def test_unclosed_block_is_named_by_its_class(project):
    brief(project, GOOD + '\n::: {.example title="From Belgium"}\nA box.\n\n::: callout\nInner.\n:::\n')
    message = one_error(project)
    assert message.startswith("content/short/en.md:13: the block '::: example' opened here is never closed"), message


# --- content stays data: links and images ----------------------------------------------------

@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox(1)",
                                    "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "annex.pdf"])
def test_links_to_anything_but_the_web_mail_phone_or_an_anchor_are_errors(project, target):
    brief(project, GOOD + f"\nSee [this]({target}) and [that][ref].\n\n[ref]: {target}\n")
    found = errors(project)
    assert [m.split(" is not allowed")[0] for m in found] == [
        f"content/short/en.md:13: link to '{target}'", f"content/short/en.md:15: link to '{target}'"], found


def test_control_links_to_the_web_mail_phone_and_anchors_build(project):
    brief(project, GOOD + "\n[a](https://www.nswp.org) [b](mailto:a@example.org) [c](tel:+44131) [d](#introduction)\n")
    report = build(project, say=quiet)
    assert report.ok, report.failed


def test_an_image_that_cannot_be_decoded_is_an_error_at_its_line(project):
    (project / "content/short/images").mkdir(parents=True)
    (project / "content/short/images/map.png").write_text("not a picture")
    brief(project, GOOD.replace("[^why]\n", "[^why] ![A map](images/map.png)\n"))
    message = one_error(project)
    assert message.startswith("content/short/en.md:9: image 'images/map.png' cannot be read"), message


def test_control_an_image_that_decodes_builds(project):
    from PIL import Image

    (project / "content/short/images").mkdir(parents=True)
    Image.new("RGB", (20, 20), (200, 0, 0)).save(project / "content/short/images/map.png")
    brief(project, GOOD.replace("[^why]\n", "[^why] ![A map](images/map.png)\n"))
    assert build(project, say=quiet).ok
