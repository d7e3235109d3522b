"""The shared bibliography: checked with bibtexparser before pandoc reads it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock

from pressroom.errors import BuildError, Problem, did_you_mean
from pressroom.project.config import Project
from pressroom.project.textfile import read_text
from pressroom.source.publication import Publication

SHOWN = "references.bib"


@dataclass
class Bibliography:
    keys: dict[str, int] = field(default_factory=dict)  # key -> line in references.bib
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # key -> the entry's text


def load_bibliography(project: Project) -> Bibliography:
    if not project.bibliography.exists():
        return Bibliography()
    text = read_text(project.bibliography, SHOWN)
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # we report failures ourselves
    library = bibtexparser.parse_string(text)
    problems = [_describe_failure(block) for block in library.failed_blocks]
    bib = Bibliography()
    for entry in library.entries:
        bib.keys[entry.key] = entry.start_line + 1
        bib.fields[entry.key] = {f.key.lower(): str(f.value) for f in entry.fields}
        bib.raw[entry.key] = entry.raw
        if "title" not in bib.fields[entry.key]:
            problems.append(Problem(SHOWN, entry.start_line + 1, f"entry '{entry.key}' has no title",
                                    "add title = {...}: every note prints the title"))
    if problems:
        raise BuildError(problems)
    return bib


def _describe_failure(block) -> Problem:
    line = block.start_line + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        first = block.previous_block.start_line + 1
        return Problem(SHOWN, line, f"duplicate key '{block.key}' (also at {SHOWN}:{first})",
                       "give one of the two entries another key, or delete the copy")
    reason = str(getattr(block, "error", "")).splitlines()
    detail = reason[-1].strip() if reason else "cannot be parsed"
    return Problem(SHOWN, line, f"malformed entry: {detail}",
                   "check the braces and commas of this entry (every field ends with '},')")


def check_citations(pub: Publication, bib: Bibliography) -> list[Problem]:
    problems = []
    for key, line in pub.markdown().cited():
        if key not in bib.keys:
            hint = did_you_mean(key, list(bib.keys), "keys") if bib.keys else "references.bib is missing or empty"
            problems.append(Problem(pub.shown_as, line, f"unknown citation key '@{key}' (not in {SHOWN})",
                                    hint + " (write \\@ for a literal @ that is not a citation)"))
    return sorted(problems, key=lambda p: p.line or 0)
