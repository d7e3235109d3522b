"""Every PDF we build is accessible: PDF/UA-1 (and PDF/A-3a for archives) by real validators
(page-validation, outloud), and a screen reader reads each sentence once."""

from __future__ import annotations

import io
import itertools
import re
import zlib
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, build_fixture, make_project, quiet
from pdfcheck import pull_sentences, squeeze
from readers import artifact_text, outloud_findings, page_failures, paint_order, read_aloud, tree_mcids

from pressroom import build
from pressroom.formats import VARIANTS, output_path
from pressroom.pipeline.build import Checks, html_of
from pressroom.project.config import load_project
from pressroom.source.bibliography import load_bibliography
from pressroom.source.glyphs import Coverage, stylesheet_families

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted((md.parent.name, md.stem) for md in (ROOT / "content").glob("*/*.md"))
ARCHIVED = [("law-reform-progress", "en"), ("law-reform-progress", "zh"), ("amnesty-policy-engagement", "ru")]
OUTSIDE = ["outside-brief", "outside-case-study"]


@pytest.fixture(scope="module")
def archive_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive-build")
    sources = [ROOT / "content" / slug / f"{lang}.md" for slug, lang in ARCHIVED]
    report = build(ROOT, sources=sources, build_dir=out, say=quiet, outputs=["archive"])
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return out


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The publications written by someone else, built unchanged: (PDF, Markdown source)."""
    built = {}
    for name in OUTSIDE:
        pdf = build_fixture(tmp_path_factory.mktemp(name) / "project", FIXTURES / name)
        source = next((FIXTURES / name / "content").glob("*/en.md"))
        built[name] = (pdf, source.read_text(encoding="utf-8"))
    return built


def sample(build_dir: Path, variant: str, slug: str, lang: str) -> tuple[Path, str]:
    markdown = (ROOT / "content" / slug / f"{lang}.md").read_text(encoding="utf-8")
    return output_path(build_dir, variant, lang, slug), markdown


def pdfs(request: pytest.FixtureRequest, which: str) -> tuple[Path, str]:
    """(PDF, its Markdown) for a test id: 'screen/<slug>/<lang>', 'archive/...' or 'outside/<name>'."""
    kind, *rest = which.split("/")
    if kind == "outside":
        return request.getfixturevalue("outside")[rest[0]]
    build_dir = request.getfixturevalue("sample_build" if kind == "screen" else "archive_build")
    return sample(build_dir, kind, *rest)


SCREEN = [f"screen/{slug}/{lang}" for slug, lang in SAMPLES] + [f"outside/{name}" for name in OUTSIDE]
EVERY = SCREEN + [f"archive/{slug}/{lang}" for slug, lang in ARCHIVED]


@pytest.mark.parametrize("which", EVERY)
def test_page_validation_ua1(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = pdfs(request, which)
    assert page_failures(path, "ua1") == []


@pytest.mark.parametrize("which", [w for w in EVERY if w.startswith("archive/")])
def test_archive_is_pdfa_3a(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = pdfs(request, which)
    assert page_failures(path, "3a") == []
    with pikepdf.open(path) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp and b'pdfuaid:part="1"' in xmp


@pytest.mark.parametrize("which", EVERY)
def test_outloud_no_errors_no_warnings(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = pdfs(request, which)
    assert outloud_findings(path) == ()


@pytest.mark.parametrize("which", SCREEN)
def test_only_page_furniture_is_an_artifact(which: str, request: pytest.FixtureRequest) -> None:
    """What no reader reads: running heads, folios and the spine (a pull-quote's display copy
    is in the structure tree, read as nothing)."""
    path, markdown = pdfs(request, which)
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    furniture = page_furniture(markdown)
    for number in range(pages):
        hidden = squeeze(artifact_text(path, number))
        for words in furniture:
            hidden = hidden.replace(words, "")
        hidden = re.sub(r"\d", "", hidden)  # folios
        assert hidden == "", f"page {number + 1}: text no reader reads: {hidden[:120]}"


@pytest.mark.parametrize("which", EVERY)
def test_all_marked_content_is_in_the_tree(which: str, request: pytest.FixtureRequest) -> None:
    """Content is either an artifact or reached by the structure tree: no marked content that
    no element claims (what WeasyPrint makes of margin boxes, painted as artifacts instead)."""
    path, _ = pdfs(request, which)
    assert pages_with_unclaimed_content(path) == []


def pages_with_unclaimed_content(path: Path) -> list[int]:
    """The pages (from 1) that paint marked content no structure element claims."""
    reached: dict[int, set[int]] = {}
    for page, mcid, _ in tree_mcids(path):
        reached.setdefault(page, set()).add(mcid)
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    return [number + 1 for number in range(pages) if not set(paint_order(path, number)) <= reached.get(number, set())]


def page_furniture(markdown: str) -> list[str]:
    """The running label and title words of every locale and the title of this publication."""
    import yaml

    title = str(yaml.safe_load(markdown.split("---")[1]).get("title", ""))
    words = [squeeze(title.upper()), squeeze(title.rstrip(":：").upper()), squeeze(title.rstrip(":："))]
    for locale in (ROOT / "locales").glob("*.yaml"):
        data = yaml.safe_load(locale.read_text(encoding="utf-8"))
        words += [squeeze(str(data.get(key, ""))) for key in ("policy_brief", "case_study_lead", "case_study_rest")]
    return sorted((w for w in words if w), key=len, reverse=True)


@pytest.mark.parametrize("which", SCREEN)
def test_screen_reader_reads_each_pull_quote_once(which: str, request: pytest.FixtureRequest) -> None:
    path, markdown = pdfs(request, which)
    spoken = squeeze(read_aloud(path))
    sentences = pull_sentences(markdown)
    assert sentences or which.startswith("outside/case"), "the samples have pull-quotes"
    for sentence in sentences:
        assert spoken.count(squeeze(sentence)) == 1, sentence


@pytest.mark.parametrize("which", SCREEN)
def test_pull_quote_copies_are_painted_where_they_are_read(which: str, request: pytest.FixtureRequest) -> None:
    path, markdown = pdfs(request, which)
    silent = {s for _, _, s in tree_mcids(path) if s is not None}
    assert len(silent) >= len(pull_sentences(markdown))
    assert copies_out_of_place(path) == []


def copies_out_of_place(path: Path) -> list[str]:
    """The elements read as nothing (pull-quote copies) that the page does not paint where the
    tree reads them: in one run, right after what the tree reads before them on their page."""
    order = tree_mcids(path)
    wrong = []
    for silent in sorted({s for _, _, s in order if s is not None}):
        at = [i for i, item in enumerate(order) if item[2] == silent]
        page = order[at[0]][0]
        mine = [order[i][1] for i in at if order[i][0] == page]
        before = next((order[i][1] for i in reversed(range(at[0])) if order[i][0] == page), None)
        painted = paint_order(path, page)
        start = painted.index(mine[0])
        if painted[start:start + len(mine)] != mine or (painted[start - 1] if start else None) != before:
            wrong.append(f"page {page + 1}: copy {silent} painted {start}th of {len(painted)}")
    return wrong


@pytest.mark.parametrize("which", SCREEN)
def test_screen_reader_reads_the_running_head_at_most_once(which: str, request: pytest.FixtureRequest) -> None:
    """Once on the cover; the body may say the same words ("this policy brief")."""
    path, markdown = pdfs(request, which)
    label = running_label(path)
    assert label and squeeze(read_aloud(path)).count(label) <= 1 + squeeze(markdown).count(label), label


def running_label(path: Path) -> str:
    """The label printed at the top left of page 3 (a running head), read from the page itself."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[2]
        return squeeze(page.crop((0, 0, page.width / 2, 22 * 72 / 25.4)).extract_text() or "")


