"""Declarative checks for YAML mappings (front-matter, brand.yaml, locale files).

Each key is described once by a :class:`Field`; :func:`check` reports every
problem with the file and line of the offending key, and a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pressroom.errors import Problem, did_you_mean, nearest
from pressroom.project.yamlfile import YamlDoc

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Field:
    kind: str  # "text", "texts" (list of text), "flag" (true/false), "mapping", "mappings" (list of mappings)
    required: bool = False
    check: Check | None = None
    hint: str = ""
    fields: dict[str, Field] | None = None  # for "mapping" and "mappings"
    open: bool = False  # a mapping whose keys are free (e.g. colours)


_KIND_NAMES = {
    "text": "a text value",
    "texts": "a list of text values",
    "flag": "true or false",
    "mapping": "a mapping of keys to values",
    "mappings": "a list of mappings",
}


def matches(pattern: str, example: str) -> Check:
    rx = re.compile(pattern)

    def check(value: Any) -> str | None:
        return None if rx.fullmatch(str(value)) else f"'{value}' is not in the form {example}"

    return check


def one_of(choices: list[str]) -> Check:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        guess = nearest(str(value), choices)
        suggestion = f" (did you mean '{guess}'?)" if guess else ""
        return f"'{value}' is not one of: {', '.join(choices)}{suggestion}"

    return check


def _is_kind(value: Any, kind: str) -> bool:
    scalar = (str, int, float)
    if kind == "text":
        return isinstance(value, scalar) and not isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, list) and all(_is_kind(v, "text") for v in value)
    if kind == "flag":
        return isinstance(value, bool)
    if kind == "mapping":
        return isinstance(value, dict)
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def check(doc: YamlDoc, fields: dict[str, Field], data: Any = None, prefix: str = "") -> list[Problem]:
    """Every problem of ``data`` (default: the whole document) against ``fields``."""
    data = doc.data if data is None else data
    where = prefix.rstrip(".") or "the document"
    if not isinstance(data, dict):
        return [Problem(doc.path, doc.line(prefix.rstrip(".")), f"{where} must be a mapping of keys to values",
                        "write one 'key: value' per line")]
    problems: list[Problem] = []
    for key in data:
        if key not in fields:
            problems.append(Problem(doc.path, doc.line(prefix + str(key)), f"unknown key '{prefix}{key}'",
                                    did_you_mean(str(key), list(fields), "keys")))
    for key, spec in fields.items():
        name = prefix + key
        if key not in data or data[key] is None:
            if spec.required:
                problems.append(Problem(doc.path, doc.line(prefix.rstrip(".")) if prefix else doc.first_line,
                                        f"missing required key '{name}'", spec.hint))
            continue
        problems += _check_value(doc, spec, data[key], name)
    return problems


def _check_value(doc: YamlDoc, spec: Field, value: Any, name: str) -> list[Problem]:
    line = doc.line(name)
    if not _is_kind(value, spec.kind):
        return [Problem(doc.path, line, f"'{name}' must be {_KIND_NAMES[spec.kind]}", spec.hint)]
    if spec.kind == "mapping" and spec.fields is not None and not spec.open:
        return check(doc, spec.fields, value, name + ".")
    if spec.kind == "mappings" and spec.fields is not None:
        return [p for i, item in enumerate(value) for p in check(doc, spec.fields, item, f"{name}[{i}].")]
    if spec.kind == "mapping":
        items = [(f"{name}.{key}", item) for key, item in value.items()]
    else:
        items = [(name, item) for item in (value if spec.kind == "texts" else [value])]
    problems = []
    for item_name, item in items:
        message = spec.check(item) if spec.check else None
        if message:
            problems.append(Problem(doc.path, doc.line(item_name), f"'{item_name}': {message}", spec.hint))
    return problems
