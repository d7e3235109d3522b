"""Command line: ``python build.py [files or slugs] [--root DIR] [--debug]``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from pressroom.errors import BuildError

COMMANDS = ["build", "proof", "status", "mark-translated", "check", "split-bib", "preview", "outputs", "make-rules",
            "export", "import", "tm"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Build PDF publications from content/.")
    parser.add_argument("command", nargs="?", default="build", choices=COMMANDS,
                        help="build (default) the PDFs; proof: render built PDFs to PNG pages; "
                             "status: state of every translation; mark-translated SLUG LANG: record that a "
                             "translation matches its source; check: translation QA against the source; "
                             "export SLUG LANG, import FILE, tm: files for CAT tools (XLIFF, PO, TMX)")
    parser.add_argument("targets", nargs="*", help="content files or publication slugs (default: all)")
    parser.add_argument("--json", action="store_true", help="status as JSON")
    parser.add_argument("--port", type=int, default=8000, help="preview: port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--outputs", metavar="NAMES",
                        help="the outputs to build, comma-separated (default: those of project.yaml); "
                             "see `python build.py outputs`")
    parser.add_argument("--shard", metavar="K/N", help="build only the K-th of N deterministic shards")
    parser.add_argument("--queue", type=Path, metavar="FILE",
                        help="build the content files listed in FILE (written by make for outdated outputs)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--out", type=Path, help="output folder (default: <root>/build)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    parser.add_argument("--format", choices=["xliff", "xliff2", "po"], default="xliff",
                        help="export: XLIFF 1.2 (default), XLIFF 2.1 or gettext PO")
    parser.add_argument("--changed", action="store_true", help="export: only the units that need work")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="export, tm: the file to write")
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        argv.insert(0, "build")
    args = parser.parse_intermixed_args(argv)
    try:
        if args.command == "proof":
            from pressroom.devtools.proof import proof

            return proof(args.root.resolve(), args.out)
        if args.command == "preview":
            from pressroom.devtools.preview import serve

            if not 1 <= len(args.targets) <= 2:
                from pressroom.errors import fail

                raise fail("preview", None, "needs a publication and optionally a language",
                           "python build.py preview <slug> [lang]")
            return serve(args.root.resolve(), args.targets[0], (args.targets + [None])[1], args.port)
        if args.command == "split-bib":
            from pressroom.pipeline.deps import split_bibliography
            from pressroom.project.config import load_project
            from pressroom.source.bibliography import load_bibliography

            split_bibliography(load_bibliography(load_project(args.root.resolve())),
                               (args.out or args.root / "build").resolve())
            return 0
        if args.command in ("outputs", "make-rules"):
            return _outputs(args)
        if args.command in ("status", "mark-translated", "check"):
            from pressroom.translation import commands

            return commands.run(args.command, args.root.resolve(), args.targets, args.json)
        if args.command in ("export", "import", "tm"):
            from pressroom.translation import commands

            return commands.kit(args.command, args.root.resolve(), args.targets, args.format, args.changed,
                                args.output)
        return _build(args)
    except BuildError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: finished outputs are complete, nothing half-written was left", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - one clear line unless --debug
        if args.debug:
            raise
        print(f"internal error: {type(error).__name__}: {error} (run with --debug for details)",
              file=sys.stderr)
        return 2


def _outputs(args: argparse.Namespace) -> int:
    """``outputs``: the registry, for people; ``make-rules``: the same, for make (written atomically)."""
    from pressroom.formats import VARIANTS
    from pressroom.pipeline.makerules import make_rules
    from pressroom.pipeline.write import write_atomically
    from pressroom.project.config import load_project

    project = load_project(args.root.resolve())
    if args.command == "outputs":
        for variant in VARIANTS.values():
            default = " (default)" if variant.name in project.outputs else ""
            print(f"{variant.name:10} build/{variant.pattern:32} {variant.description}{default}")
        return 0
    write_atomically(project.root / "build" / ".mk" / "outputs.mk", make_rules(project).encode("utf-8"))
    return 0


def _build(args: argparse.Namespace) -> int:
    from pressroom.formats.render import RenderPool, worker_count

    root = args.root.resolve()
    requests = _requests(root, args)
    if requests is not None and not requests:
        print("nothing to rebuild", file=sys.stderr)
        return 0
    # Fork the render workers first: they import WeasyPrint while we load and run pandoc.
    # A build of web pages only needs none (the build starts its own if a linked PDF is missing).
    outputs = _variant_names(args.outputs)
    workers = contextlib.nullcontext() if not _renders_pdfs(root, requests, outputs) else \
        RenderPool(root, workers=worker_count(len(requests) if requests else os.cpu_count() or 1))
    with workers as pool:
        from pressroom.pipeline.build import build, print_report

        report = build(root, build_dir=args.out.resolve() if args.out else None, pool=pool,
                       requests=requests, outputs=outputs)
    print_report(report)
    return 0 if report.ok else 1


def _renders_pdfs(root: Path, requests: dict[Path, list[str]] | None, outputs: list[str] | None) -> bool:
    from pressroom.formats import VARIANTS

    names = {n for names in requests.values() for n in names} if requests else set(outputs or _default_outputs(root))
    return any(VARIANTS[name].format == "pdf" for name in names)


def _requests(root: Path, args: argparse.Namespace) -> dict[Path, list[str]] | None:
    """Content file -> the outputs to make of it; None for every file in the project's outputs."""
    if args.queue:
        requests = _queued(args.queue)
    else:
        sources = [s for t in args.targets for s in _resolve_target(root, t)]
        if not sources and not args.shard:
            return None
        names = _variant_names(args.outputs) or _default_outputs(root)
        requests = {source: list(names) for source in sources or sorted((root / "content").glob("*/*.md"))}
    if args.shard:
        chosen = set(_shard(list(requests), args.shard))
        requests = {source: names for source, names in requests.items() if source in chosen}
    return requests


