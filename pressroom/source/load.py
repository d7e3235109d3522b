"""Stage 1, load: a content file becomes a checked :class:`Publication`.

The front-matter is checked here, and the body as pandoc reads it (one parse,
shared with the conversion), so that errors name the file and line the author wrote.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from pressroom.errors import BuildError, Problem, did_you_mean, fail
from pressroom.project.config import LANG_TAG, Project
from pressroom.project.schema import Field, check, matches, one_of
from pressroom.project.textfile import read_text
from pressroom.project.yamlfile import parse_yaml
from pressroom.source.markdown import BLOCK_OPENING, Markdown, parse
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


# Publications already loaded by this process, by project, file and content: the web edition and the
# translation status read each file several times (a page lists every edition of its publication).
_loaded: dict[tuple[int, Path, int], tuple[Project, Publication]] = {}
_KEPT = 256


def load_publication(project: Project, path: Path) -> Publication:
    """The checked publication of ``path`` (BuildError on a problem); loaded once while the file is unchanged."""
    try:
        key = (id(project), path, hash(path.read_bytes()))
    except OSError:
        return _load(project, path)  # which says what is wrong with the file
    if key in _loaded:
        return _loaded[key][1]
    pub = _load(project, path)
    if len(_loaded) >= _KEPT:
        _loaded.clear()
    _loaded[key] = (project, pub)  # the project is kept so that its id is not reused
    return pub


def markdown_cache(project: Project) -> Path:
    return project.root / "build" / ".cache" / "markdown"


def _load(project: Project, path: Path) -> Publication:
    shown = project.rel(path)
    text = read_text(path, shown)
    meta_text, body, body_line = split_front_matter(text, shown)
    doc = parse_yaml(meta_text, shown, first_line=2)
    problems = check(doc, front_matter_fields(publication_types(project)))
    meta = doc.data if isinstance(doc.data, dict) else {}
    problems += _check_meta_values(project, path, doc, meta)
    body = "\n" * (body_line - 1) + body  # keep the file's line numbers
    document = parse(body, shown, markdown_cache(project))
    problems += check_body(document, shown, path.parent, project.root)
    if problems:
        raise BuildError(problems)
    return Publication(
        slug=path.parent.name, lang=path.stem, path=path, shown_as=shown,
        type=meta["type"], title=str(meta["title"]), date=_parse_date(str(meta["date"])),
        body=body, document=document,
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
# Each check reads pandoc's tree (source/markdown.py), then finds the line in the source.

LINK_SCHEMES = ("http", "https", "mailto", "tel")


def check_body(doc: Markdown, shown: str, folder: Path, root: Path) -> list[Problem]:
    problems = (_check_divs(doc, shown) + _check_notes(doc, shown) + _check_links(doc, shown)
                + _check_images(doc, shown, folder, root))
    return sorted(problems, key=lambda p: p.line or 0)


_UNCLOSED_DIV = re.compile(r"Div at line (\d+) column \d+ unclosed")
_UNUSED_NOTE = re.compile(r"Note with key '([^']*)' defined at line (\d+) column \d+ but not used")
_DUPLICATE_NOTE = re.compile(r"Duplicate note reference '([^']*)' at line (\d+) column")


def _check_divs(doc: Markdown, shown: str) -> list[Problem]:
    """Every ``:::`` block is closed (pandoc would otherwise swallow the rest of the file)."""
    problems = []
    source = doc.body.split("\n")
    for line in _warned(doc, _UNCLOSED_DIV):
        match = re.match(BLOCK_OPENING, source[int(line[0]) - 1])
        name = f"::: {match.group(1)}" if match else ":::"
        problems.append(Problem(shown, int(line[0]), f"the block '{name}' opened here is never closed",
                                "add a line ':::' where the block ends"))
    return problems


def _warned(doc: Markdown, pattern: re.Pattern) -> list[tuple[str, ...]]:
    """The groups of pandoc's warnings matching ``pattern``; those warnings are taken out of
    the publication's warnings, since they become errors."""
    found = [(w, m.groups()) for w in doc.warnings if (m := pattern.search(w))]
    for warning, _ in found:
        doc.warnings.remove(warning)
    return [groups for _, groups in found]


