"""Reading our PDFs back the way a reader sees them (pdfplumber, pypdf)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from pathlib import Path

import pdfplumber

CALL_SIZE = 6.6  # ::footnote-call in styles/base.css
MARKER_SIZE = 8.0  # ::footnote-marker
PRIMARY = (0.690196, 0.090196, 0.227451)  # brand.yaml colours.primary; list markers are drawn in it


@functools.lru_cache(maxsize=4)
def page_chars(pdf_path: Path) -> tuple[tuple[dict, ...], ...]:
    """The characters of each page, read once per file (a long PDF takes pdfplumber a while)."""
    with pdfplumber.open(pdf_path) as pdf:
        return tuple(tuple(page.chars) for page in pdf.pages)


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
    for number, chars in enumerate(page_chars(pdf_path), start=1):
        for value, _ in _numbers(list(chars), CALL_SIZE):
            calls[value].append(number)
        for value, _ in _numbers(list(chars), MARKER_SIZE):
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


def _call_runs(chars: list[dict]) -> list[list[dict]]:
    """The characters of each footnote call (bold sans digits of the call's size), one list per call."""
    digits = sorted((c for c in chars if c["text"].isdigit() and abs(c["size"] - CALL_SIZE) < 0.05
                     and "Sans-Bold" in c["fontname"]), key=lambda c: (round(c["top"]), c["x0"]))
    runs: list[list[dict]] = []
    for char in digits:
        if runs and abs(char["top"] - runs[-1][-1]["top"]) <= 0.5 and char["x0"] - runs[-1][-1]["x1"] <= 0.8:
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def calls_at_line_start(pdf_path: Path) -> list[tuple[int, int]]:
    """(page, note number) of every call with no character left of it on its line: a call cut off from
    the word it belongs to. The call's line: the text whose height spans the foot of its raised digits."""
    found = []
    for number, chars in enumerate(page_chars(pdf_path), start=1):
        text = [c for c in chars if c["text"].strip() and _not_a_call(c) and c["size"] > CALL_SIZE + 0.1]
        for run in _call_runs(list(chars)):
            first = run[0]
            line = [c for c in text if c["top"] < first["bottom"] < c["bottom"]]
            if line and not any(c["x1"] <= first["x0"] + 0.5 for c in line):
                found.append((number, int("".join(c["text"] for c in run))))
    return found


def lines_starting_with(pdf_path: Path, characters: str) -> list[tuple[int, str]]:
    """(page, line) of every line of text (calls left out) whose first character is one of ``characters``."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for line in page.filter(_not_a_call).extract_text_lines():
                text = line["text"].lstrip()
                if text and text[0] in characters:
                    found.append((number, text))
    return found


def marker_gaps(pdf_path: Path) -> dict[int, float]:
    """For each note marker ("12."): the space in pt between its full stop and the note's first
    character on the same line (negative when the text is drawn over the marker)."""
    gaps: dict[int, float] = {}
    for chars in page_chars(pdf_path):
        small = sorted((c for c in chars if c["text"].strip() and abs(c["size"] - MARKER_SIZE) < 0.05),
                       key=lambda c: (round(c["top"]), c["x0"]))
        for index, char in enumerate(small[:-1]):
            digits = "".join(c["text"] for c in small[max(0, index - 4):index]
                             if "Sans-Bold" in c["fontname"] and abs(c["top"] - char["top"]) < 0.5)
            if char["text"] == "." and "Sans-Bold" in char["fontname"] and digits.isdigit():
                following = small[index + 1]
                if abs(following["top"] - char["top"]) < 1:
                    gaps[int(digits)] = following["x0"] - char["x1"]
    return gaps


# The text block of a policy-brief page (styles/policy-brief.css: @page margin 25mm, 28mm at the foot).
TEXT_TOP, TEXT_BOTTOM_MARGIN, A4_HEIGHT = 25 * 72 / 25.4, 28 * 72 / 25.4, 297 * 72 / 25.4


def empty_fractions(pdf_path: Path) -> list[float]:
    """For each page, the share of the text block left blank between the last line of text and the
    footnotes (or the foot of the block): 0.0 for a full page."""
    fractions = []
    bottom = A4_HEIGHT - TEXT_BOTTOM_MARGIN
    for chars in page_chars(pdf_path):
        inside = [c for c in chars if c["text"].strip() and c["top"] >= TEXT_TOP and c["bottom"] <= bottom]
        end_of_text = max((c["bottom"] for c in inside if c["size"] > 9.4), default=TEXT_TOP)
        notes = [c["top"] for c in inside if abs(c["size"] - MARKER_SIZE) < 0.05 and c["top"] > end_of_text]
        fractions.append((min(notes, default=bottom) - end_of_text) / (bottom - TEXT_TOP))
    return fractions


def overlapping(page, max_size: float = 9) -> list[tuple[str, str]]:
    """Pairs of characters of ``max_size`` or less (table type by default) whose boxes overlap, each box less a 0.3 pt
    margin (kerning may touch). Larger type is left out: the running texts the page margins take up
    are in the PDF twice, once clipped away where they stand in the text."""
    boxes = sorted(((c["x0"] + 0.3, c["top"] + 0.3, c["x1"] - 0.3, c["bottom"] - 0.3, c["text"])
                    for c in page.chars if not c["text"].isspace() and c["size"] <= max_size), key=lambda b: b[0])
    pairs = []
    for index, (_, top, x1, bottom, text) in enumerate(boxes):
        for other in boxes[index + 1:]:
            if other[0] >= x1:
                break
            if other[1] < bottom and top < other[3]:
                pairs.append((text, other[4]))
    return pairs
