"""Accessible PDF: what WeasyPrint 70's tagging leaves to do, in two steps.

1. While WeasyPrint paints the pages and builds its structure tree (:func:`tagging_hints`),
   page furniture (what margin boxes hold: running heads, folios, the spine) is painted as
   /Artifact and left out of the tree (WeasyPrint marks it as content that no element
   claims), and facts of the HTML that WeasyPrint drops reach the structure elements:
   ``lang`` becomes /Lang; an element with ``aria-hidden="true"`` (the pull-quote's display
   copy) gets an empty /ActualText; a footnote becomes a /Note with an /ID, its number a
   /Lbl, and its call a /Reference that points at it; a link annotation gets the link's
   text as its description and is printed; the bookmarks panel opens. WeasyPrint has no
   hook for this, so three of its functions (the tree builder
   ``weasyprint.pdf.tags._build_box_tree``, ``weasyprint.draw.draw_stacking_context`` and
   ``Stream.marked``; WeasyPrint is pinned) are wrapped for the time of one ``write_pdf``.
   Done there, it costs next to nothing: the file is still Python objects. The tree builder
   is also edited (:func:`_text_in_place`): an element that holds text only holds its marked
   content itself, without one /Span per line.
2. :func:`finish` edits the written file with pikepdf only where needed: a PDF/A file also
   declares PDF/UA-1 (it is tagged to the same rules) and its XMP metadata stream is left
   uncompressed (PDF/A forbids a Filter); no compressed stream may end with a carriage return.

The pull-quote's display copy repeats a sentence of the body in large type. A reader should
hear the sentence once, where the author wrote it, so the copy must say nothing; but it is
content of the page, not page furniture or decoration, which is what /Artifact is for
(PDF/UA-1 7.1; outloud reports prose inside an artifact as hidden from every reader, TAG-002,
whatever the artifact's subtype). So the copy stays in the structure tree, where it stands
in the flow and is painted (the page paints in reading order: see the pull-quote's mark in
base.css), as the element its HTML gives (a /Div) whose /ActualText is empty: ActualText is
the exact replacement of an element and its children (ISO 32000-1, 14.9.4), so a screen
reader reads nothing there, and a tool that reflows or exports by tags keeps the copy in place.
"""

from __future__ import annotations

import contextlib
import functools
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pikepdf

if TYPE_CHECKING:
    from pressroom.formats import FinishContext


@dataclass
class _Hints:
    """What step 1 learns while WeasyPrint builds the tree of one document."""

    notes: dict[int, str] = field(default_factory=dict)  # id(footnote element) -> note /ID
    ids: set[str] = field(default_factory=set)
    calls: dict[str, object] = field(default_factory=dict)  # note /ID -> the call's structure element
    source: dict[int, object] = field(default_factory=dict)  # id(structure element) -> HTML element
    painting_furniture: int = 0  # > 0 while a margin box is painted

    def note_id(self, element: object) -> str:
        return self.notes.setdefault(id(element), f"note-{len(self.notes) + 1}")


@contextlib.contextmanager
def tagging_hints() -> Iterator[None]:
    """Carry HTML facts into the structure tree WeasyPrint builds inside this block, and paint
    page furniture as artifacts."""
    from weasyprint import draw
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    original, paint_context, marked = tags._build_box_tree, draw.draw_stacking_context, stream.Stream.marked
    build_tree = _text_in_place()
    hints = _Hints()

    def build(box, parent, pdf, page_number, nums, annotations, marks):
        if isinstance(box, boxes.MarginBox):
            return  # page furniture, painted as artifacts (below): not in the tree
        if isinstance(box, boxes.PageBox) and "Outlines" in pdf.catalog:
            pdf.catalog["PageMode"] = "/UseOutlines"  # the bookmarks (from headings) open beside the pages
        pdf = pdf if isinstance(pdf, _PagesKnown) else _PagesKnown(pdf)
        for element in build_tree(box, parent, pdf, page_number, nums, annotations, marks):
            if id(element) not in hints.source:
                hints.source[id(element)] = box.element
                _annotate(element, parent, box, hints)
            yield element

    def paint(page_stream, context) -> None:
        furniture = isinstance(context.box, boxes.MarginBox)
        hints.painting_furniture += furniture
        try:
            paint_context(page_stream, context)
        finally:
            hints.painting_furniture -= furniture

    def mark(page_stream, box, tag):
        return page_stream.artifact() if hints.painting_furniture else marked(page_stream, box, tag)

    tags._build_box_tree, draw.draw_stacking_context, stream.Stream.marked = build, paint, mark
    try:
        yield
    finally:
        tags._build_box_tree, draw.draw_stacking_context, stream.Stream.marked = original, paint_context, marked


