"""The print edition's finisher: a PDF/X-4 file in CMYK, with a page count a booklet can take.

WeasyPrint writes the brand colours as DeviceCMYK already (the ``cmyk`` palette gives the
stylesheets brand.yaml's CMYK values) and the output intent from ``styles/variants/print.css``.
What it leaves in RGB is converted here, after layout, in the one place that sees all of it:
colours written in the stylesheets by value (``white``, a rule's grey), the default colours, and
the fills of SVG drawings (wordmark, funders' logos, the footnote hairline), which WeasyPrint
draws as ``rg``/``RG`` operators. Rewriting the file's operators rather than each SVG before
rendering catches every source of RGB, including those no one thought of; a brand colour found
in an SVG gets brand.yaml's CMYK value exactly. Raster images are converted through the output
profile (:mod:`pressroom.formats.colour`).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from pressroom.errors import fail
from pressroom.formats.colour import Cmyk, Rgb, css_cmyk, hex_rgb, image_to_cmyk, to_cmyk
from pressroom.project.config import Project, load_project, output_profile

if TYPE_CHECKING:
    from pressroom.formats import FinishContext

BOOKLET = 4  # saddle stitching: sheets folded in two, printed both sides
MM = 72 / 25.4
MARK_GAP = 4 * MM  # crop marks start this far from the trim: beyond the 3 mm bleed
MARK_LENGTH = 6 * MM
MARK_MARGIN = 12 * MM  # paper around the trim when marks are drawn


def cmyk_palette(project: Project) -> dict[str, str]:
    """What ``var(--name)`` means in the print edition's stylesheets: brand.yaml's CMYK values,
    and ``--output-profile``, the printer's ICC profile (the output intent)."""
    settings = project.brand["print"]
    profile = output_profile(project.root, settings)
    if not profile.is_file():
        raise fail("brand.yaml", None, f"the default CMYK profile {profile} is not installed",
                   "run make (it installs ghostscript, whose libgs-common has it), or name the printer's "
                   "profile in brand.yaml (print: profile:)")
    palette = {name: css_cmyk(value) for name, value in settings["colours"].items()}
    palette["output-profile"] = profile.as_uri()
    return palette


def finish(data: bytes, context: FinishContext) -> bytes:
    project = load_project(context.root)
    settings = project.brand["print"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        converter = Converter(pdf, output_profile(project.root, settings), brand_cmyk(project))
        for page in pdf.pages:
            converter.convert_page(page)
        stable_document_id(pdf)
        pad_for_booklet(pdf)
        if settings["marks"]:
            for page in pdf.pages:
                add_crop_marks(pdf, page)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def brand_cmyk(project: Project) -> dict[tuple[int, int, int], Cmyk]:
    """Each brand colour's RGB (in 0-255 steps) -> its CMYK from brand.yaml."""
    colours, cmyk = project.brand["colours"], project.brand["print"]["colours"]
    return {_key(hex_rgb(value)): tuple(v / 100 for v in cmyk[name])  # type: ignore[misc]
            for name, value in colours.items() if name in cmyk}


def _key(rgb: Rgb) -> tuple[int, int, int]:
    return tuple(round(c * 255) for c in rgb)  # type: ignore[return-value]


@dataclass
class Converter:
    """Rewrites RGB in content streams, transparency groups and images into CMYK."""

    pdf: pikepdf.Pdf
    profile: Path
    known: dict[tuple[int, int, int], Cmyk]
    _done: set[tuple[int, int]] = field(default_factory=set)

    def cmyk(self, rgb: Rgb) -> Cmyk:
        return self.known.get(_key(rgb)) or to_cmyk(rgb, self.profile)

    def convert_page(self, page: pikepdf.Page) -> None:
        self._convert_group(page.obj)
        new = self._instructions(pikepdf.parse_content_stream(page))
        if new is not None:
            page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(new))
        self._convert_resources(page.obj.get("/Resources"))

    def _convert_resources(self, resources: Any) -> None:
        if resources is None:
            return
        for xobject in (resources.get("/XObject") or {}).values():
            self._convert_xobject(xobject)
        for pattern in (resources.get("/Pattern") or {}).values():
            if pattern.get("/PatternType") == 1:
                self._convert_form(pattern)
            elif "/Shading" in pattern:
                self._convert_shading(pattern.Shading)
        for shading in (resources.get("/Shading") or {}).values():
            self._convert_shading(shading)
        for state in (resources.get("/ExtGState") or {}).values():
            mask = state.get("/SMask")
            if isinstance(mask, Dictionary) and "/G" in mask:
                self._convert_form(mask.G)

    def _convert_xobject(self, xobject: Any) -> None:
        if xobject.get("/Subtype") == "/Image":
            self._convert_image(xobject)
        elif xobject.get("/Subtype") == "/Form":
            self._convert_form(xobject)

    def _first_visit(self, obj: Any) -> bool:
        if obj.objgen in self._done:
            return False
        if obj.objgen != (0, 0):
            self._done.add(obj.objgen)
        return True

    def _convert_form(self, form: Any) -> None:
        if not self._first_visit(form):
            return
        self._convert_group(form)
        new = self._instructions(pikepdf.parse_content_stream(form))
        if new is not None:
            form.write(pikepdf.unparse_content_stream(new))
        self._convert_resources(form.get("/Resources"))

    @staticmethod
    def _convert_group(obj: Any) -> None:
        group = obj.get("/Group")
        if isinstance(group, Dictionary) and group.get("/CS") == "/DeviceRGB":
            group.CS = Name.DeviceCMYK

    def _instructions(self, instructions: list) -> list | None:
        """The instructions with every RGB colour operator in CMYK, or None if there was none."""
        out, changed = [], False
        for operands, operator in instructions:
            name = str(operator)
            if name in ("rg", "RG"):
                cmyk = self.cmyk(tuple(float(v) for v in operands))  # type: ignore[arg-type]
                out.append(([*cmyk], Operator("k" if name == "rg" else "K")))
                changed = True
            else:
                out.append((operands, operator))
        return out if changed else None

    def _convert_shading(self, shading: Any) -> None:
        """A gradient's RGB end colours in CMYK. (WeasyPrint 70 declares its gradients in the output
        intent's space, DeviceCMYK, but still gives them RGB colours: three values, not four.)"""
        if not self._first_visit(shading) or not shading_is_rgb(shading):
            return
        for function in _exponential_functions(shading.Function):
            for key in ("/C0", "/C1"):
                function[key] = Array(self.cmyk(tuple(float(v) for v in function[key])))  # type: ignore[arg-type]
        shading.ColorSpace = Name.DeviceCMYK

    def _convert_image(self, image: Any) -> None:
        if not self._first_visit(image) or not _is_rgb(image.get("/ColorSpace")):
            return
        pillow = pikepdf.PdfImage(image).as_pil_image()
        cmyk = image_to_cmyk(pillow, self.profile)
        image.write(zlib.compress(cmyk.tobytes(), 6), filter=Name.FlateDecode)
        image.ColorSpace = Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/DecodeParms", "/Decode"):
            if key in image:
                del image[key]


