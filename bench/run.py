#!/usr/bin/env python3
"""Benchmarks, each paired with its reference in the same run; results go to bench/RESULTS.md.

(a) one publication as a whole process vs the `pandoc` + `weasyprint` command lines;
(b) a full `make` of all sample outputs vs the serial sum of cold command-line pairs;
(c) a no-op `make`; (d) a generated ~300-page brief: time per page against the 12-page
brief, and peak memory; (e) live preview: from a save to updated HTML and to updated PDF.
Usage: python bench/run.py [--runs N] [--only a,b,c,d,e]
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
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
    """`make` (the screen PDFs) then `make site` in a fresh copy (no font cache), then edits of one file."""
    project = copy_project(out / "site")
    pdf = timed_cpu(make(project), project)
    site = timed_cpu(make(project) + ["site"], project)
    pages = sorted((project / "build" / "site").glob("*/*/index.html"))
    source = project / "content" / "law-reform-progress" / "fr.md"
    edits, pdf_edits, rebuilt = [], [], set()
    for index in range(runs):
        before = {page: page.stat().st_mtime_ns for page in pages}
        source.write_text(source.read_text() + f"\nUne phrase ajoutée ({index}).\n")
        pdf_edits.append(timed_cpu(make(project), project))  # the page links its PDF: made first
        edits.append(timed_cpu(make(project) + ["site"], project))
        rebuilt |= {str(page.relative_to(project / "build")) for page in pages
                    if page.stat().st_mtime_ns != before[page]}
    noop = timed_cpu(make(project) + ["site"], project)
    edit = (statistics.median(e[0] for e in edits), statistics.median(e[1] for e in edits))
    pdf_edit = (statistics.median(e[0] for e in pdf_edits), statistics.median(e[1] for e in pdf_edits))
    print(f"(f) make {pdf[0]:.1f} s, make site {site[0]:.1f} s, edit {edit[0]:.2f} s ({sorted(rebuilt)})",
          file=sys.stderr)
    return {"pdf": pdf, "site": site, "edit": edit, "pdf_edit": pdf_edit, "noop": noop, "pages": len(pages),
            "rebuilt": sorted(rebuilt),
            "ratio": site[0] / pdf[0], "cpu_ratio": site[1] / pdf[1], "load": open("/proc/loadavg").read().split()[0]}


def write_site_results(runs: int, site: dict) -> None:
    rows = [
        row(f"(f) `make site` after `make`: {site['pages']} pages, catalogues, search, fonts from scratch",
            f"{site['site'][0]:.1f} s wall, {site['site'][1]:.1f} s CPU",
            f"{site['pdf'][0]:.1f} s wall, {site['pdf'][1]:.1f} s CPU (`make`: the PDFs)", site["ratio"],
            "<= 0.10", (site["ratio"], 0.10)),
        row("(f) the same, CPU time", f"{site['site'][1]:.1f} s", f"{site['pdf'][1]:.1f} s", site["cpu_ratio"],
            "<= 0.10", (site["cpu_ratio"], 0.10)),
        row(f"(f) edit one file, `make` then `make site`, median of {runs}: `make site` rebuilt "
            f"{', '.join(site['rebuilt'])} (and the catalogues, the search index)",
            f"{site['edit'][0]:.2f} s wall, {site['edit'][1]:.2f} s CPU",
            f"{site['pdf_edit'][0]:.2f} s wall, {site['pdf_edit'][1]:.2f} s CPU (`make`: its PDF)",
            site["edit"][0] / site["pdf_edit"][0], "< 1 s", (site["edit"][0], 1.0)),
        row("(f) no-op `make site`", f"{site['noop'][0] * 1000:.0f} ms"),
    ]
    section = (f"{WEB_START}\n## Web edition\n\nWritten by `python bench/run.py --only f` on "
               f"{datetime.date.today().isoformat()} (load average {site['load']} when it started: the machine is "
               "shared, so CPU times are given too). The PDFs and the site are built in the same run, in a fresh "
               "copy of the project (no font cache: the CJK subsets are cut from scratch).\n\n"
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
    parser.add_argument("--only", choices=["f"], help="f: only the web edition's benchmark")
    args = parser.parse_args()
    if args.only == "f":
        with tempfile.TemporaryDirectory() as folder:
            write_site_results(args.runs, bench_site(Path(folder), args.runs))
        print((ROOT / "bench" / "RESULTS.md").read_text())
        return 0
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        one = bench_one(args.runs, out)
        full = bench_full(out)
        large = bench_large(out, one["ours"], one["pages"])
        preview = bench_preview(out, args.runs)
    write_results(args.runs, one, full, large, preview)
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
    path = ROOT / "bench" / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    web = old[old.index(WEB_START):] if WEB_START in old else ""  # kept: written by --only f
    path.write_text(f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.date.today().isoformat()}: {platform.machine()},
Python {platform.python_version()}, 2 cores. Each of our figures is paired with its reference in the same run.

| benchmark | ours | reference | ratio | target | |
|---|---|---|---|---|---|
{table}

Reference commands: `pandoc --standalone --citeproc -M lang=<lang>` with the same CSL, Lua filters and
stylesheets, then the `weasyprint` CLI on its HTML. They do less than our build (no cover or back
cover, no checks, no dependency files), so the ratios are upper bounds on our overhead.
""" + ("\n" + web if web else ""))


if __name__ == "__main__":
    sys.exit(main())
