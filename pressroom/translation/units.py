"""A content file as translatable units, each with its span in the file's text.

A unit is one block a translator translates: a paragraph, a heading, a list
item, a table cell, a footnote's text, a quotation, a box title or
testimonial attribution, a front-matter title/subtitle/summary/keyword.
Everything between the units (markers, fences, blank lines, note ids, the
rest of the front-matter) is the file's *skeleton*: a translation is made by
putting translated units into the skeleton, never by regenerating Markdown.

Ids come from the unit's content (kind + text + markup), so they survive
blocks being added, moved or removed around them.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field

import yaml

from pressroom.convert.transform import MARKDOWN, pandoc_path
from pressroom.errors import Problem, fail
from pressroom.translation import segment as seg

FRONT_MATTER_KEYS = ("title", "subtitle", "summary")
LABELS = {"heading": "heading", "para": "paragraph", "item": "list item", "note": "footnote text",
          "quote": "quotation", "cell": "table cell", "title": "box title", "by": "testimonial attribution",
          "meta-title": "title (front-matter)", "meta-subtitle": "subtitle (front-matter)",
          "meta-summary": "summary (front-matter)", "keyword": "keyword (front-matter)"}


@dataclass
class Unit:
    kind: str
    segment: list
    start: int
    end: int
    line: int
    column: int = 0
    prefix: str = ""
    wrap: bool = True
    mode: str = "md"
    context: list[str] = field(default_factory=list)
    id: str = ""

    def render(self, items: list) -> str:
        return seg.render(items, self.mode, self.column, self.prefix, self.wrap)

    def note(self) -> str:
        """What a translator should know about this unit."""
        parts = [LABELS[self.kind]] + self.context
        if any(c.ctype == "pull" for c in seg.codes(self.segment).values()):
            parts.append("the text in the pull code is repeated, large, as a pull-quote")
        for ident, code in seg.codes(self.segment).items():
            native = code.native if isinstance(code, seg.Ph) else code.end if code.ctype == "link" else ""
            if native:
                parts.append(f"code {ident} = {code.ctype} {native}")
        return "; ".join(parts)


@dataclass
class Document:
    text: str
    units: list[Unit]

    def by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}


def read(text: str, shown: str) -> Document:
    """The units of a content file's text, in file order, with content-derived ids."""
    units = _front_matter(text, shown)
    body_start = units.pop() if units and isinstance(units[-1], int) else 0
    units += _Body(text, body_start).scan()
    units.sort(key=lambda u: u.start)
    units = [u for u in units if seg.plain(u.segment).strip()]
    _assign_ids(units)
    return Document(text, units)


def spliced(doc: Document, replace: dict[str, str]) -> str:
    """The document's text with the spans of some units replaced."""
    pieces, position = [], 0
    for unit in doc.units:
        if unit.id in replace:
            pieces += [doc.text[position:unit.start], replace[unit.id]]
            position = unit.end
    return "".join(pieces) + doc.text[position:]


def reading(text: str) -> object:
    """What pandoc reads in a Markdown file (front-matter included); a soft line break is a space."""
    result = subprocess.run([pandoc_path(), "--from", MARKDOWN, "--to", "json"], input=text.encode("utf-8"),
                            capture_output=True, check=True)
    return json.loads(result.stdout.decode("utf-8").replace('{"t":"SoftBreak"}', '{"t":"Space"}'))


def unprotected(doc: Document, shown: str) -> list[Problem]:
    """Units whose markup this splitter reads differently from pandoc (written back from their segments,
    pandoc would read something else): exporting them could lose markup, so they are refused."""
    expected = reading(doc.text)
    if reading(spliced(doc, {u.id: u.render(u.segment) for u in doc.units})) == expected:
        return []
    return [Problem(shown, unit.line, f"unit {unit.id}: this {LABELS[unit.kind]} has markup the translator kit "
                    "cannot protect", "simplify its markup (e.g. escape a literal * or _ with a backslash)")
            for unit in doc.units if reading(spliced(doc, {unit.id: unit.render(unit.segment)})) != expected]


