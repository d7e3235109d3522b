"""Safe YAML loading that remembers the line of every mapping key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pressroom.errors import fail


class _TextLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the author wrote."""


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
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else first_line
        raise fail(path, line, f"invalid YAML: {error.problem or error}",
                   "check indentation and quote values that contain ':' or '#'") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _collect_lines(node, "", first_line, lines)
    return YamlDoc(data, path, first_line, lines)


def load_yaml_file(path: Path, shown_as: str | None = None) -> YamlDoc:
    from pressroom.project.textfile import read_text

    return parse_yaml(read_text(path, shown_as), shown_as or path)
