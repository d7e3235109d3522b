"""Stage 2, transform: the body's pandoc tree -> HTML fragment, by pandoc with citeproc and our filters.

The tree is the one the checks read (source/markdown.py): Markdown is parsed once.
The author's attributes are filtered first (content.lua), then citeproc runs (citations
become notes of the same series as ordinary footnotes); the filters after it, and their
order, belong to the output's format (``pressroom.formats.FORMATS``): the PDF's notes are
inline spans for ``float: footnote``, the web's are end-notes.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.convert.tables import located_reports, table_metadata
from pressroom.errors import BuildError, Problem, fail
from pressroom.formats import FORMATS
from pressroom.pipeline.write import write_atomically
from pressroom.project.config import Project
from pressroom.source.markdown import MARKDOWN, pandoc_path, reader_version, relevant, split_warnings
from pressroom.source.publication import Publication

__all__ = ["MARKDOWN", "pandoc_path", "transform"]

FILTERS = Path(__file__).parent / "filters"
# Before citeproc: content.lua, which filters the author's attributes before any are added.
FIRST_FILTER = "content.lua"
WRITER = "formats.lua"  # the writer for several formats in one run
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
    """pandoc from the body's tree to an HTML fragment, with citeproc and ``filters`` after content.lua."""
    command = [
        pandoc_path(), "--from", "json", "--to", "html5", "--wrap=none",
        "--shift-heading-level-by=1", "--html-q-tags", "--sandbox",
        "--metadata", f"lang={regional_tag(pub.lang)}",
        "--metadata", f"image-base={project.rel(pub.folder)}/", *table_metadata(pub.type),
        "--lua-filter", str(FILTERS / FIRST_FILTER),
    ]
    if pub.markdown().adjacent_calls:
        command += ["--metadata", "adjacent-calls=true"]
    if project.bibliography.exists():
        command += ["--citeproc", "--csl", str(project.root / CSL),
                    "--bibliography", str(project.bibliography)]
    for name in filters:
        command += ["--lua-filter", str(FILTERS / name)]
    return command


def transform(project: Project, pub: Publication, format: str = "pdf", also: tuple[str, ...] = ()) -> Transformed:
    """The publication's tree (read once, by the checks) converted to HTML for ``format`` (a key of FORMATS).

    ``also`` names formats the build will ask for next (the web edition of an edition whose PDF
    is made now): they are made in the same pandoc run, where the filters the formats share and
    citeproc run once, and kept in ``build/.cache/html`` by digest of everything pandoc reads.
    """
    cache = HtmlCache(project, pub)
    found = cache.get(format)
    if found is None:
        # Each get() fixes its format's digest before pandoc runs.
        missing = [name for name in dict.fromkeys((format, *also)) if name == format or cache.get(name) is None]
        made = _run_pandoc(project, pub, missing, cache.tree)
        for name, result in made.items():
            cache.put(name, result)
        found = made[format]
    warnings = pub.markdown().warnings + found.warnings
    _raise_on_missing_citations(pub, warnings)
    warnings, notices = located_reports(pub.shown_as, pub.body, warnings)
    return Transformed(found.html, warnings, notices)


@dataclass
class PandocResult:
    html: str
    warnings: list[str]  # pandoc's, for this format: the shared filters' and citeproc's, then its own


def _run_pandoc(project: Project, pub: Publication, formats: list[str],
                tree: str | None = None) -> dict[str, PandocResult]:
    """One pandoc run for ``formats`` (on ``tree``, the body's tree as JSON, if given)."""
    tree = tree if tree is not None else pub.markdown().tree_json
    result = subprocess.run(_command_for(project, pub, formats), input=tree.encode("utf-8"),
                            capture_output=True, cwd=project.root)
    errors = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        raise fail(pub.shown_as, None, f"pandoc could not convert the file: {errors.strip()}")
    warnings, output = split_warnings(errors), result.stdout.decode("utf-8")
    if len(formats) == 1:
        return {formats[0]: PandocResult(output, warnings)}
    written = json.loads(output)  # the writer's HTML has no final newline: given one, as pandoc's own
    return {name: PandocResult(written[name]["html"] + "\n", warnings + relevant(list(written[name]["warnings"] or [])))
            for name in formats}


