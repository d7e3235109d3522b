"""Tables that fit: smaller type, landscape pages, parts repeating the first column, warnings."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import make_project, quiet, write
from pdfcheck import overlapping

from pressroom import build
from pressroom.convert.tables import table_lines

HEAD = """
---
type: policy-brief
title: Tables
date: 2025-06
---

Before the table.

"""
AFTER = "\n\nThe text after the table, back on a page of its own width.\n"


def table(columns: int, rows: int = 4) -> str:
    lines = ["| " + " | ".join(f"Column {i}" for i in range(columns)) + " |", "|" + "---|" * columns]
    for row in range(rows):
        lines.append("| " + " | ".join(f"Region {row}" if i == 0 else str(row * columns + i)
                                       for i in range(columns)) + " |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], list[str]]:
    project = make_project(tmp_path_factory.mktemp("tables") / "project")
    for columns in (5, 12, 20, 40):
        write(project, f"content/t{columns}/en.md", HEAD + table(columns) + AFTER)
    write(project, "content/case12/en.md", HEAD.replace("policy-brief", "case-study") + table(12) + AFTER)
    report = build(project, say=quiet)
    assert report.ok, report.failed
    return {pdf.stem: pdf for pdf in report.built}, list(map(str, report.warnings))


def pages_of(pdf: Path) -> list[tuple[float, float, str, list]]:
    with pdfplumber.open(pdf) as document:
        return [(page.width, page.height, page.extract_text(), overlapping(page)) for page in document.pages]


def test_a_40_column_table_prints_no_character_over_another(built):
    pdfs, _ = built
    for pdf in pdfs.values():
        assert all(not pairs for *_, pairs in pages_of(pdf)), pdf.stem


def test_control_the_old_table_rules_draw_text_over_text(tmp_path):
    import pypandoc
    from weasyprint import HTML
    html = pypandoc.convert_text(table(40), "html", format="markdown")
    style = ("<style>table { width: 100%; table-layout: fixed; font: 8.8pt 'Noto Sans' } "
             "th, td { padding: 1.5mm 2mm; overflow-wrap: anywhere }</style>")
    HTML(string=style + html).write_pdf(tmp_path / "old.pdf")
    assert any(pairs for *_, pairs in pages_of(tmp_path / "old.pdf"))


def test_the_build_says_where_it_shrank_or_turned_a_table(built):
    _, warnings = built
    assert sorted(warnings) == [
        "content/case12/en.md:9: table of 12 columns: set in 6.5 pt type across both columns",
        "content/t12/en.md:9: table of 12 columns: set in 7.6 pt type to fit the page",
        "content/t20/en.md:9: table of 20 columns: set in 6.5 pt type on a landscape page",
        "content/t40/en.md:9: table of 40 columns: set in 6.5 pt type on a landscape page, "
        "in 2 parts that each repeat the first column",
    ]


def test_a_table_too_wide_even_in_small_type_gets_a_landscape_page(built):
    pdfs, _ = built
    for name in ("t20", "t40"):
        pages = pages_of(pdfs[name])
        wide = [text for width, height, text, _ in pages if width > height]
        assert len(wide) == 1 and "Region 3" in wide[0], name
        after = next(page for page in pages if "The text after the table" in page[2])
        assert after[0] < after[1], f"{name}: the text after the table is not back on a portrait page"
    # control: a table that fits leaves every page portrait
    assert all(width < height for width, height, *_ in pages_of(pdfs["t5"]))


def test_a_table_split_in_parts_repeats_its_first_column(built):
    pdfs, _ = built
    text = "".join(page[2] for page in pages_of(pdfs["t40"]))
    assert text.count("Region 3") == 2 and text.split().count("Column") == 41
    assert all(str(number) in text.split() for number in range(121, 160))  # the last row, every column
    # control: the 20 columns fit one landscape page, in one part
    assert "".join(page[2] for page in pages_of(pdfs["t20"])).count("Region 3") == 1


def test_small_type_only_when_needed(built):
    pdfs, _ = built
    with pdfplumber.open(pdfs["t5"]) as small, pdfplumber.open(pdfs["t12"]) as medium:
        size = {pdf: {round(c["size"], 1) for page in pdf.pages for c in page.chars if c["text"] == "C"}
                for pdf in (small, medium)}
    assert 8.8 in size[small] and 7.6 not in size[small]
    assert 7.6 in size[medium] and 8.8 not in size[medium]


@pytest.mark.parametrize(("markdown", "lines"), [
    ("Text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", [3]),
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n\nText\n\n-----  -----\nx      y\n", [1, 9]),
    ("```\n| a | b |\n|---|---|\n```\n\n| c | d |\n|---|---|\n", [6]),
    ("A list:\n\n- item\n- ---\n\nText ---\n", []),
])
def test_tables_are_found_at_their_line(markdown, lines):
    assert table_lines(markdown) == lines


def test_a_case_study_sets_a_wide_table_across_both_columns(built):
    pdfs, _ = built
    with pdfplumber.open(pdfs["case12"]) as document:
        page = document.pages[1]
        cells = [c for c in page.chars if c["size"] <= 9 and c["upright"] and c["top"] > 40 * 72 / 25.4]
    # control: the text column of a case study is less than half the page wide
    assert max(c["x1"] for c in cells) - min(c["x0"] for c in cells) > page.width / 2


def grid_table(columns: int, span: bool) -> str:
    """A grid table; with ``span``, a cell of its body spans the first two columns."""
    def row(cells: list[str]) -> str:
        return "|" + "|".join(cell.ljust(9) for cell in cells) + "|"
    rule = "+" + "+".join(["-" * 9] * columns) + "+"
    first = [("|" + "Both".ljust(19) + "|" + "|".join(str(i).ljust(9) for i in range(2, columns)) + "|")
             if span else row([str(i) for i in range(columns)])]
    return "\n".join([rule, row([f"Col {i}" for i in range(columns)]), rule.replace("-", "="), *first, rule])


def filter_reports(markdown: str) -> list[str]:
    import re
    import subprocess

    from pressroom.convert.transform import FILTERS, pandoc_path

    result = subprocess.run([pandoc_path(), "--to", "html5", "--lua-filter", str(FILTERS / "tables.lua")],
                            input=markdown, capture_output=True, text=True, check=True)
    return re.findall(r"table-fit \d+: (.*)", result.stderr)


def test_a_table_with_a_spanning_cell_is_fitted_but_not_split():
    assert filter_reports(grid_table(60, span=True)) == ["60 columns: set in 6.5 pt type on a landscape page"]
    # control: without the spanning cell, the same table is split
    assert "in 2 parts" in filter_reports(grid_table(60, span=False))[0]
