#!/usr/bin/env python3
"""The web edition's own work in a `make` that builds the PDFs and the site, part by part.

Run by run.py (g) in a copy of the project whose PDFs are built, from that copy's folder.
Whole-`make` differences on a shared machine swing by seconds from one build to the next;
these parts are small, each timed alone and several times:

- pandoc: what the web's conversion adds to the run of pandoc the PDF shares with it (every
  edition converted for the PDF alone, then for both, back to back);
- site: what the build's main process does for the site (pages, font subsets, catalogues,
  search index, cover thumbnails), with the CPU of the programs it runs, the font subsets cut
  from scratch or already cut; in a fresh process each time, as in a `make` (the imports and
  the templates' compiling the web edition adds are its costs too).

Prints {"pandoc": [...], "site": [...], "site_fonts_cut": [...]} in CPU seconds, one value a round.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from pressroom import build  # noqa: E402
from pressroom.convert import transform  # noqa: E402
from pressroom.pipeline import build as pipeline  # noqa: E402
from pressroom.project.config import load_project  # noqa: E402
from pressroom.source.load import load_publication  # noqa: E402


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# A shared machine's CPU times swing by a tenth of a second from one pass over the samples to the
# next (a single pass of each kind gave differences from -0.2 s to +1.0 s): each edition's two
# commands take turns, REPEATS times, and each part is the median of its runs.
REPEATS = 5
SITE_REPEATS = 3


def pandoc_added() -> float:
    """What the web adds to pandoc: for each edition, the median CPU of the run for both formats
    less the median of the run for the PDF alone; summed over the editions."""
    project = load_project(ROOT)
    pubs = [load_publication(project, path) for path in sorted((ROOT / "content").glob("*/*.md"))]
    added = 0.0
    for pub in pubs:
        tree = pub.markdown().tree_json.encode("utf-8")
        spent: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(REPEATS):
            for formats in (["pdf"], ["pdf", "web"]):
                started = cpu()
                subprocess.run(transform._command_for(project, pub, formats), input=tree, capture_output=True,
                               cwd=ROOT, check=True)
                spent[len(formats)].append(cpu() - started)
        added += statistics.median(spent[2]) - statistics.median(spent[1])
    return added


def site_phase(fonts_cut: bool) -> float:
    """``site_phase_here`` in a fresh process, the median of SITE_REPEATS."""
    command = [sys.executable, __file__, "site-cut" if fonts_cut else "site"]
    return statistics.median(float(subprocess.run(command, cwd=ROOT, check=True, capture_output=True,
                                                  text=True).stdout) for _ in range(SITE_REPEATS))


def site_phase_here(fonts_cut: bool) -> float:
    """CPU of the build's web phase (``WebPages.finish``: with the PDFs made already, every page is
    written there), the site and, unless ``fonts_cut``, the subsets removed first.

    The caches the checks fill are removed too, as in a `make` from scratch: the checks (not
    timed) then read the fonts' character maps, parse the Markdown and compare translations
    before the pages are written, as a `make`'s process has by its first page (fontTools,
    HarfBuzz, pypandoc imported; the translation units known). pandoc's HTML is kept: the web's
    is made in the PDF's run of pandoc, the other part."""
    cache = ROOT / "build" / ".cache"
    shutil.rmtree(ROOT / "build" / "site", ignore_errors=True)
    for name in ("markdown", "units", *(["webfonts"] if not fonts_cut else [])):
        shutil.rmtree(cache / name, ignore_errors=True)
    for character_map in cache.glob("cmap-*.json"):
        character_map.unlink()
    spent = []
    finish = pipeline.WebPages.finish

    def timed(pages: pipeline.WebPages) -> None:
        started = cpu()
        try:
            finish(pages)
        finally:
            spent.append(cpu() - started)

    pipeline.WebPages.finish = timed
    try:
        report = build(ROOT, outputs=["site"], say=lambda *args, **kwargs: None)
    finally:
        pipeline.WebPages.finish = finish
    assert report.ok, report.failed
    return spent[0]


def main() -> None:
    if sys.argv[1] in ("site", "site-cut"):
        print(site_phase_here(fonts_cut=sys.argv[1] == "site-cut"))
        return
    runs = int(sys.argv[1])
    build(ROOT, outputs=["site"], say=lambda *args, **kwargs: None)  # the web's HTML made, as the PDFs' run would
    parts: dict[str, list[float]] = {"pandoc": [], "site": [], "site_fonts_cut": []}
    for _ in range(runs):
        parts["pandoc"].append(pandoc_added())
        parts["site"].append(site_phase(fonts_cut=False))
        parts["site_fonts_cut"].append(site_phase(fonts_cut=True))
    print(json.dumps(parts))


if __name__ == "__main__":
    main()
