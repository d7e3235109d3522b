"""Fixes for WeasyPrint 70's footnote layout, applied when the render package is imported.

1. Notes kept with their call. When a line does not fit at the bottom of a page and the page
   could not be broken before it (orphans, widows), WeasyPrint defers footnotes already placed
   on the page to the next one to make room for the line (upstream commit c87af3cf, issue
   #2432). It does so whatever their ``footnote-policy``: a note whose call stays on the page is
   printed on the next page, although ``footnote-policy: line`` asks for the call's line to move
   with it. The fix adds one condition to that decision: notes are deferred only if every note
   on the page allows it (``footnote-policy: auto``) and none is split. Upstream report:
   docs/weasyprint-footnote-bug.md.

2. Long notes split across pages (:mod:`pressroom.formats.footnote_split`). WeasyPrint lays the
   footnote area out without a height limit, so a note taller than the room left under its
   call's line either moves with that line to the next page or overflows the page. The fix
   lets the note break there, as GCPM allows, and continues it first in the next page's
   footnote area under a "continued" mark (over as many pages as it needs, and never over a
   forced page break). Upstream report: docs/weasyprint-footnote-split.md.

Each fix is an edit of a statement of WeasyPrint's own source, checked against the exact text
and made only for the WeasyPrint version it was written for, plus methods added to its
``LayoutContext``. :func:`edited` is that mechanism for one function; the accessible writer
(pdfua.py) edits the tag tree builder with it.
"""

from __future__ import annotations

import inspect
import textwrap
from types import FunctionType, ModuleType

PATCHED_VERSION = "70.0"
_DECISION = "report = not context.in_column and can_break_now and not could_break_before"
_CONDITION = (" and all(note.style['footnote_policy'] == 'auto' for note in context.current_page_footnotes)"
              " and context.split_note is None")

# (module, class or None, function, [(WeasyPrint's text, our text)]): each text occurs once.
_EDITS = [
    ("weasyprint.layout.block", None, "_linebox_layout", [
        (_DECISION, _DECISION + _CONDITION),
        # A note that overflows is split under its call's line when it can be.
        ("                if overflow:\n                    context.report_footnote(footnote)",
         "                if overflow and not context.split_footnote("
         "footnote, new_position_y + offset_y + bottom_space):\n"
         "                    context.report_footnote(footnote)"),
    ]),
    ("weasyprint.layout", "LayoutContext", "_update_footnote_area", [
        ("footnote_area = block_level_layout(\n                self, footnote_area, -inf, None,\n",
         "footnote_area = self.lay_out_footnote_area(\n                footnote_area,\n"),
    ]),
    ("weasyprint.layout.page", None, "remake_page", [
        # Notes carried over from the previous page (the rest of a split note, notes deferred)
        # are not carried over a forced page break (onto a back cover, a new section): they get
        # a page of their own first, as they do at the end of the document.
        ("        (context.reported_footnotes and resume_at is None))\n",
         "        (context.reported_footnotes and (resume_at is None or next_page['break'] != 'any')))\n"),
    ]),
    ("weasyprint.layout.page", None, "make_page", [
        ("    context.current_footnote_area = footnote_area\n",
         "    context.current_footnote_area = footnote_area; context.start_footnote_page()\n"),
        # Notes deferred again go after the rest of a note split again on this page.
        ("            context.reported_footnotes = reported_footnotes[i:]\n",
         "            context.reported_footnotes[-1:] = reported_footnotes[i:]\n"),
        ("    footnote_area = block_level_layout(\n"
         "        context, footnote_area, bottom_space=-inf, skip_stack=None,\n"
         "        containing_block=footnote_area.page, page_is_empty=True,\n",
         "    footnote_area = context.lay_out_footnote_area(\n"
         "        footnote_area,\n"
         "        footnote_area.page,\n"),
    ]),
]
_originals: list[tuple[object, str, object]] = []


class PatchRefused(RuntimeError):
    """The installed WeasyPrint is not the one the patch was written for."""


def apply() -> None:
    """Patch WeasyPrint's footnote layout (idempotent); PatchRefused if WeasyPrint is not 70.0."""
    import importlib

    from pressroom.formats import footnote_split

    if _originals:
        return
    _check_version("footnote fix", "still defers notes away from their call and still cannot split a note "
                   "(tests/test_footnote_layout.py, tests/test_footnote_split.py)")
    changed = []
    for module_name, class_name, name, replacements in _EDITS:
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        changed.append((owner, name, _edited(module, getattr(owner, name), replacements, "footnote fix")))
    # Every edit is checked before anything is changed: all or nothing.
    from weasyprint.layout import LayoutContext
    added = footnote_split.context_methods()
    for owner, name, function in changed:
        _originals.append((owner, name, vars(owner)[name]))
        setattr(owner, name, function)
    for name, function in added.items():
        _originals.append((LayoutContext, name, vars(LayoutContext).get(name)))
        setattr(LayoutContext, name, function)


def edited(function: FunctionType, module: ModuleType, edits: dict[str, str], fix: str) -> FunctionType:
    """``function`` of ``module`` compiled again from its source, each text of ``edits`` (found
    exactly once) replaced by its value; PatchRefused if WeasyPrint is not 70.0 or its source differs.
    (For edits made while a call runs, as the accessible writer does: see pdfua.py.)"""
    _check_version(fix, "still needs it (its tests say why it is there)")
    return _edited(module, function, list(edits.items()), fix)


def _check_version(fix: str, question: str) -> None:
    import weasyprint

    if weasyprint.__version__ != PATCHED_VERSION:
        raise PatchRefused(
            f"pressroom's {fix} is written for WeasyPrint {PATCHED_VERSION}, not {weasyprint.__version__}: "
            f"pin weasyprint==70.0 (requirements.txt), or check whether the new version {question} "
            "and update pressroom/formats/weasyprint_patches.py")


def _edited(module: ModuleType, function: FunctionType, replacements: list[tuple[str, str]],
            fix: str) -> FunctionType:
    """``function`` compiled from its source with ``replacements`` made, in ``module``'s globals."""
    lines, first_line = inspect.getsourcelines(function)
    source = "".join(lines)
    for old, new in replacements:
        if source.count(old) != 1:
            raise PatchRefused(f"{module.__file__} is not the WeasyPrint {PATCHED_VERSION} source "
                               f"pressroom's {fix} edits ({function.__name__})")
        source = source.replace(old, new)
    source = textwrap.dedent(source)  # a method's source is indented
    # Blank lines first, so that tracebacks point at the right line of WeasyPrint's file.
    namespace: dict = {}
    exec(compile("\n" * (first_line - 1) + source, module.__file__, "exec"), dict(vars(module)), namespace)  # noqa: S102
    # The new function runs in the module's own globals (not a copy), like the one it replaces.
    code = namespace[function.__name__].__code__
    return FunctionType(code, vars(module), function.__name__, function.__defaults__)


def remove() -> None:
    """Undo :func:`apply` (for the reproduction tests)."""
    while _originals:
        owner, name, original = _originals.pop()
        if original is None:
            delattr(owner, name)
        else:
            setattr(owner, name, original)


def applied() -> bool:
    return bool(_originals)
