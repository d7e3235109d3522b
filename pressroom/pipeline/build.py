"""The pipeline, top to bottom: load -> transform -> lay out -> render -> write."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pressroom.convert.layout import lay_out
from pressroom.convert.transform import transform
from pressroom.errors import BuildError, Problem
from pressroom.formats.footnote_check import misplaced_warnings
from pressroom.formats.render import RenderPool, worker_count
from pressroom.pipeline.deps import split_bibliography, write_dependencies
from pressroom.pipeline.write import remove_stale_temporaries
from pressroom.project.config import Project, load_project
from pressroom.project.textfile import read_text
from pressroom.source.bibliography import Bibliography, check_citations, load_bibliography
from pressroom.source.glyphs import Coverage, missing_glyphs, stylesheet_families
from pressroom.source.load import find_content, load_publication
from pressroom.source.publication import Publication
from pressroom.translation.tracker import Tracker


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build(root: Path, sources: list[Path] | None = None, build_dir: Path | None = None,
          say: Callable[[str], None] | None = None, pool: RenderPool | None = None) -> Report:
    """Build every content file (or ``sources``); one failure does not stop the others.

    ``pool`` lets a caller start the render workers before it imports anything heavy.
    """
    project = load_project(root)
    bibliography = load_bibliography(project)
    sources = sources if sources is not None else find_content(project)
    out_dir = build_dir or project.root / "build"
    split_bibliography(bibliography, out_dir)
    coverage = Coverage(stylesheet_families(project.root / "styles"), out_dir / ".cache")
    report = Report()
    progress = Progress(len(sources), say or _say)
    checks = Checks(project, bibliography, coverage)
    checked = [pub for pub in (checks.run(s, report, progress) for s in sources) if pub]
    if not checked:
        return report
    fonts = coverage.font_files()
    if pool is not None:  # the caller's pool: the caller closes it
        _render_all(project, checked, out_dir, pool, report, progress, fonts)
    else:
        with RenderPool(project.root, workers=worker_count(len(checked))) as workers:
            _render_all(project, checked, out_dir, workers, report, progress, fonts)
    return report


@dataclass
class Checks:
    """Every check made before pandoc runs: front-matter, body, citations, glyphs, locale."""

    project: Project
    bibliography: Bibliography
    coverage: Coverage
    _locales_checked: set[str] = field(default_factory=set)
    _tracker: Tracker | None = None

    def check(self, source: Path) -> Publication:
        """The publication, or a BuildError with every problem found."""
        pub = load_publication(self.project, source)
        problems = check_citations(pub, self.bibliography)
        problems += missing_glyphs(read_text(pub.path), pub.shown_as, self.coverage)
        problems += self._locale_glyphs(pub.lang)
        if problems:
            raise BuildError(problems)
        return pub

    def run(self, source: Path, report: Report, progress: Progress) -> Publication | None:
        try:
            pub = self.check(source)
            report.warnings += self._translation_warnings(pub)
            if not pub.body.strip():
                report.warnings.append(f"{pub.shown_as}: has no text after its front-matter")
            return pub
        except BuildError as error:
            report.failed += error.problems
            progress.failed(self.project.rel(source))
            return None

    def _translation_warnings(self, pub: Publication) -> list[str]:
        """A stale translation still builds, with a warning saying how far behind it is."""
        if pub.lang == self.project.source_lang or not (pub.folder / f"{self.project.source_lang}.md").exists():
            return []
        self._tracker = self._tracker or Tracker(self.project)
        status = self._tracker.status(pub.slug, pub.lang)
        if status.state in ("stale", "invalid"):
            return [f"{pub.shown_as}: translation is {status.state}: {status.detail} "
                    f"(see: python build.py status {pub.slug})"]
        return []

    def _locale_glyphs(self, lang: str) -> list[Problem]:
        """The words the templates print in ``lang``, checked once per build."""
        if lang in self._locales_checked:
            return []
        self._locales_checked.add(lang)
        locale = self.project.locale(lang)
        return missing_glyphs(read_text(self.project.root / locale.path), locale.path, self.coverage)


def _render_all(project: Project, pubs: list[Publication], out_dir: Path, pool: RenderPool,
                report: Report, progress: Progress, fonts: list[Path]) -> None:
    colours = project.brand["colours"]
    for folder in {pub.output(out_dir).parent for pub in pubs}:
        remove_stale_temporaries(folder)
    pending: list[Future] = []
    publications: dict[Future, Publication] = {}
    for index, pub in enumerate(pubs):
        # The first documents are prepared here while the workers import WeasyPrint; the
        # rest are prepared by the workers themselves (pandoc and Jinja in parallel too).
        if index < pool.size:
            try:
                html, warnings = html_of(project, pub)
            except BuildError as error:
                report.failed += error.problems
                progress.failed(pub.shown_as)
                continue
            report.warnings += warnings
            job: str | partial = html
        else:
            job = partial(html_of, project, pub)
        future = pool.submit(job, pub.shown_as, pub.output(out_dir), colours)
        pending.append(future)
        publications[future] = pub
    for future in as_completed(pending):
        pub = publications[future]
        try:
            rendered = future.result()
        except BuildError as error:
            report.failed += [with_line(pub, problem) for problem in error.problems]
            progress.failed(pub.shown_as)
            continue
        report.warnings += rendered.warnings
        report.warnings += misplaced_warnings(pub.shown_as, pub.body, list(rendered.misplaced_notes))
        write_dependencies(project, pub, rendered.output, out_dir, rendered.used_files, fonts)
        report.built.append(rendered.output)
        progress.done(f"{pub.slug} ({pub.lang})")


def with_line(pub: Publication, problem: Problem) -> Problem:
    """A renderer problem about a URL, pointed at the line of the content file that holds it."""
    match = re.search(r"refused to load '([^']+)'", problem.message)
    if problem.line or not match:
        return problem
    url = match.group(1)
    candidates = [url, url.removeprefix("file://"), Path(url.removeprefix("file://")).name]
    for needle in candidates:
        offset = pub.body.find(needle)
        if needle and offset >= 0:
            return Problem(problem.path, pub.body.count("\n", 0, offset) + 1, problem.message, problem.hint)
    return problem


def preview_html(project: Project, source: Path, bibliography: Bibliography | None = None,
                 coverage: Coverage | None = None) -> str:
    """The laid-out HTML of one content file after the same checks as a build, for the live preview."""
    coverage = coverage or Coverage(stylesheet_families(project.root / "styles"), project.root / "build" / ".cache")
    checks = Checks(project, bibliography or load_bibliography(project), coverage)
    return html_of(project, checks.check(source))[0]


def shard(sources: list[Path], index: int, count: int) -> list[Path]:
    """A deterministic 1/count of ``sources`` (``index`` from 1): the same on every machine."""
    import hashlib

    def bucket(path: Path) -> int:
        name = f"{path.parent.name}/{path.name}".encode()
        return int.from_bytes(hashlib.sha256(name).digest()[:4], "big") % count

    return [s for s in sources if bucket(s) == index - 1]


def html_of(project: Project, pub: Publication) -> tuple[str, list[str]]:
    """The complete HTML of a checked publication (pandoc, then its template), and pandoc's warnings."""
    transformed = transform(project, pub)
    return lay_out(project, pub, transformed.html), [f"{pub.shown_as}: pandoc: {w}" for w in transformed.warnings]


@dataclass
class Progress:
    total: int
    say: Callable[[str], None]
    count: int = 0
    started: float = field(default_factory=time.monotonic)

    def done(self, what: str) -> None:
        self.count += 1
        self.say(f"[{self.count}/{self.total}] {what} ({time.monotonic() - self.started:.1f} s)")

    def failed(self, what: str) -> None:
        self.count += 1
        self.say(f"[{self.count}/{self.total}] FAILED {what}")


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def print_report(report: Report, stream=sys.stderr) -> None:
    for warning in report.warnings:
        print(f"warning: {warning}", file=stream)
    for problem in report.failed:
        print(f"error: {problem}", file=stream)
    if report.failed:
        print(f"{len(report.failed)} error(s); {len(report.built)} file(s) built.", file=stream)
