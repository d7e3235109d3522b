"""Accessible PDF: what WeasyPrint 70's tagging leaves to do, in two steps.

1. While WeasyPrint builds its structure tree (:func:`tagging_hints`), facts of the
   HTML that it drops reach the structure elements: ``lang`` becomes /Lang; an element
   with ``aria-hidden="true"`` (the pull-quote's display copy) is left out of the tree;
   a footnote becomes a /Note with an /ID and its call a /Reference; a link annotation
   gets the link's text as its description. WeasyPrint has no hook for this, so its
   tree builder (``weasyprint.pdf.tags._build_box_tree``, WeasyPrint is pinned) is
   wrapped for the time of one ``write_pdf``.
2. :func:`finish` edits the written file with pikepdf: marked content that no
   structure element reaches (running heads, folios, the spine, the hidden copies)
   becomes /Artifact; each call points at its note; link annotations are printed; the
   bookmarks panel opens; a PDF/A file also declares PDF/UA-1 (it is tagged to the same rules) and its XMP
   metadata stream is left uncompressed (PDF/A forbids a Filter).
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pikepdf

if TYPE_CHECKING:
    from pressroom.formats import FinishContext

# A structure element's key that carries a hint from step 1 to step 2 (removed in step 2).
_NOTE_HINT = "/PressroomNote"


@dataclass
class _Hints:
    """What step 1 learns while WeasyPrint builds the tree of one document."""

    notes: dict[int, str] = field(default_factory=dict)  # id(footnote element) -> note /ID
    ids: set[str] = field(default_factory=set)
    source: dict[int, object] = field(default_factory=dict)  # id(structure element) -> HTML element

    def note_id(self, element: object) -> str:
        return self.notes.setdefault(id(element), f"note-{len(self.notes) + 1}")


@contextlib.contextmanager
def tagging_hints() -> Iterator[None]:
    """Carry HTML facts into the structure tree WeasyPrint builds inside this block."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    hints = _Hints()

    def build(box, parent, pdf, page_number, nums, annotations, marked):
        hidden = box.element is not None and box.element.get("aria-hidden") == "true" and box.element_tag != "html"
        for element in original(box, parent, pdf, page_number, nums, annotations, marked):
            if id(element) not in hints.source:
                hints.source[id(element)] = box.element
                _annotate(element, parent, box, hints)
            if not hidden:
                yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


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
        element[_NOTE_HINT[1:]] = pydyf.String(hints.note_id(box.footnote.element))
    elif "::" not in tag and id(html) in hints.notes:  # the note (its call came first, in the page's body)
        element["S"] = "/Note"
        element["ID"] = pydyf.String(_unique(hints, hints.note_id(html)))
    if "::" not in tag and html.get("lang") and tag != "html":
        element["Lang"] = pydyf.String(html.get("lang"))
    if box.link_annotation is not None:
        text = " ".join("".join(html.itertext()).split())
        box.link_annotation["Contents"] = pydyf.String(text or html.get("href", ""))


def _unique(hints: _Hints, wanted: str) -> str:
    """A note split over two pages gives two Note elements: each needs its own /ID."""
    name, number = wanted, 1
    while name in hints.ids:
        number += 1
        name = f"{wanted}.{number}"
    hints.ids.add(name)
    return name


def finish(data: bytes, context: FinishContext) -> bytes:
    """The written PDF with the fixes of step 2 (see the module's docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            tree = _Tree.read(pdf)
            _link_notes(tree)
            _artifact_unreached(pdf, tree.reached)
            _clean_parent_tree(pdf, tree.reached)
        _print_links(pdf)
        _show_bookmarks(pdf)
        output = io.BytesIO()
        _declare_pdfua(pdf)
        _save(pdf, output)
    return _without_carriage_returns(output.getvalue())


def _save(pdf: pikepdf.Pdf, output: io.BytesIO) -> None:
    """Saving compresses the streams that have no filter (and qpdf turns a hex-encoded Flate stream
    back into plain Flate): which is why the file is checked again after it is saved."""
    pdf.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)


def _without_carriage_returns(data: bytes) -> bytes:
    """The file with no compressed stream ending in a carriage return (see :func:`_write_deflated`):
    checked after saving, since saving compresses the streams that were edited."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not _no_carriage_return_before_endstream(pdf):
            return data
        output = io.BytesIO()
        _save(pdf, output)
    return output.getvalue()


