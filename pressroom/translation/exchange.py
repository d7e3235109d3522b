"""What a translation file carries, whatever its format (XLIFF 1.2, XLIFF 2.1, PO)."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = {"xliff": ".xlf", "xliff2": ".xlf", "po": ".po"}
DATATYPE = "x-pandoc-markdown"
TOOL = "pressroom"


@dataclass
class Header:
    slug: str
    original: str  # content/<slug>/<source lang>.md
    source_lang: str
    target_lang: str
    version: str  # the source version the file was exported from


@dataclass
class Incoming:
    """One unit as read back from a translation file: segments in tagged form (``<x1/>``, ``<g2>..</g2>``)."""

    id: str
    source: str
    target: str | None
    needs_review: bool


@dataclass
class Received:
    header: Header
    units: list[Incoming] = field(default_factory=list)
