"""Any Pandoc Markdown builds: the checks read pandoc's own tree, so code is never mistaken for markup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, make_project, quiet, write
from pdfcheck import page_texts, squeeze

from pressroom import BuildError, build
from pressroom.project.config import load_project
from pressroom.source.bibliography import check_citations, load_bibliography
from pressroom.source.load import load_publication
from pressroom.source.markdown import parse, walk

FIXTURE = ROOT / "tests" / "fixtures" / "every-construct" / "content"
SOURCE = FIXTURE / "constructs" / "en.md"

# Every element of pandoc's document model that Markdown can produce (raw ones are off: text).
BLOCKS = {"Header", "Para", "Plain", "BlockQuote", "CodeBlock", "BulletList", "OrderedList", "DefinitionList",
          "HorizontalRule", "Table", "Div", "LineBlock", "Figure"}
INLINES = {"Str", "Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline", "Quoted",
           "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "Link", "Image", "Note", "Span"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("constructs") / "project")
    shutil.copytree(FIXTURE, project / "content", dirs_exist_ok=True)
    report = build(project, say=quiet)
    assert report.ok, "\n".join(map(str, report.failed))
    assert not report.warnings, report.warnings
    return report.built[0]


def source_tree() -> dict:
    return parse(SOURCE.read_text(), str(SOURCE)).tree


def test_the_document_uses_every_construct_of_pandoc_markdown():
    kinds = {node["t"] for node in walk(source_tree()["blocks"])}
    assert kinds >= BLOCKS | INLINES, sorted((BLOCKS | INLINES) - kinds)
    styles = {node["c"][0][1]["t"] for node in walk(source_tree()["blocks"]) if node["t"] == "OrderedList"}
    assert {"Decimal", "LowerAlpha", "UpperAlpha", "LowerRoman", "Example"} <= styles
    assert len(SOURCE.read_text().splitlines()) > 300


def test_code_samples_are_printed_literally(built):
    text = squeeze(" ".join(page_texts(built)))
    code = [node["c"][1] for node in walk(source_tree()["blocks"]) if node["t"] == "CodeBlock"]
    assert len(code) >= 9
    for block in code:
        for line in block.splitlines():
            assert squeeze(line) in text, line
    for sample in ("![](x.png)", "[@key]", "[^n]", ":::", "[link](javascript:alert(1))"):
        assert sample in text
    # control: the same markup outside code is obeyed, not printed
    assert "[@gill2022covid]" in SOURCE.read_text() and "[@gill2022covid]" not in text


def test_markup_is_obeyed_outside_code(built):
    raw = " ".join(page_texts(built))
    text = squeeze(raw)
    assert "???" not in text and "{.pull}" not in text and "{-}" not in text
    assert squeeze("<b>this too</b>") in text, "raw HTML is printed as text"
    assert squeeze("Decriminalisation means that I can report violence.") in text
    assert text.count(squeeze("pull-quote sentence")) == 2



@pytest.mark.parametrize(("item", "marker"), [
    ("Roman numerals in parentheses", "i."), ("Capital letters (two spaces", "A."),
    ("with a nested lettered list", "a."), ("A list that starts at seven", "7."), ("and goes on", "8."),
    ("Parenthesis-style numbers", "3."), ("An ordered list", "1."),
])
def test_ordered_lists_print_the_numbers_the_author_wrote(built, item, marker):
    assert marker_of(built, item) == marker


def marker_of(pdf_path: Path, item: str) -> str:
    """The list marker printed on the line that starts with ``item``."""
    import pdfplumber

    first = item.split()[0]
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            for index, word in enumerate(words):
                following = " ".join(w["text"] for w in words[index:index + len(item.split())])
                if word["text"] == first and following == item:
                    line = [w for w in words if abs(w["top"] - word["top"]) < 2 and w["x1"] <= word["x0"] + 0.5]
                    return max(line, key=lambda w: w["x1"])["text"] if line else ""
    raise AssertionError(f"{item!r} not printed")


@pytest.mark.parametrize("code", [
    "```\n{sample}\n```",
    "~~~~ {{.python}}\n{sample}\n~~~~",
    "    {sample}",
    "- a list item\n\n        {sample}",
    "1. a list item\n\n    ```\n    {sample}\n    ```",
    "Term\n:   Definition\n\n        {sample}",
    "> quoted\n>\n>     {sample}",
    "> ```\n> {sample}\n> ```",
    "Text with `{sample}` in a span.",
])
@pytest.mark.parametrize("sample", ["![](x.png)", "[@key]", "[^n]", "::: callout", "[x](javascript:alert(1))"])
def test_nothing_inside_code_is_checked(project, code, sample):
    path = write(project, "content/short/en.md", "---\ntype: policy-brief\ntitle: T\ndate: 2025-06\n---\n\n"
                 + code.format(sample=sample) + "\n\nText after.\n")
    loaded = load_project(project)
    pub = load_publication(loaded, path)
    assert check_citations(pub, load_bibliography(loaded)) == []


@pytest.mark.parametrize(("sample", "says"), [
    ("![](x.png)", "has no alt text"), ("[@key]", "unknown citation key '@key'"),
    ("[^n]", "footnote '[^n]' has no definition"), ("::: callout", "'::: callout' opened here is never closed"),
    ("[x](javascript:alert(1))", "link to 'javascript:alert(1)' is not allowed"),
])
def test_control_the_same_text_outside_code_is_an_error_at_its_line(project, sample, says):
    body = f"```\n{sample}\n```\n\n    {sample}\n\n- item\n\n        {sample}\n\n{sample}\n\nText after.\n"
    path = write(project, "content/short/en.md", "---\ntype: policy-brief\ntitle: T\ndate: 2025-06\n---\n\n" + body)
    loaded = load_project(project)
    with pytest.raises(BuildError) as caught:
        pub = load_publication(loaded, path)
        problems = check_citations(pub, load_bibliography(loaded))
        raise BuildError(problems)
    found = [str(p) for p in caught.value.problems if says in p.message]
    assert found and all(f.startswith("content/short/en.md:17:") for f in found), caught.value.problems


def test_lines_are_found_after_code_holding_the_same_text(project):
    code = "```\n![](images/map.png)\n```\n\n> ```\n> ![](images/map.png)\n> ```\n\n"
    write(project, "content/short/en.md", "---\ntype: policy-brief\ntitle: T\ndate: 2025-06\n---\n\n"
          + code + "Intro.\n\n![](images/map.png)\n")
    report = build(project, say=quiet)
    messages = [str(p) for p in report.failed]
    assert any(m.startswith("content/short/en.md:17: image 'images/map.png' has no alt text") for m in messages)
    assert any(m.startswith("content/short/en.md:17: image 'images/map.png' not found") for m in messages)


def test_footnotes_defined_twice_or_never_called_name_their_lines(project):
    write(project, "content/short/en.md", "---\ntype: policy-brief\ntitle: T\ndate: 2025-06\n---\n\n"
          "Text.[^a]\n\n[^a]: One.\n\n[^a]: Two.\n\n[^b]: Never called.\n\n    [^c]: in code, not a note\n")
    messages = sorted(str(p) for p in build(project, say=quiet).failed)
    assert messages[0].startswith("content/short/en.md:11: footnote '[^a]' is defined twice (first at line 9)")
    assert messages[1].startswith("content/short/en.md:13: footnote '[^b]' is defined but never called")
    assert len(messages) == 2


def test_one_parse_serves_the_checks_and_the_conversion(project, monkeypatch):
    import pressroom.source.markdown as markdown

    calls = []
    real = markdown.subprocess.run
    monkeypatch.setattr(markdown.subprocess, "run", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    write(project, "content/short/en.md", "---\ntype: policy-brief\ntitle: T\ndate: 2025-06\n---\n\nText.\n")
    assert build(project, say=quiet).ok
    reads = [c for c in calls if "--from" in c and c[c.index("--from") + 1].startswith("markdown")]
    assert len(reads) == 1, calls


def test_task_list_boxes_sit_on_their_items_line(built):
    import pdfplumber

    found = {}
    with pdfplumber.open(built) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            for index, word in enumerate(words[1:], start=1):
                if word["text"] == "task" and words[index - 1]["text"] == "A":
                    first = words[index - 1]
                    boxes = [r for r in page.rects if abs(r["top"] - first["top"]) < 4 and r["x1"] <= first["x0"]]
                    found[words[index + 1]["text"]] = len(boxes)
    assert found.get("not", 0) >= 1 and found.get("done", 0) >= 2, found  # checked: the box and its mark
