"""Property-based tests: whatever the input, a PDF or a clear error, never a traceback.

Bounded for `make test` (FUZZ_EXAMPLES, default 25 per property); `make fuzz` runs many more.
"""

from __future__ import annotations

import os
import shutil
import string
from pathlib import Path

import pytest
import yaml
from conftest import make_project, quiet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom import BuildError, build
from pressroom.formats.render import RenderPool

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
KEYS = ["gill2022covid", "nswp2024belgium", "sweat2024challenge", "nokey", "gill2022", "x"]
LETTERS = (string.ascii_letters + string.digits + " .,;:!?'\"-()*_#@^[]{}<>|/\\&%$~`"
           + "éüßçøåñ" + "абвгдежз" + "中文测试")

words = st.text(alphabet=LETTERS, min_size=0, max_size=40)
plain_words = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=30)


@st.composite
def inline(draw) -> str:
    kind = draw(st.sampled_from(["text", "cite", "note", "pull", "link", "emph"]))
    if kind == "cite":
        return f"[@{draw(st.sampled_from(KEYS))}]"
    if kind == "note":
        return f"[^{draw(st.sampled_from(['a', 'b', 'c']))}]"
    if kind == "pull":
        return f"[{draw(words)}]{{.pull}}"
    if kind == "link":
        return f"[{draw(plain_words)}](https://example.org/{draw(plain_words).replace(' ', '-')})"
    if kind == "emph":
        return f"*{draw(plain_words)}*"
    return draw(words)


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["para", "heading", "div", "list", "note", "open-div"]))
    text = " ".join(draw(st.lists(inline(), min_size=1, max_size=6)))
    if kind == "heading":
        return "#" * draw(st.integers(1, 5)) + " " + text
    if kind == "div":
        cls = draw(st.sampled_from(["callout", "pullquote", "timeline", "{.numbered title=\"Goal\"}",
                                    "{.example title=\"Example from X\"}", "{.testimonial by=\"A, B\"}",
                                    "{.back-matter}", "{.unknown}"]))
        return f"::: {cls}\n{text}\n:::"
    if kind == "open-div":
        return f"::: callout\n{text}"
    if kind == "list":
        return "\n".join(f"{i + 1}. {item}" for i, item in enumerate(draw(st.lists(words, min_size=1, max_size=4))))
    if kind == "note":
        return f"[^{draw(st.sampled_from(['a', 'b', 'c']))}]: {text}"
    return text


values = st.one_of(words, st.integers(), st.lists(words, max_size=3), st.none(), st.booleans(),
                   st.sampled_from(["2025-06", "2025-13", "2024-02-30", "June", "policy-brief", "case-study"]))


@st.composite
def front_matter(draw) -> str:
    meta = {"type": draw(st.sampled_from(["policy-brief", "case-study", "leaflet"])), "title": draw(words),
            "date": draw(st.sampled_from(["2025-06", "2025-06-30", "2025-13", "soon"]))}
    for key in draw(st.lists(st.sampled_from(["subtitle", "summary", "keywords", "authors", "lang", "funders",
                                              "titel", "translation"]), max_size=4)):
        meta[key] = draw(values)
    if draw(st.booleans()):
        return yaml.safe_dump(meta, allow_unicode=True)
    return draw(st.text(alphabet=LETTERS + "\n", max_size=80))  # anything at all


@st.composite
def bibtex(draw) -> str:
    entries = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=4)):
        title = draw(words).replace("{", "").replace("}", "")
        closing = draw(st.sampled_from(["}", "", "}}"]))
        entries.append(f"@online{{{key},\n  title = {{{title}{closing},\n  date = {{2022-05-31}},\n}}\n")
    return "\n".join(entries)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("fuzz") / "project")
    with RenderPool(project) as pool:
        yield project, pool


def attempt(project: Path, pool: RenderPool, meta: str, body: str, bib: str | None = None) -> None:
    shutil.rmtree(project / "content", ignore_errors=True)
    source = project / "content" / "fuzz" / "en.md"
    source.parent.mkdir(parents=True)
    source.write_text(f"---\n{meta}\n---\n\n{body}\n", encoding="utf-8")
    if bib is not None:
        (project / "references.bib").write_text(bib, encoding="utf-8")
    try:
        report = build(project, say=quiet, pool=pool)
    except BuildError as error:  # a problem with the project as a whole: clear, with a place
        assert all(str(p) for p in error.problems)
        return
    for problem in report.failed:
        assert str(problem).startswith(("content/fuzz/en.md", "references.bib", "locales/", "templates/"))
    for pdf in report.built:
        assert pdf.read_bytes().startswith(b"%PDF")


@FUZZ
@given(meta=front_matter(), body=st.lists(block(), max_size=8).map("\n\n".join))
def test_any_front_matter_and_markdown_gives_a_pdf_or_a_clear_error(fuzz_project, meta, body):
    project, pool = fuzz_project
    shutil.copy(Path(__file__).parents[1] / "references.bib", project / "references.bib")
    attempt(project, pool, meta, body)


@FUZZ
@given(bib=bibtex(), body=st.lists(block(), min_size=1, max_size=4).map("\n\n".join))
def test_any_bibliography_gives_a_pdf_or_a_clear_error(fuzz_project, bib, body):
    project, pool = fuzz_project
    attempt(project, pool, "type: policy-brief\ntitle: Fuzz\ndate: 2025-06", body, bib)
