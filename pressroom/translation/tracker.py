"""Translation tracking: which version of the source a translation matches, and what changed since.

A source is compared as pandoc reads it, unit by unit (a paragraph, a heading,
a list item, a table), so rewrapping, white space and list-marker style do not
count as changes. ``mark-translated`` records the source version in the
translation's front-matter (``translation: en@<version>``) and keeps a
snapshot of the source's units in ``content/<slug>/.versions/<version>.json``,
from which ``status`` shows the paragraphs that changed since.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.errors import BuildError, fail
from pressroom.pipeline.write import write_atomically
from pressroom.project.config import Project
from pressroom.project.textfile import read_text
from pressroom.source.load import load_publication, markdown_cache, split_front_matter
from pressroom.source.markdown import parse, reader_version

VERSIONS = ".versions"


@dataclass(frozen=True)
class Unit:
    kind: str
    text: str
    digest: str


@dataclass
class Status:
    slug: str
    lang: str
    state: str  # missing | current | stale | invalid
    detail: str = ""
    changes: list[dict[str, str]] = field(default_factory=list)
    units: dict[str, int] = field(default_factory=dict)  # translated / fuzzy / new, as an export would start

    def as_dict(self) -> dict:
        return {"slug": self.slug, "lang": self.lang, "status": self.state, "detail": self.detail,
                "changes": self.changes, "units": self.units}


def source_units(markdown_body: str, cache_dir: Path | None = None, legacy: bool = False) -> list[Unit]:
    """The source's units as pandoc reads them, each with a digest of its content (``cache_dir``:
    see :func:`parse`; ``legacy``: see :func:`_unit`)."""
    units: list[Unit] = []
    for block in parse(markdown_body, "source", cache_dir).tree["blocks"]:
        _collect(block, units, legacy)
    return units


def _collect(block: dict, units: list[Unit], legacy: bool) -> None:
    kind, content = block["t"], block.get("c")
    if kind == "Div":
        classes = " ".join(content[0][1])
        units.append(_unit(f"div {classes}", [content[0][1], content[0][2]], f"::: {classes}", legacy))
        for child in content[1]:
            _collect(child, units, legacy)
    elif kind in ("BulletList", "OrderedList"):
        items = content if kind == "BulletList" else content[1]
        for item in items:  # list attributes (marker style, start) are not text
            units.append(_unit("item", item, _plain(item), legacy))
    else:
        units.append(_unit(kind, content, _plain(content), legacy))


# The numbers pandoc gives a citation by its place in the document: not part of its text.
_NOTE_NUMBERS = re.compile(r'"(citationHash|citationNoteNum)": \d+')


def _unit(kind: str, content: object, text: str, legacy: bool = False) -> Unit:
    """A unit and the digest of its content. Rewrapping turns spaces into soft breaks; a tight and
    a loose list differ only in Plain/Para; a note added before a citation renumbers it. None of
    them is a change of text. (``legacy``: the digest of versions recorded before 2026-12, which
    kept the citation's numbers, so that their translations are still recognised.)"""
    canonical = (json.dumps(content, sort_keys=True, ensure_ascii=False)
                 .replace('{"t": "SoftBreak"}', '{"t": "Space"}').replace('"t": "Plain"', '"t": "Para"'))
    if not legacy:
        canonical = _NOTE_NUMBERS.sub(r'"\1": 0', canonical)
    return Unit(kind, text, hashlib.sha256(f"{kind}\n{canonical}".encode()).hexdigest()[:16])


def _plain(node: object) -> str:
    """Readable text of a pandoc JSON node (notes included, markup dropped)."""
    if isinstance(node, list):
        return "".join(_plain(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Note":
        return " [note: " + _plain(content).strip() + "]"
    if kind == "Cite":
        return "[" + "; ".join("@" + c["citationId"] for c in content[0]) + "]"
    if kind in ("Code", "Math", "RawInline"):
        return content[-1]
    if kind == "Link":
        return _plain(content[1]) + f" <{content[2][0]}>"
    if kind in ("Para", "Plain", "Header", "BlockQuote", "Emph", "Strong", "Span", "Quoted", "Underline",
                "Strikeout", "SmallCaps", "Superscript", "Subscript", "Image", "Table", "Figure",
                "LineBlock", "DefinitionList", "CodeBlock"):
        text = _plain(content)
        return f"\u201c{text}\u201d" if kind == "Quoted" else text + (" " if kind in ("Para", "Plain") else "")
    return _plain(content)


def version_of(units: list[Unit]) -> str:
    return hashlib.sha256("\n".join(u.digest for u in units).encode()).hexdigest()[:12]


_CODE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@dataclass
class Tracker:
    """Status of every translation of the project's publications."""

    project: Project
    _sources: dict[tuple[str, bool], list[Unit]] = field(default_factory=dict)

    def source_path(self, slug: str) -> Path:
        return self.project.content_dir / slug / f"{self.project.source_lang}.md"

    def units(self, slug: str, legacy: bool = False) -> list[Unit]:
        """The source's units; kept in build/.cache/units by digest of its text (a pandoc run each)."""
        if (slug, legacy) not in self._sources:
            text = read_text(self.source_path(slug), self.project.rel(self.source_path(slug)))
            _, body, body_line = split_front_matter(text, self.project.rel(self.source_path(slug)))
            # Keyed by the reader, this code and the text: a change to any of them is a new entry.
            digest = hashlib.sha256(f"{reader_version()}\n{_CODE_DIGEST}\n{legacy}\n{body}".encode()).hexdigest()
            cached = self.project.root / "build" / ".cache" / "units" / f"{digest}.json"
            if cached.exists():
                units = [Unit(**u) for u in json.loads(cached.read_text(encoding="utf-8"))]
            else:
                # Padded as the build reads it (same lines), so the build's parse of the source serves here.
                units = source_units("\n" * (body_line - 1) + body, markdown_cache(self.project), legacy)
                data = json.dumps([u.__dict__ for u in units], ensure_ascii=False)
                write_atomically(cached, data.encode("utf-8"), durable=False)
            self._sources[(slug, legacy)] = units
        return self._sources[(slug, legacy)]

    def is_current(self, slug: str, version: str) -> bool:
        """Whether ``version`` is the source's version (as recorded now, or before 2026-12)."""
        return version == self.version(slug) or version == version_of(self.units(slug, legacy=True))

    def slugs(self) -> list[str]:
        return sorted(p.parent.name for p in self.project.content_dir.glob(f"*/{self.project.source_lang}.md"))

    def status(self, slug: str, lang: str) -> Status:
        path = self.project.content_dir / slug / f"{lang}.md"
        if not path.exists():
            return Status(slug, lang, "missing")
        try:
            pub = load_publication(self.project, path)
        except BuildError as error:
            return Status(slug, lang, "invalid", str(error.problems[0]))
        if not pub.translation:
            return Status(slug, lang, "stale", "never marked: run 'python build.py mark-translated "
                          f"{slug} {lang}' once it matches the source")
        source_lang, _, version = pub.translation.partition("@")
        if source_lang != self.project.source_lang or not version:
            return Status(slug, lang, "invalid", f"{pub.shown_as}: 'translation: {pub.translation}' is not "
                          f"in the form {self.project.source_lang}@<version>")
        if self.is_current(slug, version):
            return Status(slug, lang, "current")
        snapshot = self.project.content_dir / slug / VERSIONS / f"{version}.json"
        if not snapshot.exists():
            return Status(slug, lang, "invalid", f"no snapshot {self.project.rel(snapshot)} for version {version}")
        old = [Unit(**u) for u in json.loads(snapshot.read_text(encoding="utf-8"))]
        changes = self._changes(old, slug)
        return Status(slug, lang, "stale", f"{len(changes)} source paragraph(s) changed since {version}", changes)

    def _changes(self, old: list[Unit], slug: str) -> list[dict[str, str]]:
        """What changed from ``old`` to the source: compared with the source's units as recorded now and
        as recorded before 2026-12 (``old`` may be either), the shorter list of changes is right."""
        return min((self._changes_from(old, self.units(slug, legacy)) for legacy in (False, True)), key=len)

    @staticmethod
    def _changes_from(old: list[Unit], new: list[Unit]) -> list[dict[str, str]]:
        matcher = difflib.SequenceMatcher(a=[u.digest for u in old], b=[u.digest for u in new], autojunk=False)
        changes = []
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            before, after = old[a1:a2], new[b1:b2]
            for index in range(max(len(before), len(after))):
                was = before[index].text.strip() if index < len(before) else ""
                now = after[index].text.strip() if index < len(after) else ""
                kind = "changed" if was and now else ("added" if now else "removed")
                changes.append({"change": kind, "before": was, "after": now})
        return changes

    def mark_translated(self, slug: str, lang: str) -> str:
        """Record that ``lang`` matches the current source; no other byte of the file changes."""
        path = self.project.content_dir / slug / f"{lang}.md"
        if lang == self.project.source_lang:
            raise fail(self.project.rel(path), None, "this is the source, not a translation")
        if not path.exists():
            raise fail(self.project.rel(path), None, "no such translation",
                       f"copy {self.project.rel(self.source_path(slug))} to it and translate it first")
        value = self.record_version(slug)
        write_atomically(path, set_front_matter_key(path.read_bytes(), "translation", value, self.project.rel(path)))
        return value

    def record_version(self, slug: str) -> str:
        """Snapshots of the current source version (its units, and its text for the translator kit);
        the value a translation matching it records."""
        units = self.units(slug)
        version = version_of(units)
        snapshot = self.project.content_dir / slug / VERSIONS / f"{version}.json"
        if not snapshot.exists():
            data = json.dumps([u.__dict__ for u in units], ensure_ascii=False, indent=0)
            write_atomically(snapshot, data.encode("utf-8"))
        text = self.source_snapshot(slug, version)
        if not text.exists():
            write_atomically(text, self.source_path(slug).read_bytes())
        return f"{self.project.source_lang}@{version}"

    def source_snapshot(self, slug: str, version: str) -> Path:
        """The source's text at ``version`` (kept from the first time a translation matched it)."""
        return self.project.content_dir / slug / VERSIONS / f"{version}.source.md"

    def version(self, slug: str) -> str:
        return version_of(self.units(slug))


def set_front_matter_key(raw: bytes, key: str, value: str, shown: str) -> bytes:
    """``raw`` with ``key: value`` set in its front-matter; every other byte stays as it was."""
    lines = raw.splitlines(keepends=True)
    if not lines or lines[0].lstrip(b"\xef\xbb\xbf").strip() != b"---":
        raise fail(shown, 1, "no front-matter")
    newline = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
    entry = f"{key}: {value}".encode() + newline
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in (b"---", b"..."):
            lines.insert(index, entry)
            return b"".join(lines)
        if line.startswith(key.encode() + b":"):
            lines[index] = entry
            return b"".join(lines)
    raise fail(shown, 1, "the front-matter is never closed")
