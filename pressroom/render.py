"""Stage 4, render: HTML + stylesheets -> PDF bytes, with WeasyPrint.

WeasyPrint is imported lazily (about 0.9 s); :func:`warm_up` starts that import
in a thread so it overlaps with loading and pandoc.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BuildError, Problem

DATA_URL_LIMIT = 2 * 1024 * 1024
_import_thread: threading.Thread | None = None


def warm_up() -> None:
    """Import WeasyPrint in the background while the caller does other work."""
    global _import_thread
    if _import_thread is None:
        _import_thread = threading.Thread(target=_import_weasyprint, daemon=True)
        _import_thread.start()


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401
    import weasyprint.text.fonts  # noqa: F401


@dataclass
class Renderer:
    """Renders documents of one project; reuses fonts and caches between documents."""

    root: Path
    _fonts: object = None
    _cache: dict = field(default_factory=dict)

    def render(self, html: str, shown_as: str) -> bytes:
        if _import_thread is not None:
            _import_thread.join()
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        if self._fonts is None:
            self._fonts = FontConfiguration()
        fetcher = project_fetcher(self.root)
        with _collect_warnings() as warnings:
            try:
                document = HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=fetcher)
                pdf = document.write_pdf(font_config=self._fonts, cache=self._cache,
                                         pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
            except _fatal_base() as error:
                refused = _refusal_in(error)
                if refused is None:
                    raise
                raise BuildError(Problem(shown_as, None, f"refused to load '{refused.url}': {refused.reason}",
                                         "use files inside the project folder only")) from None
        _raise_on_missing_glyphs(warnings, shown_as)
        return pdf


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


def project_fetcher(root: Path):
    """A URL fetcher that serves files inside ``root`` and nothing else."""
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
            if not path.is_relative_to(root):
                raise _refuse(Refused, url, "outside the project folder")
            if not path.is_file():
                raise _refuse(Refused, url, "no such file in the project")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return ProjectFetcher()


def _refuse(kind: type[BaseException], url: str, reason: str) -> BaseException:
    error = kind(url)
    error.__cause__ = OutsideProject(url, reason)
    return error
