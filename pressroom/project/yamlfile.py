"""Safe YAML loading that remembers the line of every mapping key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pressroom.errors import BuildError, fail


class _TextLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the author wrote and refuses aliases.

    An alias (``*name``) repeats an anchored value; nested aliases expand
    exponentially ("billion laughs"), so a few lines could take minutes and
    gigabytes. Content never needs them: the first one stops the parse.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias '*{event.anchor}' is not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDoc:
    """A YAML mapping with the 1-based line of each key (nested keys as 'a.b')."""

    data: Any
    path: Path | str
    first_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, key: str) -> int:
        return self.lines.get(key, self.first_line)


def _collect_lines(node: yaml.Node, prefix: str, offset: int, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = f"{prefix}{key_node.value}"
            out[name] = key_node.start_mark.line + offset
            _collect_lines(value_node, name + ".", offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix.rstrip('.')}[{index}]"
            out[name] = item.start_mark.line + offset
            _collect_lines(item, name + ".", offset, out)


def parse_yaml(text: str, path: Path | str, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` (which starts at ``first_line`` of ``path``)."""
    loader = _TextLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise _describe(error, text, path, first_line) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _collect_lines(node, "", first_line, lines)
    return YamlDoc(data, path, first_line, lines)


def _describe(error: yaml.MarkedYAMLError, text: str, path: Path | str, first_line: int) -> BuildError:
    """The error at the line where the bad value starts, naming its key.

    For a quote or a bracket never closed, the scanner notices only at the end
    (``problem_mark``); the value started at ``context_mark``.
    """
    context = error.context or ""
    opened = context.startswith(("while scanning a quoted", "while parsing a flow"))
    mark = (error.context_mark if opened else None) or error.problem_mark or error.context_mark
    index = mark.line if mark else 0
    key = key_at(text.split("\n"), index)
    where = f"'{key}'" if key else "the front-matter"
    line = index + first_line
    if context.startswith("while scanning a quoted"):
        return fail(path, line, f"{where}: the quote opened here is never closed",
                    "end the value with the same quote mark on this line, or drop the quotes")
    if context.startswith("while parsing a flow"):
        return fail(path, line, f"{where}: the bracket opened here is never closed",
                    "close the list with ']' (or '}') on this line, or write one '- item' per line")
    if "alias" in str(error.problem):
        return fail(path, line, f"{where}: YAML {error.problem} (aliases can expand without limit)",
                    "write the value out in full")
    return fail(path, line, f"invalid YAML in {where}: {error.problem or error}",
                "check indentation and quote values that contain ':' or '#'")


_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#'\"-][^:#]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")


def key_at(lines: list[str], index: int) -> str:
    """The dotted name of the key whose value is on line ``index`` (0-based), or ''."""
    names: list[str] = []
    indent = None
    for line in reversed(lines[: index + 1]):
        match = _KEY.match(line)
        if not match:
            continue
        width = len(match.group(1))
        if indent is None or width < indent:
            names.insert(0, match.group(2).strip("'\""))
            indent = width
            if width == 0:
                break
    return ".".join(names)


def load_yaml_file(path: Path, shown_as: str | None = None) -> YamlDoc:
    from pressroom.project.textfile import read_text

    return parse_yaml(read_text(path, shown_as), shown_as or path)
