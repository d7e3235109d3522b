"""Reading our PDFs back the way a reader sees them (pdfplumber, pypdf)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pdfplumber

CALL_SIZE = 6.6  # ::footnote-call in styles/base.css
MARKER_SIZE = 8.0  # ::footnote-marker
PRIMARY = (0.690196, 0.090196, 0.227451)  # brand.yaml colours.primary; list markers are drawn in it


def _numbers(chars: list[dict], size: float) -> list[tuple[int, float]]:
    """Runs of bold sans digits of one size on one line -> (number, x of its first digit)."""
    digits = sorted((c for c in chars if c["text"].isdigit() and abs(c["size"] - size) < 0.05
                     and "Sans-Bold" in c["fontname"]), key=lambda c: (round(c["top"]), c["x0"]))
    found: list[tuple[int, float]] = []
    run: list[dict] = []
    for char in digits:
        if run and (abs(char["top"] - run[-1]["top"]) > 0.5 or char["x0"] - run[-1]["x1"] > 0.8):
            found.append((int("".join(c["text"] for c in run)), run[0]["x0"]))
            run = []
        run.append(char)
    if run:
        found.append((int("".join(c["text"] for c in run)), run[0]["x0"]))
    return found


def footnotes(pdf_path: Path) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """(page numbers of each footnote call, page numbers of each printed note), pages from 1."""
    calls: dict[int, list[int]] = defaultdict(list)
    notes: dict[int, list[int]] = defaultdict(list)
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for value, _ in _numbers(page.chars, CALL_SIZE):
                calls[value].append(number)
            for value, _ in _numbers(page.chars, MARKER_SIZE):
                notes[value].append(number)
    return dict(calls), dict(notes)


def _not_a_call(obj: dict) -> bool:
    return not (obj.get("object_type") == "char" and abs(obj.get("size", 0) - CALL_SIZE) < 0.05)


def _in_text_flow(page) -> object:
    """Keep what the body says; drop running heads, folios, the spine, footnotes and their calls."""
    top, bottom = 22 * 72 / 25.4, page.height - 24 * 72 / 25.4

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        list_marker = obj["non_stroking_color"] == PRIMARY and "Bold" not in obj["fontname"]
        return (_not_a_call(obj) and obj["upright"] and top < obj["top"] and obj["bottom"] < bottom
                and abs(obj["size"] - MARKER_SIZE) > 0.05 and obj["size"] > 7.9 and not list_marker)

    return keep


def page_texts(pdf_path: Path, body_only: bool = False) -> list[str]:
    """Text of each page in reading order (column by column, as drawn), without footnote calls;
    ``body_only`` also drops page furniture and footnotes, so paragraphs run on across pages."""
    with pdfplumber.open(pdf_path) as pdf:
        return [page.filter(_in_text_flow(page) if body_only else _not_a_call).extract_text(use_text_flow=True)
                or "" for page in pdf.pages]


def squeeze(text: str) -> str:
    """Text without hyphens, spaces and quotes: line breaks and hyphenation no longer matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011\u2013\u2014'\u2018\u2019\"\u201c\u201d]", "", text)


def pull_sentences(markdown: str) -> list[str]:
    return [re.sub(r"[*_]", "", m) for m in re.findall(r"\[([^\]]+)\]\{\.pull\}", markdown)]