def _check_notes(doc: Markdown, shown: str) -> list[Problem]:
    problems = []
    for note_id, line in _warned(doc, _DUPLICATE_NOTE):
        first = doc.line_of(rf"^ {{0,3}}\[\^{re.escape(note_id)}\]:")
        problems.append(Problem(shown, int(line), f"footnote '[^{note_id}]' is defined twice "
                                f"(first at line {first})", "give each note its own id"))
    unresolved = doc.unresolved_notes()
    for note_id in dict.fromkeys(unresolved):
        hint = f"add a line '[^{note_id}]: note text' below the paragraph"
        for line in doc.lines_for(rf"\[\^{re.escape(note_id)}\](?!:)", unresolved.count(note_id)):
            problems.append(Problem(shown, line, f"footnote '[^{note_id}]' has no definition", hint))
    for note_id, line in _warned(doc, _UNUSED_NOTE):
        problems.append(Problem(shown, int(line), f"footnote '[^{note_id}]' is defined but never called",
                                f"call it with [^{note_id}] in the text, or delete the definition"))
    return problems


def _target_lines(doc: Markdown, target: str, count: int) -> list[int | None]:
    """Lines of ``count`` links or images to ``target``: ``](target``, ``]: target`` or ``<target>``."""
    escaped = re.escape(target)
    as_target = rf"(?:\]\(\s*<?|^ {{0,3}}\[[^\]]+\]:\s*<?|<){escaped}"
    return doc.lines_for(as_target if doc.lines_of(as_target) else escaped, count)


def _check_links(doc: Markdown, shown: str) -> list[Problem]:
    """Links go to the web, to mail and phone numbers, or within the document: nothing else."""
    problems = []
    bad = [target for target in doc.links() if not _safe_link(target)]
    for target in dict.fromkeys(bad):
        for line in _target_lines(doc, target, bad.count(target)):
            problems.append(Problem(shown, line, f"link to '{target[:80]}' is not allowed",
                                    "links may go to http(s)://, mailto: and tel: addresses "
                                    "or to #a-heading of this document"))
    return problems


def _safe_link(target: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", target).lower()
    if cleaned.startswith("#"):
        return True
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is not None and scheme.group(1) in LINK_SCHEMES


def _check_images(doc: Markdown, shown: str, folder: Path, root: Path) -> list[Problem]:
    problems = []
    images = doc.images()
    for src in dict.fromkeys(src for src, _ in images):
        alts = [alt for s, alt in images if s == src]
        lines = _target_lines(doc, src, len(alts))
        for line, alt in zip(lines, alts, strict=True):
            if not alt.strip():
                problems.append(Problem(shown, line, f"image '{src}' has no alt text",
                                        "describe the image between the brackets: ![A map of ...](...)"))
        problem = _image_file_problem(src, folder, root)
        if problem:
            problems.append(Problem(shown, lines[0], *problem))
    return problems


def _image_file_problem(src: str, folder: Path, root: Path) -> tuple[str, str] | None:
    """(message, hint) when ``src`` is not an image file of the project that can be read."""
    if re.match(r"[a-z][a-z0-9+.-]*:", src, re.I):
        return (f"image '{src[:80]}' is not a file in the project",
                "download it into the publication's images/ folder and link that")
    target = (folder / unquote(src)).resolve()
    if not target.is_relative_to(root):
        return f"image '{src}' is outside the project", "copy it into the publication's images/ folder and link that"
    if not target.is_file():
        return (f"image '{src}' not found",
                f"put the file in {folder.relative_to(root)}/images/ and write ![alt](images/name.png)")
    reason = unreadable_image(target)
    if reason:
        return f"image '{src}' cannot be read: {reason}", "save it again as PNG, JPEG or SVG"
    return None


def unreadable_image(path: Path) -> str | None:
    """Why the file at ``path`` is not an image that can be printed, or None."""
    if path.suffix.lower() == ".svg":
        head = path.read_bytes()[:4096].decode("utf-8", "replace")
        return None if "<svg" in head else "not an SVG file (no <svg> element)"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        return str(error).replace(str(path), path.name) or type(error).__name__
    return None
