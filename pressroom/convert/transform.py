"""Stage 2, transform: Markdown body -> HTML fragment, by pandoc with citeproc and our filters.

Filter order matters: citeproc first (citations become notes of the same
series as ordinary footnotes), then pull-quotes (whose display copy must drop
those notes), then heading levels (none skipped), then blocks, then notes as
inline spans for ``float: footnote``.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pressroom.errors import BuildError, Problem, fail
from pressroom.project.config import Project
from pressroom.source.load import citations, line_at
from pressroom.source.publication import Publication

FILTERS = Path(__file__).parent / "filters"
FILTER_ORDER = ("pull.lua", "headings.lua", "blocks.lua", "typography.lua", "footnotes.lua")
CSL = "styles/csl/house-notes.csl"
# Content is data: raw HTML/TeX could restyle a page or pull in files.
MARKDOWN = "markdown-raw_html-raw_attribute-raw_tex"


# Pandoc's own words for its templates ("Abstract", ...): our templates never print them.
_IRRELEVANT = re.compile(r"Could not load translations for|has no translation defined")


@dataclass
class Transformed:
    html: str
    warnings: list[str]


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def regional_tag(lang: str) -> str:
    """'zh' -> 'zh-CN', 'fr' -> 'fr-FR': the forms citeproc and pandoc have locale files for."""
    if "-" in lang:
        return lang
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang, lang)
    territory = likely.split("_")[-1]
    return f"{lang}-{territory}" if territory.isupper() else lang


def pandoc_command(project: Project, pub: Publication) -> list[str]:
    command = [
        pandoc_path(), "--from", MARKDOWN, "--to", "html5", "--wrap=none",
        "--shift-heading-level-by=1", "--html-q-tags", "--sandbox",
        "--metadata", f"lang={regional_tag(pub.lang)}",
        "--metadata", f"image-base={project.rel(pub.folder)}/",
    ]
    if project.bibliography.exists():
        command += ["--citeproc", "--csl", str(project.root / CSL),
                    "--bibliography", str(project.bibliography)]
    for name in FILTER_ORDER:
        command += ["--lua-filter", str(FILTERS / name)]
    return command


def transform(project: Project, pub: Publication) -> Transformed:
    result = subprocess.run(pandoc_command(project, pub), input=pub.body.encode("utf-8"),
                            capture_output=True, cwd=project.root)
    errors = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise fail(pub.shown_as, None, f"pandoc could not convert the file: {errors.strip()}")
    warnings = [w.strip() for w in re.split(r"^\[WARNING\] ", errors, flags=re.M)
                if w.strip() and not _IRRELEVANT.search(w)]
    _raise_on_missing_citations(pub, warnings)
    return Transformed(result.stdout.decode("utf-8"), warnings)


def _raise_on_missing_citations(pub: Publication, warnings: list[str]) -> None:
    """A backstop for citations the source check missed: never print '???'."""
    missing = {m.group(1) for w in warnings if (m := re.match(r"Citeproc: citation (\S+) not found", w))}
    if not missing:
        return
    lines = {key: line_at(pub.body, offset) for key, offset in citations(pub.body)}
    raise BuildError([Problem(pub.shown_as, lines.get(key), f"unknown citation key '@{key}'",
                              "add the entry to references.bib") for key in sorted(missing)])
