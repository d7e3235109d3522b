"""The build, top to bottom: check each edition -> convert -> lay out once per layout -> write each output."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.convert.layout import lay_out
from pressroom.convert.transform import transform
from pressroom.errors import ERROR, WARNING, BuildError, Problem, warning
from pressroom.formats import PALETTES, VARIANTS, Output, Variant, output_path
from pressroom.formats.footnote_check import misplaced_warnings
from pressroom.formats.render import RenderJob, RenderPool, worker_count
from pressroom.pipeline.deps import split_bibliography, write_dependencies
from pressroom.pipeline.write import remove_stale_temporaries, write_atomically
from pressroom.project.config import Project, load_project
from pressroom.project.textfile import read_text
from pressroom.source.bibliography import Bibliography, check_citations, load_bibliography
from pressroom.source.glyphs import Coverage, missing_glyphs, stylesheet_families
from pressroom.source.load import find_content, load_publication
from pressroom.source.publication import Publication
from pressroom.translation.tracker import Tracker

if TYPE_CHECKING:  # the web edition's module is imported by builds that make web pages only
    from pressroom.formats.web import Indexing


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.failed


# What to make: for each content file, the names of the variants wanted.
Requests = dict[Path, list[str]]


def build(root: Path, sources: list[Path] | None = None, build_dir: Path | None = None,
          say: Callable[[str], None] | None = None, pool: RenderPool | None = None,
          outputs: list[str] | None = None, requests: Requests | None = None) -> Report:
    """Build the ``outputs`` (default: the project's) of every content file (or of ``sources``), or
    exactly the ``requests``; one failure does not stop the others.

    ``pool`` lets a caller start the render workers before it imports anything heavy.
    """
    project = load_project(root)
    bibliography = load_bibliography(project)
    if requests is None:
        wanted = outputs or project.outputs
        requests = {source: list(wanted) for source in (sources if sources is not None else find_content(project))}
    out_dir = build_dir or project.root / "build"
    requests = with_required(requests, out_dir)
    split_bibliography(bibliography, out_dir)
    coverage = Coverage(stylesheet_families(project.root / "styles"), out_dir / ".cache")
    report = Report()
    progress = Progress(sum(len(names) for names in requests.values()), say or _say)
    checks = Checks(project, bibliography, coverage)
    jobs = [job for source, names in requests.items()
            if (pub := checks.run(source, report, progress, len(names)))
            for job in layouts(pub, [VARIANTS[name] for name in names],
                               later_formats([*names, *project.outputs, *existing_outputs(source, out_dir)]))]
    if not jobs:
        return report
    fonts = coverage.font_files()
    if pool is not None or not any(job.format == "pdf" for job in jobs):  # the caller's pool, or none needed
        _render_all(project, jobs, out_dir, pool, report, progress, fonts)
    else:
        pdf_jobs = sum(job.format == "pdf" for job in jobs)
        with RenderPool(project.root, workers=worker_count(pdf_jobs)) as workers:
            _render_all(project, jobs, out_dir, workers, report, progress, fonts)
    return report


@dataclass(frozen=True)
class Layout:
    """The outputs of one edition that share one layout (same format and stylesheets)."""

    edition: Publication
    outputs: tuple[Output, ...]
    also: tuple[str, ...] = ()  # formats whose HTML the same pandoc run makes, for later (see transform)

    @property
    def stylesheets(self) -> tuple[str, ...]:
        return self.outputs[0].variant.stylesheets

    @property
    def palette(self) -> str:
        return self.outputs[0].variant.palette

    @property
    def format(self) -> str:
        return self.outputs[0].variant.format


def with_required(requests: Requests, out_dir: Path) -> Requests:
    """``requests`` plus the outputs the requested ones link that are not built yet (a web page's PDF)."""
    complete: Requests = {}
    for source, names in requests.items():
        lang, slug = source.stem, source.parent.name
        extra = [required for name in names for required in VARIANTS[name].requires
                 if required not in names and not output_path(out_dir, required, lang, slug).exists()]
        complete[source] = list(dict.fromkeys(extra + names))
    return complete


def layouts(pub: Publication, variants: list[Variant], later: tuple[str, ...] = ()) -> list[Layout]:
    groups: dict[tuple, list[Output]] = {}
    for variant in variants:
        groups.setdefault(variant.layout_key, []).append(Output(pub, variant))
    return [Layout(pub, tuple(outputs), tuple(f for f in later if f != outputs[0].variant.format))
            for outputs in groups.values()]


def later_formats(names: list[str]) -> tuple[str, ...]:
    """The formats other than the PDF's among the variants ``names``: a PDF's pandoc run makes their
    HTML too, so that the web page made after it (now, or by the next `make site`) runs no pandoc."""
    wanted = {VARIANTS[name].format for name in names if name in VARIANTS}
    return tuple(sorted(wanted - {"pdf"}))


def existing_outputs(source: Path, out_dir: Path) -> list[str]:
    """The variants of which this content file has an output already (they will be made again)."""
    return [name for name in VARIANTS if output_path(out_dir, name, source.stem, source.parent.name).exists()]


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

    def run(self, source: Path, report: Report, progress: Progress, outputs: int = 1) -> Publication | None:
        try:
            pub = self.check(source)
            report.problems += self._translation_warnings(pub)
            if not pub.body.strip():
                report.problems.append(warning(pub.shown_as, None, "has no text after its front-matter"))
            return pub
        except BuildError as error:
            report.problems += error.problems
            for _ in range(outputs):
                progress.failed(self.project.rel(source))
            return None

    def _translation_warnings(self, pub: Publication) -> list[Problem]:
        """A stale translation still builds, with a warning saying how far behind it is."""
        if pub.lang == self.project.source_lang or not (pub.folder / f"{self.project.source_lang}.md").exists():
            return []
        self._tracker = self._tracker or Tracker(self.project)
        status = self._tracker.status(pub.slug, pub.lang)
        if status.state in ("stale", "invalid"):
            return [warning(pub.shown_as, None, f"translation is {status.state}: {status.detail}",
                            f"see: python build.py status {pub.slug}")]
        return []

    def _locale_glyphs(self, lang: str) -> list[Problem]:
        """The words the templates print in ``lang``, checked once per build."""
        if lang in self._locales_checked:
            return []
        self._locales_checked.add(lang)
        locale = self.project.locale(lang)
        return missing_glyphs(read_text(self.project.root / locale.path), locale.path, self.coverage)


def _render_all(project: Project, jobs: list[Layout], out_dir: Path, pool: RenderPool | None,
                report: Report, progress: Progress, fonts: list[Path]) -> None:
    for folder in {output.path(out_dir).parent for job in jobs for output in job.outputs}:
        remove_stale_temporaries(folder)
    pdf_jobs = [job for job in jobs if job.format == "pdf"]
    pages = WebPages(project, [job for job in jobs if job.format == "web"], pdf_jobs, out_dir, report, progress, fonts)
    try:
        if pool is not None:
            _render_pdfs(project, pdf_jobs, out_dir, pool, report, progress, fonts, pages.pdf_made)
        pages.finish()
    except BaseException:
        pages.cancel()
        raise


class WebPages:
    """The web editions of a build, written in this process (no layout engine). Each page links and
    copies its edition's PDFs: it is written as soon as the last of them is made, while the workers
    lay out the others (the build's process waits for them otherwise), and the rest at the end,
    with the site's catalogues. A language's search index is begun, in the background, once its
    last page of the build is written."""

    def __init__(self, project: Project, jobs: list[Layout], pdf_jobs: list[Layout], out_dir: Path,
                 report: Report, progress: Progress, fonts: list[Path]) -> None:
        self.project, self.out_dir, self.report, self.progress, self.fonts = project, out_dir, report, progress, fonts
        self.waiting: dict[Path, list[Output]] = {}  # edition -> its pages not written yet
        for output in (output for job in jobs for output in job.outputs):
            self.waiting.setdefault(output.edition.path, []).append(output)
        self.pdfs_left = Counter(job.edition.path for job in pdf_jobs if job.edition.path in self.waiting)
        self.pages_left = Counter(output.edition.lang for outputs in self.waiting.values() for output in outputs)
        self.changed: set[str] = set()
        self.indexing: dict[str, Indexing] = {}  # language -> its search index, begun
        self.wanted = bool(self.waiting)
        self.error: Exception | None = None

    def pdf_made(self, job: Layout) -> None:
        """A PDF layout of ``job.edition`` is done (or failed): its pages, if it was the last. An
        unexpected error is raised by ``finish``, once every PDF is made and recorded."""
        self.pdfs_left[job.edition.path] -= 1
        if self.pdfs_left[job.edition.path] <= 0 and self.error is None:
            try:
                self._write(job.edition.path)
            except Exception as error:  # noqa: BLE001 - raised again by finish()
                self.error = error

    def finish(self) -> None:
        if self.error is not None:
            raise self.error
        for edition in list(self.waiting):
            self._write(edition)
        if self.wanted:
            from pressroom.formats import web

            self.report.problems += web.finish_site(self.project, self.out_dir, self.changed, self.indexing)

    def cancel(self) -> None:
        """The search indexes begun, stopped (the build failed or was interrupted)."""
        from pressroom.formats import web

        for indexing in self.indexing.values():
            web.cancel_index(indexing)

    def _write(self, edition: Path) -> None:
        from pressroom.formats import web
        from pressroom.formats.webfonts import font_paths

        for output in self.waiting.pop(edition, []):
            lang = output.edition.lang
            try:
                written = web.write_edition(self.project, output, self.out_dir)
                self.changed.add(lang)
            except BuildError as error:
                self.report.problems += error.problems
                self.progress.failed(output.label)
            else:
                self.report.problems += written.warnings
                write_dependencies(self.project, output, self.out_dir, tuple(written.used_files),
                                   self.fonts + font_paths(), template=web.PAGE_TEMPLATE)
                self.report.built.append(output.path(self.out_dir))
                self.progress.done(output.label)
            self.pages_left[lang] -= 1
            if self.pages_left[lang] == 0 and lang in self.changed:
                self.indexing[lang] = web.start_index(web.site_dir(self.out_dir), lang)


def _render_pdfs(project: Project, jobs: list[Layout], out_dir: Path, pool: RenderPool,
                 report: Report, progress: Progress, fonts: list[Path],
                 made: Callable[[Layout], None] = lambda job: None) -> None:
    """The PDFs of ``jobs`` laid out by the pool's workers; ``made(job)`` after each, done or failed."""
    palettes = {name: PALETTES[name](project) for name in {job.palette for job in jobs}}
    pending: dict[Future, Layout] = {}
    # The longest jobs first, so that the workers finish close together (the short ones fill in).
    times = JobTimes(out_dir / ".cache" / "job-times.json")
    jobs = sorted(jobs, key=times.estimate, reverse=True)
    for index, job in enumerate(jobs):
        pub = job.edition
        # The first documents are prepared here while the workers import WeasyPrint; the
        # rest are prepared by the workers themselves (pandoc and Jinja in parallel too).
        if index < pool.size:
            try:
                html, warnings = html_of(project, pub, job.stylesheets, job.also)
            except BuildError as error:
                report.problems += error.problems
                for output in job.outputs:
                    progress.failed(output.label)
                continue
            report.problems += warnings
            source: str | partial = html
        else:
            source = partial(html_of, project, pub, job.stylesheets, job.also)
        targets = tuple((output.variant, output.path(out_dir)) for output in job.outputs)
        pending[pool.submit(RenderJob(source, pub.shown_as, pub.lang, targets, palettes[job.palette]))] = job
    for future in as_completed(pending):
        job = pending[future]
        try:
            rendered = future.result()
        except BuildError as error:
            report.problems += [with_line(job.edition, problem) for problem in error.problems]
            for output in job.outputs:
                progress.failed(output.label)
        else:
            times.record(job, rendered.seconds)
            report.problems += rendered.warnings
            report.problems += misplaced_warnings(job.edition, list(rendered.misplaced_notes))
            for output in job.outputs:
                write_dependencies(project, output, out_dir, rendered.used_files, fonts)
                report.built.append(output.path(out_dir))
                progress.done(output.label)
            for note in rendered.notes:
                progress.say(note)
        made(job)
    times.save()


class JobTimes:
    """How long each layout job took when last made (``build/.cache/job-times.json``): an estimate
    of the next time. Script and type weigh more than length (a Chinese brief of 26 kB takes as
    long as a Russian case study of 41 kB), so a job never made is guessed from its length."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.seconds: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seconds = {}

    @staticmethod
    def key(job: Layout) -> str:
        return f"{job.edition.shown_as} {job.format} {' '.join(job.stylesheets)} {job.palette}"

    def estimate(self, job: Layout) -> float:
        return self.seconds.get(self.key(job), len(job.edition.body.encode("utf-8")) / 25_000)

    def record(self, job: Layout, seconds: float) -> None:
        self.seconds[self.key(job)] = round(seconds, 3)

    def save(self) -> None:
        write_atomically(self.path, json.dumps(self.seconds, indent=0, sort_keys=True).encode("utf-8"), durable=False)


def with_line(pub: Publication, problem: Problem) -> Problem:
    """A renderer problem about a URL, pointed at the line of the content file that holds it."""
    if problem.line or not problem.url:
        return problem
    url = problem.url
    plain = pub.markdown().plain  # not a mention inside code
    for needle in (url, url.removeprefix("file://"), Path(url.removeprefix("file://")).name):
        offset = plain.find(needle)
        if needle and offset >= 0:
            return replace(problem, line=plain.count("\n", 0, offset) + 1)
    return problem


def checked(project: Project, source: Path, bibliography: Bibliography | None = None,
            coverage: Coverage | None = None) -> Publication:
    """One content file after the same checks as a build (for the live preview); BuildError if not."""
    coverage = coverage or Coverage(stylesheet_families(project.root / "styles"), project.root / "build" / ".cache")
    return Checks(project, bibliography or load_bibliography(project), coverage).check(source)


def shard(sources: list[Path], index: int, count: int) -> list[Path]:
    """A deterministic 1/count of ``sources`` (``index`` from 1): the same on every machine."""
    import hashlib

    def bucket(path: Path) -> int:
        name = f"{path.parent.name}/{path.name}".encode()
        return int.from_bytes(hashlib.sha256(name).digest()[:4], "big") % count

    return [s for s in sources if bucket(s) == index - 1]


def html_of(project: Project, pub: Publication, stylesheets: tuple[str, ...] = (),
            also: tuple[str, ...] = ()) -> tuple[str, list[Problem]]:
    """The complete HTML of a checked publication (pandoc, then its template with the variant's
    ``stylesheets``), and pandoc's warnings; ``also``: see :func:`transform`."""
    transformed = transform(project, pub, "pdf", also)
    return (lay_out(project, pub, transformed.html, stylesheets),
            [warning(pub.shown_as, None, f"pandoc: {w}") for w in transformed.warnings] + transformed.notices)


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
    for problem in report.warnings + report.failed:
        print(f"{problem.severity}: {problem}", file=stream)
    if report.failed:
        print(f"{len(report.failed)} error(s); {len(report.built)} file(s) built.", file=stream)