def _assign_ids(units: list[Unit]) -> None:
    seen: dict[str, int] = {}
    for unit in units:
        digest = hashlib.sha256(f"{unit.kind}\n{seg.canonical(unit.segment)}".encode()).hexdigest()[:10]
        base = f"{unit.kind}-{digest}"
        seen[base] = seen.get(base, 0) + 1
        unit.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _front_matter(text: str, shown: str) -> list:
    if not text.startswith("---\n"):
        raise fail(shown, 1, "no front-matter: the file must start with a '---' line")
    m = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M).search(text, 4)
    if not m:
        raise fail(shown, 1, "the front-matter opened here is never closed")
    try:
        root = yaml.compose(text[4:m.start()])
    except yaml.YAMLError as error:
        raise fail(shown, None, f"front-matter is not valid YAML: {error}") from None
    units: list = []
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key.value in FRONT_MATTER_KEYS and isinstance(value, yaml.ScalarNode):
            units.append(_yaml_unit(f"meta-{key.value}", value, text))
        elif key.value == "keywords" and isinstance(value, yaml.SequenceNode):
            units += [_yaml_unit("keyword", item, text) for item in value.value if isinstance(item, yaml.ScalarNode)]
    return units + [m.end()]


def _yaml_unit(kind: str, node: yaml.ScalarNode, text: str) -> Unit:
    start, end = node.start_mark.index + 4, node.end_mark.index + 4
    column = start - text.rfind("\n", 0, start) - 1
    return Unit(kind, seg.strip([re.sub(r"\s+", " ", str(node.value))]), start, end,
                text.count("\n", 0, start) + 1, column, "  ", True, "yaml")


_FENCE = re.compile(r"^(`{3,}|~{3,})")
_DIV = re.compile(r"^:{3,}")
_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+|$)")
_NOTE_DEF = re.compile(r"^\[\^[^\]\s]+\]:[ \t]*")
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d+[.)]|[a-zA-Z][.)]|#\.)([ \t]+)(?=\S)")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_TABLE = re.compile(r"^[ \t]*\|")
_ATTR = re.compile(r'\b(title|by)="((?:[^"\\]|\\.)*)"')


