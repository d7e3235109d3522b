"""Tables that fit the page: the widths filters/tables.lua fits them to, and its reports
turned into warnings that name the file and the line of the table."""

from __future__ import annotations

import re

from pressroom.errors import Problem, warning

# Where a table goes when it is too wide for the text: its class, the words of the warning, and
# widths (mm) of the text and of that place. A4 less the margins of styles/<type>.css; a case
# study's tables sit in one of its two columns, and a wide one spans both (WeasyPrint 70 keeps
# a table inside columns on the page of its columns).
LANDSCAPE = ("table-landscape", "on a landscape page")
SPANNING = ("table-span", "across both columns")
TABLE_SPACE = {"policy-brief": (154, 241, LANDSCAPE), "case-study": (76, 160, SPANNING)}
DEFAULT_SPACE = (150, 237, LANDSCAPE)

_REPORT = re.compile(r"table-fit (\d+): (.*)", re.S)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# The line under a pipe table's header, the frame of a grid table, the dashes of a simple table.
_TABLE_RULE = re.compile(r"^\s*(\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?|\+(-+\+)+|-{3,}(\s+-{3,})+)\s*$")


def table_metadata(pub_type: str) -> list[str]:
    """The pandoc options that tell filters/tables.lua how wide the text is."""
    text, wide, (wide_class, wide_words) = TABLE_SPACE.get(pub_type, DEFAULT_SPACE)
    return ["--metadata", f"table-width={text}", "--metadata", f"table-wide-width={wide}",
            "--metadata", f"table-wide-class={wide_class}", "--metadata", f"table-wide-words={wide_words}"]


def table_lines(body: str) -> list[int]:
    """The first line of each table of the Markdown, in order (code blocks skipped)."""
    lines = body.split("\n")
    found: list[int] = []
    fence = None
    in_table = False
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence:
            fence = None if opening and opening.group(1)[0] == fence else fence
            continue
        if opening:
            fence = opening.group(1)[0]
            continue
        if not line.strip():
            in_table = False
        elif not in_table and _TABLE_RULE.match(line):
            in_table = True
            previous = lines[number - 2] if number > 1 else ""
            header_above = "|" in line and previous.strip() and not _TABLE_RULE.match(previous)
            found.append(number - 1 if header_above else number)
    return found


def located_reports(shown: str, body: str, warnings: list[str]) -> tuple[list[str], list[Problem]]:
    """(pandoc's other warnings, the filter's reports as warnings at the table's line)."""
    starts = table_lines(body)
    others, reports = [], []
    for text in warnings:
        match = _REPORT.search(text)
        if not match:
            others.append(text)
            continue
        index = int(match.group(1)) - 1
        line = starts[index] if index < len(starts) else None
        reports.append(warning(shown, line, f"table of {match.group(2).strip()}"))
    return others, reports