# The tree builder's loop over a box's children, and its test that puts the marked content of a
# link's text in the link itself: the edit below does so for every element that holds text only.
_CHILDREN = "    # Build tree for box children.\n    for child in box.children:"
_ALL_TEXT = ("    text_only = tag != 'Link' and all(isinstance(text, boxes.TextBox) for child in box.children\n"
             "                                     for text in (child.children if isinstance(child, boxes.LineBox)"
             " else [child]))\n")
_IN_LINK = "                if tag == 'Link':"


@functools.cache
def _text_in_place():
    """WeasyPrint's tree builder, but an element that holds text only (most paragraphs, headings,
    list items) holds its marked content itself, as a link does, instead of one /Span element
    around each line of its text: two structure elements in three fewer, the same text in the
    same order, and about a quarter less of the time tagging adds to a write (fewer objects to
    build, serialise and compress)."""
    from weasyprint.pdf import tags

    from pressroom.formats.weasyprint_patches import edited

    return edited(tags._build_box_tree, tags, {_CHILDREN: _ALL_TEXT + _CHILDREN,
                                               _IN_LINK: "                if tag == 'Link' or text_only:"},
                  "tagging of text")


class _PagesKnown:
    """The pydyf PDF as the tree builder sees it, its page references listed once: pydyf lists
    them anew at each use, and the builder uses one for every structure element. Tags are built
    once every page is in the PDF."""

    def __init__(self, pdf) -> None:
        self._pdf = pdf
        self.page_references = pdf.page_references

    def __getattr__(self, name: str):
        return getattr(self._pdf, name)


def _annotate(element, parent, box, hints: _Hints) -> None:
    """Add to one new structure element what WeasyPrint leaves out."""
    import pydyf

    html = box.element
    if html is None:
        return
    tag = box.element_tag or ""
    if hints.source.get(id(parent)) is html and parent.get("S") == element["S"]:
        element["S"] = "/NonStruct"  # an anonymous box of the same element: no second H2 inside the H2
    if getattr(box, "footnote", None) is not None:  # the call of a note
        element["S"] = "/Reference"
        hints.calls.setdefault(hints.note_id(box.footnote.element), element)
    elif "::" not in tag and id(html) in hints.notes:  # the note (its call came first, in the page's body)
        element["S"] = "/Note"
        element["ID"] = pydyf.String(_unique(hints, hints.note_id(html)))
        call = hints.calls[hints.note_id(html)]
        if "Ref" not in call:  # the call points at its note: at every part of it, in order, if it is split
            call["Ref"] = pydyf.Array()
        call["Ref"].append(element.reference)
    elif tag.endswith("::footnote-marker"):
        element["S"] = "/Lbl"  # the note's number, "3."
    if html.get("aria-hidden") == "true" and tag != "html" and hints.source.get(id(parent)) is not html:
        element["ActualText"] = pydyf.String("")  # shown, read as nothing (see the module's docstring)
    if "::" not in tag and html.get("lang") and tag != "html":
        element["Lang"] = pydyf.String(html.get("lang"))
    if box.link_annotation is not None:  # described by its text, printed like the text it sits on
        text = " ".join("".join(html.itertext()).split())
        box.link_annotation["Contents"] = pydyf.String(text or html.get("href", ""))
        box.link_annotation["F"] = box.link_annotation.get("F", 0) | 4


