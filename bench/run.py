#!/usr/bin/env python3
"""Time our build of the sample brief against the pandoc + weasyprint command lines.

Both sides run as whole processes, alternating, on the same input, in the same
run; the medians and their ratio go to stdout and to bench/RESULTS.md.
Usage: python bench/run.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pressroom.transform import FILTER_ORDER, FILTERS, pandoc_path  # noqa: E402

SAMPLE = ROOT / "content" / "law-reform-progress" / "en.md"
TARGET = 1.10


def ours(out: Path) -> list[list[str]]:
    return [[sys.executable, str(ROOT / "build.py"), str(SAMPLE), "--out", str(out)]]


def reference(out: Path) -> list[list[str]]:
    html, pdf = out / "reference.html", out / "reference.pdf"
    # lang as our build sets it from the file name: without it WeasyPrint would not hyphenate.
    pandoc = [pandoc_path(), str(SAMPLE), "--standalone", "--wrap=none", "--metadata", "lang=en", "--citeproc",
              "--csl", str(ROOT / "styles/csl/house-notes.csl"), "--bibliography", str(ROOT / "references.bib"),
              "--css", str(ROOT / "styles/base.css"), "--css", str(ROOT / "styles/policy-brief.css"),
              "-o", str(html)]
    for name in FILTER_ORDER:
        pandoc += ["--lua-filter", str(FILTERS / name)]
    weasyprint = [str(Path(sys.executable).parent / "weasyprint"), "--quiet", str(html), str(pdf)]
    return [pandoc, weasyprint]


def timed(commands: list[list[str]]) -> float:
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        timed(ours(out)), timed(reference(out))  # warm the page cache once
        times: dict[str, list[float]] = {"ours": [], "reference": []}
        for run in range(args.runs):
            times["ours"].append(timed(ours(out)))
            times["reference"].append(timed(reference(out)))
            print(f"run {run + 1}/{args.runs}: ours {times['ours'][-1]:.2f} s, "
                  f"pandoc+weasyprint {times['reference'][-1]:.2f} s", file=sys.stderr)
        pages = subprocess.run(["pdfinfo", str(out / "en" / "law-reform-progress.pdf")], capture_output=True,
                               text=True).stdout
    ours_median, ref_median = statistics.median(times["ours"]), statistics.median(times["reference"])
    ratio = ours_median / ref_median
    page_count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    verdict = "meets" if ratio <= TARGET else "misses"
    summary = (f"ours {ours_median:.2f} s, pandoc CLI + weasyprint CLI {ref_median:.2f} s: "
               f"ratio {ratio:.2f} ({verdict} the {TARGET:.2f} target)")
    print(summary)
    write_results(times, ratio, page_count, verdict)
    return 0


def write_results(times: dict[str, list[float]], ratio: float, pages: str, verdict: str) -> None:
    rows = "\n".join(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |"
                     for name, values in times.items())
    (ROOT / "bench" / "RESULTS.md").write_text(f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.date.today().isoformat()},
{platform.machine()}, Python {platform.python_version()}, {len(times['ours'])} paired runs.

## One publication, whole process

Input: `content/law-reform-progress/en.md` ({pages} pages, A4).
- **ours**: `python build.py content/law-reform-progress/en.md` (load, check, pandoc, Jinja, WeasyPrint, atomic write).
- **reference**: `pandoc --standalone --citeproc -M lang=en` with the same CSL, Lua filters and stylesheets,
  then the `weasyprint` CLI on its HTML. It does less than ours (no cover, no back cover, no checks),
  so the ratio is an upper bound on our overhead.

| command | median (s) | min (s) | max (s) |
|---|---|---|---|
{rows}

**Ratio ours / reference: {ratio:.2f}** (target <= {TARGET:.2f}: {verdict}).
""")


if __name__ == "__main__":
    sys.exit(main())
