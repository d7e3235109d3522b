"""Stage 2, transform: the body's pandoc tree -> HTML fragment, by pandoc with citeproc and our filters.

The tree is the one the checks read (source/markdown.py): Markdown is parsed once.
The author's attributes are filtered first (content.lua), then citeproc runs (citations
become notes of the same series as ordinary footnotes); the filters after it, and their
order, belong to the output's format (``pressroom.formats.FORMATS``): the PDF's notes are
inline spans for ``float: footnote``, the web's are end-notes.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.convert.tables import located_reports, table_metadata
from pressroom.errors import BuildError, Problem, fail
from pressroom.formats import FORMATS
from pressroom.project.config import Project
from pressroom.source.markdown import MARKDOWN, pandoc_path, split_warnings
from pressroom.source.publication import Publication

__all__ = ["MARKDOWN", "pandoc_path", "transform"]

FILTERS = Path(__file__).parent / "filters"
# Before citeproc: content.lua, which filters the author's attributes before any are added.
FIRST_FILTER = "content.lua"
FILTER_ORDER = FORMATS["pdf"]
CSL = "styles/csl/house-notes.csl"


@dataclass
class Transformed:
    html: str
    warnings: list[str]
    notices: list[Problem] = field(default_factory=list)  # warnings at a line (tables shrunk or turned)


def regional_tag(lang: str) -> str:
    """'zh' -> 'zh-CN', 'fr' -> 'fr-FR': the forms citeproc and pandoc have locale files for."""
    if "-" in lang:
        return lang
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang, lang)
    territory = likely.split("_")[-1]
    return f"{lang}-{territory}" if territory.isupper() else lang


def pandoc_command(project: Project, pub: Publication, filters: tuple[str, ...] = FILTER_ORDER) -> list[str]:
    command = [
        pandoc_path(), "--from", "json", "--to", "html5", "--wrap=none",
        "--shift-heading-level-by=1", "--html-q-tags", "--sandbox",
        "--metadata", f"lang={regional_tag(pub.lang)}",
        "--metadata", f"image-base={project.rel(pub.folder)}/", *table_metadata(pub.type),
        "--lua-filter", str(FILTERS / FIRST_FILTER),
    ]
    if project.bibliography.exists():
        command += ["--citeproc", "--csl", str(project.root / CSL),
                    "--bibliography", str(project.bibliography)]
    for name in filters:
        command += ["--lua-filter", str(FILTERS / name)]
    return command


def transform(project: Project, pub: Publication, filters: tuple[str, ...] = FILTER_ORDER) -> Transformed:
    """The publication's tree (read once, by the checks) converted to HTML with ``filters``."""
    document = pub.markdown()
    result = subprocess.run(pandoc_command(project, pub, filters), input=json.dumps(document.tree).encode("utf-8"),
                            capture_output=True, cwd=project.root)
    errors = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise fail(pub.shown_as, None, f"pandoc could not convert the file: {errors.strip()}")
    warnings = document.warnings + split_warnings(errors)
    _raise_on_missing_citations(pub, warnings)
    warnings, notices = located_reports(pub.shown_as, pub.body, warnings)
    return Transformed(result.stdout.decode("utf-8"), warnings, notices)


def _raise_on_missing_citations(pub: Publication, warnings: list[str]) -> None:
    """A backstop for citations the source check missed: never print '???'."""
    missing = {m.group(1) for w in warnings if (m := re.match(r"Citeproc: citation (\S+) not found", w))}
    if not missing:
        return
    lines = dict(reversed(pub.markdown().cited()))  # each key's first line
    raise BuildError([Problem(pub.shown_as, lines.get(key), f"unknown citation key '@{key}'",
                              "add the entry to references.bib") for key in sorted(missing)])