@dataclass
class _Tree:
    """The structure tree, as far as the fixes need it."""

    reached: dict[tuple[int, int], set[int]]  # page objgen -> MCIDs some structure element reaches
    notes: list[pikepdf.Dictionary]
    calls: dict[str, pikepdf.Dictionary]

    @classmethod
    def read(cls, pdf: pikepdf.Pdf) -> _Tree:
        tree = cls({}, [], {})
        root = pdf.Root.StructTreeRoot
        pending = [(kid, None) for kid in _kids(root)]
        while pending:
            node, page = pending.pop()
            if isinstance(node, int):
                if page is not None:
                    tree.reached.setdefault(page, set()).add(int(node))
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            page = node.Pg.objgen if "/Pg" in node else page
            if node.get("/Type") == "/MCR":
                tree.reached.setdefault(page, set()).add(int(node.MCID))
                continue
            if "/S" not in node:
                continue
            tree.note(node)
            pending += [(kid, page) for kid in _kids(node)]
        return tree

    def note(self, node: pikepdf.Dictionary) -> None:
        if node.S == "/Note":
            self.notes.append(node)
        elif _NOTE_HINT in node:
            self.calls.setdefault(str(node[_NOTE_HINT]), node)
            del node[_NOTE_HINT]


def _kids(node: pikepdf.Dictionary) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _link_notes(tree: _Tree) -> None:
    """Each call (/Reference) points at its note (/Ref, the key PDF 2.0 gives this), and the note's
    number is its label. Notes stay where WeasyPrint puts them, after the page's text: moving
    them in the tree would read them in another order than the page paints them (see README)."""
    for note in tree.notes:
        call = tree.calls.get(str(note.ID).split(".")[0])
        if call is not None:  # a note split across pages is referred to in all its parts, in order
            parts = [*call.get("/Ref", ()), note]
            call.Ref = pikepdf.Array(sorted(parts, key=lambda part: int(f"{part.ID}.1".split(".")[1])))
        kids = _kids(note)
        if kids and isinstance(kids[0], pikepdf.Dictionary) and kids[0].get("/S") == "/NonStruct":
            kids[0].S = pikepdf.Name.Lbl  # the ::footnote-marker "3."


_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _artifact_unreached(pdf: pikepdf.Pdf, reached: dict[tuple[int, int], set[int]]) -> None:
    """Marked content no structure element reaches becomes an artifact: WeasyPrint 70
    tags margin boxes (running heads, folios, the spine) and we drop hidden copies from
    the tree, but their content stays marked with an MCID that nothing claims."""
    for page in pdf.pages:
        claimed = reached.get(page.obj.objgen, set())
        for stream in _content_streams(page):
            data = stream.read_bytes()
            edited = _MARKED.sub(lambda m, mcids=claimed: m.group(0) if int(m.group(2)) in mcids
                                 else b"/Artifact BMC", data)
            if edited != data:
                _write_deflated(stream, edited)


def _write_deflated(stream: pikepdf.Stream, data: bytes, content: bool = True) -> None:
    """``data`` compressed into ``stream``, never ending with a carriage return: before the newline
    that closes a stream it reads as one end-of-line, and validators find /Length one byte off.
    The last bytes of zlib data are a checksum of the data (1 in 256 ends with one), so a page's
    content stream gets a trailing newline more (harmless there); other data is hex-encoded."""
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


def _clean_parent_tree(pdf: pikepdf.Pdf, reached: dict[tuple[int, int], set[int]]) -> None:
    """The parent tree maps each page's MCIDs to elements: none for those now artifacts."""
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums")
    if nums is None:
        return
    pages = {index: page.obj.objgen for index, page in enumerate(pdf.pages)}
    for position in range(0, len(nums), 2):
        key, value = int(nums[position]), nums[position + 1]
        if key not in pages or not isinstance(value, pikepdf.Array):
            continue
        claimed = reached.get(pages[key], set())
        nums[position + 1] = pikepdf.Array(
            [kid if mcid in claimed else None for mcid, kid in enumerate(value)])


def _print_links(pdf: pikepdf.Pdf) -> None:
    """Links printed like the text they sit on (outloud: hidden annotations differ on paper),
    each with a description (the link's text, set in step 1, or its address)."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            annotation.F = int(annotation.get("/F", 0)) | 4
            if "/Contents" not in annotation:
                action = annotation.get("/A", {})
                annotation.Contents = pikepdf.String(str(action.get("/URI", "link")))


def _show_bookmarks(pdf: pikepdf.Pdf) -> None:
    """The outline (from headings) open beside the pages, the title in the window bar."""
    if "/Outlines" in pdf.Root:
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
    preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences


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


def _declare_pdfua(pdf: pikepdf.Pdf) -> None:
    """A tagged PDF/A also claims PDF/UA-1 (with the extension schema PDF/A asks for a namespace
    it does not know); its XMP stream is written without a Filter, as PDF/A requires."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    if b"pdfaid:part" in xmp and b"pdfuaid:part" not in xmp and "/StructTreeRoot" in pdf.Root:
        xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_IN_PDFA + b"</rdf:RDF>")
    if "/Filter" in metadata or xmp != metadata.read_bytes():
        metadata.write(xmp)
