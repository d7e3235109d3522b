"""Preflight of the print edition: what a printer checks before accepting a file.

Written next to the PDF as ``<slug>.preflight.txt``: PDF/X identification and output intent,
boxes, page count, fonts, colour spaces, the effective resolution of every raster image at its
printed size (from the layout, which knows each image's file), and the highest total ink coverage
(rendered in CMYK by Ghostscript). Errors stop the file from being written.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from pressroom.errors import ERROR, Problem, warning
from pressroom.formats.print import shading_is_rgb

if TYPE_CHECKING:
    from pressroom.formats import FinishContext

GOOD_DPI, LOWEST_DPI = 300, 150
INK_LIMIT = 300  # % total area coverage most presses accept
BLEED_MM = 3.0
INK_DPI = 50  # enough to find colour fields and photographs that carry too much ink
PT_MM = 25.4 / 72
CSS_PX_IN = 96


@dataclass(frozen=True)
class PlacedImage:
    src: str
    pixels: tuple[int, int]
    printed_mm: tuple[float, float]
    page: int

    @property
    def dpi(self) -> int:
        return round(min(self.pixels[0] / (self.printed_mm[0] / 25.4), self.pixels[1] / (self.printed_mm[1] / 25.4)))


@dataclass
class Findings:
    shown_as: str
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, hint: str) -> None:
        self.problems.append(Problem(self.shown_as, None, f"print: {message}", hint, ERROR))

    def warn(self, message: str, hint: str) -> None:
        self.problems.append(warning(self.shown_as, None, f"print: {message}", hint))


def preflight(data: bytes, document: Any, context: FinishContext) -> tuple[str, list[Problem]]:
    """The report's text and its findings (errors and warnings) for one print PDF."""
    found = Findings(context.shown_as)
    with InkCoverage(data) as ink:  # Ghostscript renders while the file is read here
        with pikepdf.open(io.BytesIO(data)) as pdf:
            check_identification(pdf, found)
            check_pages(pdf, found)
            check_fonts(pdf, found)
            check_colour_spaces(pdf, found)
        check_images(placed_images(document), found)
        check_ink(ink.result(), found)
    errors = sum(p.severity == ERROR for p in found.problems)
    summary = (f"{errors} error(s), {len(found.problems) - errors} warning(s); "
               + "; ".join(line.split(": ", 1)[1] for line in found.lines[:2]))
    body = [f"Preflight of the print edition of {context.shown_as}: {summary}", "", *found.lines]
    if found.problems:
        body += ["", "Findings:"] + [f"  {p.severity}: {p.message}" + (f" ({p.hint})" if p.hint else "")
                                     for p in found.problems]
    return "\n".join(body) + "\n", found.problems