def _unique(hints: _Hints, wanted: str) -> str:
    """A note split over two pages gives two Note elements: each needs its own /ID."""
    name, number = wanted, 1
    while name in hints.ids:
        number += 1
        name = f"{wanted}.{number}"
    hints.ids.add(name)
    return name


def finish(data: bytes, context: FinishContext) -> bytes:
    """The written PDF with the fixes of step 2 (see the module's docstring): the file as it is
    when there is none to make."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        declared = _declare_pdfua(pdf)
        if _CR_BEFORE_ENDSTREAM in data:
            _no_carriage_return_before_endstream(pdf)
        elif not declared:
            return data
        return _saved(pdf)


# How a stream whose data ends with a carriage return shows in a file pydyf or qpdf writes (each
# writes a newline, then "endstream", after the data of every stream): see _write_deflated.
_CR_BEFORE_ENDSTREAM = b"\r\nendstream"


def _saved(pdf: pikepdf.Pdf) -> bytes:
    """The file saved. qpdf compresses the object streams it writes: if one ends with a carriage
    return (1 in 256 each), the file is saved without object streams (twice the size), unless
    that does not help (a stream qpdf decoded and compressed again, see :func:`_write_deflated`)."""
    saved = []
    for mode in (pikepdf.ObjectStreamMode.preserve, pikepdf.ObjectStreamMode.disable):
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True, object_stream_mode=mode)
        saved.append(output.getvalue())
        if _CR_BEFORE_ENDSTREAM not in saved[-1]:
            return saved[-1]
    return saved[0]


def _write_deflated(stream: pikepdf.Stream, data: bytes, content: bool = True) -> None:
    """``data`` compressed into ``stream``, never ending with a carriage return: before the newline
    that closes a stream it reads as one end-of-line, and validators find /Length one byte off.
    The last bytes of zlib data are a checksum of the data (1 in 256 ends with one), so a page's
    content stream gets a trailing newline more (harmless there); other data is hex-encoded,
    which qpdf undoes when it saves the file (it compresses it again, to the same last bytes):
    such a stream is left as it was."""
    packed = zlib.compress(data)
    while content and packed.endswith(b"\r"):
        data += b"\n"
        packed = zlib.compress(data)
    if not packed.endswith(b"\r"):
        stream.write(packed, filter=pikepdf.Name.FlateDecode)
    else:
        stream.write(packed.hex().encode() + b">",
                     filter=pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode]))


def _no_carriage_return_before_endstream(pdf: pikepdf.Pdf) -> int:
    """The same for compressed streams already in the file (see :func:`_write_deflated`); how many."""
    contents = {stream.objgen for page in pdf.pages for stream in _content_streams(page)}
    found = [stream for stream in pdf.objects
             if isinstance(stream, pikepdf.Stream) and stream.get("/Filter") == "/FlateDecode"
             and "/DecodeParms" not in stream and stream.read_raw_bytes().endswith(b"\r")]
    for stream in found:
        _write_deflated(stream, stream.read_bytes(), content=stream.objgen in contents)
    return len(found)


def _content_streams(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


_PDFUA_IN_PDFA = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>The part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
"""


def _declare_pdfua(pdf: pikepdf.Pdf) -> bool:
    """A tagged PDF/A also claims PDF/UA-1 (with the extension schema PDF/A asks for a namespace
    it does not know); its XMP stream is written without a Filter, as PDF/A requires. Whether
    the file changed."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return False
    xmp = metadata.read_bytes()
    if b"pdfaid:part" not in xmp:
        return False
    if b"pdfuaid:part" not in xmp and "/StructTreeRoot" in pdf.Root:
        xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_IN_PDFA + b"</rdf:RDF>")
    if "/Filter" in metadata or xmp != metadata.read_bytes():
        metadata.write(xmp)
        return True
    return False
