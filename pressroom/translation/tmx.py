"""TMX 1.4 export of every translated unit of every edition, for translators' own memories."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pressroom.translation import segment as seg
from pressroom.translation.exchange import TOOL
from pressroom.translation.memory import Memory, renumber
from pressroom.translation.xliff import append_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _fill(elem: ET.Element, items: list, last: ET.Element | None = None) -> ET.Element | None:
    """TMX inline codes carry the native markup: ``<ph>`` for standalone, ``<bpt>``/``<ept>`` for paired."""
    for x in items:
        if isinstance(x, str):
            append_text(elem, last, x)
        elif isinstance(x, seg.Ph):
            last = ET.SubElement(elem, "ph", x=x.id, type=x.ctype)
            last.text = x.native
        else:
            last = ET.SubElement(elem, "bpt", i=x.id, x=x.id, type=x.ctype)
            last.text = x.start
            last = _fill(elem, x.body, last)
            last = ET.SubElement(elem, "ept", i=x.id)
            last.text = x.end
    return last


def write(memory: Memory, languages: list[str]) -> tuple[bytes, int]:
    """(the TMX file, how many translation units it has)."""
    source_lang = memory.project.source_lang
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {"creationtool": TOOL, "creationtoolversion": "1", "segtype": "paragraph",
                                   "o-tmf": TOOL, "adminlang": source_lang, "srclang": source_lang,
                                   "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    units: dict[str, ET.Element] = {}
    for lang in languages:
        for source, target, slug in memory.pairs(lang):
            key = seg.canonical(source.segment)
            if key not in units:
                units[key] = ET.SubElement(body, "tu", tuid=f"{slug}/{source.id}")
                ET.SubElement(units[key], "prop", type="x-kind").text = source.kind
                _fill(ET.SubElement(ET.SubElement(units[key], "tuv", {XML_LANG: source_lang}), "seg"), source.segment)
            tu = units[key]
            if any(t.get(XML_LANG) == lang for t in tu.findall("tuv")):
                continue
            translated = renumber(target.segment, source.segment)
            _fill(ET.SubElement(ET.SubElement(tu, "tuv", {XML_LANG: lang}), "seg"), translated)
    ET.indent(root.find("header"))
    for tu in body:
        tu.tail = "\n"
    body.text = root.text = "\n"
    body.tail = "\n"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n", len(units)
