"""Translation QA: each translation against its source, paragraph by paragraph.

What a translator must keep is compared: footnote ids, citation keys, the
blocks and pull-quotes, URLs, and the numbers (years, counts) of each
paragraph. Every finding names the source and the translation with lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pressroom.project.config import Project
from pressroom.project.textfile import read_text
from pressroom.source.load import split_front_matter
from pressroom.source.markdown import BLOCK_OPENING, NOTE_CALL, Markdown, line_at, parse


@dataclass(frozen=True)
class Finding:
    source: str
    source_line: int
    translation: str
    translation_line: int
    message: str

    def __str__(self) -> str:
        return (f"{self.translation}:{self.translation_line}: {self.message} "
                f"(source: {self.source}:{self.source_line})")


@dataclass
class Paragraph:
    line: int
    text: str


@dataclass
class Document:
    shown: str
    markdown: Markdown  # the body as pandoc reads it; front-matter blanked, lines as in the file

    @classmethod
    def read(cls, project: Project, path: Path) -> Document:
        shown = project.rel(path)
        _, body, first = split_front_matter(read_text(path, shown), shown)
        return cls(shown, parse("\n" * (first - 1) + body, shown))

    def paragraphs(self) -> list[Paragraph]:
        plain = self.markdown.plain
        return [Paragraph(line_at(plain, m.start()), m.group(0))
                for m in re.finditer(r"(?:^[^\n]*\S[^\n]*(?:\n|$))+", plain, re.M)]

    def occurrences(self, pattern: str) -> list[tuple[str, int]]:
        plain = self.markdown.plain
        return [(next(g for g in m.groups() if g is not None), line_at(plain, m.start()))
                for m in re.finditer(pattern, plain, re.M)]


PULL = r"\]\{(\.pull)\}"
URL = r"\]\((\S+?)\)|<(https?://[^>]+)>"
_NOT_NUMBERS = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|\[\^[^\]]*\]|@[\w:.#$%&+?<>~/-]+|\{[^}]*\}")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")


def numbers(text: str) -> Counter[str]:
    """Numbers in a paragraph, written without separators (10,000 = 10 000 = 10.000)."""
    return Counter(re.sub(r"\D", "", n) for n in _NUMBER.findall(_NOT_NUMBERS.sub(" ", text)))


def check_translation(source: Document, translation: Document) -> list[Finding]:
    findings: list[Finding] = []
    aligned = Alignment(source.paragraphs(), translation.paragraphs())

    def find(source_line: int, translation_line: int, message: str) -> None:
        findings.append(Finding(source.shown, source_line, translation.shown, translation_line, message))

    for what, pattern in (("footnote", NOTE_CALL), ("block", BLOCK_OPENING), ("pull-quote", PULL)):
        _compare_sequence(source.occurrences(pattern), translation.occurrences(pattern), what, find, aligned)
    _compare_sequence([(k, line or 1) for k, line in source.markdown.cited()],
                      [(k, line or 1) for k, line in translation.markdown.cited()], "citation", find, aligned)
    _compare_urls(source, translation, find, aligned)
    _compare_numbers(aligned.source, aligned.translation, find)
    return findings


@dataclass
class Alignment:
    """Paragraph i of the source is paragraph i of the translation (translators keep the structure)."""

    source: list[Paragraph]
    translation: list[Paragraph]

    def source_index(self, line: int) -> int:
        return max((i for i, p in enumerate(self.source) if p.line <= line), default=0)

    def translation_index(self, line: int) -> int:
        """The translation's paragraph at ``line``, as an index into the source's paragraphs."""
        index = max((i for i, p in enumerate(self.translation) if p.line <= line), default=0)
        return index * len(self.source) // max(len(self.translation), 1)

    def lines(self, index: int) -> tuple[int, int]:
        """(source line, translation line) of paragraph ``index`` of the source."""
        if not self.source or not self.translation:
            return 1, 1
        other = min(index * len(self.translation) // len(self.source), len(self.translation) - 1)
        return self.source[min(index, len(self.source) - 1)].line, self.translation[other].line


def _compare_sequence(ours: list[tuple[str, int]], theirs: list[tuple[str, int]], what: str, find,
                      aligned: Alignment) -> None:
    """Each id/key/class must occur as often in the translation as in the source, paragraph by paragraph;
    a difference is reported once per key, at the first paragraph where the counts differ."""
    in_source = Counter((key, aligned.source_index(line)) for key, line in ours)
    in_translation = Counter((key, aligned.translation_index(line)) for key, line in theirs)
    totals_source, totals_translation = Counter(k for k, _ in ours), Counter(k for k, _ in theirs)
    for key in sorted(totals_source.keys() | totals_translation.keys()):
        want, have = totals_source[key], totals_translation[key]
        if want == have:
            continue
        places = {i for k, i in in_source.keys() | in_translation.keys() if k == key}
        first = min(i for i in places if in_source[(key, i)] != in_translation[(key, i)])
        label = key if what != "pull-quote" else "{.pull}"
        find(*aligned.lines(first), f"{what} '{label}': {want} in the source, {have} in the translation")


def _compare_urls(source: Document, translation: Document, find, aligned: Alignment) -> None:
    _compare_sequence(source.occurrences(URL), translation.occurrences(URL), "URL", find, aligned)


def _compare_numbers(ours: list[Paragraph], theirs: list[Paragraph], find) -> None:
    if len(ours) != len(theirs):
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if _shape(a) != _shape(b)),
                     min(len(ours), len(theirs)) - 1)
        find(ours[first].line if ours else 1, theirs[first].line if theirs else 1,
             f"{len(ours)} paragraphs in the source, {len(theirs)} in the translation; "
             "they first differ here")
        return
    for a, b in zip(ours, theirs, strict=True):
        missing, extra = numbers(a.text) - numbers(b.text), numbers(b.text) - numbers(a.text)
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(sorted(missing.elements())))
            if extra:
                parts.append("not in the source " + ", ".join(sorted(extra.elements())))
            find(a.line, b.line, "numbers differ: " + "; ".join(parts))


def _shape(paragraph: Paragraph) -> str:
    """What kind of paragraph this is, whatever the language: heading, list, note, block fence, text."""
    first = paragraph.text.lstrip()
    for shape, pattern in (("heading", r"#"), ("fence", r":::"), ("note", r"\[\^[^\]]+\]:"),
                           ("list", r"([-*+]|\d+[.)])\s"), ("quote", r">")):
        if re.match(pattern, first):
            return shape
    return "text"