def check_identification(pdf: pikepdf.Pdf, found: Findings) -> None:
    version = str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") or "")
    intents = [i for i in pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if not version.startswith("PDF/X-4"):
        found.error("no PDF/X-4 identification in the metadata", "build with the print output")
    if profile is None or int(profile.get("/N", 0)) != 4:
        found.error("no GTS_PDFX output intent with a CMYK ICC profile", "name a CMYK profile in brand.yaml print:")
    name = str(intents[0].get("/OutputConditionIdentifier", "")) if intents else "none"
    found.lines.append(f"PDF/X: {version or 'none'}, output intent {name}")


def check_pages(pdf: pikepdf.Pdf, found: Findings) -> None:
    count = len(pdf.pages)
    found.lines.append(f"Pages: {count} pages" + (" (a multiple of 4)" if count % 4 == 0 else ""))
    if count % 4:
        found.error(f"{count} pages: a saddle-stitched booklet needs a multiple of 4", "build with the print output")
    for number, page in enumerate(pdf.pages, start=1):
        boxes = {key: [float(v) for v in page.obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox")
                 if key in page.obj}
        if "/TrimBox" not in boxes or "/BleedBox" not in boxes:
            found.error(f"page {number} has no TrimBox or BleedBox", "build with the print output")
            return
        trim, bleed, media = boxes["/TrimBox"], boxes["/BleedBox"], boxes["/MediaBox"]
        margins = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
        if min(margins) * PT_MM < BLEED_MM - 0.01 or not _inside(bleed, media):
            found.error(f"page {number}: bleed of {min(margins) * PT_MM:.1f} mm, {BLEED_MM:g} mm needed",
                        "styles/variants/print.css sets @page { bleed: 3mm }")
    trim = [float(v) for v in pdf.pages[0].obj.TrimBox]
    media = [float(v) for v in pdf.pages[0].obj.MediaBox]
    found.lines.append(f"Boxes: trim {_mm(trim[2] - trim[0])} × {_mm(trim[3] - trim[1])} mm, bleed {BLEED_MM:g} mm "
                       f"each side, media {_mm(media[2] - media[0])} × {_mm(media[3] - media[1])} mm")


def _inside(inner: list[float], outer: list[float]) -> bool:
    return inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and \
        inner[2] <= outer[2] + 0.01 and inner[3] <= outer[3] + 0.01


def _mm(points: float) -> str:
    return f"{points * PT_MM:.1f}"


def _resources(pdf: pikepdf.Pdf):
    """Every resource dictionary in the file (pages, forms, tiling patterns), each once."""
    seen: set[tuple[int, int]] = set()
    pending = [page.obj for page in pdf.pages]
    while pending:
        owner = pending.pop()
        resources = owner.get("/Resources")
        if resources is None:
            continue
        yield owner, resources
        for child in [*(resources.get("/XObject") or {}).values(), *(resources.get("/Pattern") or {}).values()]:
            if child.get("/Subtype") != "/Image" and child.objgen not in seen:
                seen.add(child.objgen)
                pending.append(child)


def check_fonts(pdf: pikepdf.Pdf, found: Findings) -> None:
    fonts: dict[str, bool] = {}
    for _, resources in _resources(pdf):
        for font in (resources.get("/Font") or {}).values():
            fonts[str(font.get("/BaseFont", "Type3 font"))] = _embedded(font)
    missing = [name for name, embedded in fonts.items() if not embedded]
    for name in missing:
        found.error(f"font {name} is not embedded", "use the brand's fonts (installed by make)")
    found.lines.append(f"Fonts: {len(fonts)}, " + ("all embedded" if not missing else f"{len(missing)} not embedded")
                       + ": " + ", ".join(sorted(n.split("+")[-1].lstrip("/") for n in fonts)))


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


RGB_OPERATORS = {"rg", "RG"}


def colour_spaces(pdf: pikepdf.Pdf) -> set[str]:
    """The colour spaces the file paints with: operators, images and transparency groups."""
    spaces: set[str] = set()
    for owner, resources in _resources(pdf):
        for operands, operator in pikepdf.parse_content_stream(owner):
            name = str(operator)
            spaces |= {"DeviceRGB"} if name in RGB_OPERATORS else {"DeviceCMYK"} if name in ("k", "K") else set()
            spaces |= {"DeviceGray"} if name in ("g", "G") else set()
            if name in ("cs", "CS"):
                spaces.add(_space_name(resources.get("/ColorSpace", {}).get(str(operands[0]), operands[0])))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Image" and not xobject.get("/ImageMask", False):
                spaces.add(_space_name(xobject.get("/ColorSpace")) + " (image)")
        shadings = [*(resources.get("/Shading") or {}).values(),
                    *(p.Shading for p in (resources.get("/Pattern") or {}).values() if "/Shading" in p)]
        for shading in shadings:
            spaces.add(("DeviceRGB" if shading_is_rgb(shading) else _space_name(shading.get("/ColorSpace")))
                       + " (gradient)")
        group = owner.get("/Group")
        if group is not None and "/CS" in group:
            spaces.add(_space_name(group.CS) + " (transparency group)")
    return spaces


def _space_name(space: Any) -> str:
    if isinstance(space, pikepdf.Array):
        if space[0] == "/ICCBased":
            return {1: "ICC grey", 3: "ICC RGB", 4: "ICC CMYK"}.get(int(space[1].get("/N", 0)), "ICC")
        return str(space[0]).lstrip("/") + " " + _space_name(space[1]) if len(space) > 1 else str(space[0])
    return str(space).lstrip("/")


def check_colour_spaces(pdf: pikepdf.Pdf, found: Findings) -> None:
    spaces = colour_spaces(pdf)
    found.lines.append("Colour spaces: " + ", ".join(sorted(spaces)))
    rgb = sorted(s for s in spaces if "RGB" in s)
    if rgb:
        found.error(f"RGB colour left in the file: {', '.join(rgb)}", "build with the print output, which converts it")


def placed_images(document: Any) -> list[PlacedImage]:
    """Every raster image of the laid-out document, with its pixels and printed size."""
    placed = []
    for number, page in enumerate(document.pages, start=1):
        for box in _descendants(page._page_box):
            image = getattr(box, "replacement", None)
            if type(image).__name__ != "RasterImage" or not box.width or not box.height:
                continue
            src = box.element.get("src", "") if box.element is not None else ""
            printed = (box.width / CSS_PX_IN * 25.4, box.height / CSS_PX_IN * 25.4)
            placed.append(PlacedImage(src, (image.width, image.height), printed, number))
    return placed


def _descendants(box: Any):
    for child in getattr(box, "children", []):
        yield child
        yield from _descendants(child)


def check_images(images: list[PlacedImage], found: Findings) -> None:
    found.lines.append(f"Images: {len(images)} raster image(s)" + (", lowest "
                       f"{min(i.dpi for i in images)} dpi" if images else ""))
    for image in images:
        w, h = image.printed_mm
        found.lines.append(f"  {image.src}: {image.pixels[0]} × {image.pixels[1]} px printed at "
                           f"{w:.1f} × {h:.1f} mm on page {image.page}: {image.dpi} dpi")
        if image.dpi >= GOOD_DPI:
            continue
        needed = round(w / 25.4 * GOOD_DPI)
        message = f"image '{image.src}' is {image.dpi} dpi at its printed size (page {image.page})"
        hint = f"give it at least {needed} px across for {GOOD_DPI} dpi, or print it smaller"
        (found.error if image.dpi < LOWEST_DPI else found.warn)(message, hint)


def check_ink(coverage: list[int] | None, found: Findings) -> None:
    if coverage is None:
        found.error("Ghostscript (gs) is not installed: ink coverage not measured", "run make, which installs it")
        return
    page, highest = max(enumerate(coverage, start=1), key=lambda item: item[1])
    found.lines.append(f"Ink: highest total coverage {highest}% (page {page}), limit {INK_LIMIT}%")
    heavy = [str(number) for number, value in enumerate(coverage, start=1) if value > INK_LIMIT]
    if heavy:
        found.warn(f"up to {highest}% ink, more than {INK_LIMIT}%, on page{'s' if len(heavy) > 1 else ''} "
                   f"{', '.join(heavy)}", "lighten the colour's CMYK value in brand.yaml (print: colours:), "
                   "or ask the printer for their limit")


class InkCoverage:
    """The highest total of C+M+Y+K (in %) on each page, rendered by Ghostscript in CMYK with the
    file's own values (``-dUseFastColor``: device colours are not colour-managed), in the background.
    Only the bleed box is measured: crop marks outside it are in registration colour (every ink)."""

    def __init__(self, data: bytes):
        self._folder = tempfile.TemporaryDirectory(prefix="pressroom-ink-")
        folder = Path(self._folder.name)
        (folder / "in.pdf").write_bytes(data)
        gs = shutil.which("gs")
        self._process = None if gs is None else subprocess.Popen(
            [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseFastColor", "-dUseBleedBox", "-sDEVICE=tiff32nc",
             f"-r{INK_DPI}",
             f"-sOutputFile={folder}/%04d.tif", str(folder / "in.pdf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def result(self) -> list[int] | None:
        if self._process is None:
            return None
        _, errors = self._process.communicate()
        if self._process.returncode:
            raise RuntimeError(f"Ghostscript failed: {errors.decode(errors='replace')[:500]}")
        from PIL import Image, ImageMath

        totals = []
        for tif in sorted(Path(self._folder.name).glob("*.tif")):
            with Image.open(tif) as image:
                c, m, y, k = image.split()
                total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
                totals.append(round(total.getextrema()[1] * 100 / 255))
        return totals

    def __enter__(self) -> InkCoverage:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()