@pytest.mark.parametrize("which", EVERY)
def test_document_facts(which: str, request: pytest.FixtureRequest) -> None:
    """Title shown, language set, bookmarks from headings, links described and printed, notes linked."""
    path, _ = pdfs(request, which)
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(root.Lang)
        assert "/Outlines" in root and root.PageMode == "/UseOutlines"
        for page in pdf.pages:
            for link in page.obj.get("/Annots", []):
                assert str(link.get("/Contents", "")).strip() and int(link.F) & 4
        calls = [e for e in elements(root.StructTreeRoot) if e.S == "/Reference"]
        notes = {str(e.ID) for e in elements(root.StructTreeRoot) if e.S == "/Note"}
        assert all("/Ref" in call and str(call.Ref[0].ID) in notes for call in calls)
        assert len(calls) >= len(notes) > 0


def elements(root: pikepdf.Object):
    pending = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    while pending:
        node = pending.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            kids = node.get("/K")
            if kids is not None:
                pending += list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def headings(root: pikepdf.Object) -> list[int]:
    ordered = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if re.fullmatch(r"/H[1-6]", str(node.S)):
                ordered.append(int(str(node.S)[2]))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid)

    walk(root.K)
    return ordered


@pytest.mark.parametrize("which", SCREEN)
def test_headings_never_skip_a_level(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = pdfs(request, which)
    with pikepdf.open(path) as pdf:
        levels = headings(pdf.Root.StructTreeRoot)
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_passages_in_another_language_carry_it(project: Path) -> None:
    (project / "content" / "lang").mkdir()
    (project / "content" / "lang" / "en.md").write_text(
        '---\ntype: policy-brief\ntitle: "Languages"\ndate: 2025-01\n---\n\n# Words\n\n'
        'They said [le travail du sexe est un travail]{lang=fr} in Paris.\n', encoding="utf-8")
    report = build(project, say=quiet)
    assert report.ok, report.failed
    with pikepdf.open(report.built[0]) as pdf:
        langs = {str(e.Lang) for e in elements(pdf.Root.StructTreeRoot) if "/Lang" in e}
        assert str(pdf.Root.Lang) == "en"
    assert langs == {"fr"}
    assert "letravaildusexeestuntravail" in squeeze(read_aloud(report.built[0]))


# ---- Controls: the checks can fail ------------------------------------------------------------

def test_control_a_funder_logo_without_alt_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    brand = project / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(re.sub(r"\n    alt: Bridging the Gaps\n", "\n", text), encoding="utf-8")
    with pytest.raises(Exception) as error:
        load_project(project)
    assert "brand.yaml" in str(error.value) and "alt" in str(error.value)


@pytest.fixture(scope="module")
def unfinished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample brief written by WeasyPrint alone with pdf/ua-1: no hints, no finisher."""
    from pressroom.formats.render import Renderer

    project = load_project(ROOT)
    cache = tmp_path_factory.mktemp("cache")
    checks = Checks(project, load_bibliography(project), Coverage(stylesheet_families(ROOT / "styles"), cache))
    pub = checks.check(ROOT / "content" / "law-reform-progress" / "en.md")
    html, _ = html_of(project, pub, VARIANTS["screen"].stylesheets)
    document = Renderer(ROOT).lay_out(html, pub.shown_as, project.brand["colours"])
    path = tmp_path_factory.mktemp("unfinished") / "brief.pdf"
    path.write_bytes(document.write_pdf(pdf_variant="pdf/ua-1"))
    return path


def test_control_without_the_finisher_outloud_finds_furniture_read_as_content(unfinished: Path) -> None:
    rules = {f.rule for f in outloud_findings(unfinished)}
    assert {"PAG-001", "LNK-004"} <= rules


def test_control_without_the_finisher_pull_quotes_are_read_twice_and_heads_are_no_artifacts(unfinished: Path) -> None:
    markdown = (ROOT / "content" / "law-reform-progress" / "en.md").read_text(encoding="utf-8")
    spoken = squeeze(read_aloud(unfinished))
    assert all(spoken.count(squeeze(sentence)) == 2 for sentence in pull_sentences(markdown))
    assert "POLICYBRIEF" not in squeeze(artifact_text(unfinished, 2))


def test_control_without_the_finisher_headings_skip_a_level_and_outloud_says_so(tmp_path: Path) -> None:
    """The filter off (pandoc alone): the key learnings go from H2 to H4."""
    from weasyprint import HTML

    html = "<html lang='en'><body><h1>T</h1><h2>Key learnings</h2><h4>Item</h4><p>Text.</p></body></html>"
    path = tmp_path / "skip.pdf"
    path.write_bytes(HTML(string=html).render().write_pdf(pdf_variant="pdf/ua-1"))
    assert any("HEADING" in failure for failure in page_failures(path, "ua1"))
    assert "HDG-001" in {f.rule for f in outloud_findings(path)}


def test_control_untagged_pdf_fails_page_validation(unfinished: Path, tmp_path: Path) -> None:
    with pikepdf.open(unfinished) as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        pdf.save(tmp_path / "untagged.pdf")
    assert page_failures(tmp_path / "untagged.pdf", "ua1")


# ---- Unit tests on tiny inputs ----------------------------------------------------------------

TINY = """<html lang="en"><head><style>
@page { size: A6; margin: 20mm 10mm; @top-left { content: string(label); } @bottom-right { content: counter(page); } }
main { string-set: label "RUNNING LABEL"; }
.footnote { float: footnote; }
</style></head><body><main>
<h1>Title</h1>
<p>One sentence<span class="footnote">The note, see <a href="https://example.org">the site</a>.</span> and
<span lang="fr">une phrase</span>.</p>
<div class="copy" aria-hidden="true"><p>Shown twice</p></div>
<p style="break-before: page">Second page.</p>
</main></body></html>"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny document written and finished as the screen variant is."""
    return tiny_pdf(TINY, tmp_path_factory.mktemp("tiny") / "tiny.pdf")


def tiny_pdf(html: str, path: Path, edit=None) -> Path:
    """``html`` written and finished as the screen variant is; ``edit(pikepdf.Pdf)`` in between."""
    from weasyprint import HTML

    from pressroom.formats import FinishContext
    from pressroom.formats.pdfua import finish, tagging_hints

    with tagging_hints():
        data = HTML(string=html).render().write_pdf(pdf_variant="pdf/ua-1")
    if edit is not None:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            edit(pdf)
            output = io.BytesIO()
            pdf.save(output)
        data = output.getvalue()
    path.write_bytes(finish(data, FinishContext("tiny.md", "en", ROOT)))
    return path


def test_tiny_running_head_and_folio_are_artifacts_and_hidden_copy_is_not_read(tiny: Path) -> None:
    spoken = read_aloud(tiny, skip=())
    assert "RUNNING LABEL" not in spoken and "Shown twice" not in spoken
    assert "One sentence" in spoken and "Second page." in spoken
    assert "RUNNING LABEL" in artifact_text(tiny, 1) and "Shown twice" not in artifact_text(tiny, 0)


def test_tiny_hidden_copy_is_an_element_read_as_nothing_where_it_is_painted(tiny: Path) -> None:
    with pikepdf.open(tiny) as pdf:
        silent = [e for e in elements(pdf.Root.StructTreeRoot) if str(e.get("/ActualText", "-")) == ""]
        assert [str(e.S) for e in silent] == ["/Div"]
    assert any(silent is not None for _, _, silent in tree_mcids(tiny))  # its content is in the tree
    assert copies_out_of_place(tiny) == []


def test_control_a_positioned_copy_is_painted_out_of_its_place(tmp_path: Path) -> None:
    """WeasyPrint paints a positioned box after the page's text (the pull-quote's mark is not one)."""
    copy = '<div class="copy" aria-hidden="true"><p>Shown twice</p></div>'
    html = TINY.replace(copy, copy + "<p>Read after the copy.</p>")
    assert copies_out_of_place(tiny_pdf(html, tmp_path / "kept.pdf")) == []
    moved = html.replace('class="copy"', 'class="copy" style="position: relative"')
    assert copies_out_of_place(tiny_pdf(moved, tmp_path / "moved.pdf")) != []


def test_control_the_copy_as_an_artifact_is_prose_hidden_from_readers(tmp_path: Path) -> None:
    """The other way to read the copy as nothing, an /Artifact, is what outloud calls prose
    skipped by every reader (TAG-002)."""
    words = "a sentence of the body repeated in large type for the eye alone"
    html = TINY.replace("<p>Shown twice</p>", f"<p>{words}, {words}.</p>")

    def as_an_artifact(pdf: pikepdf.Pdf) -> None:
        """The copy out of the tree, its marked content (on the first page) an /Artifact."""
        copy = next(e for e in elements(pdf.Root.StructTreeRoot) if str(e.get("/ActualText", "-")) == "")
        copy.P.K = pikepdf.Array([kid for kid in copy.P.K if kid.objgen != copy.objgen])
        mcids = {int(kid) for e in [copy, *elements(copy)] for kid in e.K if isinstance(kid, int)}
        page = pdf.pages[0].obj.Contents
        page.write(re.sub(rb"/\w+\s*<</MCID (\d+)>>\s*BDC", lambda m: b"/Artifact BMC" if int(m.group(1)) in mcids
                          else m.group(0), page.read_bytes()))

    assert "TAG-002" not in {f.rule for f in outloud_findings(tiny_pdf(html, tmp_path / "kept.pdf"))}
    artifact = tiny_pdf(html, tmp_path / "artifact.pdf", edit=as_an_artifact)
    assert "repeated" in artifact_text(artifact, 0)
    assert "TAG-002" in {f.rule for f in outloud_findings(artifact)}


def test_tiny_language_note_and_link(tiny: Path) -> None:
    with pikepdf.open(tiny) as pdf:
        tree = list(elements(pdf.Root.StructTreeRoot))
        assert [str(e.Lang) for e in tree if "/Lang" in e] == ["fr"]
        notes = [e for e in tree if e.S == "/Note"]
        calls = [e for e in tree if e.S == "/Reference"]
        assert len(notes) == len(calls) == 1 and calls[0].Ref[0].ID == notes[0].ID
        assert notes[0].K[0].S == "/Lbl"  # the note's number
        assert not any("/PressroomNote" in e for e in tree)
        link = pdf.pages[0].obj.Annots[0]
        assert str(link.Contents) == "the site" and int(link.F) & 4


def test_tiny_text_is_held_by_its_element(tiny: Path) -> None:
    """A heading holds its text's marked content itself (WeasyPrint puts a /Span around it)."""
    with pikepdf.open(tiny) as pdf:
        heading = next(e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/H1")
        assert all(isinstance(kid, int) for kid in heading.K)


def test_tiny_without_hints_nothing_is_added(tmp_path: Path) -> None:
    """Control: WeasyPrint alone sets none of it."""
    from weasyprint import HTML

    path = tmp_path / "plain.pdf"
    path.write_bytes(HTML(string=TINY).render().write_pdf(pdf_variant="pdf/ua-1"))
    with pikepdf.open(path) as pdf:
        tree = list(elements(pdf.Root.StructTreeRoot))
        assert not any("/Lang" in e or e.S in ("/Note", "/Reference") for e in tree)
    assert "Shown twice" in read_aloud(path, skip=())
    assert pages_with_unclaimed_content(path) == [1, 2]  # the running head and the folio
    with pikepdf.open(path) as pdf:
        heading = next(e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/H1")
        assert [kid.S for kid in heading.K] == ["/Span"]


def test_no_stream_ends_with_a_carriage_return() -> None:
    from pressroom.formats.pdfua import _write_deflated

    data = next(d for k in range(100_000) if zlib.compress(d := f"q {k} Q\n".encode()).endswith(b"\r"))
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, b"")
    _write_deflated(stream, data)  # a content stream: a trailing newline more
    assert stream.read_bytes().rstrip(b"\n") == data.rstrip(b"\n") and not stream.read_raw_bytes().endswith(b"\r")
    _write_deflated(stream, data, content=False)  # other data: hex-encoded, unchanged
    assert stream.read_bytes() == data and not stream.read_raw_bytes().endswith(b"\r")


def test_finish_leaves_no_content_stream_ending_with_a_carriage_return_and_a_clean_file_as_it_is() -> None:
    from pressroom.formats import FinishContext
    from pressroom.formats.pdfua import finish

    data = next(d for k in range(100_000) if zlib.compress(d := f"q {k} Q\n".encode()).endswith(b"\r"))
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, zlib.compress(data),
                                                                 Filter=pikepdf.Name.FlateDecode))
    written = io.BytesIO()
    pdf.save(written)
    assert b"\r\nendstream" in written.getvalue()  # control: the file has such a stream
    context = FinishContext("x.md", "en", ROOT)
    finished = finish(written.getvalue(), context)
    assert b"\r\nendstream" not in finished
    with pikepdf.open(io.BytesIO(finished)) as result:
        assert result.pages[0].obj.Contents.read_bytes().rstrip(b"\n") == data.rstrip(b"\n")
    assert finish(finished, context) == finished


