"""The print edition: PDF/X-4 in CMYK with a 3 mm bleed, a booklet's page count and a preflight report."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import ROOT, make_project, quiet, write
from PIL import Image

from pressroom import BuildError, build
from pressroom.formats.print import add_crop_marks, pad_for_booklet
from pressroom.project.config import load_project

MM = 72 / 25.4
SAMPLES = [ROOT / "content" / "law-reform-progress" / "en.md", ROOT / "content" / "amnesty-policy-engagement" / "en.md"]
FIXTURES = {"outside-brief": "harm-reduction-funding", "outside-case-study": None}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled brief and case study, print and screen editions, built in one run."""
    out = tmp_path_factory.mktemp("print-build")
    report = build(ROOT, sources=SAMPLES, build_dir=out, say=quiet, outputs=["print", "screen"])
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return {"brief": out / "print/en/law-reform-progress.pdf",
            "case-study": out / "print/en/amnesty-policy-engagement.pdf",
            "screen": out / "en/law-reform-progress.pdf"}


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Publications written by someone else (tests/fixtures), built as print editions with no change."""
    built = []
    for name in FIXTURES:
        fixture = ROOT / "tests" / "fixtures" / name
        project = make_project(tmp_path_factory.mktemp(name) / "project", bib=fixture / "references.bib")
        shutil.copytree(fixture / "content", project / "content", dirs_exist_ok=True)
        report = build(project, say=quiet, outputs=["print"])
        assert report.ok and not report.warnings, (report.failed, report.warnings)
        built += report.built
    return built


# ---- What a printer checks, read back with pikepdf -------------------------------------------

def rgb_in(path: Path) -> list[str]:
    """Every RGB colour operator, RGB image or RGB transparency group in the file."""
    found = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            found += [f"page {number}: {op}" for _, op in pikepdf.parse_content_stream(page)
                      if str(op) in ("rg", "RG")]
            found += [f"page {number}: {item}" for item in _rgb_in_resources(page.obj, set())]
    return found


def _rgb_in_resources(owner, seen: set) -> list[str]:
    found = []
    group = owner.get("/Group")
    if group is not None and group.get("/CS") == "/DeviceRGB":
        found.append("RGB transparency group")
    resources = owner.get("/Resources") or {}
    shadings = [*(resources.get("/Shading") or {}).items(),
                *((name, p.Shading) for name, p in (resources.get("/Pattern") or {}).items() if "/Shading" in p)]
    for name, shading in shadings:
        function = shading.Function
        parts = list(function.Functions) if "/Functions" in function else [function]
        if shading.ColorSpace == "/DeviceRGB" or any(len(part.get("/C0", [])) == 3 for part in parts):
            found.append(f"RGB gradient {name}")
    tiles = [(name, p) for name, p in (resources.get("/Pattern") or {}).items() if p.PatternType == 1]
    for name, xobject in [*(resources.get("/XObject") or {}).items(), *tiles]:
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == "/Image":
            space = xobject.get("/ColorSpace")
            if space == "/DeviceRGB" or (isinstance(space, pikepdf.Array) and space[0] == "/ICCBased"
                                         and space[1].N == 3):
                found.append(f"RGB image {name}")
        else:
            found += [f"{name}: {op}" for _, op in pikepdf.parse_content_stream(xobject) if str(op) in ("rg", "RG")]
            found += _rgb_in_resources(xobject, seen)
    return found


def check_print_pdf(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            assert [round(trim[2] - trim[0]), round(trim[3] - trim[1])] == [595, 842]  # A4
            assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == [-8.5, -8.5, 8.5, 8.5]  # 3 mm
            assert media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3]
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
        assert intents[0].DestOutputProfile.N == 4 and len(intents[0].DestOutputProfile.read_bytes()) > 1000
        assert pdf.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert len(pdf.pages) % 4 == 0
        assert pdf.pages[0].TrimBox is not None
    assert rgb_in(path) == []
    texts = _texts(path)
    assert "Queen Charlotte Lane" in texts[-1], "the back cover stays last"
    assert_safe_zone(path)


def _texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def assert_safe_zone(path: Path) -> None:
    """No character within 5 mm of the trim."""
    with pikepdf.open(path) as pdf:
        offset = float(pdf.pages[0].TrimBox[0]) - float(pdf.pages[0].MediaBox[0])
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            width, height = page.width - 2 * offset, page.height - 2 * offset
            for char in page.chars:
                x0, x1 = char["x0"] - offset, char["x1"] - offset
                top, bottom = char["top"] - offset, char["bottom"] - offset
                assert min(x0, top, width - x1, height - bottom) >= 5 * MM - 0.5, (number, char["text"], x0, top)


def test_samples_are_print_ready(samples):
    for kind in ("brief", "case-study"):
        check_print_pdf(samples[kind])


def body_text_colours(path: Path) -> set:
    """The colours of the body text (Noto Serif at 10.5 pt) of the first inner pages."""
    with pdfplumber.open(path) as pdf:
        return {tuple(c["non_stroking_color"]) for page in pdf.pages[1:4] for c in page.chars
                if c["fontname"].endswith("Noto-Serif") and abs(c["size"] - 10.5) < 0.05}


def test_black_text_is_pure_k(samples):
    assert body_text_colours(samples["brief"]) == {(0, 0, 0, 1)}
    assert len(next(iter(body_text_colours(samples["screen"])))) == 3  # control: the screen edition is RGB


def test_the_checks_can_fail_on_the_screen_edition(samples):
    """Control: the screen PDF is RGB, has no bleed and no PDF/X output intent."""
    assert rgb_in(samples["screen"])
    with pytest.raises((AssertionError, AttributeError, KeyError)):
        check_print_pdf(samples["screen"])


def test_pages_are_padded_before_the_back_cover(samples):
    screen, printed = _texts(samples["screen"]), _texts(samples["brief"])
    assert len(printed) % 4 == 0 and len(screen) % 4 != 0, "the sample must need padding to test it"
    blanks = len(printed) - len(screen)
    assert 0 < blanks < 4
    assert printed[-1 - blanks:-1] == [""] * blanks, "blank pages before the back cover"
    assert printed[:len(screen) - 1] and printed[-1] == screen[-1]


def edge_pixels(path: Path, page: int, tmp: Path) -> tuple[set, tuple]:
    """The colours along the paper's edge (bleed included) of ``page``, and the colour of its middle."""
    subprocess.run(["pdftoppm", "-r", "36", "-f", str(page), "-l", str(page), "-png", str(path), str(tmp / "p")],
                   check=True)
    image = Image.open(next(tmp.glob("p*.png"))).convert("RGB")
    w, h = image.size
    # The outermost whole pixels (the last row and column may be cut by the paper's edge).
    edge = {image.getpixel((x, h - 2)) for x in range(w - 1)}
    edge |= {image.getpixel((x, y)) for x in (0, w - 2) for y in range(h // 2, h - 1)}
    return edge, image.getpixel((w // 2, h * 3 // 4))


def test_the_cover_colour_reaches_the_edge_of_the_bleed(samples, tmp_path):
    edge, field = edge_pixels(samples["brief"], 1, tmp_path)
    assert field[0] > 150 and field[1] < 60, field  # the brand red
    assert edge == {field}
    (tmp_path / "inner").mkdir()
    inner, _ = edge_pixels(samples["brief"], 3, tmp_path / "inner")  # control: an inner page's edge is paper
    assert inner == {(255, 255, 255)}


def test_preflight_report_is_written_and_clean(samples):
    report = samples["brief"].with_name("law-reform-progress.preflight.txt").read_text()
    assert "0 error(s), 0 warning(s)" in report.splitlines()[0]
    for expected in ("PDF/X-4", "all embedded", "Colour spaces: DeviceCMYK", "trim 210.0 × 297.0 mm",
                     "bleed 3 mm", "a multiple of 4", "Ink: highest total coverage"):
        assert expected in report, expected
    assert "RGB" not in report


def test_outside_publications_are_print_ready_with_notes_on_their_pages(outside):
    from pdfcheck import footnotes

    assert len(outside) == 2
    for path in outside:
        check_print_pdf(path)
        calls, notes = footnotes(path)
        assert calls and {n: calls[n] for n in calls} == {n: notes.get(n) for n in calls}, path


GRADIENTS = """<html><head><link rel="stylesheet" href="styles/variants/print.css">
<meta name="dcterms.created" content="2025-06-01T00:00:00Z">
<meta name="dcterms.modified" content="2025-06-01T00:00:00Z">
</head><body>
<div style="height: 20mm; background: linear-gradient(to right, #3377cc, #ffcc00)"></div>
<div style="height: 20mm; background: linear-gradient(to right, rgba(0, 0, 255, 0.5), #ff0000, #00ff00)"></div>
<svg width="100" height="50"><defs><linearGradient id="g"><stop offset="0" stop-color="#00ff00"/>
<stop offset="1" stop-color="#0000ff"/></linearGradient></defs><rect width="100" height="50" fill="url(#g)"/>
<circle cx="20" cy="20" r="10" fill="#22aa44" stroke="rgb(200, 10, 10)"/></svg>
<p style="opacity: 0.5; color: #3377cc; border-bottom: 1pt solid teal">Half</p></body></html>"""


def test_gradients_svg_fills_and_stylesheet_colours_end_up_cmyk(tmp_path):
    from pressroom.formats import PALETTES, VARIANTS
    from pressroom.formats.render import Renderer

    palette = PALETTES["cmyk"](load_project(ROOT))
    printed = Renderer(ROOT).render(GRADIENTS, "gradients.html", VARIANTS["print"], palette)
    raw = Renderer(ROOT).render(GRADIENTS, "gradients.html", replace(VARIANTS["print"], finishers=()), palette)
    (tmp_path / "printed.pdf").write_bytes(printed)
    (tmp_path / "raw.pdf").write_bytes(raw)
    assert rgb_in(tmp_path / "printed.pdf") == []
    again = Renderer(ROOT).render(GRADIENTS, "gradients.html", VARIANTS["print"], palette)
    assert again == printed, "the same sources give the same bytes (no random XMP DocumentID)"
    unfinished = rgb_in(tmp_path / "raw.pdf")  # control: what WeasyPrint writes before the finisher
    assert any("gradient" in item for item in unfinished) and any("rg" in item for item in unfinished), unfinished


# ---- Images: converted to CMYK, their resolution checked at the printed size ------------------

BRIEF = """
---
type: policy-brief
title: "A Short Brief:"
date: 2025-06
---

# Introduction

Belgium decriminalised sex work in 2022.

![A photograph of a march](images/march.png)
"""


def image_project(project: Path, width: int) -> Path:
    write(project, "content/short/en.md", BRIEF)
    (project / "content/short/images").mkdir()
    Image.new("RGB", (width, width // 2), (40, 120, 200)).save(project / "content/short/images/march.png")
    return project


def test_low_resolution_image_gives_a_warning_naming_it_and_the_image_is_cmyk(project):
    report = build(image_project(project, 1200), say=quiet, outputs=["print"])  # ~200 dpi over 154 mm
    assert report.ok
    messages = [str(p) for p in report.warnings]
    assert len(messages) == 1 and "march.png" in messages[0] and " dpi" in messages[0], messages
    dpi = int(messages[0].split(" dpi")[0].rsplit(" ", 1)[-1])
    assert 190 <= dpi <= 210
    pdf_path = report.built[0]
    assert rgb_in(pdf_path) == []
    with pikepdf.open(pdf_path) as pdf:
        images = list({x.objgen: x for page in pdf.pages
                       for x in page.obj.Resources.get("/XObject", {}).values() if x.Subtype == "/Image"}.values())
        assert [str(x.ColorSpace) for x in images] == ["/DeviceCMYK"]
        c, m, y, k = pikepdf.PdfImage(images[0]).as_pil_image().getpixel((5, 5))
        assert c > m > y, (c, m, y, k)  # the blue is still a blue
    assert f"{dpi} dpi" in pdf_path.with_name("short.preflight.txt").read_text()


def test_a_sharp_image_gives_no_warning(project):
    report = build(image_project(project, 2000), say=quiet, outputs=["print"])  # ~330 dpi
    assert report.ok and not report.warnings, report.warnings


def test_a_very_low_resolution_image_fails_the_print_edition(project):
    report = build(image_project(project, 500), say=quiet, outputs=["print"])  # ~80 dpi
    assert not report.built
    assert len(report.failed) == 1 and "march.png" in str(report.failed[0]), report.failed
    assert "px across" in report.failed[0].hint
    assert not (project / "build/print/en/short.pdf").exists()
    assert "error" in (project / "build/print/en/short.preflight.txt").read_text()


def test_the_printers_profile_is_the_output_intent_and_heavy_ink_is_reported(project):
    """brand.yaml names the printer's profile; a colour of 350% ink gives the ink warning, naming the pages;
    crop marks (registration colour, 400%) are drawn outside the bleed and not counted as ink."""
    (project / "styles/print").mkdir()
    shutil.copy("/usr/share/color/icc/ghostscript/ps_cmyk.icc", project / "styles/print/printer.icc")
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace("primary: [20, 100, 87, 15]", "primary: [100, 100, 100, 50]")
                     .replace("  marks: false", "  marks: true\n  profile: styles/print/printer.icc"))
    write(project, "content/short/en.md", BRIEF.replace("![A photograph of a march](images/march.png)", ""))
    report = build(project, say=quiet, outputs=["print"])
    assert report.ok
    [ink] = [p.message for p in report.warnings]
    assert ink.startswith("print: up to 350% ink, more than 300%, on pages 1, 2"), ink
    with pikepdf.open(report.built[0]) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.DestOutputProfile.read_bytes() == (project / "styles/print/printer.icc").read_bytes()
        assert str(intent.OutputConditionIdentifier) == "Artifex PS CMYK Profile"  # not the default SWOP
        media, bleed = ([float(v) for v in pdf.pages[0][key]] for key in ("/MediaBox", "/BleedBox"))
        assert round(bleed[0] - media[0], 1) == round(9 * MM, 1)  # paper for the marks beyond the bleed


def test_a_profile_that_is_not_cmyk_is_refused(project):
    shutil.copy("/usr/share/color/icc/ghostscript/srgb.icc", project / "styles/screen.icc")
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace("  marks: false", "  marks: false\n  profile: styles/screen.icc"))
    with pytest.raises(BuildError) as caught:
        load_project(project)
    assert "'print.profile'" in str(caught.value) and "not a CMYK ICC profile" in str(caught.value)


# ---- brand.yaml: CMYK values --------------------------------------------------------------------

def test_a_missing_cmyk_value_names_the_colour_and_suggests_one(project):
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace("    primary: [20, 100, 87, 15]\n", ""))
    with pytest.raises(BuildError) as caught:
        load_project(project)
    [problem] = caught.value.problems
    assert "'primary'" in problem.message and str(problem).startswith("brand.yaml:")
    assert "primary: [20, 100, 87, 15]" in problem.hint  # computed from #b0173a through the profile


def test_a_bad_cmyk_value_is_reported(project):
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace("ink: [0, 0, 0, 100]", "ink: [0, 0, 100]"))
    with pytest.raises(BuildError) as caught:
        load_project(project)
    assert "print.colours.ink" in str(caught.value) and "[C, M, Y, K]" in str(caught.value)


# ---- Booklet padding and crop marks on small files ----------------------------------------------

def small_pdf(pages: int) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for number in range(pages):
        pdf.add_blank_page(page_size=(595.28, 841.89))
        page = pdf.pages[-1]
        page.obj.TrimBox = pikepdf.Array([0, 0, 595.28, 841.89])
        page.obj.BleedBox = page.obj.MediaBox = pikepdf.Array([-8.5, -8.5, 603.78, 850.39])
        page.obj.Contents = pdf.make_stream(f"BT ({number}) Tj ET".encode())
    return pdf


@pytest.mark.parametrize(("pages", "added"), [(4, 0), (5, 3), (6, 2), (7, 1), (8, 0)])
def test_padding_to_a_multiple_of_four_keeps_the_last_page_last(pages, added):
    pdf = small_pdf(pages)
    assert pad_for_booklet(pdf) == added
    assert len(pdf.pages) % 4 == 0
    assert f"({pages - 1})".encode() in pdf.pages[-1].Contents.read_bytes()
    assert all("/Contents" not in page.obj for page in pdf.pages[pages - 1:-1])


def test_crop_marks_are_drawn_outside_the_bleed():
    pdf = small_pdf(1)
    add_crop_marks(pdf, pdf.pages[0])
    media = [float(v) for v in pdf.pages[0].MediaBox]
    assert media[0] < -8.5 - 6 * MM
    buffer = io.BytesIO()
    pdf.save(buffer)
    points = []
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as again:
        for operands, op in pikepdf.parse_content_stream(again.pages[0]):
            if str(op) in ("m", "l"):
                points.append([float(v) for v in operands])
    assert len(points) == 16
    for x, y in points:  # every end of every mark: outside the bleed box, inside the paper
        assert not (-8.5 < x < 603.78 and -8.5 < y < 850.39), (x, y)
        assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
