"""Live preview: ``python build.py preview <slug> [lang]`` serves one publication on 127.0.0.1.

The page shows the web edition (written into build/site/ exactly as ``make site`` writes
it), rebuilt within a few tenths of a second of each save, and the PDF as soon as it is
rendered; a build error is shown in the page.
The browser waits on ``/wait?since=N`` (long polling) so that it hears of a new
version at once. Only files inside the project are served.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pressroom.errors import BuildError, fail
from pressroom.formats import VARIANTS
from pressroom.formats.render import Renderer
from pressroom.project.config import Project, load_project

POLL_SECONDS = 0.05
WAIT_SECONDS = 20


@dataclass
class State:
    """What the browser is shown; ``version`` grows with every change of HTML, PDF or error."""

    version: int = 0
    html: str = ""
    pdf: bytes = b""
    pdf_version: int = 0
    error: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, **values: object) -> None:
        with self.changed:
            for key, value in values.items():
                setattr(self, key, value)
            self.version += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version > since, timeout)
            return self.version


@dataclass
class Previewer:
    project: Project
    source: Path
    state: State = field(default_factory=State)
    _render_request: threading.Event = field(default_factory=threading.Event)
    _latest: object = None  # the last publication that passed the checks
    _generation: int = 0
    page: str = ""  # the web page, relative to the project
    _bibliography: tuple[int, object] | None = None  # (mtime of references.bib, parsed)
    _coverage: object = None
    _project_stamp: tuple = ()  # the project's files as they were when it was loaded

    def coverage(self):
        """The fonts' character maps, read again only when a stylesheet changes."""
        from pressroom.source.glyphs import Coverage, stylesheet_families

        families = stylesheet_families(self.project.root / "styles")
        if self._coverage is None or self._coverage.families != families:
            self._coverage = Coverage(families, self.project.root / "build" / ".cache")
        return self._coverage

    def bibliography(self):
        from pressroom.source.bibliography import load_bibliography

        stamp = self.project.bibliography.stat().st_mtime_ns if self.project.bibliography.exists() else 0
        if self._bibliography is None or self._bibliography[0] != stamp:
            self._bibliography = (stamp, load_bibliography(self.project))
        return self._bibliography[1]

    def _current_project(self) -> Project:
        """The project, loaded again when its settings, brand or locales changed (else the same object,
        so that the files loaded for it, e.g. the sibling translations, are not loaded again)."""
        root = self.project.root
        files = [root / "project.yaml", root / "brand.yaml", *sorted((root / "locales").glob("*.yaml"))]
        stamp = tuple((path, path.stat().st_mtime_ns if path.exists() else None) for path in files)
        if stamp != self._project_stamp:
            self.project, self._project_stamp = load_project(root), stamp
        return self.project

    def watched_files(self) -> list[Path]:
        root = self.project.root
        files = [self.source, root / "brand.yaml", root / "references.bib"]
        for folder in ("templates", "styles", "locales"):
            files += sorted((root / folder).rglob("*"))
        images = self.source.parent / "images"
        return files + (sorted(images.rglob("*")) if images.exists() else [])

    def snapshot(self) -> dict[Path, float]:
        stamps = {}
        for path in self.watched_files():
            try:
                stamps[path] = path.stat().st_mtime_ns
            except OSError:
                continue
        return stamps

    def rebuild_html(self) -> None:
        from pressroom.formats import Output
        from pressroom.formats.web import write_edition
        from pressroom.pipeline.build import checked

        started = time.monotonic()
        try:
            self.project = self._current_project()
            pub = checked(self.project, self.source, self.bibliography(), self.coverage())
            output = Output(pub, VARIANTS["site"])
            write_edition(self.project, output, self.project.root / "build")
        except BuildError as error:
            self.state.update(error="\n".join(str(p) for p in error.problems))
            print(f"preview: error in {self.project.rel(self.source)}", file=sys.stderr, flush=True)
            return
        path = output.path(self.project.root / "build")
        self.page = self.project.rel(path.parent) + "/"
        self._latest, self._generation = pub, self._generation + 1
        self.state.update(html=path.read_text(encoding="utf-8"), error="")
        print(f"preview: HTML updated in {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)
        self._render_request.set()

    def watch(self) -> None:
        stamps = self.snapshot()
        self.rebuild_html()
        while True:
            time.sleep(POLL_SECONDS)
            current = self.snapshot()
            if current != stamps:
                stamps = current
                self.rebuild_html()

    def render_loop(self) -> None:
        from pressroom.pipeline.build import html_of

        renderer = Renderer(self.project.root)
        while True:
            self._render_request.wait()
            self._render_request.clear()
            pub, generation, started = self._latest, self._generation, time.monotonic()
            try:
                html = html_of(self.project, pub)[0]
                pdf = renderer.render(html, self.project.rel(self.source), VARIANTS["screen"],
                                      self.project.brand["colours"])
            except BuildError as error:
                self.state.update(error="\n".join(str(p) for p in error.problems))
                continue
            if generation == self._generation:
                self.state.update(pdf=pdf, pdf_version=self.state.pdf_version + 1)
                print(f"preview: PDF updated in {time.monotonic() - started:.2f} s", file=sys.stderr, flush=True)


def serve(root: Path, slug: str, lang: str | None, port: int) -> int:
    project = load_project(root)
    lang = lang or project.source_lang
    source = project.content_dir / slug / f"{lang}.md"
    if not source.exists():
        raise fail(project.rel(source), None, "no such content file", "python build.py preview <slug> [lang]")
    previewer = Previewer(project, source)
    threading.Thread(target=previewer.watch, daemon=True).start()
    threading.Thread(target=previewer.render_loop, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(previewer))
    print(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever(poll_interval=0.2)
    return 0


def _handler(previewer: Previewer) -> type[BaseHTTPRequestHandler]:
    state, root = previewer.state, previewer.project.root

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet: the terminal shows builds, not requests
            pass

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            url = urlsplit(self.path)
            if url.path == "/":
                self._send(PAGE.encode(), "text/html; charset=utf-8")
            elif url.path == "/wait":
                since = int(parse_qs(url.query).get("since", ["-1"])[0])
                state.wait(since, WAIT_SECONDS)
                body = {"version": state.version, "pdf_version": state.pdf_version, "error": state.error}
                self._send(json.dumps(body).encode(), "application/json")
            elif url.path == "/html":
                html = state.html.replace("<head>", f'<head><base href="/files/{previewer.page}">', 1)
                self._send(html.encode(), "text/html; charset=utf-8")
            elif url.path == "/pdf" and state.pdf:
                self._send(state.pdf, "application/pdf")
            elif url.path.startswith("/files/"):
                self._send_file(unquote(url.path[len("/files/"):]))
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send_file(self, relative: str) -> None:
            import mimetypes

            path = (root / relative).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream")

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Preview</title>
<style>
body { margin: 0; font: 14px/1.4 sans-serif; display: flex; flex-direction: column; height: 100vh; }
header { padding: 6px 12px; background: #222; color: #eee; display: flex; gap: 16px; align-items: center; }
header a { color: #9cf; }
#error { display: none; white-space: pre-wrap; background: #fde8e8; color: #8a1020; padding: 10px 12px;
         font: 13px/1.4 monospace; border-bottom: 2px solid #8a1020; }
#error.shown { display: block; }
iframe { flex: 1; border: 0; width: 100%; background: #888; }
</style></head>
<body>
<header><strong>Preview</strong> <span id="html-status">waiting for the first build...</span>
<a id="pdf-link" href="/pdf" target="_blank">PDF</a> <span id="pdf-status">rendering...</span></header>
<div id="error"></div>
<iframe id="html" title="Web edition"></iframe>
<script>
let version = -1, pdfVersion = 0;
async function follow() {
  while (true) {
    try {
      const state = await (await fetch('/wait?since=' + version, {cache: 'no-store'})).json();
      if (state.version === version) continue;
      version = state.version;
      const error = document.getElementById('error');
      error.textContent = state.error;
      error.className = state.error ? 'shown' : '';
      if (!state.error) {
        document.getElementById('html').src = '/html?v=' + version;
        document.getElementById('html-status').textContent = 'HTML version ' + version;
      }
      if (state.pdf_version !== pdfVersion) {
        pdfVersion = state.pdf_version;
        document.getElementById('pdf-link').href = '/pdf?v=' + pdfVersion;
        document.getElementById('pdf-status').textContent = 'PDF version ' + pdfVersion + ' ready';
      }
    } catch (e) {
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }
}
follow();
</script>
</body></html>
"""
