"""Formats: the registry of outputs a publication can have, and the renderers behind them.

An output variant is data, in the spirit of WeasyPrint's ``pdf/__init__.py`` VARIANTS:
its name (as written in ``project.yaml`` and as a ``make`` target), the format it is
rendered in, where it is written, the stylesheets it adds to the type's, the options
its file is written with and the steps that finish it. Variants that share a format
and stylesheets share one layout: the screen PDF and the archive PDF are laid out
once and written twice. Adding a PDF variant is one entry here (and, at most, a
stylesheet in ``styles/variants/``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.errors import Problem
from pressroom.source.publication import Publication

# A finisher edits the written file: (PDF bytes, the context of its output) -> PDF bytes.
Finisher = Callable[[bytes, "FinishContext"], bytes]
# A check reads the finished file and its layout: (PDF bytes, WeasyPrint document, context) ->
# (a report written next to the file, problems: an error stops the file from being written).
Check = Callable[[bytes, Any, "FinishContext"], tuple[str, list[Problem]]]


@dataclass(frozen=True)
class FinishContext:
    """What a finishing step may need besides the file itself."""

    shown_as: str  # the content file, as the user knows it
    lang: str
    root: Path


@dataclass(frozen=True)
class Variant:
    name: str
    format: str  # a key of FORMATS: "pdf" or "web"
    pattern: str  # the output path under build/, e.g. "archive/{lang}/{slug}.pdf"
    description: str
    stylesheets: tuple[str, ...] = ()  # project files, added after the type's stylesheet
    options: dict[str, Any] = field(default_factory=dict)  # for write_pdf()
    finishers: tuple[str, ...] = ()  # names in FINISHERS, applied in order
    palette: str = "rgb"  # the brand colours the stylesheets get: a name in PALETTES
    checks: tuple[str, ...] = ()  # names in CHECKS, run on the finished file
    requires: tuple[str, ...] = ()  # variants of the same edition this one links: built first if missing

    @property
    def filters(self) -> tuple[str, ...]:
        """The Lua filters (pressroom/convert/filters) pandoc runs for this variant's format."""
        return FORMATS[self.format]

    @property
    def layout_key(self) -> tuple[str, tuple[str, ...], str]:
        """Variants with the same key are laid out once and written once each."""
        return self.format, self.stylesheets, self.palette


def _accessible_pdf(data: bytes, context: FinishContext) -> bytes:
    from pressroom.formats.pdfua import finish

    return finish(data, context)


def _print_pdf(data: bytes, context: FinishContext) -> bytes:
    from pressroom.formats.print import finish

    return finish(data, context)


def _preflight(data: bytes, document: Any, context: FinishContext) -> tuple[str, list[Problem]]:
    from pressroom.formats.preflight import preflight

    return preflight(data, document, context)


def _cmyk_palette(project: Any) -> dict[str, str]:
    from pressroom.formats.print import cmyk_palette

    return cmyk_palette(project)


FINISHERS: dict[str, Finisher] = {"accessible": _accessible_pdf, "print": _print_pdf}
CHECKS: dict[str, Check] = {"preflight": _preflight}
# The values stylesheets get for var(--name), from the project: brand colours as written, or in CMYK.
PALETTES: dict[str, Callable[[Any], dict[str, str]]] = {
    "rgb": lambda project: project.brand["colours"], "cmyk": _cmyk_palette}

# Each format's pandoc filters, in order: citeproc runs first (citations become notes of the
# same series as footnotes), then pull-quotes (whose display copy drops those notes), blocks,
# typography, and last the notes: inline spans for WeasyPrint's `float: footnote` in a PDF;
# pandoc's numbered end-notes plus a copy beside each call on the web (and the web's safety rules).
# (content.lua, which filters the author's attributes, runs before citeproc for every format.)
# Tables are fitted to the page only in a PDF; on the web a wide table scrolls in its own box.
# Typography runs before the tables are fitted, so that one run of pandoc does it for both
# formats: the break opportunities it puts in words over 40 characters change no fit (a
# table's fit counts at most 14 characters of a word).
_SHARED_FILTERS = ("pull.lua", "headings.lua", "blocks.lua", "scripts.lua", "typography.lua", "lists.lua")
FORMATS: dict[str, tuple[str, ...]] = {
    "pdf": (*_SHARED_FILTERS, "tables.lua", "footnotes.lua"),
    "web": (*_SHARED_FILTERS, "web.lua"),
}

# Tagging with a document title shown in the reader's title bar: needed by PDF/UA and PDF/A-a.
_TAGGED = {"pdf_tags": True}

VARIANTS: dict[str, Variant] = {variant.name: variant for variant in (
    Variant("screen", "pdf", "{lang}/{slug}.pdf",
            "accessible screen PDF (PDF/UA-1): tagged, alternative texts, page furniture as artifacts",
            options={**_TAGGED, "pdf_variant": "pdf/ua-1"}, finishers=("accessible",)),
    Variant("archive", "pdf", "archive/{lang}/{slug}.pdf",
            "archival PDF (PDF/A-3a): fonts embedded, tagged, metadata for repositories",
            options={**_TAGGED, "pdf_variant": "pdf/a-3a"}, finishers=("accessible",)),
    Variant("print", "pdf", "print/{lang}/{slug}.pdf",
            "print PDF (PDF/X-4): CMYK, 3 mm bleed, pages a multiple of 4, preflight report alongside",
            stylesheets=("styles/variants/print.css",), options={"pdf_variant": "pdf/x-4"},
            finishers=("print",), palette="cmyk", checks=("preflight",)),
    Variant("site", "web", "site/{lang}/{slug}/index.html",
            "web edition: accessible, responsive page with notes beside the text; catalogue and search",
            stylesheets=("styles/web.css",), requires=("screen",)),
)}


@dataclass(frozen=True)
class Output:
    """One file to make: an edition in one variant, with its path and its dependency file."""

    edition: Publication
    variant: Variant

    def path(self, build_dir: Path) -> Path:
        return build_dir / self.variant.pattern.format(lang=self.edition.lang, slug=self.edition.slug)

    def deps_path(self, build_dir: Path) -> Path:
        return build_dir / ".deps" / self.variant.name / self.edition.lang / f"{self.edition.slug}.d"

    @property
    def label(self) -> str:
        suffix = "" if self.variant.name == "screen" else f", {self.variant.name}"
        return f"{self.edition.slug} ({self.edition.lang}{suffix})"


def output_path(build_dir: Path, variant: str, lang: str, slug: str) -> Path:
    """Where ``variant`` of content/<slug>/<lang>.md is written (used before the edition is loaded)."""
    return build_dir / VARIANTS[variant].pattern.format(lang=lang, slug=slug)
