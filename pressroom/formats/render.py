"""Stage 4, render: HTML + stylesheets -> PDF, with WeasyPrint, in worker processes.

Importing WeasyPrint costs about 0.6 s of CPU and rendering is single-threaded,
so rendering happens in a pool of long-lived worker processes, forked before
anything heavy is imported: they import WeasyPrint while the main process loads
content and runs pandoc, and keep fonts and caches warm from one document to
the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pressroom.errors import BuildError, Problem
from pressroom.formats import CHECKS, FINISHERS, FinishContext, Variant, weasyprint_patches
from pressroom.formats.footnote_check import MisplacedNote, misplaced_footnotes
from pressroom.formats.pdfua import tagging_hints
from pressroom.pipeline.write import write_atomically

DATA_URL_LIMIT = 2 * 1024 * 1024
_worker_renderer: Renderer | None = None


class RenderPool:
    """Worker processes that render HTML to PDF files (written atomically)."""

    def __init__(self, root: Path, workers: int = 1):
        self._busy = False
        self.size = workers
        context = multiprocessing.get_context("fork")
        self._executor = ProcessPoolExecutor(workers, mp_context=context,
                                             initializer=_start_worker, initargs=(root,))
        for _ in range(workers):  # start the workers (and their imports) now
            self._executor.submit(_ready)

    def submit(self, job: RenderJob) -> Future:
        """Lay out ``job`` once and write each of its targets. Its ``html`` may be a picklable function
        returning (html, warnings), so that the earlier stages run in the worker too, in parallel."""
        self._busy = True
        return self._executor.submit(_render_job, job)

    def close(self, finish: bool = True) -> None:
        """Wait for the jobs under way, or (``finish=False``, or no job given) stop the workers at once."""
        if not finish or not self._busy:
            for process in list(getattr(self._executor, "_processes", {}).values()):
                # A worker at work is asked to stop (it removes its half-written file);
                # one that never got a job has nothing to clean up.
                process.terminate() if self._busy else process.kill()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(finish=kind is None)


def worker_count(documents: int) -> int:
    return max(1, min(documents, os.cpu_count() or 1))


def _start_worker(root: Path) -> None:
    global _worker_renderer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    # Stopped by the main process: unwind, so that a half-written output is removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import weasyprint  # noqa: F401  (the expensive import, done once per worker)

    weasyprint_patches.apply()

    _worker_renderer = Renderer(root)


def _ready() -> None:
    pass


@dataclass(frozen=True)
class RenderJob:
    """One layout of one edition, written as one or more variants (e.g. screen and archive)."""

    html: str | Callable[[], tuple[str, list[Problem]]]
    shown_as: str  # the content file, as the user knows it
    lang: str
    targets: tuple[tuple[Variant, Path], ...]
    colours: dict[str, str]


@dataclass(frozen=True)
class Rendered:
    outputs: tuple[Path, ...]
    used_files: tuple[Path, ...]  # every project file the document loaded (stylesheets, images, ...)
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # one line per report written beside an output (e.g. a preflight summary)
    misplaced_notes: tuple[MisplacedNote, ...] = ()  # notes printed on another page than their call
    seconds: float = 0.0  # the worker's CPU time for the job (the next build starts the longest first)


def _render_job(job: RenderJob) -> Rendered:
    assert _worker_renderer is not None
    renderer = _worker_renderer
    started = time.process_time()
    warnings: list[Problem] = []
    html = job.html
    if callable(html):
        html, warnings = html()
    used: list[Path] = []
    document = renderer.lay_out(html, job.shown_as, job.colours, used)
    misplaced = misplaced_footnotes(document)
    context = FinishContext(job.shown_as, job.lang, renderer.root)
    notes: list[str] = []
    for variant, output in job.targets:
        data = renderer.write(document, variant, context)
        warnings += run_checks(variant, data, document, context, output, notes)
        write_atomically(output, data)
    return Rendered(tuple(output for _, output in job.targets), tuple(dict.fromkeys(used)), tuple(warnings),
                    tuple(notes), tuple(misplaced), time.process_time() - started)


def run_checks(variant: Variant, data: bytes, document, context: FinishContext, output: Path,
               notes: list[str]) -> list[Problem]:
    """The variant's checks of its finished file: each report is written as <output>.<check>.txt
    (even when it finds errors, so that the user can read it); errors stop the file being written."""
    found: list[Problem] = []
    for name in variant.checks:
        report, problems = CHECKS[name](data, document, context)
        report_path = output.with_name(f"{output.stem}.{name}.txt")
        write_atomically(report_path, report.encode("utf-8"))
        shown = report_path.relative_to(Path.cwd()) if report_path.is_relative_to(Path.cwd()) else report_path
        notes.append(f"  {name}: {report.splitlines()[0].split(': ', 1)[-1]} -> {shown}")
        found += problems
    errors = [problem for problem in found if problem.severity == "error"]
    if errors:
        raise BuildError(errors)
    return found


@dataclass
class Renderer:
    """Renders documents of one project; reuses fonts and caches between documents.

    ``lay_out`` gives a WeasyPrint document; ``write`` turns it into the file of one
    variant (its ``write_pdf`` options and finishing steps): one layout, several files.
    """

    root: Path
    _fonts: object = None
    _cache: dict = field(default_factory=dict)

    def lay_out(self, html: str, shown_as: str, colours: dict[str, str] | None = None,
                used: list[Path] | None = None):
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        weasyprint_patches.apply()
        if self._fonts is None:
            self._fonts = FontConfiguration()
        fetcher = project_fetcher(self.root, colours or {}, used if used is not None else [])
        with _collect_warnings() as warnings, _refusals_reported(shown_as):
            document = self._laid_out(HTML, html, fetcher)
        _raise_on_missing_glyphs(warnings, shown_as)
        document.source_html = html
        return document

    def write(self, document, variant: Variant, context: FinishContext) -> bytes:
        """The file of ``variant``: byte-identical for the same document and variant."""
        identifier = hashlib.sha256(document.source_html.encode()).hexdigest()[:32].encode()
        with _collect_warnings() as warnings, _refusals_reported(context.shown_as), tagging_hints():
            data = document.write_pdf(pdf_identifier=identifier, **variant.options)  # attachments load here
        _raise_on_missing_glyphs(warnings, context.shown_as)
        for name in variant.finishers:
            data = FINISHERS[name](data, context)
        return data

    def render(self, html: str, shown_as: str, variant: Variant, colours: dict[str, str] | None = None,
               used: list[Path] | None = None) -> bytes:
        """Lay out and write one variant (the preview and the tests)."""
        document = self.lay_out(html, shown_as, colours, used)
        return self.write(document, variant, FinishContext(shown_as, "", self.root))

    def _laid_out(self, html_class, html: str, fetcher):
        """The laid-out document: one pass (weasyprint_patches keeps notes with their calls)."""
        return html_class(string=html, base_url=self.root.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=self._fonts, cache=self._cache)


class _WarningList(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _collect_warnings:
    def __enter__(self) -> list[str]:
        self.handler = _WarningList()
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.handler.messages

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


def _raise_on_missing_glyphs(warnings: list[str], shown_as: str) -> None:
    glyphs = [w for w in warnings if ".notdef" in w]
    others = [w for w in warnings if ".notdef" not in w]
    if glyphs:
        raise BuildError(Problem(shown_as, None, "some characters have no glyph in the brand fonts: "
                                 + "; ".join(glyphs[:3]), "use characters the fonts cover"))
    if others:
        raise BuildError([Problem(shown_as, None, f"renderer: {w}") for w in others[:10]])


@contextlib.contextmanager
def _refusals_reported(shown_as: str):
    """A URL our fetcher refused, as a problem the user can act on."""
    try:
        yield
    except _fatal_base() as error:
        refused = _refusal_in(error)
        if refused is None:
            raise
        raise BuildError(Problem(shown_as, None, f"refused to load '{refused.url}': {refused.reason}",
                                 "use files inside the project folder only", url=refused.url)) from None


def _fatal_base() -> type[BaseException]:
    from weasyprint.urls import FatalURLFetchingError

    return FatalURLFetchingError


def _refusal_in(error: BaseException | None) -> OutsideProject | None:
    while error is not None:
        if isinstance(error, OutsideProject):
            return error
        error = error.__cause__ or error.__context__
    return None


class OutsideProject(Exception):
    """Raised (wrapped as fatal for WeasyPrint) when a document asks for a forbidden URL."""

    def __init__(self, url: str, reason: str):
        super().__init__(url)
        self.url, self.reason = url, reason


def resolve_colours(css: str, colours: dict[str, str]) -> str:
    """``var(--primary)`` -> ``#b0173a``: WeasyPrint 70 resolves var() slowly (about 8% of a render)."""
    return re.sub(r"var\(--([\w-]+)\)", lambda m: colours.get(m.group(1), m.group(0)), css)


