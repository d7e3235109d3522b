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
:func:`edited` is that mechanism; the accessible finisher (pdfua.py) edits the tag tree builder with it.
"""

from __future__ import annotations

import inspect
from types import FunctionType, ModuleType

PATCHED_VERSION = "70.0"
_DECISION = "report = not context.in_column and can_break_now and not could_break_before"
_CONDITION = " and all(note.style['footnote_policy'] == 'auto' for note in context.current_page_footnotes)"
_original: FunctionType | None = None


class PatchRefused(RuntimeError):
    """The installed WeasyPrint is not the one the patch was written for."""


def apply() -> None:
    """Patch ``weasyprint.layout.block`` (idempotent); PatchRefused if WeasyPrint is not 70.0."""
    global _original
    from weasyprint.layout import block

    if _original is not None:
        return
    function = block._linebox_layout
    patched = edited(function, block, {_DECISION: _DECISION + _CONDITION}, "footnote fix")
    _original = function
    block._linebox_layout = patched


def edited(function: FunctionType, module: ModuleType, edits: dict[str, str], fix: str) -> FunctionType:
    """``function`` of ``module`` compiled again from its source, each text of ``edits`` (found
    exactly once) replaced by its value; PatchRefused if WeasyPrint is not 70.0 or its source differs."""
    import weasyprint

    if weasyprint.__version__ != PATCHED_VERSION:
        raise PatchRefused(
            f"pressroom's {fix} is written for WeasyPrint {PATCHED_VERSION}, not {weasyprint.__version__}: "
            "pin weasyprint==70.0 (requirements.txt), or check whether the new version still needs it "
            "(its tests say why it is there) and update pressroom/formats/weasyprint_patches.py")
    lines, first_line = inspect.getsourcelines(function)
    source = "".join(lines)
    for old, new in edits.items():
        if source.count(old) != 1:
            raise PatchRefused(f"{module.__file__} is not the WeasyPrint {PATCHED_VERSION} source the {fix} edits")
        source = source.replace(old, new)
    # Blank lines first, so that tracebacks point at the right line of the module.
    namespace: dict = {}
    exec(compile("\n" * (first_line - 1) + source, module.__file__, "exec"), dict(vars(module)), namespace)  # noqa: S102
    # The new function runs in the module's own globals (not a copy), like the one it replaces.
    code = namespace[function.__name__].__code__
    return FunctionType(code, vars(module), function.__name__, function.__defaults__)


def remove() -> None:
    """Undo :func:`apply` (for the reproduction test)."""
    global _original
    from weasyprint.layout import block

    if _original is not None:
        block._linebox_layout, _original = _original, None


def applied() -> bool:
    return _original is not None