def shading_is_rgb(shading: Any) -> bool:
    """An RGB shading: in DeviceRGB, or with colours of three components whatever it declares."""
    if _is_rgb(shading.get("/ColorSpace")):
        return True
    functions = _exponential_functions(shading.get("/Function"))
    return any(len(function.get("/C0", ())) == 3 for function in functions)


def _exponential_functions(function: Any) -> list:
    """The type 2 (exponential) functions of a gradient: itself, or the parts of a type 3 (stitching)."""
    if function is None or isinstance(function, Array):
        return []
    if function.get("/FunctionType") == 3:
        return [part for part in function.Functions if part.get("/FunctionType") == 2]
    return [function] if function.get("/FunctionType") == 2 else []


def _is_rgb(space: Any) -> bool:
    """DeviceRGB, an RGB ICC profile, or a palette of RGB colours."""
    if space == "/DeviceRGB":
        return True
    if isinstance(space, Array) and len(space) > 1:
        if space[0] == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if space[0] == "/Indexed":
            return _is_rgb(space[1])
    return False


def stable_document_id(pdf: pikepdf.Pdf) -> None:
    """The XMP DocumentID PDF/X-4 asks for, from the file's identifier (itself from the document)
    instead of WeasyPrint's random one: the same sources give the same bytes."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None or "/ID" not in pdf.trailer:
        return
    digest = hashlib.sha256(bytes(pdf.trailer.ID[0])).digest()[:16]
    text = re.sub(rb"xmp\.did:[0-9a-f-]{36}", b"xmp.did:" + str(uuid.UUID(bytes=digest)).encode(),
                  metadata.read_bytes())
    metadata.write(text)


def pad_for_booklet(pdf: pikepdf.Pdf) -> int:
    """Blank pages before the back cover up to a multiple of :data:`BOOKLET`; how many were added."""
    missing = -len(pdf.pages) % BOOKLET
    last = pdf.pages[-1]
    for _ in range(missing):
        blank = Dictionary(Type=Name.Page, Resources=Dictionary(),
                           **{key[1:]: last.obj[key] for key in ("/MediaBox", "/BleedBox", "/TrimBox")
                              if key in last.obj})
        pdf.pages.insert(len(pdf.pages) - 1, pikepdf.Page(pdf.make_indirect(blank)))
    return missing


def add_crop_marks(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Trim marks at the four corners, from beyond the bleed outwards; the paper grows to hold them."""
    x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
    page.obj.MediaBox = Array([x0 - MARK_MARGIN, y0 - MARK_MARGIN, x1 + MARK_MARGIN, y1 + MARK_MARGIN])
    near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append(f"{x + sx * near:.2f} {y:.2f} m {x + sx * far:.2f} {y:.2f} l S")
            lines.append(f"{x:.2f} {y + sy * near:.2f} m {x:.2f} {y + sy * far:.2f} l S")
    # Registration colour (every ink), as printers expect of marks.
    marks = "q 0.25 w 1 1 1 1 K " + " ".join(lines) + " Q"
    page.contents_add(pdf.make_stream(marks.encode()), prepend=False)
