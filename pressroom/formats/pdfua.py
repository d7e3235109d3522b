"""Finishing an accessible PDF: what WeasyPrint 70's tagging leaves to do (see docs in the README)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pressroom.formats import FinishContext


def finish(data: bytes, context: FinishContext) -> bytes:
    return data
