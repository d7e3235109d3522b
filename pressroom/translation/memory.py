"""Translation memory: each translated unit paired with the source unit it translates, in every edition.

A translation records the source version it matches (``translation: en@<version>``);
the source's text at that version is kept in ``.versions/<version>.source.md``.
Read with the same unit splitter, the old source and the translation have the
same blocks in the same order (translators keep the structure), so their units
pair up one to one. From those pairs an export for the current source knows,
unit by unit: translated (the same block was translated), fuzzy (the block
changed: the translation of its previous version, or a match from any other
edition), or new.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field

from pressroom.project.textfile import read_text
from pressroom.translation import segment as seg
from pressroom.translation.tracker import Tracker
from pressroom.translation.units import Document, Unit, read

FUZZY_THRESHOLD = 0.75


@dataclass
class Edition:
    """One translation of one publication, paired with the source version it matches."""

    slug: str
    lang: str
    source: Document
    translation: Document
    certain: bool  # the source version it matches is known (and its text was kept)
    pairs: dict[str, Unit] = field(default_factory=dict)  # source unit id -> translation unit


@dataclass
class Entry:
    """One unit of an export: the source unit, what the target starts as, and why."""

    unit: Unit
    state: str  # translated | fuzzy | new
    target: list | None = None
    match: str = ""
    previous: list | None = None
    aligned: Unit | None = None  # the unit of the current translation this one replaces


def renumber(target: list, source: list) -> list:
    """A translation's segment with its codes numbered as in the source: by native markup, then by kind."""
    wanted = list(seg.codes(source).values())
    used: set[str] = set()
    result = copy.deepcopy(target)

    def pick(code) -> str:
        same_kind = [c for c in wanted if type(c) is type(code) and c.id not in used]
        exact = [c for c in same_kind if _native(c) == _native(code)]
        by_kind = [c for c in same_kind if c.ctype == code.ctype]
        chosen = (exact or by_kind or [None])[0]
        if chosen is None:
            return "0"
        used.add(chosen.id)
        return chosen.id

    def walk(items: list) -> None:
        for x in items:
            if isinstance(x, (seg.Ph, seg.Pc)):
                x.id = pick(x)
                if isinstance(x, seg.Pc):
                    walk(x.body)
    walk(result)
    return result


def _native(code) -> str:
    return code.native if isinstance(code, seg.Ph) else code.start + "\x00" + code.end


def _shape(unit: Unit) -> tuple:
    """What a unit and its translation have in common whatever the language: its kind and its codes."""
    return unit.kind, tuple(sorted(_native(c) for c in seg.codes(unit.segment).values()
                                   if isinstance(c, seg.Ph) or c.ctype == "link"))


def align(source: Document, translation: Document) -> dict[str, Unit]:
    """Source unit id -> the translation's unit for it, for the blocks whose shapes line up."""
    a, b = source.units, translation.units
    matcher = difflib.SequenceMatcher(a=[_shape(u) for u in a], b=[_shape(u) for u in b], autojunk=False)
    pairs = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag in ("equal", "replace") and (tag == "equal" or a2 - a1 == b2 - b1):
            for k in range(a2 - a1):
                if a[a1 + k].kind == b[b1 + k].kind:
                    pairs[a[a1 + k].id] = b[b1 + k]
    return pairs


_TRANSLATION_KEY = re.compile(r"^translation:[ \t]*[\"']?([\w-]+)@(\w+)", re.M)


