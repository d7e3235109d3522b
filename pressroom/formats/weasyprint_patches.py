"""A fix for WeasyPrint 70's footnote layout, applied when the render package is imported.

The bug: when a line does not fit at the bottom of a page and the page could not be broken
before it (orphans, widows), WeasyPrint defers footnotes already placed on the page to the
next one to make room for the line (upstream commit c87af3cf, issue #2432). It does so
whatever their ``footnote-policy``: a note whose call stays on the page is printed on the
next page, although ``footnote-policy: line`` asks for the call's line to move with it.
The upstream report is in docs/weasyprint-footnote-bug.md.

The fix adds one condition to that decision: notes are deferred only if every note on the
page allows it (``footnote-policy: auto``); otherwise the page breaks as orphans and widows
say. It is applied as an edit of that one statement of ``weasyprint.layout.block``'s source,
checked against the exact text, and only for the WeasyPrint version it was written for.
"""

from __future__ import annotations

import inspect
from types import FunctionType

PATCHED_VERSION = "70.0"
_DECISION = "report = not context.in_column and can_break_now and not could_break_before"
_CONDITION = " and all(note.style['footnote_policy'] == 'auto' for note in context.current_page_footnotes)"
_original: FunctionType | None = None


class PatchRefused(RuntimeError):
    """The installed WeasyPrint is not the one the patch was written for."""


def apply() -> None:
    """Patch ``weasyprint.layout.block`` (idempotent); PatchRefused if WeasyPrint is not 70.0."""
    global _original
    import weasyprint
    from weasyprint.layout import block

    if _original is not None:
        return
    if weasyprint.__version__ != PATCHED_VERSION:
        raise PatchRefused(
            f"pressroom's footnote fix is written for WeasyPrint {PATCHED_VERSION}, not {weasyprint.__version__}: "
            "pin weasyprint==70.0 (requirements.txt), or check whether the new version still defers notes "
            "away from their call (tests/test_footnote_layout.py) and update pressroom/formats/weasyprint_patches.py")
    function = block._linebox_layout
    lines, first_line = inspect.getsourcelines(function)
    source = "".join(lines)
    if source.count(_DECISION) != 1:
        raise PatchRefused("weasyprint/layout/block.py is not the WeasyPrint 70.0 source the footnote fix edits")
    # Blank lines first, so that tracebacks point at the right line of block.py.
    patched = "\n" * (first_line - 1) + source.replace(_DECISION, _DECISION + _CONDITION)
    namespace: dict = {}
    exec(compile(patched, block.__file__, "exec"), dict(vars(block)), namespace)  # noqa: S102
    # The new function runs in the module's own globals (not a copy), like the one it replaces.
    code = namespace[function.__name__].__code__
    _original = function
    block._linebox_layout = FunctionType(code, vars(block), function.__name__, function.__defaults__)


def remove() -> None:
    """Undo :func:`apply` (for the reproduction test)."""
    global _original
    from weasyprint.layout import block

    if _original is not None:
        block._linebox_layout, _original = _original, None


def applied() -> bool:
    return _original is not None