def _queued(queue: Path) -> dict[Path, list[str]]:
    """The queue written by make for outdated outputs: lines "<output> <content file>"."""
    requests: dict[Path, list[str]] = {}
    lines = queue.read_text().splitlines() if queue.exists() else []
    for name, _, source in sorted({line.partition(" ") for line in lines if line.strip()}):
        requests.setdefault(Path(source).resolve(), []).extend(_variant_names(name) or [])
    return requests


def _default_outputs(root: Path) -> list[str]:
    from pressroom.project.config import load_project

    return load_project(root).outputs


def _variant_names(spec: str | None) -> list[str] | None:
    if not spec:
        return None
    from pressroom.errors import fail
    from pressroom.formats import VARIANTS

    names = [name.strip() for name in spec.split(",") if name.strip()]
    for name in names:
        if name not in VARIANTS:
            raise fail("--outputs", None, f"no output named '{name}'", f"outputs: {', '.join(VARIANTS)}")
    return names


def _shard(sources: list[Path], spec: str) -> list[Path]:
    from pressroom.errors import fail
    from pressroom.pipeline.build import shard

    try:
        index, count = (int(part) for part in spec.split("/"))
        assert 1 <= index <= count
    except (ValueError, AssertionError):
        raise fail("--shard", None, f"'{spec}' is not K/N with 1 <= K <= N", "e.g. --shard 2/4") from None
    return shard(sources, index, count)


def _resolve_target(root: Path, target: str) -> list[Path]:
    path = Path(target)
    if path.suffix == ".md":
        return [path.resolve()]
    folder = root / "content" / target
    files = sorted(folder.glob("*.md"))
    if not files:
        from pressroom.errors import fail

        known = sorted(p.name for p in (root / "content").iterdir() if p.is_dir())
        raise fail(target, None, "no such content file or publication",
                   f"publications: {', '.join(known)}")
    return files
