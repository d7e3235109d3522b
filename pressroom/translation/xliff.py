"""XLIFF 1.2 and 2.1 files: written from an export plan, read back into tagged segments.

Codes: in 1.2 a standalone code is ``<x id="N" ctype="x-..."/>`` and a paired
one ``<g id="N" ctype="bold|italic|link|x-...">``; in 2.1 they are ``<ph>`` and
``<pc>`` whose native markup is in ``<originalData>`` (informative only: on
import the markup always comes from the source, by code id). On reading, the
forms tools rewrite codes into (``bx``/``ex``, ``bpt``/``ept``, ``sc``/``ec``,
``mrk``) are accepted too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pressroom.translation import segment as seg
from pressroom.translation.exchange import DATATYPE, TOOL, Header, Incoming, Received

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CTYPES = {"strong": "bold", "emphasis": "italic", "link": "link", "image": "image", "line-break": "lb"}
STATES12 = {"translated": "translated", "fuzzy": "needs-review-translation"}
STATES2 = {"translated": "translated", "fuzzy": "initial", "new": "initial"}
REVIEW12 = ("needs-review-translation", "needs-review-adaptation", "needs-review-l10n", "needs-translation",
            "needs-adaptation", "needs-l10n", "new")


def _ctype(code) -> str:
    return CTYPES.get(code.ctype, "x-" + code.ctype)


def append_text(elem: ET.Element, last: ET.Element | None, text: str) -> None:
    """``text`` after the last child of ``elem`` (its tail), or as its text when it has none yet."""
    if last is None:
        elem.text = (elem.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _fill(elem: ET.Element, items: list, version: int, data: dict[str, str]) -> None:
    """Append a segment's text and codes to ``elem``."""
    last: ET.Element | None = None
    for x in items:
        if isinstance(x, str):
            append_text(elem, last, x)
            continue
        if version == 1:
            child = ET.SubElement(elem, f"{{{NS12}}}{'x' if isinstance(x, seg.Ph) else 'g'}", id=x.id, ctype=_ctype(x))
        elif isinstance(x, seg.Ph):
            data[f"d{x.id}"] = x.native
            child = ET.SubElement(elem, f"{{{NS2}}}ph", id=x.id, dataRef=f"d{x.id}", canDelete="no")
        else:
            data[f"s{x.id}"], data[f"e{x.id}"] = x.start, x.end
            child = ET.SubElement(elem, f"{{{NS2}}}pc", id=x.id, dataRefStart=f"s{x.id}", dataRefEnd=f"e{x.id}",
                                  canDelete="no", type="fmt")
        if isinstance(x, seg.Pc):
            _fill(child, x.body, version, data)
        last = child


def write(header: Header, entries: list, version: int = 1) -> bytes:
    """An XLIFF file (version 1 = 1.2, 2 = 2.1) for the entries of an export plan."""
    ns = NS12 if version == 1 else NS2
    ET.register_namespace("", ns)
    if version == 1:
        root = ET.Element(f"{{{ns}}}xliff", version="1.2")
        file = ET.SubElement(root, f"{{{ns}}}file", {
            "original": header.original, "source-language": header.source_lang,
            "target-language": header.target_lang, "datatype": DATATYPE, "build-num": header.version,
            "tool-id": TOOL})
        ET.SubElement(ET.SubElement(file, f"{{{ns}}}header"), f"{{{ns}}}tool", {"tool-id": TOOL, "tool-name": TOOL})
        body = ET.SubElement(file, f"{{{ns}}}body")
        for entry in entries:
            _unit12(body, entry)
    else:
        root = ET.Element(f"{{{ns}}}xliff", version="2.1", srcLang=header.source_lang, trgLang=header.target_lang)
        file = ET.SubElement(root, f"{{{ns}}}file", id="f1", original=header.original)
        notes = ET.SubElement(file, f"{{{ns}}}notes")
        ET.SubElement(notes, f"{{{ns}}}note", category="source-version").text = header.version
        for entry in entries:
            _unit2(file, entry)
    _indent(root, 0)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _unit12(body: ET.Element, entry) -> None:
    unit = ET.SubElement(body, f"{{{NS12}}}trans-unit", {"id": entry.unit.id, XML_SPACE: "preserve"})
    if entry.state == "translated":
        unit.set("approved", "yes")
    _fill(ET.SubElement(unit, f"{{{NS12}}}source"), entry.unit.segment, 1, {})
    if entry.target is not None:
        _fill(ET.SubElement(unit, f"{{{NS12}}}target", state=STATES12[entry.state]), entry.target, 1, {})
    ET.SubElement(unit, f"{{{NS12}}}note", {"from": TOOL}).text = entry.unit.note()
    if entry.match:
        ET.SubElement(unit, f"{{{NS12}}}note", {"from": TOOL}).text = "suggestion: " + entry.match
    if entry.previous is not None:
        ET.SubElement(unit, f"{{{NS12}}}note", {"from": TOOL}).text = "previous source: " + seg.plain(entry.previous)