def project_fetcher(root: Path, colours: dict[str, str], used: list[Path]):
    """A URL fetcher that serves files inside ``root`` and nothing else.

    Stylesheets are served with the brand colours resolved (see :func:`resolve_colours`);
    every file served is appended to ``used`` (the output's real dependencies).
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    fatal = _fatal_base()

    class Refused(fatal):  # type: ignore[misc, valid-type]
        pass

    class ProjectFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme == "data":
                if len(url) > DATA_URL_LIMIT:
                    raise _refuse(Refused, url, "data: URL larger than 2 MiB")
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise _refuse(Refused, url, "the build never uses the network")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root) and not _system_profile(path, colours):
                raise _refuse(Refused, url, "outside the project folder")
            if not path.is_file():
                raise _refuse(Refused, url, "no such file in the project")
            used.append(path)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind == "text/css":
                css = resolve_colours(path.read_text(encoding="utf-8"), colours)
                return URLFetcherResponse(url, css, {"Content-Type": kind})
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return ProjectFetcher()


SYSTEM_PROFILES = Path("/usr/share/color/icc")


def _system_profile(path: Path, colours: dict[str, str]) -> bool:
    """The print edition's output profile when it is the system's (read-only public data, like the
    system fonts): the only file outside the project served, and only to the layout that uses it."""
    return (path.is_relative_to(SYSTEM_PROFILES) and path.suffix.lower() in (".icc", ".icm")
            and colours.get("output-profile") == path.as_uri())


def _refuse(kind: type[BaseException], url: str, reason: str) -> BaseException:
    error = kind(url)
    error.__cause__ = OutsideProject(url, reason)
    return error
