"""After layout: is every footnote printed on the page of its call? If not, where is its call in the source?

With the fixes of :mod:`pressroom.formats.weasyprint_patches` a note that does not fit under its
call's line is split there and continued on the following pages (its first part, on the call's
page, is where it is placed), or moves to the next page with its call's line. It can still leave
its call's page where notes are not split: in multi-column text (a case study's columns), where
WeasyPrint 70 moves a note too long for the page away from its call. The build then warns,
naming the content file, the line of the call and the note's number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressroom.errors import Problem, warning
from pressroom.source.markdown import NOTE_CALL
from pressroom.source.publication import Publication


@dataclass(frozen=True)
class MisplacedNote:
    number: int  # as printed: notes are numbered 1, 2, ... in document order
    call_page: int  # pages from 1
    note_page: int


def misplaced_footnotes(document) -> list[MisplacedNote]:
    """The notes of a laid-out WeasyPrint document printed on another page than their call."""
    calls: list[tuple[object, int]] = []
    placed: dict[int, int] = {}
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        calls += [(call.footnote.element, number) for call in _descendants(box) if getattr(call, "footnote", None)]
        areas = [child for child in box.children if type(child).__name__ == "FootnoteAreaBox"]
        for note in areas[0].children if areas else []:
            placed.setdefault(id(note.element), number)
    return [MisplacedNote(index, page, placed[id(element)])
            for index, (element, page) in enumerate(calls, start=1)
            if placed.get(id(element), page) != page]


def _descendants(box):
    for child in getattr(box, "children", []):
        yield child
        yield from _descendants(child)


# What makes a numbered note in a content file, in reading order: a call [^id] (not its
# definition [^id]:), an inline note ^[...], or a citation group [... @key ...] (a note-style
# citation becomes a note) outside a note's definition.
_NOTE_MARK = re.compile(NOTE_CALL + r"|\^\[|\[[^\]\[]*@[\w:.#$%&+?<>~/-]+[^\]\[]*\](?!\()")
_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")


def note_call_lines(plain: str) -> list[int]:
    """The line (from 1) of each note's call, in the order notes are numbered; ``plain`` is the
    body with code blanked (:attr:`pressroom.source.markdown.Markdown.plain`)."""
    lines: list[int] = []
    for number, line in enumerate(plain.split("\n"), start=1):
        if not _DEFINITION.match(line):
            lines += [number] * sum(1 for _ in _NOTE_MARK.finditer(line))
    return lines


def misplaced_warnings(pub: Publication, notes: list[MisplacedNote]) -> list[Problem]:
    """One warning per misplaced note, at the line of its call."""
    lines = note_call_lines(pub.markdown().plain) if notes else []
    return [warning(pub.shown_as, lines[note.number - 1] if note.number <= len(lines) else None,
                    f"note {note.number} is printed on page {note.note_page}, its call on page {note.call_page}: "
                    "the note does not fit on its call's page", "shorten the note, or split it")
            for note in notes]
