"""gettext PO files: one entry per unit, the unit id as ``msgctxt``, codes as ``<x1/>`` and ``<g2>..</g2>``.

A changed paragraph is a ``fuzzy`` entry carrying the previous source text as
``#| msgid``, as msgmerge writes it, so tools show what changed.
"""

from __future__ import annotations

import polib

from pressroom.translation import segment as seg
from pressroom.translation.exchange import TOOL, Header, Incoming, Received

PREFIX = "X-Pressroom-"


def write(header: Header, entries: list) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": header.slug, "Language": header.target_lang, "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
        f"{PREFIX}Source": header.original, f"{PREFIX}Source-Language": header.source_lang,
        f"{PREFIX}Source-Version": header.version, "X-Generator": TOOL,
    }
    for entry in entries:
        comment = entry.unit.note() + (f"\nsuggestion: {entry.match}" if entry.match else "")
        po.append(polib.POEntry(
            msgctxt=entry.unit.id, msgid=seg.tagged(entry.unit.segment),
            msgstr=seg.tagged(entry.target) if entry.target is not None else "",
            comment=comment, occurrences=[(header.original, str(entry.unit.line))],
            flags=["fuzzy"] if entry.state == "fuzzy" else [],
            previous_msgid=seg.tagged(entry.previous) if entry.previous is not None else None))
    return str(po).encode("utf-8")


def read(text: str) -> Received:
    po = polib.pofile(text)
    meta = po.metadata
    header = Header(meta.get("Project-Id-Version", ""), meta.get(f"{PREFIX}Source", ""),
                    meta.get(f"{PREFIX}Source-Language", ""), meta.get("Language", ""),
                    meta.get(f"{PREFIX}Source-Version", ""))
    received = Received(header)
    for entry in po:
        if entry.obsolete:
            continue
        received.units.append(Incoming(entry.msgctxt or "", entry.msgid, entry.msgstr or None, entry.fuzzy))
    return received