def _command_for(project: Project, pub: Publication, formats: list[str]) -> list[str]:
    """pandoc's command for one format; for several, the filters they share, then the writer
    (filters/formats.lua) that runs each format's own filters on a copy of the document."""
    chains = [FORMATS[name] for name in formats]
    if len(formats) == 1:
        return pandoc_command(project, pub, chains[0])
    shared = _common_prefix(chains)
    command = pandoc_command(project, pub, shared)
    plan = [{"name": name, "filters": [str(FILTERS / f) for f in chain[len(shared):]]}
            for name, chain in zip(formats, chains, strict=True)]
    command[command.index("html5")] = str(FILTERS / WRITER)
    return [*command, "--metadata", f"pressroom-formats={json.dumps(plan)}"]


def _common_prefix(chains: list[tuple[str, ...]]) -> tuple[str, ...]:
    shared: list[str] = []
    for filters in zip(*chains, strict=False):
        if len(set(filters)) > 1:
            break
        shared.append(filters[0])
    return tuple(shared)


class HtmlCache:
    """pandoc's HTML of one edition, per format, kept while nothing pandoc reads has changed.

    One file per edition and format (``build/.cache/html/<lang>/<slug>.<format>.json``), holding
    the digest it was made from: the tree, the command, and every filter, style and
    bibliography file it names. A stale file is simply made again.
    """

    def __init__(self, project: Project, pub: Publication) -> None:
        self.project, self.pub = project, pub
        self.folder = project.root / "build" / ".cache" / "html" / pub.lang
        self.tree = pub.markdown().tree_json  # pandoc's input
        self._digests: dict[str, str] = {}

    def _digest(self, format: str) -> str:
        """Computed once, before pandoc runs: a file saved while it runs makes the HTML stale, not kept."""
        if format not in self._digests:
            self._digests[format] = self._digest_now(format)
        return self._digests[format]

    def _digest_now(self, format: str) -> str:
        command = pandoc_command(self.project, self.pub, FORMATS[format])
        digest = hashlib.sha256("\0".join([reader_version(), self.tree, *command[1:]]).encode("utf-8"))
        for path in [*_files_read(self.project, command), FILTERS / WRITER]:  # the writer may have made it
            digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()

    def _path(self, format: str) -> Path:
        return self.folder / f"{self.pub.slug}.{format}.json"

    def get(self, format: str) -> PandocResult | None:
        digest = self._digest(format)
        try:
            kept = json.loads(self._path(format).read_bytes())
        except (OSError, ValueError):
            return None
        if kept.get("digest") != digest:
            return None
        return PandocResult(kept["html"], kept["warnings"])

    def put(self, format: str, result: PandocResult) -> None:
        data = {"digest": self._digest(format), "html": result.html, "warnings": result.warnings}
        write_atomically(self._path(format), json.dumps(data).encode("utf-8"), durable=False)


def _files_read(project: Project, command: list[str]) -> list[Path]:
    """The files a pandoc command reads besides its input: filters, CSL and bibliography."""
    options = {"--lua-filter", "--csl", "--bibliography"}
    return [Path(value) if Path(value).is_absolute() else project.root / value
            for option, value in zip(command, command[1:], strict=False) if option in options]


def _raise_on_missing_citations(pub: Publication, warnings: list[str]) -> None:
    """A backstop for citations the source check missed: never print '???'."""
    missing = {m.group(1) for w in warnings if (m := re.match(r"Citeproc: citation (\S+) not found", w))}
    if not missing:
        return
    lines = dict(reversed(pub.markdown().cited()))  # each key's first line
    raise BuildError([Problem(pub.shown_as, lines.get(key), f"unknown citation key '@{key}'",
                              "add the entry to references.bib") for key in sorted(missing)])
