"""The translator kit: export a publication's units for a CAT tool, import the translated file back.

Import validates the whole file first (every unit known and present, source
text unchanged, every inline code exactly once and well nested, languages
right) and writes nothing if anything is wrong. The translation is then made
by splicing: the current translation's text is kept, byte for byte, for every
unit whose translation did not change, and so is its skeleton (markers, blank
lines, note ids) wherever its blocks line up with the source; only changed or
new units are written, wrapped like the source.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pressroom.errors import BuildError, Problem, did_you_mean, fail
from pressroom.pipeline.write import write_atomically
from pressroom.project.config import Project
from pressroom.source.load import load_publication
from pressroom.translation import po, xliff
from pressroom.translation import segment as seg
from pressroom.translation.exchange import FORMATS, Header, Received
from pressroom.translation.memory import Entry, Memory, renumber
from pressroom.translation.tracker import Tracker, set_front_matter_key
from pressroom.translation.units import LABELS, Document, unprotected

OUTPUT = Path("build") / "translation"


def _check_target(project: Project, slug: str, lang: str, where: str) -> None:
    languages = list(project.languages)
    source = project.content_dir / slug / f"{project.source_lang}.md"
    if not source.exists():
        known = sorted(p.parent.name for p in project.content_dir.glob(f"*/{project.source_lang}.md"))
        raise fail(where, None, f"no publication '{slug}'", did_you_mean(slug, known, "publications"))
    if lang == project.source_lang or lang not in languages:
        raise fail(where, None, f"'{lang}' is not a translation language of this project",
                   f"translation languages (project.yaml): {', '.join(languages[1:])}")


def export(project: Project, slug: str, lang: str, fmt: str = "xliff", changed: bool = False,
           output: Path | None = None) -> tuple[Path, Counter]:
    """Write the export file; (its path, how many units are translated / fuzzy / new)."""
    _check_target(project, slug, lang, "export")
    if fmt not in FORMATS:
        raise fail("export", None, f"unknown format '{fmt}'", f"one of: {', '.join(FORMATS)}")
    memory = Memory(Tracker(project))
    problems = unprotected(memory.source(slug), project.rel(memory.tracker.source_path(slug)))
    if problems:
        raise BuildError(problems)
    entries = memory.plan(slug, lang)
    counts = Counter(e.state for e in entries)
    if changed:
        entries = [e for e in entries if e.state != "translated"]
    header = Header(slug, project.rel(memory.tracker.source_path(slug)), project.source_lang, lang,
                    memory.tracker.version(slug))
    data = po.write(header, entries) if fmt == "po" else xliff.write(header, entries, 2 if fmt == "xliff2" else 1)
    path = output or project.root / OUTPUT / f"{slug}.{project.source_lang}-{lang}{FORMATS[fmt]}"
    write_atomically(path, data)
    return path, counts


def read_file(path: Path, shown: str) -> Received:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise fail(shown, None, f"cannot read file: {error.strerror}") from None
    try:
        if path.suffix == ".po" or data.lstrip().startswith((b"#", b"msg")):
            return po.read(data.decode("utf-8"))
        return xliff.read(data)
    except (ValueError, OSError) as error:  # polib and XLIFF both report format errors as ValueError
        raise fail(shown, None, f"cannot read this translation file: {error}") from None


def import_file(project: Project, path: Path) -> tuple[Path, Counter]:
    """Validate ``path`` as a whole, then write the translation it carries; (its path, what changed)."""
    shown = str(path)
    received = read_file(path, shown)
    header = received.header
    if header.source_lang != project.source_lang:
        raise fail(shown, None, f"source language '{header.source_lang}', but this project's source language "
                   f"is '{project.source_lang}'")
    _check_target(project, header.slug, header.target_lang, shown)
    memory = Memory(Tracker(project))
    plan = memory.plan(header.slug, header.target_lang)
    targets, problems = _validate(received, plan, memory.tracker.version(header.slug), shown)
    if problems:
        raise BuildError(problems)
    edition = memory.edition(header.slug, header.target_lang)
    text, counts = merge(memory.source(header.slug), edition.translation if edition else None, plan, targets)
    destination = project.content_dir / header.slug / f"{header.target_lang}.md"
    value = _kept_mark(memory.tracker, header.slug, header.target_lang, destination) \
        or memory.tracker.record_version(header.slug)
    data = set_front_matter_key(text.encode("utf-8"), "translation", value, project.rel(destination))
    if re.search(rb"^lang:", data.split(b"\n---", 1)[0], re.M):
        data = set_front_matter_key(data, "lang", header.target_lang, project.rel(destination))
    if not destination.exists() or destination.read_bytes() != data:
        write_atomically(destination, data)
    return destination, counts


def _kept_mark(tracker: Tracker, slug: str, lang: str, destination: Path) -> str | None:
    """The ``translation:`` value of a file already marked with the source's current version (perhaps
    as recorded before 2026-12): kept, so that importing an unchanged export changes no byte."""
    if destination.exists() and tracker.status(slug, lang).state == "current":
        return load_publication(tracker.project, destination).translation
    return None


def _validate(received: Received, plan: list[Entry], version: str, shown: str) -> tuple[dict[str, list], list]:
    entries = {e.unit.id: e for e in plan}
    targets: dict[str, list] = {}
    problems: list[Problem] = []

    def problem(ident: str, message: str, hint: str = "") -> None:
        problems.append(Problem(shown, None, f"unit {ident}: {message}", hint))

    stale = received.header.version != version
    for incoming in received.units:
        entry = entries.get(incoming.id)
        if entry is None:
            problem(incoming.id, "not in the current source" + (
                f" (the source changed since this file was exported: version {received.header.version}, "
                f"now {version})" if stale else ""), "export again and carry the translations over with your "
                "tool's translation memory")
            continue
        if incoming.id in targets:
            problem(incoming.id, "appears twice in the file")
            continue
        source = seg.tagged(entry.unit.segment)
        if _spaces(incoming.source) != _spaces(source):
            problem(incoming.id, "its source text differs from the current source (source text must not be edited)")
            continue
        if not (incoming.target or "").strip():
            problem(incoming.id, "not translated (empty target)")
            continue
        try:
            target = seg.from_tagged(incoming.target, seg.codes(entry.unit.segment))
        except seg.TagError as error:
            problem(incoming.id, str(error))
            continue
        for message in seg.check_codes(target, entry.unit.segment):
            problem(incoming.id, message, "every inline code of the source must be in the translation exactly "
                    "once; codes may move, not be deleted")
        if (incoming.needs_review and entry.state == "fuzzy" and entry.target is not None
                and seg.same(target, entry.target)):
            problem(incoming.id, f"the suggestion ({entry.match}) is still marked for review and unchanged",
                    "review it and confirm it (mark it translated) in your tool")
        targets[incoming.id] = target
    for entry in plan:
        if entry.unit.id not in targets and entry.unit.id not in {u.id for u in received.units} \
                and entry.state != "translated":
            problem(entry.unit.id, f"missing from the file ({LABELS[entry.unit.kind]}, line {entry.unit.line} of "
                    "the source), and there is no current translation of it")
    return targets, problems


def _spaces(text: str) -> str:
    return re.sub(r"[ \t\n]+", " ", text).strip()


def merge(source: Document, translation: Document | None, plan: list[Entry],
          targets: dict[str, list]) -> tuple[str, Counter]:
    """The translated file: the source's units in order, each as kept or rendered, joined by the skeleton
    of the current translation where its blocks line up, of the source elsewhere."""
    index = {id(u): k for k, u in enumerate(translation.units)} if translation else {}
    pieces: list[str] = []
    counts: Counter = Counter()
    previous: tuple[Entry, int | None] | None = None
    for entry in plan:
        unit, aligned = entry.unit, entry.aligned
        k = index.get(id(aligned)) if aligned is not None else None
        if previous is None:
            ours = k == 0
            pieces.append(translation.text[:aligned.start] if ours else source.text[:unit.start])
        else:
            before, j = previous
            ours = k is not None and j is not None and k == j + 1
            pieces.append(translation.text[translation.units[j].end:aligned.start] if ours
                          else source.text[before.unit.end:unit.start])
        target = targets.get(unit.id)
        if target is None or (aligned is not None and seg.same(target, renumber(aligned.segment, unit.segment))):
            pieces.append(translation.text[aligned.start:aligned.end])
            counts["kept"] += 1
        else:
            pieces.append((aligned if ours else unit).render(target))
            counts["written"] += 1
        previous = (entry, k)
    if previous is None:
        return source.text, counts
    last, k = previous
    ours = translation is not None and k == len(translation.units) - 1
    pieces.append(translation.text[translation.units[k].end:] if ours else source.text[last.unit.end:])
    return "".join(pieces), counts
