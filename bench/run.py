#!/usr/bin/env python3
"""Benchmarks, each paired with its reference in the same run; results go to bench/RESULTS.md.

(a) one publication as a whole process vs the `pandoc` + `weasyprint` command lines;
(b) a full `make` of all sample outputs vs the serial sum of cold command-line pairs, and vs the
warm-render floor (each output rendered once by a warm renderer, summed, divided by the cores);
(c) a no-op `make`; (d) a generated ~400-page brief with 440 notes: time per page against the
brief of (a), peak memory, notes off their call's page; (e) live preview: from a save to updated
HTML and to updated PDF; (f) the print edition's render (layout, PDF/X-4, CMYK finisher, preflight)
against the screen edition's; (g) `make site` (the web edition), full and after one edit, against
`make` of the PDFs in the same run; (h) the cost of tagging: the sample brief laid out and written as
PDF/UA-1 with its finisher against the same written untagged.
Usage: python bench/run.py [--runs N] [--only e|f|g|h]  (--only updates that part of RESULTS.md alone)
    if args.only in (None, "h"):
        with tempfile.TemporaryDirectory() as folder:
            set_row("(h)", tagging_row(args.runs, bench_tagging(args.runs, Path(folder))))
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
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
PROJECT_FILES = ["templates", "styles", "locales", "project.yaml", "brand.yaml", "references.bib", "Makefile",
                 "build.py", "pressroom", "content"]


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
    before = _children_cpu()
    ours = run(make(project), cwd=project)
    ours_cpu = _children_cpu() - before
    reference = sum(timed_pair(source, out) for source in sources)
    print(f"(b) make {ours:.2f} s, serial cold pairs {reference:.2f} s", file=sys.stderr)
    noop = [run(make(project), cwd=project) for _ in range(10)]
    print(f"(c) no-op make {statistics.median(noop) * 1000:.0f} ms", file=sys.stderr)
    floor, floor_cpu = warm_render_floor(project, sources)
    cores = os.cpu_count() or 1
    print(f"(b) warm-render floor {floor:.2f} s ({floor_cpu:.2f} s of CPU), make: {ours_cpu / cores:.2f} s of CPU "
          "a core", file=sys.stderr)
    return {"outputs": len(sources), "ours": ours, "reference": reference, "ratio": ours / reference,
            "noop": statistics.median(noop), "floor": floor, "floor_ratio": ours / floor,
            "ours_cpu": ours_cpu / cores, "floor_cpu": floor_cpu, "floor_cpu_ratio": ours_cpu / cores / floor_cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def warm_render_floor(root: Path, sources: list[Path]) -> tuple[float, float]:
    """Sum over the outputs of one render by a warm renderer (HTML ready, fonts and caches loaded,
    the document rendered once before), divided by the cores: no build can go faster than this.
    (wall-clock seconds, CPU seconds): on a shared machine the CPU time is the steadier figure."""
    from pressroom.formats import VARIANTS
    from pressroom.formats.render import Renderer
    from pressroom.pipeline.build import Checks, html_of
    from pressroom.project.config import load_project
    from pressroom.source.bibliography import load_bibliography
    from pressroom.source.glyphs import Coverage, stylesheet_families

    project = load_project(root)
    checks = Checks(project, load_bibliography(project), Coverage(stylesheet_families(root / "styles"),
                                                                  root / "build" / ".cache"))
    documents = [html_of(project, checks.check(source))[0] for source in sources]
    renderer, colours, seconds, cpu = Renderer(root), project.brand["colours"], 0.0, 0.0
    for html in documents:
        renderer.render(html, "bench", VARIANTS["screen"], colours)
        started, started_cpu = time.perf_counter(), time.process_time()
        renderer.render(html, "bench", VARIANTS["screen"], colours)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    cores = os.cpu_count() or 1
    return seconds / cores, cpu / cores


def bench_large(out: Path, small_seconds: float, small_pages: int) -> dict:
    project = out / "large"
    for name in ("templates", "styles", "locales", "project.yaml", "brand.yaml", "references.bib"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    (project / "content" / "large").mkdir(parents=True)
    (project / "content" / "large" / "en.md").write_text(large_brief())
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, str(ROOT / "build.py"), "--root",
                           str(project)], capture_output=True, text=True, check=True)
    result = done.stdout.split()
    seconds, peak_kib = float(result[0]), int(result[1])
    misplaced = done.stderr.count("is printed on page")  # the build's own check of every note
    count = pages(project / "build" / "en" / "large.pdf")
    per_page, small_per_page = seconds / count, small_seconds / small_pages
    print(f"(d) {count} pages in {seconds:.1f} s, peak {peak_kib / 1024:.0f} MiB, {misplaced} notes off their "
          "call's page", file=sys.stderr)
    return {"pages": count, "seconds": seconds, "per_page": per_page, "small_per_page": small_per_page,
            "ratio": per_page / small_per_page, "peak_mib": peak_kib / 1024, "misplaced": misplaced,
            "notes": large_brief().count("]: Note ")}


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
    """(h): render + write of the sample brief, tagged PDF/UA-1 and finished vs untagged.

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
        print(f"(h) run {index}/{runs}: layout {spent:.2f} s, write PDF/UA-1 {pair[screen.name]:.2f} s, "
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
    return row(f"(h) one brief, layout + write as PDF/UA-1 with its finisher, CPU time, median of {runs}",
               f"{tagging['tagged']:.2f} s (finisher: {tagging['finisher'] * 1000:.0f} ms)",
               f"{tagging['untagged']:.2f} s (the same, untagged)", tagging["ratio"], "<= 1.10",
               (tagging["ratio"], 1.10))


def _wait_for(url: str, since: int, condition, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}wait?since={since}", timeout=timeout) as response:
            state = json.load(response)
        if state["version"] > since and condition(state):
            return state
        since = state["version"] if state["version"] > since and not condition(state) else since
    raise TimeoutError("preview did not update")


def timed_cpu(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the command and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(command, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_site(out: Path, runs: int) -> dict:
    """The web edition's cost, three ways, each in a fresh copy of the project (no caches, no font
    subsets: a first build on a new machine):

    - with: `make` with the site among the project's outputs, against `make` of the PDFs alone
      (alone): what adding the web edition to a project costs `make`, full and after an edit;
    - after: `make site` run after `make` of the PDFs alone, full and after an edit.
    """
    # Full builds differ by a second or two from one run to the next: each is the median of ``runs``,
    # the three kinds taking turns.
    full: dict[str, list[tuple[float, float]]] = {"pdf": [], "both": [], "seeded": []}
    parts: list[dict[str, float]] = []
    for index in range(runs):
        alone, with_site, seeded = (copy_project(out / f"{name}-{index}") for name in ("alone", "with-site", "seeded"))
        for project in (with_site, seeded):
            yaml = project / "project.yaml"
            yaml.write_text(re.sub(r"^outputs: .*$", "outputs: [screen, site]", yaml.read_text(), flags=re.M))

        # The three builds back to back, the PDFs alone first in one round and last in the next:
        # with a fixed order (the PDFs alone, this round's parts, then the site), the site's build
        # came out 0.4-1.5 s of CPU dearer (medians of three runs: +1.4, +2.3, +2.5 s) than in turns
        # (8 pairs, the order alternating: +1.05 s).
        order = [("pdf", alone), ("both", with_site), ("seeded", seeded)]
        for name, project in order if index % 2 == 0 else [*order[1:], order[0]]:
            if name == "seeded":  # given the subsets the build before cut: all but the fonts from scratch
                shutil.copytree(with_site / "build" / ".cache" / "webfonts", seeded / "build" / ".cache" / "webfonts")
            full[name].append((*timed_cpu(make(project), project), layouts_cpu(project)))
        parts.append(web_parts(alone, out / f"parts-{index}"))  # divided by this round's PDFs' make
    pdf, both, both_seeded = (_median_pair(full[name]) for name in ("pdf", "both", "seeded"))
    # What the site adds, round by round: the builds of a round run back to back, under the same load.
    added = {name: sorted(b[1] - a[1] for a, b in zip(full["pdf"], full[name], strict=True))
             for name in ("both", "seeded")}
    added_wall = sorted(b[0] - a[0] for a, b in zip(full["pdf"], full["both"], strict=True))
    # The same less the PDFs' layouts (the same work in both builds, yet the part that swings most).
    added_besides = sorted((b[1] - b[2]) - (a[1] - a[2]) for a, b in zip(full["pdf"], full["both"], strict=True))
    layouts = [run[2] for name in ("pdf", "both") for run in full[name]]
    after = timed_cpu(make(alone) + ["site"], alone)
    pages = sorted((alone / "build" / "site").glob("*/*/index.html"))
    edit = {"alone": [], "with": [], "after": []}
    rebuilt: set[str] = set()
    for index in range(runs):
        before = {page: page.stat().st_mtime_ns for page in pages}
        for project in (alone, with_site):
            _edit(project, index)
        edit["alone"].append(timed_cpu(make(alone), alone))  # the page links its PDF: made first
        edit["after"].append(timed_cpu(make(alone) + ["site"], alone))
        edit["with"].append(timed_cpu(make(with_site), with_site))
        rebuilt |= {str(page.relative_to(alone / "build")) for page in pages if page.stat().st_mtime_ns != before[page]}
    noop = timed_cpu(make(alone) + ["site"], alone)
    medians = {name: _median_pair(times) for name, times in edit.items()}
    print(f"(g) make {pdf[0]:.1f} s, with the site {both[0]:.1f} s, make site after make {after[0]:.1f} s; edit: "
          f"{medians}", file=sys.stderr)
    return {"pdf": pdf, "both": both, "both_seeded": both_seeded, "added": added, "added_wall": added_wall,
            "added_besides": added_besides, "layouts": (min(layouts), max(layouts)),
            "pdf_runs": full["pdf"],
            "after": after, "edit": medians, "noop": noop, "parts": parts,
            "pages": len(pages), "rebuilt": sorted(rebuilt), "load": open("/proc/loadavg").read().split()[0]}


def layouts_cpu(project: Path) -> float:
    """The CPU the workers spent laying out the PDFs in the project's last build (each job's, as
    the build records it in build/.cache/job-times.json to schedule the next)."""
    return sum(json.loads((project / "build" / ".cache" / "job-times.json").read_text()).values())


def web_parts(built: Path, folder: Path) -> dict[str, float]:
    """The web edition's own work, part by part (bench/web_parts.py, one round), in a copy of
    ``built`` (a project whose PDFs are built)."""
    shutil.copytree(built, folder, symlinks=True)
    found = json.loads(subprocess.run([sys.executable, str(ROOT / "bench" / "web_parts.py"), "1"], cwd=folder,
                                      check=True, capture_output=True, text=True).stdout)
    return {name: values[0] for name, values in found.items()}


def _median_pair(times: list[tuple[float, float]]) -> tuple[float, float]:
    """(median wall-clock time, median CPU time)."""
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def _edit(project: Path, index: int) -> None:
    source = project / "content" / "law-reform-progress" / "fr.md"
    source.write_text(source.read_text() + f"\nUne phrase ajoutée ({index}).\n")


def write_site_results(runs: int, site: dict) -> None:
    pdf, both, after, edit = site["pdf"], site["both"], site["after"], site["edit"]
    edit_added = (edit["with"][0] - edit["alone"][0], edit["with"][1] - edit["alone"][1])
    spread = f"{min(t[1] for t in site['pdf_runs']):.1f}-{max(t[1] for t in site['pdf_runs']):.1f}"

    def added_row(label: str, name: str, total: tuple[float, float]) -> str:
        rounds = site["added"][name]
        median = statistics.median(rounds)
        return row(label, f"{median:+.1f} s CPU (rounds: {', '.join(f'{r:+.1f}' for r in rounds)}; "
                          f"{total[1]:.1f} s)",
                   f"{pdf[1]:.1f} s CPU ({spread}), {pdf[0]:.1f} s wall (`make`: the PDFs)", median / pdf[1],
                   "<= 0.10", (median / pdf[1], 0.10))
    # Each round's parts over the PDFs' `make` of the same round (a minute apart at most, under
    # the same load): a shared machine's speed moves both alike.
    rounds = [(part, run[1]) for part, run in zip(site["parts"], site["pdf_runs"], strict=True)]
    own = [(part["pandoc"] + part["site"], cpu) for part, cpu in rounds]
    own_cut = [(part["pandoc"] + part["site_fonts_cut"], cpu) for part, cpu in rounds]
    ratio, ratio_cut = (statistics.median(spent / cpu for spent, cpu in pairs) for pairs in (own, own_cut))
    median = {name: statistics.median(part[name] for part, _ in rounds)
              for name in ("pandoc", "site", "site_fonts_cut")}

    def listed(pairs: list[tuple[float, float]]) -> str:
        return ", ".join(f"{spent / cpu:.3f}" for spent, cpu in pairs)

    rows = [
        row(f"(g) the web edition's own work in that `make`, part by part (CPU, `bench/web_parts.py`, one round "
            f"after each of the {runs} PDFs' `make` and divided by it; the median of those ratios): pandoc's web "
            "conversion in the run it shares with the PDF, then the pages, font subsets cut from scratch, "
            "catalogues, search and thumbnails",
            f"+{statistics.median(s for s, _ in own):.2f} s CPU (pandoc +{median['pandoc']:.2f} s, site "
            f"{median['site']:.2f} s; ratios by round: {listed(own)})",
            f"{pdf[1]:.1f} s CPU (`make`: the PDFs, median above)", ratio, "<= 0.10", (ratio, 0.10)),
        row("(g) the same, the font subsets already cut",
            f"+{statistics.median(s for s, _ in own_cut):.2f} s CPU (site {median['site_fonts_cut']:.2f} s; "
            f"ratios by round: {listed(own_cut)})", f"{pdf[1]:.1f} s CPU", ratio_cut, "<= 0.10", (ratio_cut, 0.10)),
        added_row(f"(g) `make` with `site` in project.yaml's outputs: {site['pages']} pages, catalogues, search, "
                  f"fonts cut from scratch; what it adds to `make` of the PDFs alone (CPU time, median of {runs} "
                  "rounds, each round's two builds back to back)", "both", both),
        added_row("(g) the same with the font subsets already cut (copied from the build above), all else from "
                  "scratch", "seeded", site["both_seeded"]),
        row("(g) the same two `make`s, less the CPU of the PDFs' layouts (the workers' own, recorded by each build: "
            f"the same work in both, which took {site['layouts'][0]:.1f} to {site['layouts'][1]:.1f} s from one "
            "build to the next; what sharing the cores with the site costs the layouts is left out here)",
            f"{statistics.median(site['added_besides']):+.2f} s CPU (rounds: "
            f"{', '.join(f'{r:+.2f}' for r in site['added_besides'])})", f"{pdf[1]:.1f} s CPU",
            statistics.median(site["added_besides"]) / pdf[1], "<= 0.10",
            (statistics.median(site["added_besides"]) / pdf[1], 0.10)),
        row("(g) the same two `make`s (the site from scratch) in wall-clock time: what the site adds, median of "
            "the rounds' differences (on 2 cores the PDFs' workers keep both busy, so the site's work mostly adds "
            "half its CPU time)",
            f"{statistics.median(site['added_wall']):+.2f} s (rounds: "
            f"{', '.join(f'{r:+.1f}' for r in site['added_wall'])}; {both[0]:.1f} s)", f"{pdf[0]:.1f} s wall",
            statistics.median(site["added_wall"]) / pdf[0], "<= 0.10",
            (statistics.median(site["added_wall"]) / pdf[0], 0.10)),
        row("(g) `make site` after `make` of the PDFs alone (its own pandoc runs; fonts from scratch)",
            f"{after[0]:.1f} s wall, {after[1]:.1f} s CPU", f"{pdf[0]:.1f} s wall, {pdf[1]:.1f} s CPU",
            after[1] / pdf[1], "", None),
        row(f"(g) edit one file, `make` with `site` in the outputs, median of {runs}: what the page adds to its PDF",
            f"+{edit_added[0]:.2f} s wall, +{edit_added[1]:.2f} s CPU",
            f"{edit['alone'][0]:.2f} s wall, {edit['alone'][1]:.2f} s CPU (`make`: its PDF)",
            edit_added[0] / edit["alone"][0], "< 1 s", (edit_added[0], 1.0)),
        row(f"(g) edit one file, `make` then `make site`, median of {runs}: `make site` rebuilt "
            f"{', '.join(site['rebuilt'])} (and the catalogues, its language's search index)",
            f"{edit['after'][0]:.2f} s wall, {edit['after'][1]:.2f} s CPU", "", None, "< 1 s",
            (edit["after"][0], 1.0)),
        row("(g) no-op `make site`", f"{site['noop'][0] * 1000:.0f} ms"),
    ]
    section = (f"{WEB_START}\n## Web edition\n\nWritten by `python bench/run.py --only g` on "
               f"{datetime.date.today().isoformat()} (load average {site['load']} when it ended: the machine is "
               "shared, so CPU times are given too). Each build runs in a fresh copy of the project (no caches: "
               "the CJK font subsets are cut from scratch).\n\n"
               "| benchmark | ours | reference | ratio | target | |\n|---|---|---|---|---|---|\n"
               + "\n".join(rows) + f"\n{WEB_END}\n")
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else ""
    if WEB_START in text:
        text = text[:text.index(WEB_START)] + section + text[text.index(WEB_END) + len(WEB_END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


WEB_START, WEB_END = "<!-- web edition -->", "<!-- /web edition -->"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["e", "f", "g", "h"],
                        help="e: only the preview's benchmark; f: only the print edition's; g: only the web "
                             "edition's; h: only tagging's")
    args = parser.parse_args()
    if args.only is None:
        load = [os.getloadavg()[0]]
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            one = bench_one(args.runs, out)
            full = bench_full(out)
            large = bench_large(out, one["ours"], one["pages"])
            preview = bench_preview(out, args.runs)
        load.append(os.getloadavg()[0])
        write_results(args.runs, one, full, large, preview, load)
    if args.only == "e":
        with tempfile.TemporaryDirectory() as folder:
            html_row, pdf_row = preview_rows(bench_preview(Path(folder), args.runs), args.runs)
        set_row("(e) preview: save to updated HTML", html_row)
        set_row("(e) preview: save to updated PDF", pdf_row)
    if args.only in (None, "f"):
        set_row("(f)", print_row(bench_print(args.runs), args.runs))
    if args.only in (None, "g"):
        with tempfile.TemporaryDirectory() as folder:
            write_site_results(args.runs, bench_site(Path(folder), args.runs))
    if args.only in (None, "h"):
        with tempfile.TemporaryDirectory() as folder:
            set_row("(h)", tagging_row(args.runs, bench_tagging(args.runs, Path(folder))))
    print((ROOT / "bench" / "RESULTS.md").read_text())
    return 0


def bench_print(runs: int) -> dict:
    """Render time of the print edition against the screen edition of the same brief, in one warm
    process, alternating: each is HTML -> layout -> file, the print one with its finisher and preflight."""
    from pressroom.formats import PALETTES, VARIANTS, FinishContext
    from pressroom.formats.render import Renderer, run_checks
    from pressroom.pipeline.build import Checks, html_of
    from pressroom.project.config import load_project
    from pressroom.source.bibliography import load_bibliography
    from pressroom.source.glyphs import Coverage, stylesheet_families

    project = load_project(ROOT)
    checks = Checks(project, load_bibliography(project), Coverage(stylesheet_families(ROOT / "styles"),
                                                                     ROOT / "build" / ".cache"))
    pub = checks.check(SAMPLE)
    renderer = Renderer(ROOT)
    times: dict[str, list[float]] = {"screen": [], "print": []}
    cpu: dict[str, list[float]] = {"screen": [], "print": []}  # this process and Ghostscript
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs + 1):  # the first round warms fonts and caches
            for name in times:
                variant = VARIANTS[name]
                html = html_of(project, pub, variant.stylesheets)[0]
                started, cpu_started = time.perf_counter(), _cpu()
                document = renderer.lay_out(html, pub.shown_as, PALETTES[variant.palette](project))
                context = FinishContext(pub.shown_as, pub.lang, ROOT)
                data = renderer.write(document, variant, context)
                run_checks(variant, data, document, context, Path(folder) / f"{name}.pdf", [])
                times[name].append(time.perf_counter() - started)
                cpu[name].append(_cpu() - cpu_started)
    screen, printed = (statistics.median(times[name][1:]) for name in ("screen", "print"))
    screen_cpu, print_cpu = (statistics.median(cpu[name][1:]) for name in ("screen", "print"))
    return {"screen": screen, "print": printed, "ratio": printed / screen, "cpu_ratio": print_cpu / screen_cpu,
            "screen_cpu": screen_cpu, "print_cpu": print_cpu}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    import os

    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def preview_rows(preview: dict, runs: int) -> list[str]:
    return [row(f"(e) preview: save to updated HTML, median of {runs}", f"{preview['html']:.2f} s",
                target="<= 0.5 s", check=(preview["html"], 0.5)),
            row(f"(e) preview: save to updated PDF, median of {runs}", f"{preview['pdf']:.2f} s")]


def print_row(result: dict, runs: int) -> str:
    return row(f"(f) print edition (PDF/X-4, CMYK, preflight) of the brief of (a), render, median of {runs}",
               f"{result['print']:.2f} s ({result['print_cpu']:.2f} s CPU, ratio {result['cpu_ratio']:.2f})",
               f"{result['screen']:.2f} s ({result['screen_cpu']:.2f} s CPU), screen edition, same run",
               result["ratio"], "<= 1.30", (result["ratio"], 1.3))


def set_row(label: str, new_row: str) -> None:
    """Replace the row of ``label`` in RESULTS.md (or add it after the last row of the first table:
    the web edition's section below it is rewritten whole by its own benchmark)."""
    path = ROOT / "bench" / "RESULTS.md"
    lines = path.read_text().splitlines()
    end = lines.index(WEB_START) if WEB_START in lines else len(lines)
    rows = [i for i, line in enumerate(lines[:end]) if line.startswith("| (")]
    mine = [i for i in rows if lines[i].startswith(f"| {label}")]
    if mine:
        lines[mine[0]] = new_row
    else:
        lines.insert(rows[-1] + 1, new_row)
    path.write_text("\n".join(lines) + "\n")


def verdict(value: float, target: float) -> str:
    if value <= target:
        return "meets"
    return f"misses by {value / target - 1:.0%}" if target else "misses"


def row(what: str, ours: str, reference: str = "", ratio: float | None = None, target: str = "",
        check: tuple[float, float] | None = None) -> str:
    ratio_text = f"{ratio:.2f}" if ratio is not None else ""
    outcome = verdict(*check) if check else ""
    return f"| {what} | {ours} | {reference} | {ratio_text} | {target} | {outcome} |"


def write_results(runs: int, one: dict, full: dict, large: dict, preview: dict, load: list[float]) -> None:
    rows = [
        row(f"(a) one brief ({one['pages']} pages), whole process, median of {runs}", f"{one['ours']:.2f} s",
            f"{one['reference']:.2f} s (pandoc + weasyprint CLI)", one["ratio"], "<= 1.10", (one["ratio"], 1.10)),
        row(f"(b) full `make` of all {full['outputs']} sample outputs", f"{full['ours']:.1f} s",
            f"{full['reference']:.1f} s (serial cold CLI pairs)", full["ratio"], "<= 0.35", (full["ratio"], 0.35)),
        row(f"(b) the same `make` vs the warm-render floor of those {full['outputs']} outputs",
            f"{full['ours']:.1f} s", f"{full['floor']:.1f} s (warm renders / {os.cpu_count() or 1} cores)",
            full["floor_ratio"], "<= 1.20", (full["floor_ratio"], 1.2)),
        row("(b) the same, in CPU seconds a core (steadier on a shared machine)", f"{full['ours_cpu']:.1f} s",
            f"{full['floor_cpu']:.1f} s", full["floor_cpu_ratio"], "<= 1.20", (full["floor_cpu_ratio"], 1.2)),
        row("(c) no-op `make`, median of 10", f"{full['noop'] * 1000:.0f} ms", target="<= 300 ms",
            check=(full["noop"], 0.3)),
        row(f"(d) generated brief, {large['pages']} pages, {large['notes']} notes",
            f"{large['per_page'] * 1000:.0f} ms/page ({large['seconds']:.1f} s)",
            f"{large['small_per_page'] * 1000:.0f} ms/page (the brief of (a))", large["ratio"], "<= 1.50",
            (large["ratio"], 1.5)),
        row("(d) notes printed off their call's page in that build", f"{large['misplaced']}", target="0",
            check=(large["misplaced"], 0)),
        row("(d) peak memory of that build", f"{large['peak_mib']:.0f} MiB", target="<= 1024 MiB",
            check=(large["peak_mib"], 1024)),
        *preview_rows(preview, runs),
    ]
    table = "\n".join(rows)
    path = ROOT / "bench" / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    web = old[old.index(WEB_START):] if WEB_START in old else ""  # kept: written by --only g
    path.write_text(f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.date.today().isoformat()}: {platform.machine()},
Python {platform.python_version()}, {os.cpu_count()} cores. Each of our figures is paired with its reference
in the same run.
The machine is shared: its 1-minute load average was {load[0]:.1f} at the start and {load[1]:.1f} at the end
(other people's jobs on the same cores slow every figure, ours and the references alike).

| benchmark | ours | reference | ratio | target | |
|---|---|---|---|---|---|
{table}

Reference commands: `pandoc --standalone --citeproc -M lang=<lang>` with the same CSL, Lua filters and
stylesheets, then the `weasyprint` CLI on its HTML. They do less than our build (no cover or back
cover, no checks, no dependency files), so the ratios are upper bounds on our overhead.
""" + ("\n" + web if web else ""))


if __name__ == "__main__":
    sys.exit(main())
