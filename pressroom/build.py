"""The pipeline, top to bottom: load -> transform -> lay out -> render -> write."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import render
from .bibliography import Bibliography, check_citations, load_bibliography
from .config import Project, load_project
from .errors import BuildError, Problem
from .layout import lay_out
from .load import find_content, load_publication
from .transform import finish_transform, start_transform
from .write import write_atomically


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build(root: Path, sources: list[Path] | None = None, build_dir: Path | None = None,
          say: Callable[[str], None] | None = None) -> Report:
    """Build every content file (or ``sources``); one failure does not stop the others."""
    say = say or _say
    render.warm_up()
    project = load_project(root)
    bibliography = load_bibliography(project)
    sources = sources if sources is not None else find_content(project)
    out_dir = build_dir or project.root / "build"
    renderer = render.Renderer(project.root)
    report = Report()
    for number, source in enumerate(sources, start=1):
        started = time.monotonic()
        try:
            output = build_one(project, bibliography, renderer, source, out_dir, report)
        except BuildError as error:
            report.failed += error.problems
            say(f"[{number}/{len(sources)}] FAILED {project.rel(source)}")
            continue
        say(f"[{number}/{len(sources)}] {project.rel(output)} ({time.monotonic() - started:.1f} s)")
    return report


def build_one(project: Project, bibliography: Bibliography, renderer: render.Renderer,
              source: Path, out_dir: Path, report: Report) -> Path:
    pub = load_publication(project, source)
    problems = check_citations(pub, bibliography)
    if problems:
        raise BuildError(problems)
    pandoc = start_transform(project, pub)
    transformed = finish_transform(pub, pandoc)
    report.warnings += [f"{pub.shown_as}: pandoc: {w}" for w in transformed.warnings]
    html = lay_out(project, pub, transformed.html)
    pdf = renderer.render(html, pub.shown_as)
    output = pub.output(out_dir)
    write_atomically(output, pdf)
    report.built.append(output)
    return output


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def print_report(report: Report, stream=sys.stderr) -> None:
    for warning in report.warnings:
        print(f"warning: {warning}", file=stream)
    for problem in report.failed:
        print(f"error: {problem}", file=stream)
    if report.failed:
        print(f"{len(report.failed)} error(s); {len(report.built)} file(s) built.", file=stream)
