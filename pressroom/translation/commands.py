"""``status``, ``mark-translated`` and ``check``: the translator's commands."""

from __future__ import annotations

import json
import sys
import textwrap

from pressroom.errors import fail
from pressroom.project.config import load_project
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
        print(json.dumps([s.as_dict() for s in statuses], ensure_ascii=False, indent=2) if as_json
              else "\n".join(describe(s) for s in statuses))
        return 0
    return check(tracker, slugs)


def translation_languages(tracker: Tracker) -> list[str]:
    return [lang for lang in tracker.project.languages if lang != tracker.project.source_lang]


def describe(status: Status) -> str:
    line = f"{status.slug:32} {status.lang:6} {MARKS[status.state]:8} {status.detail}".rstrip()
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
