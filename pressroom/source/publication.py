"""The plain data object passed from stage to stage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pressroom.source.markdown import Markdown


@dataclass(frozen=True)
class PubDate:
    """A publication date as precise as the author gave it (month or day)."""

    year: int
    month: int
    day: int | None = None

    @property
    def date(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or 1)

    def __str__(self) -> str:
        text = f"{self.year:04d}-{self.month:02d}"
        return f"{text}-{self.day:02d}" if self.day else text


@dataclass
class Publication:
    """One content file: ``content/<slug>/<lang>.md``, its front-matter and body."""

    slug: str
    lang: str
    path: Path  # absolute
    shown_as: str  # as the user knows it, e.g. content/brief/en.md
    type: str
    title: str
    date: PubDate
    body: str  # Markdown with the front-matter lines blanked, so lines keep their numbers
    subtitle: str = ""
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    funders: list[str] | None = None
    translation: str | None = None
    document: Markdown | None = None  # the body as pandoc read it, shared by checks and conversion

    def markdown(self) -> Markdown:
        """The body as pandoc reads it (read once; the checks and the conversion share it)."""
        if self.document is None:
            from pressroom.source.markdown import parse

            self.document = parse(self.body, self.shown_as)
        return self.document

    @property
    def folder(self) -> Path:
        return self.path.parent
