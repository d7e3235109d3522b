"""Safe with any input: sandboxed rendering, literal text, reproducible PDFs, clear errors."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, quiet
from pdfcheck import page_texts
from pypdf import PdfReader

from pressroom import BuildError, build
from pressroom.formats import VARIANTS
from pressroom.formats.render import Renderer

HEAD = """---
type: policy-brief
title: "Safe Brief:"
date: 2025-06
---

"""
SECRET = "root:x:0:0"  # the first line of /etc/passwd


def brief(project: Path, body: str, name: str = "short") -> Path:
    path = project / "content" / name / "en.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def failure(project: Path) -> str:
    report = build(project, say=quiet)
    assert not report.built and report.failed
    assert not list(project.glob("build/*/*.pdf"))
    return "\n".join(str(p) for p in report.failed)


# --- sandbox --------------------------------------------------------------------

@pytest.mark.parametrize("markdown", [
    "![The password file](/etc/passwd)",
    "![The password file](../../../../../../../../etc/passwd)",
    "![The password file](file:///etc/passwd)",
    "![A remote image](http://127.0.0.1:9/logo.png)",
    "![A remote image](https://example.org/logo.png)",
    "![Inline data](data:image/png;base64,iVBORw0KGgo=)",
])
def test_images_outside_the_project_are_refused_with_file_and_line(project, markdown):
    brief(project, f"# Title\n\nText.\n\n{markdown}\n")
    message = failure(project)
    assert message.startswith("content/short/en.md:11: image"), message
    assert "outside the project" in message or "not a file in the project" in message


@pytest.mark.parametrize("target", ["/etc/passwd", "file:///etc/passwd", "../../../../../../etc/passwd"])
def test_links_to_files_are_refused_with_file_line_and_target(project, target):
    brief(project, f"# Title\n\nSee [the file]({target}){{rel=attachment}} here.\n")
    message = failure(project)
    assert message.startswith(f"content/short/en.md:9: link to '{target}' is not allowed"), message


def test_content_cannot_ask_for_an_attachment(project):
    brief(project, "# Title\n\nSee [the file](http://127.0.0.1:9/secret){rel=attachment} here.\n")
    report = build(project, say=quiet)
    assert report.ok, report.failed
    assert "/EmbeddedFiles" not in str(PdfReader(report.built[0]).trailer["/Root"].get("/Names", {}))
    control = '<html lang="en"><body><a rel="attachment" href="http://127.0.0.1:9/secret">x</a></body></html>'
    with pytest.raises(BuildError) as caught:  # the renderer would have fetched it: the attribute was the danger
        Renderer(project).render(control, "doc.html", VARIANTS["screen"])
    assert "refused to load 'http://127.0.0.1:9/secret'" in str(caught.value)


def test_raw_html_in_markdown_is_printed_as_text_not_obeyed(project):
    brief(project, '# Title\n\n<img src="/etc/passwd"> <link rel="attachment" href="/etc/passwd">\n'
                   '<a rel="attachment" href="/etc/passwd">x</a> <style>body { display: none }</style>\n')
    report = build(project, say=quiet)
    assert report.ok, report.failed
    pdf = report.built[0]
    text = "".join(page_texts(pdf))
    assert "<img src=" in text and "/etc/passwd" in text and SECRET not in text
    assert "/EmbeddedFiles" not in str(PdfReader(pdf).trailer["/Root"].get("/Names", {}))


@pytest.mark.parametrize(("html", "reason"), [
    ('<img src="file:///etc/passwd">', "outside the project folder"),
    ('<img src="../../../../../../etc/passwd">', "outside the project folder"),
    ('<link rel="attachment" href="/etc/hostname">', "outside the project folder"),
    ('<img src="http://127.0.0.1:9/x.png">', "the build never uses the network"),
    ('<img src="https://example.org/x.png">', "the build never uses the network"),
    ('<img src="data:image/png;base64,' + "A" * (3 * 1024 * 1024) + '">', "larger than 2 MiB"),
])
def test_the_renderer_itself_refuses_what_the_checks_would_miss(project, html, reason):
    with pytest.raises(BuildError) as caught:
        Renderer(project).render(f"<html><body><p>x</p>{html}</body></html>", "doc.html", VARIANTS["screen"])
    assert reason in str(caught.value)


# --- text is text -----------------------------------------------------------------

def test_front_matter_and_locale_words_are_printed_literally(project):
    locale = project / "locales" / "en.yaml"
    locale.write_text(locale.read_text().replace("POLICY BRIEF", "POLICY <i>BRIEF</i> & {{ 6*7 }}"))
    path = brief(project, "# Title\n\nBody.\n")
    path.write_text(path.read_text().replace('"Safe Brief:"', "'<b>Bold</b> & \"{{ 7*7 }}\" {% if 1 %}x{% endif %}'"))
    report = build(project, say=quiet)
    assert report.ok, report.failed
    cover = page_texts(report.built[0])[0]
    assert '<b>Bold</b> & "{{ 7*7 }}" {% if 1 %}x{% endif %}' in " ".join(cover.split())
    assert "POLICY <i>BRIEF</i> & {{ 6*7 }}" in cover and "49" not in cover and "42" not in cover
    assert PdfReader(report.built[0]).metadata.title.startswith("<b>Bold</b>")


def test_yaml_is_loaded_safely(project):
    path = brief(project, "# Title\n\nBody.\n")
    path.write_text(path.read_text().replace("date: 2025-06", "date: !!python/object/apply:os.system ['true']"))
    assert "content/short/en.md:4" in failure(project)


# --- reproducible -------------------------------------------------------------------

def test_the_same_sources_give_byte_identical_pdfs(project, tmp_path):
    brief(project, "# Title\n\nBelgium decriminalised sex work in 2022 [@gill2022covid].[^a]\n\n[^a]: A note.\n")
    first = build(project, build_dir=tmp_path / "one", say=quiet).built[0].read_bytes()
    second = build(project, build_dir=tmp_path / "two", say=quiet).built[0].read_bytes()
    assert first == second


# --- robust input ---------------------------------------------------------------------

def test_bom_and_crlf_files_build(project):
    path = brief(project, "# Title\n\nBody text.[^a]\n\n[^a]: Note.\n")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert build(project, say=quiet).ok


def test_invalid_utf8_names_line_and_byte(project):
    path = brief(project, "# Title\n\nBody text.\n")
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Body", b"B\xffdy"))
    offset = data.index(b"Body") + 1
    assert f"content/short/en.md:9: not valid UTF-8 (byte {offset}: 0xff)" in failure(project)


def test_empty_file_gets_a_clear_message(project):
    path = brief(project, "")
    path.write_text("")
    assert failure(project).startswith("content/short/en.md:1: no front-matter")


def test_front_matter_only_builds_with_a_warning(project):
    path = brief(project, "")
    report = build(project, say=quiet)
    assert report.built
    assert list(map(str, report.warnings)) == ["content/short/en.md: has no text after its front-matter"]
    assert path.exists()


def test_unclosed_fenced_div_names_where_it_opened(project):
    brief(project, "# Title\n\n::: callout\nA box that never ends.\n\nMore text.\n")
    assert failure(project).startswith("content/short/en.md:9: the block '::: callout' opened here is never closed")


def test_long_words_and_wide_tables_stay_on_the_page(project):
    word = "Decriminalisation" * 20
    header = "| " + " | ".join(f"Column {i}" for i in range(12)) + " |"
    rule = "|" + "---|" * 12
    cells = "| " + " | ".join("longcellcontent" * 3 for _ in range(12)) + " |"
    brief(project, f"# Title\n\n{word} and https://example.org/{'x' * 150}\n\n{header}\n{rule}\n{cells}\n")
    report = build(project, say=quiet)
    assert report.ok, report.failed
    with pdfplumber.open(report.built[0]) as pdf:
        for page in pdf.pages[1:-1]:
            assert all(c["x0"] >= 0 and c["x1"] <= page.width - 20 * 72 / 25.4 for c in page.chars), page.page_number


# Arabic, Hebrew and emoji print (tests/test_scripts.py); scripts outside the font chain fail.
@pytest.mark.parametrize(("text", "code"), [("Hieroglyph \U00013000", "U+13000"),
                                            ("Linear B \U00010000", "U+10000")])
def test_a_script_outside_the_fonts_fails_clearly(project, text, code):
    brief(project, f"# Title\n\n{text}\n")
    assert "content/short/en.md:9: character" in failure(project) and code in failure(project)


def test_no_traceback_on_the_command_line_for_binary_input(project):
    (project / "content" / "short").mkdir(parents=True)
    (project / "content" / "short" / "en.md").write_bytes(bytes(range(256)) * 4)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/short/en.md:2: not valid UTF-8 (byte 128: 0x80)" in result.stderr


# --- fault tolerance -------------------------------------------------------------------

def test_two_builds_at_once_do_not_corrupt_each_other(project):
    brief(project, "# Title\n\nText [@gill2022covid].\n")
    brief(project, "# Other\n\nMore text [@nswp2024belgium].\n", name="other")
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project)], capture_output=True, text=True)))
        for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in reports] == [0, 0], [r.stderr for r in reports]
    for pdf in project.glob("build/*/*.pdf"):
        assert PdfReader(pdf).pages and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert not list(project.glob("build/**/*.part"))


# --- content never changes the layout ----------------------------------------------------

def test_style_handlers_and_unknown_classes_in_content_never_reach_the_page(project):
    from PIL import Image

    from pressroom.pipeline.build import checked, html_of
    from pressroom.project.config import load_project

    path = brief(project, '# Title\n\n[Hidden words]{style="display:none" onclick="steal()"} and '
                          '[cover words]{.cover-title data-x="1"}.\n\n'
                          '::: {.callout style="font-size:0"}\nBoxed words.\n:::\n\n'
                          '![A square](images/s.png){style="display:none" width="1%"}\n')
    (path.parent / "images").mkdir()
    Image.new("RGB", (30, 30), (0, 0, 0)).save(path.parent / "images" / "s.png")
    settings = load_project(project)
    html = html_of(settings, checked(settings, path))[0]
    for leak in ("display:none", "font-size:0", "steal()", "data-x", '<span class="cover-title"', "1%"):
        assert leak not in html, leak
    assert '<div class="callout">' in html
    report = build(project, say=quiet)
    assert report.ok, report.failed
    with pdfplumber.open(report.built[0]) as pdf:
        page = pdf.pages[1]
        words = {w["text"]: w for w in page.extract_words(extra_attrs=["size"])}
        assert {"Hidden", "Boxed", "cover"} <= set(words) and words["Boxed"]["size"] > 6
        assert page.images and page.images[0]["width"] > 10


def test_control_a_style_attribute_would_hide_text(project):
    html = '<html lang="en"><body><p>Shown words</p><p style="display:none">Hidden words</p></body></html>'
    pdf = project / "control.pdf"
    pdf.write_bytes(Renderer(project).render(html, "doc.html", VARIANTS["screen"]))
    text = "".join(page_texts(pdf))
    assert "Shown" in text and "Hidden" not in text