@pytest.mark.parametrize(("written", "given"), [
    ("# A\n\n### B\n\n### C\n\n#### D\n\n## E\n\n# F\n", [2, 3, 3, 4, 3, 2]),
    ("### A\n\n# B\n\n## C\n", [2, 2, 3]),
])
def test_heading_levels_are_never_skipped(written: str, given: list[int]) -> None:
    import subprocess

    from pressroom.convert.transform import FILTERS, pandoc_path

    html = subprocess.run([pandoc_path(), "--shift-heading-level-by=1", "--to", "html5", "--lua-filter",
                           str(FILTERS / "headings.lua")], input=written, capture_output=True, text=True,
                          check=True).stdout
    assert [int(level) for level in re.findall(r"<h(\d)", html)] == given


def test_css_string_is_safe_inside_a_style_element() -> None:
    from markupsafe import Markup

    from pressroom.convert.layout import css_string

    assert css_string('a "b" </style>') == '"a \\22 b\\22  \\3c /style\\3e "'
    assert css_string(Markup("NOTE D&#39;ORIENTATION")) == "\"NOTE D'ORIENTATION\""


def test_pull_quote_copy_is_hidden_and_has_no_link() -> None:
    import subprocess

    from pressroom.convert.transform import FILTERS, pandoc_path

    html = subprocess.run([pandoc_path(), "--to", "html5", "--lua-filter", str(FILTERS / "pull.lua")],
                          input="A [sentence with [a link](https://example.org)]{.pull} here.\n",
                          capture_output=True, text=True, check=True).stdout
    body, copy = html.split('<div class="pullquote from-text" aria-hidden="true">')
    assert "<a href" in body and "<a" not in copy and "sentence with a link" in copy
