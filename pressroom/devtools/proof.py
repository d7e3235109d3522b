"""``make proof``: every page of every built PDF as a PNG, plus one contact sheet per PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pressroom.errors import fail

RESOLUTION = 60  # dpi: an A4 page is about 500 x 700 pixels
PER_ROW = 4


def proof(root: Path, build_dir: Path | None = None) -> int:
    build_dir = build_dir or root / "build"
    if shutil.which("pdftoppm") is None:
        raise fail("pdftoppm", None, "not installed", "run 'make' (it installs poppler-utils)")
    # Every edition: build/<lang>/ and each variant's folder (build/print/<lang>/, proofed with its bleed).
    pdfs = sorted(p for p in build_dir.glob("**/*.pdf") if p.relative_to(build_dir).parts[0] != "proof")
    if not pdfs:
        raise fail(build_dir, None, "no PDF to proof", "run 'make' first")
    for pdf in pdfs:
        folder = build_dir / "proof" / pdf.parent.relative_to(build_dir) / pdf.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", str(pdf), str(folder / "page")], check=True)
        sheet = contact_sheet(sorted(folder.glob("page-*.png")), folder.with_suffix(".png"))
        print(f"{sheet.relative_to(root) if sheet.is_relative_to(root) else sheet}", file=sys.stderr)
    return 0


def contact_sheet(pages: list[Path], target: Path) -> Path:
    """All pages of one PDF side by side, as a designer would spread proofs on a table."""
    from PIL import Image

    images = [Image.open(p) for p in pages]
    width, height = max(i.width for i in images), max(i.height for i in images)
    gap = 12
    rows = (len(images) + PER_ROW - 1) // PER_ROW
    sheet = Image.new("RGB", (PER_ROW * (width + gap) + gap, rows * (height + gap) + gap), "#8a8a8a")
    for index, image in enumerate(images):
        row, column = divmod(index, PER_ROW)
        sheet.paste(image, (gap + column * (width + gap), gap + row * (height + gap)))
    sheet.save(target)
    return target
