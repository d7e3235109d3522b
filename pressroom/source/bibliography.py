"""The shared bibliography: checked with bibtexparser before pandoc reads it."""

from __future__ import annotations

import logging
import re
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
        problems += _entry_problems(entry)
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
    key = _KEY.match(block.raw)
    name = f"malformed entry '{key.group(1)}'" if key else "malformed entry"
    field_name, field_line = _unbalanced_field(block.raw)
    if field_name:
        return Problem(SHOWN, line, f"{name}: the braces of field '{field_name}' "
                       f"({SHOWN}:{line + field_line}) are not balanced",
                       "close the value with '}' and end the field with ','")
    reason = str(getattr(block, "error", "")).splitlines()
    detail = reason[-1].strip() if reason and reason[-1].strip() else "cannot be parsed"
    return Problem(SHOWN, line, f"{name}: {detail}",
                   "check the braces and commas of this entry (every field ends with '},')")


_KEY = re.compile(r"\s*@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_FIELD_START = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=")


def _unbalanced_field(raw: str) -> tuple[str, int]:
    """(name, line offset in the entry) of the first field whose braces do not balance
    before the next field starts, or ('', 0)."""
    name, start, depth = "", 0, 0
    for offset, line in enumerate(raw.split("\n")):
        starts = _FIELD_START.match(line)
        if starts and depth > 0 and name:
            return name, start
        if starts and depth == 0:
            name, start = starts.group(1), offset
        depth = max(depth + line.count("{") - line.count("}") - (1 if offset == 0 else 0), 0)
    return (name, start) if depth > 0 and name else ("", 0)


def _entry_problems(entry) -> list[Problem]:
    """Entries the parser accepted but that cannot be what the author meant."""
    line = entry.start_line + 1
    if not entry.key.strip():
        return [Problem(SHOWN, line, "entry has no key", "write a key after the brace: @book{smith2024,")]
    for item in entry.fields:
        if re.search(r"\n\s*[A-Za-z][\w-]*\s*=", str(item.value)):
            return [Problem(SHOWN, line, f"malformed entry '{entry.key}': field '{item.key}' runs into the "
                            "next field", f"end the '{item.key}' field with a comma")]
    return []


def check_citations(pub: Publication, bib: Bibliography) -> list[Problem]:
    problems: list[Problem] = []
    if all(key in bib.keys for key in pub.markdown().citations()):
        return problems  # lines are looked up only for an error
    for key, line in pub.markdown().cited():
        if key not in bib.keys:
            hint = did_you_mean(key, list(bib.keys), "keys") if bib.keys else "references.bib is missing or empty"
            problems.append(Problem(pub.shown_as, line, f"unknown citation key '@{key}' (not in {SHOWN})",
                                    hint + " (write \\@ for a literal @ that is not a citation)"))
    return sorted(problems, key=lambda p: p.line or 0)