@dataclass
class Memory:
    """Every edition of the project's publications, read once."""

    tracker: Tracker
    _editions: dict[tuple[str, str], Edition | None] = field(default_factory=dict)
    _sources: dict[str, Document] = field(default_factory=dict)
    _pairs: dict[str, list] = field(default_factory=dict)

    @property
    def project(self):
        return self.tracker.project

    def source(self, slug: str) -> Document:
        if slug not in self._sources:
            path = self.tracker.source_path(slug)
            self._sources[slug] = read(read_text(path, self.project.rel(path)), self.project.rel(path))
        return self._sources[slug]

    def edition(self, slug: str, lang: str) -> Edition | None:
        if (slug, lang) not in self._editions:
            self._editions[(slug, lang)] = self._read_edition(slug, lang)
        return self._editions[(slug, lang)]

    def _read_edition(self, slug: str, lang: str) -> Edition | None:
        path = self.project.content_dir / slug / f"{lang}.md"
        if not path.exists() or lang == self.project.source_lang:
            return None
        shown = self.project.rel(path)
        translation = read(read_text(path, shown), shown)
        front = translation.text[:translation.text.find("\n---", 3) + 1]
        recorded = _TRANSLATION_KEY.search(front)
        version = recorded.group(2) if recorded else None
        source, certain = self.source(slug), False
        if version and self.tracker.is_current(slug, version):
            certain = True
        elif version and self.tracker.source_snapshot(slug, version).exists():
            snapshot = self.tracker.source_snapshot(slug, version)
            source, certain = read(read_text(snapshot, self.project.rel(snapshot)), shown), True
        edition = Edition(slug, lang, source, translation, certain)
        edition.pairs = align(source, translation)
        return edition

    def editions(self, lang: str) -> list[Edition]:
        found = [self.edition(slug, lang) for slug in self.tracker.slugs()]
        return [e for e in found if e is not None]

    def pairs(self, lang: str) -> list[tuple[Unit, Unit, str]]:
        """(source unit, translated unit, slug) for every paired unit of every edition in ``lang``."""
        if lang not in self._pairs:
            found = []
            for edition in self.editions(lang):
                units = edition.source.by_id()
                found += [(units[i], t, edition.slug) for i, t in edition.pairs.items()]
            self._pairs[lang] = found
        return self._pairs[lang]

    def _candidates(self, lang: str) -> list[tuple[Unit, Unit, str, str, str]]:
        key = f"candidates:{lang}"
        if key not in self._pairs:
            self._pairs[key] = [(s, t, slug, _words(s), seg.canonical(s.segment))
                                for s, t, slug in self.pairs(lang)]
        return self._pairs[key]

    def lookup(self, unit: Unit, lang: str) -> tuple[list, str] | None:
        """The best translation memory match for ``unit``: (target, description), exact or fuzzy."""
        text, canonical = _words(unit), seg.canonical(unit.segment)
        best: tuple[float, Unit, Unit, str] | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)  # indexed once, compared with every candidate (as difflib.get_close_matches does)
        for source, target, slug, other, other_canonical in self._candidates(lang):
            if other_canonical == canonical:
                return renumber(target.segment, unit.segment), f"100% match from {slug}"
            if 2 * min(len(text), len(other)) < FUZZY_THRESHOLD * (len(text) + len(other)):
                continue
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[0]):
                best = (ratio, source, target, slug)
        if best is None:
            return None
        return renumber(best[2].segment, unit.segment), f"{round(best[0] * 100)}% match from {best[3]}"

    def plan(self, slug: str, lang: str) -> list[Entry]:
        """What each unit of the current source starts as in an export to ``lang``."""
        current = self.source(slug)
        edition = self.edition(slug, lang)
        previous = _previous_versions(edition.source, current) if edition else {}
        entries = []
        for index, unit in enumerate(current.units):
            old, exact = previous.get(index, (None, False))
            aligned = edition.pairs.get(old.id) if edition and old else None
            entries.append(self._entry(unit, lang, edition, old, exact, aligned))
        return entries

    def _entry(self, unit: Unit, lang: str, edition: Edition | None, old: Unit | None, exact: bool,
               aligned: Unit | None) -> Entry:
        if aligned is not None:
            target = renumber(aligned.segment, unit.segment)
            missing = seg.check_codes(target, unit.segment)
            if exact and edition.certain and not missing:
                return Entry(unit, "translated", target, aligned=aligned)
            why = ("the current translation: " + "; ".join(missing) if missing
                   else "the current translation; the source version it matches is unknown" if exact
                   else "the translation of this paragraph's previous version")
            return Entry(unit, "fuzzy", target, why, None if exact else old.segment, aligned)
        found = self.lookup(unit, lang)
        if found:
            return Entry(unit, "fuzzy", found[0], found[1])
        return Entry(unit, "new")


def _words(unit: Unit) -> list[str]:
    """Fuzzy matches compare words, not characters: any two English paragraphs share most letters."""
    return re.findall(r"\w+|[^\w\s]", seg.plain(unit.segment).lower())


def _previous_versions(old: Document, new: Document) -> dict[int, tuple[Unit, bool]]:
    """Index of a current unit -> (its unit in the old source, whether unchanged)."""
    a, b = old.units, new.units
    matcher = difflib.SequenceMatcher(a=[u.id for u in a], b=[u.id for u in b], autojunk=False)
    found: dict[int, tuple[Unit, bool]] = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        for k in range(min(a2 - a1, b2 - b1)):
            if tag == "equal":
                found[b1 + k] = (a[a1 + k], True)
            elif tag == "replace" and a[a1 + k].kind == b[b1 + k].kind:
                found[b1 + k] = (a[a1 + k], False)
    moved = {u.id: u for u in a}
    for index, unit in enumerate(b):
        if index not in found and unit.id in moved:
            found[index] = (moved[unit.id], True)
    return found