def _unit2(file: ET.Element, entry) -> None:
    unit = ET.SubElement(file, f"{{{NS2}}}unit", id=entry.unit.id)
    notes = ET.SubElement(unit, f"{{{NS2}}}notes")
    ET.SubElement(notes, f"{{{NS2}}}note", category="context").text = entry.unit.note()
    if entry.match:
        ET.SubElement(notes, f"{{{NS2}}}note", category="suggestion").text = entry.match
    if entry.previous is not None:
        ET.SubElement(notes, f"{{{NS2}}}note", category="previous-source").text = seg.plain(entry.previous)
    data: dict[str, str] = {}
    original = ET.SubElement(unit, f"{{{NS2}}}originalData")
    segment = ET.SubElement(unit, f"{{{NS2}}}segment", state=STATES2[entry.state])
    if entry.state == "fuzzy":
        segment.set("subState", f"{TOOL}:needs-review")
    attrs = {XML_SPACE: "preserve"}
    _fill(ET.SubElement(segment, f"{{{NS2}}}source", attrs), entry.unit.segment, 2, data)
    if entry.target is not None:
        _fill(ET.SubElement(segment, f"{{{NS2}}}target", attrs), entry.target, 2, {})
    for key, value in data.items():
        ET.SubElement(original, f"{{{NS2}}}data", id=key).text = value
    if not data:
        unit.remove(original)


_LEAVES = {"source", "target", "note", "data", "tool"}


def _indent(elem: ET.Element, level: int) -> None:
    """Indent the structure, never the inside of a segment (its white space is text)."""
    if _local(elem.tag) in _LEAVES or not len(elem):
        return
    elem.text = "\n" + "  " * (level + 1)
    for child in elem:
        _indent(child, level + 1)
        child.tail = "\n" + "  " * (level + 1)
    elem[-1].tail = "\n" + "  " * level


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class FormatError(ValueError):
    pass


def read(data: bytes) -> Received:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise FormatError(f"not well-formed XML: {error}") from None
    if root.tag == f"{{{NS12}}}xliff":
        return _read12(root)
    if root.tag == f"{{{NS2}}}xliff":
        return _read2(root)
    raise FormatError(f"not an XLIFF 1.2 or 2.x file (root element {root.tag})")


def _read12(root: ET.Element) -> Received:
    files = root.findall(f"{{{NS12}}}file")
    if len(files) != 1:
        raise FormatError(f"{len(files)} <file> elements; an export has exactly one")
    file = files[0]
    header = Header(_slug(file.get("original", "")), file.get("original", ""), file.get("source-language", ""),
                    file.get("target-language", ""), file.get("build-num", ""))
    received = Received(header)
    for unit in file.iter(f"{{{NS12}}}trans-unit"):
        source, target = unit.find(f"{{{NS12}}}source"), unit.find(f"{{{NS12}}}target")
        state = target.get("state", "") if target is not None else ""
        review = state in REVIEW12 or unit.get("approved") == "no" and bool(state)
        received.units.append(Incoming(unit.get("id", ""), _tagged(source) if source is not None else "",
                                       _tagged(target) if target is not None else None, review))
    return received


def _read2(root: ET.Element) -> Received:
    files = root.findall(f"{{{NS2}}}file")
    if len(files) != 1:
        raise FormatError(f"{len(files)} <file> elements; an export has exactly one")
    file = files[0]
    version = next((n.text or "" for n in file.iter(f"{{{NS2}}}note") if n.get("category") == "source-version"), "")
    header = Header(_slug(file.get("original", "")), file.get("original", ""), root.get("srcLang", ""),
                    root.get("trgLang", ""), version)
    received = Received(header)
    for unit in file.iter(f"{{{NS2}}}unit"):
        segments = unit.findall(f"{{{NS2}}}segment")
        sources = [s.find(f"{{{NS2}}}source") for s in segments]
        targets = [s.find(f"{{{NS2}}}target") for s in segments]
        review = any(s.get("subState") == f"{TOOL}:needs-review" and s.get("state", "initial") == "initial"
                     for s in segments)
        target = None if all(t is None for t in targets) else "".join(_tagged(t) for t in targets if t is not None)
        received.units.append(Incoming(unit.get("id", ""), "".join(_tagged(s) for s in sources if s is not None),
                                       target, review))
    return received


def _slug(original: str) -> str:
    parts = original.replace("\\", "/").split("/")
    return parts[-2] if len(parts) >= 3 and parts[-3] == "content" else ""


def _tagged(elem: ET.Element) -> str:
    """An XLIFF segment element in tagged form; the code ids are kept, their content is not."""
    out = [elem.text or ""]
    for child in elem:
        tag, ident = _local(child.tag), child.get("id", "")
        ref = child.get("rid") or child.get("startRef") or ident
        if tag in ("x", "ph", "it"):
            out.append(f"<x{ident}/>")
        elif tag in ("g", "pc"):
            out.append(f"<g{ident}>{_tagged(child)}</g{ident}>")
        elif tag in ("bx", "bpt", "sc"):
            out.append(f"<g{ref}>")
        elif tag in ("ex", "ept", "ec"):
            out.append(f"</g{ref}>")
        elif tag in ("mrk", "sub"):
            out.append(_tagged(child))
        elif tag not in ("sm", "em"):
            raise FormatError(f"unexpected element <{tag}> in a segment")
        out.append(child.tail or "")
    return "".join(out)
