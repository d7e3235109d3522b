"""The Markdown body as pandoc reads it: one parse, a walk over its tree, lines in the source.

Every body check looks at pandoc's own document tree (its JSON AST), so it sees
exactly what will be printed: an example inside code of any kind (fenced,
indented, in a list, a definition list or a block quote) is code, never an
image or a citation. Pandoc's Markdown reader keeps no source positions, so a
finding is located afterwards in :func:`without_code`, the source with every
code block and span blanked (the code blocks are those of the tree, found
line by line in the source).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from pressroom.errors import fail

# Content is data: raw HTML/TeX could restyle a page or pull in files; it is printed as text.
MARKDOWN = "markdown-raw_html-raw_attribute-raw_tex-native_divs-native_spans"
_IRRELEVANT = re.compile(r"Could not load translations for|has no translation defined")


CALLS = ("Note", "Cite")  # a note call, or a citation (a note in the house style)


@dataclass
class Markdown:
    """A body (front-matter lines blanked, so lines are the file's) and pandoc's tree of it."""

    body: str
    tree: dict
    warnings: list[str] = field(default_factory=list)  # pandoc's, about the source

    @cached_property
    def tree_json(self) -> str:
        """The tree as pandoc reads it (once per process: the PDF's conversion and the web page's
        cache lookup both need it); UTF-8 as is, not escaped (a fifth quicker for Chinese)."""
        return json.dumps(self.tree, ensure_ascii=False)

    @cached_property
    def plain(self) -> str:
        """The body with code blanked: same length, same lines."""
        return without_code(self.body, [node["c"][1] for node in self.elements("CodeBlock")])

    @cached_property
    def _by_kind(self) -> dict[str, list[dict]]:
        index: dict[str, list[dict]] = {}
        for node in walk(self.tree["blocks"]):
            index.setdefault(node["t"], []).append(node)
        return index

    @cached_property
    def adjacent_calls(self) -> bool:
        """Whether two note calls (a note, or a citation: a note in the house style) follow each
        other with nothing between, anywhere. The web filter separates them, in a pass over
        every list of inlines that costs a tenth of the web's conversion: run only when needed."""
        stack: list = [self.tree["blocks"]]
        pop, push = stack.pop, stack.append
        while stack:
            previous = False
            for child in pop():
                if type(child) is dict:  # an element: its content "c" (a Cite's: its citations, its text)
                    call = child.get("t") in CALLS
                    if call and previous:
                        return True
                    previous = call
                    content = child.get("c")
                    if type(content) is list:
                        push(content)
                else:
                    previous = False
                    if type(child) is list:
                        push(child)
        return False

    def elements(self, kind: str) -> list[dict]:
        """The elements of type ``kind`` (e.g. "Image"), in document order."""
        return self._by_kind.get(kind, [])

    def citations(self) -> list[str]:
        """Every citation key, in document order (a key cited twice is listed twice)."""
        return [c["citationId"] for cite in self.elements("Cite") for c in cite["c"][0]]

    def cited(self) -> list[tuple[str, int | None]]:
        """(key, line) of every citation, grouped by key."""
        keys = self.citations()
        found = []
        for key in dict.fromkeys(keys):
            found += [(key, line) for line in self.lines_for(citation_pattern(key), keys.count(key))]
        return found

    def images(self) -> list[tuple[str, str]]:
        """(source, alt text) of every image."""
        return [(node["c"][2][0], stringify(node["c"][1])) for node in self.elements("Image")]

    def links(self) -> list[str]:
        return [node["c"][2][0] for node in self.elements("Link")]

    def unresolved_notes(self) -> list[str]:
        """Ids of note calls ``[^id]`` that pandoc printed as text: no definition."""
        return [m.group(1) for node in self.elements("Str") for m in _NOTE_CALL.finditer(node["c"])]

    def lines_of(self, pattern: str) -> list[int]:
        """Lines of every match of the regular expression ``pattern`` outside code."""
        return [bisect.bisect_right(self._line_starts, m.start()) for m in re.finditer(pattern, self.plain, re.M)]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.body)]

    def lines_for(self, pattern: str, count: int) -> list[int | None]:
        """The lines of ``count`` constructs that ``pattern`` finds outside code, the last line
        repeated if fewer are found (a reference definition serves several links)."""
        lines: list[int | None] = list(self.lines_of(pattern)[:count])
        return lines + [lines[-1] if lines else None] * (count - len(lines))

    def line_of(self, pattern: str) -> int | None:
        lines = self.lines_of(pattern)
        return lines[0] if lines else None


def citation_pattern(key: str) -> str:
    """A regular expression for the citation ``@key`` (or ``@{key}``) in the source."""
    return rf"(?<![\w\\])@(?:\{{{re.escape(key)}\}}|{re.escape(key)}(?![\w]))"


