"""Stage 1, load: a content file becomes a checked :class:`Publication`.

Everything that can be said about the Markdown source without running pandoc
is checked here, so that errors name the file and line the author wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

from pressroom.errors import BuildError, Problem, did_you_mean, fail
from pressroom.project.config import LANG_TAG, Project
from pressroom.project.schema import Field, check, matches, one_of
from pressroom.project.textfile import read_text
from pressroom.project.yamlfile import parse_yaml
from pressroom.source.publication import PubDate, Publication

DATE = matches(r"\d{4}-\d{2}(-\d{2})?", "YYYY-MM or YYYY-MM-DD")


def front_matter_fields(types: list[str]) -> dict[str, Field]:
    return {
        "type": Field("text", required=True, check=one_of(types),
                      hint=f"one of: {', '.join(types)} (a template in templates/)"),
        "title": Field("text", required=True),
        "subtitle": Field("text"),
        "lang": Field("text", check=LANG_TAG, hint="leave it out: the file name gives the language"),
        "date": Field("text", required=True, check=DATE, hint="e.g. date: 2025-06 or date: 2025-06-30"),
        "summary": Field("text"),
        "keywords": Field("texts", hint="e.g. keywords: [health, rights]"),
        "authors": Field("texts", hint="e.g. authors: [NSWP]"),
        "funders": Field("texts", hint="ids of funders listed in brand.yaml"),
        "translation": Field("text", hint="written by 'build.py mark-translated', not by hand"),
    }


def publication_types(project: Project) -> list[str]:
    return sorted(p.stem for p in (project.root / "templates").glob("*.html") if not p.name.startswith("_"))


def find_content(project: Project) -> list[Path]:
    return sorted(project.content_dir.glob("*/*.md"))


def load_publication(project: Project, path: Path) -> Publication:
    shown = project.rel(path)
    text = read_text(path, shown)
    meta_text, body, body_line = split_front_matter(text, shown)
    doc = parse_yaml(meta_text, shown, first_line=2)
    problems = check(doc, front_matter_fields(publication_types(project)))
    meta = doc.data if isinstance(doc.data, dict) else {}
    problems += _check_meta_values(project, path, doc, meta)
    body = "\n" * (body_line - 1) + body  # keep the file's line numbers
    problems += check_body(body, shown, path.parent, project.root)
    if problems:
        raise BuildError(problems)
    return Publication(
        slug=path.parent.name, lang=path.stem, path=path, shown_as=shown,
        type=meta["type"], title=str(meta["title"]), date=_parse_date(str(meta["date"])),
        body=body,
        subtitle=str(meta.get("subtitle") or ""), summary=str(meta.get("summary") or ""),
        keywords=[str(k) for k in meta.get("keywords") or []],
        authors=[str(a) for a in meta.get("authors") or []],
        funders=meta.get("funders"), translation=meta.get("translation"),
    )


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(YAML text, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise fail(shown, 1, "no front-matter: the file must start with a '---' line",
                   "start with ---, then 'type:', 'title:' and 'date:' lines, then ---")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise fail(shown, 1, "the front-matter opened here is never closed", "add a line '---' after it")


def _parse_date(text: str) -> PubDate:
    parts = [int(p) for p in text.split("-")]
    return PubDate(*parts)


def _check_meta_values(project: Project, path: Path, doc, meta: dict) -> list[Problem]:
    problems = []
    lang = meta.get("lang")
    if lang is not None and str(lang) != path.stem:
        problems.append(Problem(doc.path, doc.line("lang"),
                                f"'lang: {lang}' disagrees with the file name '{path.name}'",
                                f"remove the line, or rename the file to {lang}.md"))
    if LANG_TAG(path.stem) is not None:
        problems.append(Problem(doc.path, None, f"file name '{path.name}' is not a language tag",
                                "name content files after their language: en.md, fr.md, ..."))
    date = meta.get("date")
    if isinstance(date, str) and DATE(date) is None:
        try:
            _parse_date(date).date  # noqa: B018 - validates month and day
        except ValueError:
            problems.append(Problem(doc.path, doc.line("date"), f"'date: {date}' is not a real date",
                                    "check the month (01-12) and the day"))
    known = [f["id"] for f in project.brand.get("funders") or []]
    funders = meta.get("funders")
    for funder in funders if isinstance(funders, list) else []:  # its type is checked by the schema
        if funder not in known:
            problems.append(Problem(doc.path, doc.line("funders"), f"unknown funder '{funder}'",
                                    did_you_mean(str(funder), known, "funders in brand.yaml")))
    return problems


# --- body checks -------------------------------------------------------------

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2[`~]*\s*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\((?P<src><[^>]*>|[^)\s]+)(?:\s+[\"'(].*?[\"')])?\)")
_CITATION = re.compile(r"(?<![\w\\])@(?:\{(?P<braced>[^}]+)\}|(?P<key>[\w][\w:.#$%&+?<>~/-]*))")


def without_code(body: str) -> str:
    """The body with code blocks and spans blanked (same length, same lines)."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, body))


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def citations(body: str) -> list[tuple[str, int]]:
    """(key, offset) of every citation-like ``@key`` outside code, as pandoc reads them."""
    found = []
    for match in _CITATION.finditer(without_code(body)):
        key = match.group("braced") or match.group("key").rstrip(":.#$%&-+?<>~/")
        found.append((key, match.start()))
    return found