class _Body:
    """A line scanner for the block structure of our authoring format."""

    def __init__(self, text: str, start: int):
        self.text = text
        self.lines: list[tuple[int, str]] = []
        offset = start
        for line in text[start:].split("\n"):
            self.lines.append((offset, line))
            offset += len(line) + 1
        self.units: list[Unit] = []
        self.headings: list[tuple[int, str]] = []
        self.boxes: list[str] = []
        self.container: tuple[str, str] | None = None  # (kind, default prefix) for indented continuations

    def scan(self) -> list[Unit]:
        i = 0
        while i < len(self.lines):
            i = self._block(i)
        return self.units

    def _block(self, i: int) -> int:
        offset, line = self.lines[i]
        if not line.strip():
            return i + 1
        fence = _FENCE.match(line.lstrip())
        if fence:
            return self._skip_code(i, fence.group(1))
        if _DIV.match(line):
            self._div(offset, line)
            self.container = None
            return i + 1
        heading = _HEADING.match(line)
        if heading:
            self._heading(offset, line, heading)
            self.container = None
            return i + 1
        if _TABLE.match(line):
            return self._table(i)
        note, item, quote = _NOTE_DEF.match(line), _ITEM.match(line), _QUOTE.match(line)
        if note:
            self.container = ("note", "    ")
            return self._run(i, "note", note.end(), "    ")
        if item:
            self.container = ("item", " " * item.end())
            return self._run(i, "item", item.end(), " " * item.end())
        if quote:
            return self._quote(i)
        indent = len(line) - len(line.lstrip())
        if indent >= 4 or (indent and self.container):
            if self.container is None:
                return self._skip_indented(i)
            return self._run(i, self.container[0], indent, line[:indent])
        self.container = None
        return self._run(i, "para", 0, "")

    def _ends_run(self, line: str) -> bool:
        stripped = line.lstrip()
        return (not line.strip() or bool(_DIV.match(line) or _HEADING.match(line) or _NOTE_DEF.match(line)
                                         or _ITEM.match(line) or _FENCE.match(stripped)))

    def _run(self, i: int, kind: str, first: int, prefix: str) -> int:
        j = i + 1
        while j < len(self.lines) and not self._ends_run(self.lines[j][1]):
            j += 1
        lines = self.lines[i:j]
        if j - i > 1:
            second = lines[1][1]
            prefix = second[:len(second) - len(second.lstrip())] if kind != "para" else ""
        start = lines[0][0] + first
        content = "\n".join([lines[0][1][first:]] + [x.lstrip() for _, x in lines[1:]])
        end = lines[-1][0] + len(lines[-1][1].rstrip())
        self._add(kind, content, start, end, prefix)
        return j

    def _quote(self, i: int) -> int:
        j = i
        while j < len(self.lines) and _QUOTE.match(self.lines[j][1]):
            j += 1
        chunk: list[tuple[int, str]] = []
        for offset, line in self.lines[i:j] + [(0, ">")]:
            rest = line[_QUOTE.match(line).end():]
            if rest.strip():
                chunk.append((offset + len(line) - len(rest), rest))
                continue
            if chunk:
                end = chunk[-1][0] + len(chunk[-1][1].rstrip())
                self._add("quote", "\n".join(x for _, x in chunk), chunk[0][0], end, "> ")
            chunk = []
        return j

    def _add(self, kind: str, content: str, start: int, end: int, prefix: str, **options) -> None:
        column = start - self.text.rfind("\n", 0, start) - 1
        context = []
        if self.headings:
            context.append("under: " + " > ".join(h for _, h in self.headings))
        if self.boxes:
            context.append("in: " + " > ".join(self.boxes))
        self.units.append(Unit(kind, seg.parse(content.rstrip()), start, end, self.text.count("\n", 0, start) + 1,
                               column, prefix, context=context, **options))

    def _heading(self, offset: int, line: str, m: re.Match) -> None:
        content = re.sub(r"(?:[ \t]+\{[^}]*\})?(?:[ \t]+#+)?[ \t]*$", "", line[m.end():])
        level = len(m.group(1))
        self.headings = [h for h in self.headings if h[0] < level]
        self._add("heading", content, offset + m.end(), offset + m.end() + len(content), "", wrap=False)
        self.headings.append((level, seg.plain(seg.parse(content))))

    def _div(self, offset: int, line: str) -> None:
        rest = line.lstrip(":").strip()
        if not rest:
            if self.boxes:
                self.boxes.pop()
            return
        classes = re.findall(r"(?:^|[\s{])\.?([\w-]+)(?=[\s}]|$)", re.sub(_ATTR, "", rest))
        for m in _ATTR.finditer(line):
            kind = m.group(1)
            content = m.group(2).replace('\\"', '"').replace("\\\\", "\\")
            self._add(kind, "", offset + m.start(2), offset + m.end(2), "", wrap=False, mode="attr")
            self.units[-1].segment = [content] if content.strip() else []
        self.boxes.append(" ".join(classes[:1]) or "box")

    def _table(self, i: int) -> int:
        j = i
        while j < len(self.lines) and _TABLE.match(self.lines[j][1]):
            offset, line = self.lines[j]
            if not re.fullmatch(r"[\s|:+-]*", line):
                for start, end in _cells(line):
                    self._add("cell", line[start:end], offset + start, offset + end, "", wrap=False, mode="cell")
            j += 1
        return j

    def _skip_code(self, i: int, fence: str) -> int:
        j = i + 1
        while j < len(self.lines) and not self.lines[j][1].lstrip().startswith(fence):
            j += 1
        return j + 1

    def _skip_indented(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and self.lines[j][1].strip():
            j += 1
        return j


def _cells(line: str) -> list[tuple[int, int]]:
    """Spans of the non-empty cells of a pipe-table row (``\\|`` and code spans do not split cells)."""
    bars, i = [], 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "`":
            span = seg._code_span(line, i)
            if span:
                i = span[1]
                continue
        if line[i] == "|":
            bars.append(i)
        i += 1
    spans = []
    for a, b in zip(bars, bars[1:], strict=False):
        cell = line[a + 1:b]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            spans.append((a + 1 + lead, a + 1 + len(cell.rstrip())))
    return spans
