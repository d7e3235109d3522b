"""Inline Markdown as a translatable segment: text, with the markup held in protected codes.

A segment is a list of text strings and codes. A :class:`Ph` (standalone code)
holds markup the translator must keep but never sees as text: a citation, a
note call, inline code, math, an image, an autolink. A :class:`Pc` (paired
code) wraps text the translator translates: emphasis, strong, link text,
spans such as ``[...]{.pull}``; its ``start``/``end`` hold the native markup
(``[`` and ``](https://...)`` for a link). Codes are numbered 1, 2, ... in
the order they appear in the source; that numbering is what a CAT tool sees.

``parse`` reads the Markdown of one block (soft line breaks included);
``render`` writes a segment back as Markdown, escaping the translator's text
so that it stays text, and wrapping it like the source.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

WIDTH = 100


@dataclass
class Ph:
    ctype: str
    native: str
    id: str = ""


@dataclass
class Pc:
    ctype: str
    start: str
    end: str
    body: list = field(default_factory=list)
    id: str = ""


Segment = list  # of str | Ph | Pc

_KEY = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"  # pandoc: inner punctuation only
_CITE_INSIDE = re.compile(r"(?:^|[\s;\[])-?@(?:\{[^}]*\}|" + _KEY + ")")
_NOTE_CALL = re.compile(r"\[\^[^\]\s]+\]")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:|ftp://)[^>\s]+>|<[^>\s@]+@[^>\s@]+>")
_INTEXT = re.compile(r"@(?:\{[^}]*\}|" + _KEY + r")(?: \[[^\[\]]*\](?![(\[{]))?")
_ENTITY = re.compile(r"&#?\w+;")


def parse(text: str) -> Segment:
    """The segment of a block's Markdown (markup -> codes, escapes -> characters, white space collapsed)."""
    items = _normalise(_parse(text))
    _number(items, [0])
    return items