def check_body(body: str, shown: str, folder: Path, root: Path) -> list[Problem]:
    plain = without_code(body)
    return _check_divs(plain, shown) + _check_notes(plain, shown) + _check_images(plain, shown, folder, root)


_FENCE_LINE = re.compile(r"^ {0,3}(:{3,})\s*(\S.*)?$")


def _check_divs(plain: str, shown: str) -> list[Problem]:
    """Every ``:::`` block is closed (pandoc would otherwise swallow the rest of the file)."""
    opened: list[tuple[int, int]] = []  # (line, colons)
    for number, line in enumerate(plain.split("\n"), start=1):
        match = _FENCE_LINE.match(line)
        if not match:
            continue
        colons, rest = len(match.group(1)), (match.group(2) or "").strip(": ")
        if rest:
            opened.append((number, colons))
        elif opened:
            opened.pop()
    return [Problem(shown, line, "the block ':::' opened here is never closed",
                    "add a line ':::' where the block ends") for line, _ in opened]


def _check_notes(plain: str, shown: str) -> list[Problem]:
    problems = []
    defined: dict[str, int] = {}
    for match in _NOTE_DEF.finditer(plain):
        note_id, line = match.group(1), line_at(plain, match.start())
        if note_id in defined:
            problems.append(Problem(shown, line, f"footnote '[^{note_id}]' is defined twice "
                                    f"(first at line {defined[note_id]})", "give each note its own id"))
        defined.setdefault(note_id, line)
    called = set()
    for match in _NOTE_REF.finditer(plain):
        note_id = match.group(1)
        called.add(note_id)
        if note_id not in defined:
            problems.append(Problem(shown, line_at(plain, match.start()),
                                    f"footnote '[^{note_id}]' has no definition",
                                    f"add a line '[^{note_id}]: note text' below the paragraph "
                                    + (f"({did_you_mean(note_id, list(defined), 'note ids')})" if defined else "")))
    for note_id, line in defined.items():
        if note_id not in called:
            problems.append(Problem(shown, line, f"footnote '[^{note_id}]' is defined but never called",
                                    f"call it with [^{note_id}] in the text, or delete the definition"))
    return problems


def _check_images(plain: str, shown: str, folder: Path, root: Path) -> list[Problem]:
    problems = []
    for match in _IMAGE.finditer(plain):
        line = line_at(plain, match.start())
        src = match.group("src").strip("<>")
        if not match.group("alt").strip():
            problems.append(Problem(shown, line, f"image '{src}' has no alt text",
                                    "describe the image between the brackets: ![A map of ...](...)"))
        if re.match(r"[a-z][a-z0-9+.-]*:", src, re.I):
            problems.append(Problem(shown, line, f"image '{src}' is not a file in the project",
                                    "download it into the publication's images/ folder and link that"))
            continue
        target = (folder / src).resolve()
        if not target.is_relative_to(root):
            problems.append(Problem(shown, line, f"image '{src}' is outside the project",
                                    "copy it into the publication's images/ folder and link that"))
        elif not target.is_file():
            problems.append(Problem(shown, line, f"image '{src}' not found",
                                    f"put the file in {folder.relative_to(root)}/images/ "
                                    "and write ![alt](images/name.png)"))
    return problems