# Source patterns, used to locate what the tree holds (and by translation QA); one copy each.
NOTE_CALL = r"\[\^([^\]\s]+)\](?!:)"
BLOCK_OPENING = r"^ {0,3}:{3,}\s*\{?\s*\.?([\w-]+)"
_NOTE_CALL = re.compile(NOTE_CALL)


@cache
def pandoc_path() -> str:
    """The pandoc of the pinned pypandoc-binary wheel. (pypandoc's own search runs every pandoc
    it can find, 0.15 s a process, and takes the newest: one installed on the machine could win.)"""
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    return str(bundled) if bundled.is_file() else pypandoc.get_pandoc_path()


def parse(body: str, shown: str, cache_dir: Path | None = None) -> Markdown:
    """One pandoc call: the body's tree, and pandoc's warnings about it.

    With ``cache_dir``, the result is kept there by digest of the reader and the text, so a
    file read again (by the next build, the web edition, the translation status) costs no
    pandoc run: reading the kept tree takes a few milliseconds, pandoc a tenth of a second.
    """
    kept = cache_dir / f"{_digest(body)}.json" if cache_dir else None
    if kept and kept.exists():
        data = json.loads(kept.read_bytes())
        return Markdown(body, data["tree"], data["warnings"])
    result = subprocess.run([pandoc_path(), "--from", MARKDOWN, "--to", "json"], input=body.encode("utf-8"),
                            capture_output=True)
    errors = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise fail(shown, None, f"pandoc could not read the file: {errors.strip()}")
    document = Markdown(body, json.loads(result.stdout), split_warnings(errors))
    if kept:
        from pressroom.pipeline.write import write_atomically

        data = {"tree": document.tree, "warnings": document.warnings}
        write_atomically(kept, json.dumps(data).encode("utf-8"), durable=False)
    return document


@cache
def reader_version() -> str:
    """What pandoc's output depends on besides its input: our reader options and pandoc's version."""
    from importlib.metadata import version

    return f"{MARKDOWN} pypandoc-binary {version('pypandoc-binary')}"


def _digest(body: str) -> str:
    return hashlib.sha256(f"{reader_version()}\n{body}".encode()).hexdigest()


def split_warnings(stderr: str) -> list[str]:
    return relevant(re.split(r"^\[WARNING\] ", stderr, flags=re.M))


def relevant(warnings: list[str]) -> list[str]:
    """pandoc's warnings without those about its own translations of words we do not print."""
    return [w.strip() for w in warnings if w.strip() and not _IRRELEVANT.search(w)]


def walk(node) -> Iterator[dict]:
    """Every element (a dict with a type ``t``) under ``node``, in document order.

    An element's only child is its content ``c`` (pandoc's JSON); other dicts (a citation) are
    looked into whole. Written for speed: every check and every load walks the whole tree.
    """
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        if type(item) is list:
            extend(reversed(item))
        elif type(item) is dict:
            if "t" in item:
                yield item
                if "c" in item:
                    push(item["c"])
            else:
                extend(reversed(list(item.values())))


def stringify(inlines: list) -> str:
    parts = []
    for node in walk(inlines):
        if node["t"] in ("Str", "Code", "Math"):
            parts.append(node["c"] if node["t"] == "Str" else node["c"][-1])
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --- locating code in the source -------------------------------------------------------

_PREFIX = re.compile(r"[ \t>]*")  # what may stand before a code line: indentation, quote marks
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)


def without_code(body: str, code_blocks: list[str]) -> str:
    """``body`` with ``code_blocks`` (the texts of the tree's, in order) and every code span blanked."""
    lines = body.split("\n")
    masked = [False] * len(lines)
    cursor = 0
    for text in code_blocks:
        code = text.split("\n")
        found = _find_block(lines, masked, code, cursor) or _find_block(lines, masked, code, 0)
        if found is not None:
            cursor = found[1]
            for index in range(*found):
                masked[index] = True
    text = "\n".join(" " * len(line) if hide else line for line, hide in zip(lines, masked, strict=True))
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _find_block(lines: list[str], masked: list[bool], code: list[str], start: int) -> tuple[int, int] | None:
    """(first, end) lines of the code block ``code`` in the source, its fences included."""
    for first in range(start, len(lines) - len(code) + 1):
        if not masked[first] and all(_holds(lines[first + i], text) for i, text in enumerate(code)):
            end = first + len(code)
            if first > 0 and _FENCE.match(lines[first - 1]) and not masked[first - 1]:
                first -= 1
                if end < len(lines) and _FENCE.match(lines[end]):
                    end += 1
            return first, end
    return None


def _holds(line: str, code: str) -> bool:
    """Whether source ``line`` is code line ``code`` behind indentation or quote marks."""
    line, code = line.expandtabs(4).rstrip(), code.expandtabs(4).rstrip()
    if not code:
        return _PREFIX.fullmatch(line) is not None
    return line.endswith(code) and _PREFIX.fullmatch(line[: len(line) - len(code)]) is not None
