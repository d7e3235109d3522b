"""Long footnotes split across pages: methods that :mod:`pressroom.formats.weasyprint_patches`
adds to WeasyPrint 70's ``LayoutContext``, and that its edits of WeasyPrint's source call.

WeasyPrint lays the footnote area of a page out again each time a note is added, with no height
limit. When a note does not fit under its call's line, WeasyPrint moves it (and, with
``footnote-policy: line``, the line) to the next page. Here the note is first tried split: the
area is laid out again with its bottom limited to what the page has left under the line, and if
the note breaks there (its own ``orphans`` and ``widows`` respected, as block layout does), the
first lines stay on the call's page and the rest is laid out first in the next page's footnote
area, from where the break left it (a WeasyPrint skip stack), its first line the word of the
note's ``--note-continued`` custom property (a CSS string; no mark without it). A note longer
than a page goes on splitting: on a page where it continues, it takes at most ``NOTE_SHARE`` of
the page, and the rest goes on to the next page, the text keeping the top of each page. The
rest is never carried over a forced page break: ``remake_page`` gives it a blank page first.

State, per page: ``split_note`` (the note split on this page, and the y its area may not go above),
``next_note`` (that note and where it resumes), ``continued_note`` (the note continued at the
top of this page's area, and where it resumes) and ``carried_notes`` (the notes WeasyPrint
carries over from the previous page, laid out first).
"""

from __future__ import annotations

from math import inf

CONTINUED_PROPERTY = "__note_continued"  # --note-continued, as WeasyPrint stores custom properties
# The share of a page a continued note may take (a note longer than a page): the rest is the text's.
NOTE_SHARE = 0.75


def context_methods() -> dict[str, object]:
    """What to add to (or replace in) ``weasyprint.layout.LayoutContext``."""
    from weasyprint.layout import LayoutContext

    unlayout = LayoutContext.unlayout_footnote

    def unlayout_footnote(self, footnote) -> None:
        """WeasyPrint's, plus: a split note whose call leaves the page is no longer split."""
        if self.split_note is not None and self.split_note[0] is footnote:
            self.split_note = self.next_note = None
            _remove(self.reported_footnotes, footnote)  # it is then only on this page, as usual
        unlayout(self, footnote)

    report = LayoutContext.report_footnote

    def report_footnote(self, footnote) -> None:
        """WeasyPrint's, plus: a split note moved to the next page (multi-column layout moves the
        last notes of a page that are too tall for its columns) is no longer split there, and a
        continued note moved on goes on from where it was."""
        if self.split_note is not None and self.split_note[0] is footnote:
            self.split_note = self.next_note = None
            _remove(self.reported_footnotes, footnote)
        if self.continued_note is not None and self.continued_note[0] is footnote:
            self.next_note = self.continued_note
        report(self, footnote)

    layout = LayoutContext.layout_footnote

    def layout_footnote(self, footnote) -> bool:
        """WeasyPrint's, plus: no note is added under a split note (True: it overflows), and the
        notes carried over from the previous page take at most ``NOTE_SHARE`` of this one: the
        one that goes past it is split there, or waits for the next page if it cannot be split
        and is not the first (WeasyPrint lays them all out, whatever their height, and the
        page's text is then drawn over them)."""
        overflow = layout(self, footnote)
        if self.split_note is not None:
            return overflow or footnote is not self.split_note[0]
        room = NOTE_SHARE * _page_height(self)
        carried = self.carried_notes
        if any(note is footnote for note in carried) and self.current_footnote_area.margin_height() > room:
            split = self.split_footnote(footnote, self.current_footnote_area.position_y - room)
            return overflow or not (split or carried[0] is footnote)

    return {"split_note": None, "next_note": None, "continued_note": None, "carried_notes": (),
            "split_footnote": split_footnote, "start_footnote_page": start_footnote_page,
            "lay_out_footnote_area": lay_out_footnote_area, "unlayout_footnote": unlayout_footnote,
            "layout_footnote": layout_footnote, "report_footnote": report_footnote}


def _remove(boxes: list, box) -> None:
    for index, other in enumerate(boxes):
        if other is box:
            del boxes[index]
            return


def start_footnote_page(self) -> None:
    """At the start of a page: the note split on the previous page continues here if it is the
    first note deferred to this page (WeasyPrint lays deferred notes out first, in order)."""
    following = self.next_note
    first = self.reported_footnotes[0] if self.reported_footnotes else None
    self.continued_note = following if following is not None and following[0] is first else None
    self.split_note = self.next_note = None
    self.carried_notes = tuple(self.reported_footnotes)