def _parse(s: str) -> list:
    out: list = []
    i, n = 0, len(s)
    while i < n:
        found = _code_at(s, i)
        if found:
            item, i = found
            out.append(item)
            continue
        c = s[i]
        if c == "\\" and i + 1 == n:  # a block's last character: pandoc reads a line break (and drops it)
            out.append(Ph("line-break", c))
            i += 1
            continue
        if c == "\\" and i + 1 < n:
            nxt = s[i + 1]
            if nxt == "\n":
                out.append(Ph("line-break", "\\\n"))
            else:
                out.append("\u00a0" if nxt == " " else nxt if nxt.isascii() and not nxt.isalnum() else c + nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return out


def _code_at(s: str, i: int) -> tuple[object, int] | None:
    c = s[i]
    if c == "`":
        return _code_span(s, i)
    if c == "$":
        return _math(s, i)
    if c == "!" and s.startswith("![", i):
        link = _bracketed(s, i + 1)
        if link and link[1] == "(":
            end = _attrs(s, link[2])
            return Ph("image", s[i:end]), end
    if c == "^" and s.startswith("^[", i):
        close = _matching(s, i + 1)
        if close is not None:
            return Pc("inline-note", "^[", "]", _parse(s[i + 2:close])), close + 1
    if c == "[":
        return _bracket(s, i)
    if c == "@" and (i == 0 or not s[i - 1].isalnum()):
        m = _INTEXT.match(s, i)
        if m:
            return Ph("citation", m.group(0)), m.end()
    if c == "<":
        m = _AUTOLINK.match(s, i)
        if m:
            return Ph("link", m.group(0)), m.end()
    if c in "*_":
        return _emphasis(s, i)
    if c in "~^":
        return _script(s, i)
    return None


def _code_span(s: str, i: int) -> tuple[Ph, int] | None:
    run = len(s[i:]) - len(s[i:].lstrip("`"))
    m = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(s, i + run)
    if not m:
        return None
    end = _attrs(s, m.end())
    return Ph("code", s[i:end]), end


def _math(s: str, i: int) -> tuple[Ph, int] | None:
    if s.startswith("$$", i):
        close = s.find("$$", i + 2)
        return (Ph("math", s[i:close + 2]), close + 2) if close > i + 2 else None
    if i + 1 >= len(s) or s[i + 1].isspace():
        return None
    m = re.compile(r"(?<=\S)(?<!\\)\$(?!\d)").search(s, i + 1)
    if not m or "\n\n" in s[i:m.start()]:
        return None
    return Ph("math", s[i:m.end()]), m.end()


def _matching(s: str, i: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at ``i`` (escapes and code spans skipped)."""
    depth, j = 0, i
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            span = _code_span(s, j)
            if span:
                j = span[1]
                continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return None


def _bracketed(s: str, i: int) -> tuple[int, str, int] | None:
    """(index of ``]``, what follows it, end of the whole construct) for ``[...](...)`` or ``[...]{...}``."""
    close = _matching(s, i)
    if close is None:
        return None
    after = s[close + 1:close + 2]
    if after == "(":
        depth, j = 0, close + 1
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(s[j], 0)
            if depth == 0:
                return close, "(", _attrs(s, j + 1)
            j += 1
        return None
    if after == "{":
        end = _attrs(s, close + 1)
        return (close, "{", end) if end > close + 1 else None
    return close, "", close + 1


def _attrs(s: str, i: int) -> int:
    """End of a ``{...}`` attribute block starting at ``i`` (``i`` if there is none)."""
    if s.startswith("{", i):
        close = s.find("}", i)
        if close > 0:
            return close + 1
    return i


def _bracket(s: str, i: int) -> tuple[object, int] | None:
    m = _NOTE_CALL.match(s, i)
    if m:
        return Ph("note-call", m.group(0)), m.end()
    found = _bracketed(s, i)
    if not found:
        return None
    close, kind, end = found
    if kind == "(":
        return Pc("link", "[", s[close:end], _parse(s[i + 1:close])), end
    if kind == "{":
        ctype = "pull" if ".pull" in s[close + 1:end] else "span"
        return Pc(ctype, "[", s[close:end], _parse(s[i + 1:close])), end
    inside = s[i + 1:close]
    if _CITE_INSIDE.search(inside) and "[" not in inside:
        return Ph("citation", s[i:end]), end
    return None


def _emphasis(s: str, i: int) -> tuple[Pc, int] | None:
    c = s[i]
    run = len(s[i:]) - len(s[i:].lstrip(c))
    if run > 2 or i + run >= len(s) or s[i + run].isspace():
        return None
    if c == "_" and i > 0 and s[i - 1].isalnum():
        return None
    j = i + run
    while j < len(s):
        ch = s[j]
        if ch == "\\":
            j += 2
            continue
        if ch in "`[":
            skip = _code_span(s, j) if ch == "`" else None
            if ch == "[":
                close = _matching(s, j)
                skip = (None, close + 1) if close is not None else None
            if skip:
                j = skip[1]
                continue
        if ch == c:
            length = len(s[j:]) - len(s[j:].lstrip(c))
            closes = not s[j - 1].isspace() and not (c == "_" and j + length < len(s) and s[j + length].isalnum())
            if length == run and closes:
                ctype = "strong" if run == 2 else "emphasis"
                return Pc(ctype, c * run, c * run, _parse(s[i + run:j])), j + run
            j += length
            continue
        j += 1
    return None


_SCRIPTS = {c: re.compile(rf"\{c}((?:[^\s{c}\\]|\\.)+)\{c}") for c in "~^"}


def _script(s: str, i: int) -> tuple[Pc, int] | None:
    c = s[i]
    if c == "~" and s.startswith("~~", i):
        close = s.find("~~", i + 2)
        return (Pc("strikeout", "~~", "~~", _parse(s[i + 2:close])), close + 2) if close > i + 2 else None
    m = _SCRIPTS[c].match(s, i)
    if not m:
        return None
    return Pc("superscript" if c == "^" else "subscript", c, c, _parse(m.group(1))), m.end()


def _normalise(items: list) -> list:
    """Adjacent characters joined into strings; runs of white space (not no-break spaces) as one space."""
    out: list = []
    for item in items:
        if isinstance(item, Pc):
            item.body = _normalise(item.body)
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    out = [re.sub(r"[ \t\n]+", " ", x) if isinstance(x, str) else x for x in out]
    return [x for x in out if x != ""]


def _number(items: list, counter: list[int]) -> None:
    for item in items:
        if isinstance(item, (Ph, Pc)):
            counter[0] += 1
            item.id = str(counter[0])
            if isinstance(item, Pc):
                _number(item.body, counter)


def strip(items: list) -> list:
    """The segment without white space at its ends."""
    items = list(items)
    if items and isinstance(items[0], str):
        items[0] = items[0].lstrip(" ")
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip(" ")
    return [x for x in items if x != ""]


def codes(items: list) -> dict[str, Ph | Pc]:
    """Every code of a segment by id."""
    found: dict[str, Ph | Pc] = {}
    for item in items:
        if isinstance(item, (Ph, Pc)):
            found[item.id] = item
            if isinstance(item, Pc):
                found.update(codes(item.body))
    return found


def plain(items: list) -> str:
    """The words of a segment, without its codes (for fuzzy matching and for reading)."""
    return "".join(x if isinstance(x, str) else plain(x.body) if isinstance(x, Pc) else "" for x in items)


def tagged(items: list) -> str:
    """The segment with codes as ``<x1/>`` and ``<g2>...</g2>`` (the form PO files carry)."""
    out = []
    for x in items:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, Ph):
            out.append(f"<x{x.id}/>")
        else:
            out.append(f"<g{x.id}>{tagged(x.body)}</g{x.id}>")
    return "".join(out)


def canonical(items: list) -> str:
    """Text and native markup of a segment: two blocks with the same canonical form are the same block."""
    def form(x):
        if isinstance(x, str):
            return x
        if isinstance(x, Ph):
            return ["ph", x.native]
        return ["pc", x.start, x.end, [form(y) for y in x.body]]
    return json.dumps([form(x) for x in items], ensure_ascii=False)


def same(a: list, b: list) -> bool:
    """Same text, same codes (by id) in the same places."""
    return tagged(a) == tagged(b) and plain(a) == plain(b)


class TagError(ValueError):
    pass


_TAG = re.compile(r"<x(\d+)/>|<g(\d+)>|</g(\d+)>")


def from_tagged(text: str, known: dict[str, Ph | Pc]) -> list:
    """A segment from its tagged form; the codes take their native markup from ``known`` (the source's)."""
    root: list = []
    stack: list[tuple[str, list]] = [("", root)]
    position = 0
    for m in _TAG.finditer(text):
        stack[-1][1].append(text[position:m.start()])
        position = m.end()
        ident = m.group(1) or m.group(2) or m.group(3)
        code = known.get(ident)
        if code is None:
            raise TagError(f"code {ident} is not in the source")
        if m.group(1):
            if not isinstance(code, Ph):
                raise TagError(f"code {ident} is a paired code, written here as standalone")
            stack[-1][1].append(Ph(code.ctype, code.native, ident))
        elif m.group(2):
            if not isinstance(code, Pc):
                raise TagError(f"code {ident} is a standalone code, written here as paired")
            pc = Pc(code.ctype, code.start, code.end, [], ident)
            stack[-1][1].append(pc)
            stack.append((ident, pc.body))
        else:
            if stack[-1][0] != ident:
                raise TagError(f"code {ident} is closed where it was not opened (codes must nest)")
            stack.pop()
    stack[-1][1].append(text[position:])
    if len(stack) > 1:
        raise TagError(f"code {stack[-1][0]} is opened and never closed")
    return _normalise(root)


def check_codes(target: list, source: list) -> list[str]:
    """What is wrong with the codes of a translation: each code of the source exactly once, no other."""
    want = codes(source)
    seen: list[str] = []

    def walk(items: list) -> None:
        for x in items:
            if isinstance(x, (Ph, Pc)):
                seen.append(x.id)
                if isinstance(x, Pc):
                    walk(x.body)
    walk(target)
    problems = [f"inline code {i} ({want[i].ctype}) is missing" for i in want if i not in seen]
    problems += [f"inline code {i} appears {seen.count(i)} times" for i in sorted(set(seen)) if seen.count(i) > 1]
    problems += [f"inline code {i} is not in the source" for i in sorted(set(seen)) if i not in want]
    return problems


# ---- rendering -------------------------------------------------------------------------------------------

_BREAK, _NEWLINE = "\x00", "\x01"
# What must not begin a line of a paragraph: headings, quotes, tables, definition lists, setext underlines,
# list markers (fancy lists too: 1. a) (iv) A.), note definitions.
_LINE_START = re.compile(r"^(?:[#>|:=~%]|[-*+]$|[-=*_]{3,}$|\d+[.)]|\(?\w+\)$|[A-Za-z][.)]$"
                         r"|[ivxlcdmIVXLCDM]+[.)]$|\[\^[^\]]*\]:)")


def escape(text: str, mode: str) -> str:
    """The translator's words as Markdown (or a YAML/attribute string) that reads back as the same words."""
    if mode == "attr":
        return text.replace("\\", "\\\\").replace('"', '\\"')
    if mode == "yaml":
        return json.dumps(text, ensure_ascii=False)[1:-1]
    special = "\\`*_[]<$^~" + ("|" if mode == "cell" else "")
    out = []
    for k, c in enumerate(text):
        quoted = c in special or c == "@" or (c == "&" and _ENTITY.match(text, k))  # pandoc may cite any @
        out.append("\\" + c if quoted else c)
    return "".join(out)


def _inline(items: list, mode: str) -> str:
    out = []
    for x in items:
        if isinstance(x, str):
            out.append(escape(x, mode).replace(" ", _BREAK))
        elif isinstance(x, Ph):
            native = x.native.replace("\\\n", "\\" + _NEWLINE) if x.ctype == "line-break" else x.native
            out.append(re.sub(r"[ \t]*\n[ \t]*", " ", native))
        else:
            out.append(x.start + _inline(x.body, mode) + re.sub(r"[ \t]*\n[ \t]*", " ", x.end))
    return "".join(out)


def render(items: list, mode: str = "md", column: int = 0, prefix: str = "", wrap: bool = True) -> str:
    """Markdown for a segment, starting at ``column``, continuation lines starting with ``prefix``."""
    line = _inline(strip(items), mode)
    if mode in ("md", "cell"):
        line = _protect_start(line)
    quote = '"' if mode == "yaml" else ""
    if not wrap:
        return quote + line.replace(_BREAK, " ").replace(_NEWLINE, "\n" + prefix) + quote
    parts = [_wrap(part.split(_BREAK), column + len(quote) if k == 0 else len(prefix), prefix, mode)
             for k, part in enumerate(line.split(_NEWLINE))]
    return quote + ("\n" + prefix).join(parts) + quote


def _protect_start(line: str) -> str:
    """A block must not begin like other markup (a heading, a list, a quote)."""
    first = line.split(_BREAK, 1)[0]
    if not _LINE_START.match(first):
        return line
    m = re.match(r"^\(?\w+(?=[.)])", first)  # 1. a) (iv): escape the punctuation, not a letter
    return line[:m.end()] + "\\" + line[m.end():] if m else "\\" + line


def _wrap(atoms: list[str], column: int, prefix: str, mode: str) -> str:
    lines: list[str] = []
    current, width = "", column
    for atom in atoms:
        if not current:
            current, width = atom, width + len(atom)
            continue
        breakable = mode == "yaml" or not _LINE_START.match(atom)
        if width + 1 + len(atom) > WIDTH and breakable and atom:
            lines.append(current)
            current, width = atom, len(prefix) + len(atom)
        else:
            current += " " + atom
            width += 1 + len(atom)
    lines.append(current)
    return ("\n" + prefix).join(lines)
