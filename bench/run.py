#!/usr/bin/env python3
"""Benchmarks, each paired with its reference in the same run; results go to bench/RESULTS.md.

(a) one publication as a whole process vs the `pandoc` + `weasyprint` command lines;
(b) a full `make` of all sample outputs vs the serial sum of cold command-line pairs;
(c) a no-op `make`; (d) a generated ~300-page brief: time per page against the 12-page
brief, and peak memory; (e) live preview: from a save to updated HTML and to updated PDF;
(f) the cost of an accessible PDF: layout and writing of the sample brief as PDF/UA-1 with its
finisher against the same without tags, in one process, alternating.
Usage: python bench/run.py [--runs N] [--only f]   (--only f updates the (f) row alone)
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import large_brief  # noqa: E402

from pressroom.convert.transform import FILTER_ORDER, FILTERS, pandoc_path, regional_tag  # noqa: E402

SAMPLE = ROOT / "content" / "law-reform-progress" / "en.md"
PROJECT_FILES = ["templates", "styles", "locales", "brand.yaml", "references.bib", "Makefile", "build.py",
                 "pressroom", "content"]


def run(command: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def reference_pair(source: Path, out: Path) -> list[list[str]]:
    """pandoc (same CSL, filters, stylesheets, language) then the weasyprint CLI."""
    html, pdf = out / f"{source.parent.name}-{source.stem}.html", out / f"{source.parent.name}-{source.stem}.pdf"
    kind = "case-study" if "type: case-study" in source.read_text() else "policy-brief"
    pandoc = [pandoc_path(), str(source), "--standalone", "--wrap=none", "--metadata",
              f"lang={regional_tag(source.stem)}", "--citeproc", "--csl", str(ROOT / "styles/csl/house-notes.csl"),
              "--bibliography", str(ROOT / "references.bib"), "--css", str(ROOT / "styles/base.css"),
              "--css", str(ROOT / f"styles/{kind}.css"), "-o", str(html)]
    for name in FILTER_ORDER:
        pandoc += ["--lua-filter", str(FILTERS / name)]
    return [pandoc, [str(Path(sys.executable).parent / "weasyprint"), "--quiet", str(html), str(pdf)]]


def timed_pair(source: Path, out: Path) -> float:
    return sum(run(command) for command in reference_pair(source, out))


def copy_project(target: Path) -> Path:
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    return target


def make(project: Path) -> list[str]:
    return ["make", "-s", f"PY={sys.executable}", "SETUP="]


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def bench_one(runs: int, out: Path) -> dict:
    ours_command = [sys.executable, str(ROOT / "build.py"), str(SAMPLE), "--out", str(out)]
    run(ours_command), timed_pair(SAMPLE, out)  # warm the page cache once
    ours, reference = [], []
    for index in range(runs):
        ours.append(run(ours_command))
        reference.append(timed_pair(SAMPLE, out))
        print(f"(a) run {index + 1}/{runs}: ours {ours[-1]:.2f} s, pandoc+weasyprint {reference[-1]:.2f} s",
              file=sys.stderr)
    result = {"ours": statistics.median(ours), "reference": statistics.median(reference),
              "pages": pages(out / "en" / "law-reform-progress.pdf")}
    result["ratio"] = result["ours"] / result["reference"]
    return result


def bench_full(out: Path) -> dict:
    project = copy_project(out / "full")
    sources = sorted((project / "content").glob("*/*.md"))
    ours = run(make(project), cwd=project)
    reference = sum(timed_pair(source, out) for source in sources)
    print(f"(b) make {ours:.2f} s, serial cold pairs {reference:.2f} s", file=sys.stderr)
    noop = [run(make(project), cwd=project) for _ in range(10)]
    print(f"(c) no-op make {statistics.median(noop) * 1000:.0f} ms", file=sys.stderr)
    return {"outputs": len(sources), "ours": ours, "reference": reference, "ratio": ours / reference,
            "noop": statistics.median(noop)}


def bench_large(out: Path, small_seconds: float, small_pages: int) -> dict:
    project = out / "large"
    for name in ("templates", "styles", "locales", "brand.yaml", "references.bib"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    (project / "content" / "large").mkdir(parents=True)
    (project / "content" / "large" / "en.md").write_text(large_brief())
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "build.py"), "--root",
                             str(project)], capture_output=True, text=True, check=True).stdout.split()
    seconds, peak_kib = float(result[0]), int(result[1])
    count = pages(project / "build" / "en" / "large.pdf")
    per_page, small_per_page = seconds / count, small_seconds / small_pages
    print(f"(d) {count} pages in {seconds:.1f} s, peak {peak_kib / 1024:.0f} MiB", file=sys.stderr)
    return {"pages": count, "seconds": seconds, "per_page": per_page, "small_per_page": small_per_page,
            "ratio": per_page / small_per_page, "peak_mib": peak_kib / 1024}


def bench_preview(out: Path, runs: int) -> dict:
    project = copy_project(out / "preview")
    source = project / "content" / "law-reform-progress" / "en.md"
    server = subprocess.Popen([sys.executable, str(project / "build.py"), "preview", "law-reform-progress",
                               "--port", "0", "--root", str(project)], stderr=subprocess.PIPE, text=True)
    url = server.stderr.readline().split()[1]
    try:
        state = _wait_for(url, -1, lambda s: s["pdf_version"] >= 1, 60)
        html_times, pdf_times = [], []
        for index in range(runs):
            text = source.read_text()
            saved = time.perf_counter()
            source.write_text(text.replace("Introduction", f"Introduction {index}", 1))
            state = _wait_for(url, state["version"], lambda s: True, 30)
            html_times.append(time.perf_counter() - saved)
            target = state["pdf_version"] + 1
            state = _wait_for(url, state["version"], lambda s, t=target: s["pdf_version"] >= t, 60)
            pdf_times.append(time.perf_counter() - saved)
    finally:
        server.terminate()
        server.wait(10)
    print(f"(e) preview: HTML {statistics.median(html_times):.2f} s, PDF {statistics.median(pdf_times):.2f} s",
          file=sys.stderr)
    return {"html": statistics.median(html_times), "pdf": statistics.median(pdf_times)}


def bench_tagging(runs: int, cache: Path) -> dict:
    """(f): render + write of the sample brief, tagged PDF/UA-1 and finished vs untagged.

    In CPU time of this process (all the work is in it, single-threaded): on a machine shared
    with other jobs, wall-clock times of a few seconds vary more than the 10% measured."""
    from pressroom.formats import VARIANTS, FinishContext, Variant
    from pressroom.formats.render import Renderer
    from pressroom.pipeline.build import Checks, html_of
    from pressroom.project.config import load_project
    from pressroom.source.bibliography import load_bibliography
    from pressroom.source.glyphs import Coverage, stylesheet_families

    project = load_project(ROOT)
    checks = Checks(project, load_bibliography(project), Coverage(stylesheet_families(ROOT / "styles"), cache))
    pub = checks.check(SAMPLE)
    screen = VARIANTS["screen"]
    untagged = Variant("untagged", "pdf", screen.pattern, "the same file, untagged", screen.stylesheets)
    html, _ = html_of(project, pub, screen.stylesheets)
    renderer = Renderer(ROOT)
    context = FinishContext(pub.shown_as, pub.lang, ROOT)
    colours = project.brand["colours"]

    def timed(step, *args) -> tuple[float, object]:
        started = time.process_time()
        result = step(*args)
        return time.process_time() - started, result

    # The layout does not depend on tagging (the build lays out once for every variant): each run
    # times it once, then both writes of that layout, alternating which goes first.
    layouts, writes = [], {screen.name: [], untagged.name: []}
    for index in range(runs + 1):
        spent, document = timed(renderer.lay_out, html, pub.shown_as, colours)
        pair = {variant.name: timed(renderer.write, document, variant, context)[0]
                for variant in ((screen, untagged) if index % 2 else (untagged, screen))}
        if index == 0:
            continue  # fonts and caches warm
        layouts.append(spent)
        for name, seconds in pair.items():
            writes[name].append(seconds)
        print(f"(f) run {index}/{runs}: layout {spent:.2f} s, write PDF/UA-1 {pair[screen.name]:.2f} s, "
              f"untagged {pair[untagged.name]:.2f} s", file=sys.stderr)
    layout = statistics.median(layouts)
    result = {"tagged": layout + statistics.median(writes[screen.name]),
              "untagged": layout + statistics.median(writes[untagged.name]),
              "finisher": _finisher_time(renderer.lay_out(html, pub.shown_as, colours), screen, context, runs)}
    result["ratio"] = result["tagged"] / result["untagged"]
    return result


def _finisher_time(document, variant, context, runs: int) -> float:
    """CPU time of our finishing step alone, on the tagged file WeasyPrint writes."""
    from pressroom.formats.pdfua import finish, tagging_hints

    with tagging_hints():
        data = document.write_pdf(**variant.options)
    spent = []
    for _ in range(runs):
        started = time.process_time()
        finish(data, context)
        spent.append(time.process_time() - started)
    return statistics.median(spent)


def tagging_row(runs: int, tagging: dict) -> str:
    return row(f"(f) one brief, layout + write as PDF/UA-1 with its finisher, CPU time, median of {runs}",
               f"{tagging['tagged']:.2f} s (finisher: {tagging['finisher'] * 1000:.0f} ms)",
               f"{tagging['untagged']:.2f} s (the same, untagged)", tagging["ratio"], "<= 1.10",
               (tagging["ratio"], 1.10))


def update_row(new_row: str) -> None:
    """Put one row into the table of bench/RESULTS.md, in place of the row of the same benchmark."""
    path = ROOT / "bench" / "RESULTS.md"
    lines = path.read_text().splitlines()
    key = new_row.split(")")[0]
    kept = [line for line in lines if not line.startswith(key)]
    last = max(i for i, line in enumerate(kept) if line.startswith("| ("))
    path.write_text("\n".join(kept[:last + 1] + [new_row] + kept[last + 1:]) + "\n")


def _wait_for(url: str, since: int, condition, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}wait?since={since}", timeout=timeout) as response:
            state = json.load(response)
        if state["version"] > since and condition(state):
            return state
        since = state["version"] if state["version"] > since and not condition(state) else since
    raise TimeoutError("preview did not update")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["f"], help="run only this benchmark and update its row")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        if args.only == "f":
            update_row(tagging_row(args.runs, bench_tagging(args.runs, out)))
            print((ROOT / "bench" / "RESULTS.md").read_text())
            return 0
        one = bench_one(args.runs, out)
        full = bench_full(out)
        large = bench_large(out, one["ours"], one["pages"])
        preview = bench_preview(out, args.runs)
        tagging = bench_tagging(args.runs, out)
    write_results(args.runs, one, full, large, preview)
    update_row(tagging_row(args.runs, tagging))
    print((ROOT / "bench" / "RESULTS.md").read_text())
    return 0


def verdict(value: float, target: float) -> str:
    return "meets" if value <= target else f"misses by {value / target - 1:.0%}"


def row(what: str, ours: str, reference: str = "", ratio: float | None = None, target: str = "",
        check: tuple[float, float] | None = None) -> str:
    ratio_text = f"{ratio:.2f}" if ratio is not None else ""
    outcome = verdict(*check) if check else ""
    return f"| {what} | {ours} | {reference} | {ratio_text} | {target} | {outcome} |"


def write_results(runs: int, one: dict, full: dict, large: dict, preview: dict) -> None:
    rows = [
        row(f"(a) one brief ({one['pages']} pages), whole process, median of {runs}", f"{one['ours']:.2f} s",
            f"{one['reference']:.2f} s (pandoc + weasyprint CLI)", one["ratio"], "<= 1.10", (one["ratio"], 1.10)),
        row(f"(b) full `make` of all {full['outputs']} sample outputs", f"{full['ours']:.1f} s",
            f"{full['reference']:.1f} s (serial cold CLI pairs)", full["ratio"], "<= 0.35", (full["ratio"], 0.35)),
        row("(c) no-op `make`, median of 10", f"{full['noop'] * 1000:.0f} ms", target="<= 300 ms",
            check=(full["noop"], 0.3)),
        row(f"(d) generated brief, {large['pages']} pages",
            f"{large['per_page'] * 1000:.0f} ms/page ({large['seconds']:.1f} s)",
            f"{large['small_per_page'] * 1000:.0f} ms/page (the brief of (a))", large["ratio"], "<= 1.50",
            (large["ratio"], 1.5)),
        row("(d) peak memory of that build", f"{large['peak_mib']:.0f} MiB", target="<= 1024 MiB",
            check=(large["peak_mib"], 1024)),
        row(f"(e) preview: save to updated HTML, median of {runs}", f"{preview['html']:.2f} s", target="<= 0.5 s",
            check=(preview["html"], 0.5)),
        row(f"(e) preview: save to updated PDF, median of {runs}", f"{preview['pdf']:.2f} s"),
    ]
    table = "\n".join(rows)
    (ROOT / "bench" / "RESULTS.md").write_text(f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.date.today().isoformat()}: {platform.machine()},
Python {platform.python_version()}, 2 cores. Each of our figures is paired with its reference in the same run.

| benchmark | ours | reference | ratio | target | |
|---|---|---|---|---|---|
{table}

Reference commands: `pandoc --standalone --citeproc -M lang=<lang>` with the same CSL, Lua filters and
stylesheets, then the `weasyprint` CLI on its HTML. They do less than our build (no cover or back
cover, no checks, no dependency files), so the ratios are upper bounds on our overhead.
""")


if __name__ == "__main__":
    sys.exit(main())
