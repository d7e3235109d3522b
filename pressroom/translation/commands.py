"""``status``, ``mark-translated``, ``check``, ``export``, ``import`` and ``tm``: the translator's commands."""

from __future__ import annotations

import json
import sys
import textwrap
from collections import Counter
from pathlib import Path

from pressroom.errors import fail
from pressroom.pipeline.write import write_atomically
from pressroom.project.config import load_project
from pressroom.translation.memory import Memory
from pressroom.translation.qa import Document, check_translation
from pressroom.translation.tracker import Status, Tracker

MARKS = {"current": "current", "stale": "STALE", "missing": "missing", "invalid": "INVALID"}


def run(command: str, root, targets: list[str], as_json: bool) -> int:
    tracker = Tracker(load_project(root))
    if command == "mark-translated":
        if len(targets) != 2:
            raise fail("mark-translated", None, "needs a publication and a language",
                       "python build.py mark-translated <slug> <lang>")
        value = tracker.mark_translated(*targets)
        print(f"content/{targets[0]}/{targets[1]}.md: translation: {value}")
        return 0
    slugs = targets or tracker.slugs()
    if command == "status":
        statuses = [tracker.status(slug, lang) for slug in slugs for lang in translation_languages(tracker)]
        memory = Memory(tracker)
        for status in statuses:
            if status.state != "invalid":
                counts = Counter(e.state for e in memory.plan(status.slug, status.lang))
                status.units = {state: counts[state] for state in ("translated", "fuzzy", "new")}
        print(json.dumps([s.as_dict() for s in statuses], ensure_ascii=False, indent=2) if as_json
              else "\n".join(describe(s) for s in statuses))
        return 0
    return check(tracker, slugs)


def translation_languages(tracker: Tracker) -> list[str]:
    return [lang for lang in tracker.project.languages if lang != tracker.project.source_lang]


def describe(status: Status) -> str:
    units = ", ".join(f"{n} {state}" for state, n in status.units.items())
    line = f"{status.slug:32} {status.lang:6} {MARKS[status.state]:8} {units:40} {status.detail}".rstrip()
    for change in status.changes:
        line += f"\n    {change['change']}:"
        for sign, key in (("-", "before"), ("+", "after")):
            if change[key]:
                wrapped = textwrap.wrap(change[key], 96)
                line += "".join(f"\n      {sign} {part}" for part in wrapped)
    return line


def check(tracker: Tracker, slugs: list[str]) -> int:
    project = tracker.project
    findings = []
    for slug in slugs:
        source = Document.read(project, tracker.source_path(slug))
        for lang in translation_languages(tracker):
            path = project.content_dir / slug / f"{lang}.md"
            if path.exists():
                findings += check_translation(source, Document.read(project, path))
    for finding in findings:
        print(f"finding: {finding}", file=sys.stderr)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


def kit(command: str, root: Path, targets: list[str], fmt: str, changed: bool, output: Path | None) -> int:
    """``export SLUG LANG``, ``import FILE`` and ``tm``: files for CAT tools, and back."""
    from pressroom.translation import kit as translator_kit
    from pressroom.translation import tmx

    project = load_project(root)
    usage = {"export": (2, "python build.py export <slug> <lang> [--format xliff|xliff2|po] [--changed] [-o FILE]"),
             "import": (1, "python build.py import FILE"), "tm": (0, "python build.py tm [-o FILE]")}
    count, hint = usage[command]
    if len(targets) != count:
        raise fail(command, None, f"needs {count} argument(s), got {len(targets)}", hint)
    if command == "export":
        path, counts = translator_kit.export(project, *targets, fmt=fmt, changed=changed, output=output)
        print(f"{project.rel(path)}: {counts['translated']} translated, {counts['fuzzy']} fuzzy, "
              f"{counts['new']} new" + (" (only the units that need work)" if changed else ""))
        return 0
    if command == "import":
        path, counts = translator_kit.import_file(project, Path(targets[0]))
        print(f"{project.rel(path)}: {counts['written']} unit(s) written, {counts['kept']} kept as they were")
        return 0
    languages = [lang for lang in project.languages if lang != project.source_lang]
    data, units = tmx.write(Memory(Tracker(project)), languages)
    path = output or project.root / translator_kit.OUTPUT / "memory.tmx"
    write_atomically(path, data)
    print(f"{project.rel(path)}: {units} translation unit(s), {', '.join(languages)}")
    return 0