def split_footnote(self, footnote, bottom: float) -> bool:
    """Split ``footnote``, just added to this page's area, so that the area does not go above
    ``bottom`` (the y where the call's line and its containers end); False if it cannot be."""
    from weasyprint.formatting_structure import build

    notes = self.current_page_footnotes
    if self.in_column or self.reported_footnotes or self.split_note is not None:
        return False  # notes already deferred go first; one split a page; no columns
    if self.current_footnote_area.style["max_height"].value != inf:
        return False  # the area's own limit is WeasyPrint's to apply
    if not notes or notes[-1] is not footnote:
        return False
    self.split_note = (footnote, bottom)
    area = build.create_anonymous_boxes(self.current_footnote_area.deepcopy())
    laid, resume_at = self.lay_out_footnote_area(area, self.current_footnote_area.page)[:2]
    index = len(notes) - 1
    skip = resume_at.get(index) if resume_at else None
    part = laid.children[-1] if laid is not None and laid.children else None
    if skip is None or list(resume_at) != [index] or part is None or part.element is not footnote.element:
        self.split_note = None
        return False
    self.next_note = (footnote, skip)
    self.reported_footnotes.append(footnote)  # the rest: first on the next page, before later notes
    self._update_footnote_area()
    return True


def _page_height(self) -> float:
    """The height of the page's content box (where the text and the footnote area go)."""
    return self.current_footnote_area.position_y - self.current_footnote_area.page.content_box_y()


def lay_out_footnote_area(self, area, page, absolute_boxes=None, fixed_boxes=None):
    """WeasyPrint's ``block_level_layout`` of the footnote area (its result), bounded on the page
    of a split note, resumed on the page of a continued note, with the continuation mark."""
    from weasyprint.layout.block import block_level_layout

    continued = self.continued_note
    if continued is not None and not (area.children and area.children[0].element is continued[0].element):
        continued = None
    skip = mark = None
    margin = extra = 0.0  # what goes on top of the laid-out area: its margin (lost when it resumes), the mark
    if continued is not None:
        skip = {0: continued[1]}
        mark = _lay_out_mark(self, continued[0], page)
        margin = area.margin_top if isinstance(area.margin_top, (int, float)) else 0
        extra = margin + _height(mark)
    if self.split_note is None:
        result = block_level_layout(self, area, -inf, skip, page, True, absolute_boxes, fixed_boxes)
    else:
        # The area is laid out from area.position_y (the page's bottom) down, then moved up by
        # its height: it may end as far below that as the line's bottom is above it.
        end = 2 * area.position_y - self.split_note[1] - extra
        result = block_level_layout(self, area, self.page_bottom - end, skip, page, False,
                                    absolute_boxes, fixed_boxes)
    if continued is not None and result[0] is not None:
        _top_of_continued(result[0], margin, mark)
    return result


def _lay_out_mark(self, note, page):
    """The continuation mark of ``note``, laid out: the word in italics where the note's marker
    would be (not the marker again: the note's number is printed once, at its start). It is
    tagged as the marker is, so that the continued part's label in a tagged PDF is the word."""
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout.block import block_level_layout

    word = next((token.value for token in note.style[CONTINUED_PROPERTY] or ()
                 if getattr(token, "type", None) == "string" and token.value.strip()), None)
    if word is None:
        return None
    tag = f"{note.element_tag}::footnote-marker"
    style = note.style.anonymous_style.copy()
    style["font_style"] = "italic"
    text = boxes.TextBox(note.element_tag, style, note.element, word)
    mark = boxes.BlockBox.anonymous_from(note, [boxes.InlineBox(tag, style, note.element, [text])])
    mark = build.create_anonymous_boxes(mark)  # wraps the text in a line
    mark.position_x, mark.position_y = page.content_box_x(), 0
    return block_level_layout(self, mark, -inf, None, page, True)[0]


def _height(mark) -> float:
    return mark.margin_height() if mark is not None else 0


def _top_of_continued(area, margin: float, mark) -> None:
    """Give the laid-out ``area``, resumed from a skip stack, its top ``margin`` back (WeasyPrint
    drops the top margin of a box it resumes) and put the line of the laid-out ``mark`` at the top
    of the continued note (its first child), moving what follows down."""
    lost, height = margin - area.margin_top, _height(mark)
    area.margin_top = margin
    for child in area.children:
        child.translate(0, lost)
    if mark is None or not area.children:
        return
    note, *others = area.children
    for child in [*note.children, *others]:
        child.translate(0, height)
    mark.translate(note.content_box_x() - mark.position_x, note.content_box_y() - mark.position_y)
    note.children = [*mark.children, *note.children]  # its line: the note holds lines
    note.height += height
    area.height += height
