"""What assistive technology gets from our PDFs: the validators' verdicts and the text the
structure tree reaches (what a screen reader reads, in its order)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
import pikepdf

# Structure types read apart from the running text: a note's call and the note itself.
NOTE_TYPES = ("/Reference", "/Note")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    evidence: str
    page: int | None  # from 1


def page_failures(path: Path, profile: str) -> list[str]:
    """page-validation's failed rules for ``profile`` ("ua1", "3a", ...), as 'RULE: message'."""
    import page

    report = page.validate_pdf(str(path), profile=profile)
    return [f"{failure.rule_id}: {failure.message}" for failure in report.failures]


@cache
def outloud_findings(path: Path) -> tuple[Finding, ...]:
    """outloud's errors and warnings for one file (its JSON report)."""
    command = shutil.which("outloud", path=str(Path(sys.executable).parent)) or "outloud"
    result = subprocess.run([command, "--json", "-", "--fail-on", "never", str(path)],
                            capture_output=True, text=True, check=True)
    report = json.loads(result.stdout)["results"][0]
    assert report["error"] is None, report["error"]
    return tuple(Finding(f["rule"], f["severity"], f["message"], f.get("evidence") or "", f.get("page"))
                 for f in report["findings"] if f["severity"] in ("error", "warning"))


@cache
def _chars_by_mcid(path: Path) -> dict[tuple[int, int | None], str]:
    """(page from 0, MCID or None) -> the characters painted with it (read once per file)."""
    texts: dict[tuple[int, int | None], str] = defaultdict(str)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for char in page.chars:
                texts[(number, char.get("mcid"))] += char["text"]
    return texts


def read_aloud(path: Path, skip: tuple[str, ...] = NOTE_TYPES) -> str:
    """The text the structure tree reaches, in tree order, leaving out the subtrees of ``skip``;
    an element's /ActualText is read instead of its content, as screen readers do."""
    texts = _chars_by_mcid(path)
    parts: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def walk(node: object, page: int | None) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid, page)
            elif isinstance(node, int):
                parts.append(texts.get((page, int(node)), ""))
            elif isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node:
                    page = pages[node.Pg.objgen]
                if "/ActualText" in node:  # read instead of what the element holds
                    parts.append(str(node.ActualText))
                elif node.get("/Type") == "/MCR":
                    parts.append(texts.get((page, int(node.MCID)), ""))
                elif "/S" in node and str(node.S) not in skip and "/K" in node:
                    walk(node.K, page)

        walk(pdf.Root.StructTreeRoot.K, None)
    return "".join(parts)


def artifact_text(path: Path, page_number: int) -> str:
    """Characters of one page (from 0) marked as artifacts (no MCID): not read at all."""
    return _chars_by_mcid(path).get((page_number, None), "")



def tree_mcids(path: Path) -> list[tuple[int, int, int | None]]:
    """(page from 0, MCID, silent) for every marked content the tree reaches, in tree order;
    ``silent`` numbers the outermost element read as nothing (an empty /ActualText) it is in."""
    out: list[tuple[int, int, int | None]] = []
    silent_count = 0
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def walk(node: object, page: int | None, silent: int | None) -> None:
            nonlocal silent_count
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid, page, silent)
            elif isinstance(node, int):
                out.append((page, int(node), silent))
            elif isinstance(node, pikepdf.Dictionary):
                page = pages[node.Pg.objgen] if "/Pg" in node else page
                if node.get("/Type") == "/MCR":
                    out.append((page, int(node.MCID), silent))
                elif "/S" in node and "/K" in node:
                    if silent is None and str(node.get("/ActualText", "-")) == "":
                        silent, silent_count = silent_count, silent_count + 1
                    walk(node.K, page, silent)

        walk(pdf.Root.StructTreeRoot.K, None, None)
    return out


def paint_order(path: Path, page_number: int) -> list[int]:
    """The MCIDs of one page (from 0) in the order its content stream paints them."""
    with pikepdf.open(path) as pdf:
        contents = pdf.pages[page_number].obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        data = b"".join(stream.read_bytes() for stream in streams)
    return [int(m) for m in re.findall(rb"/MCID\s+(\d+)\s*>>\s*BDC", data)]
