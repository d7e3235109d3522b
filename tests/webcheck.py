"""Helpers to check a built site in a real browser: a local server, Chromium, axe-core."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / ".npm" / "node_modules" / "axe-core" / "axe.min.js"  # installed by `make test-system`
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` on http://127.0.0.1:<free port>/ from a thread, for the length of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium(profile: Path, javascript: bool = True):
    """Debian's headless Chromium driven by its chromedriver, with no background network."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def set_width(driver, width: int) -> None:
    """Make the page's viewport ``width`` CSS pixels wide (the window's frame is added)."""
    driver.set_window_size(width, 900)
    inner = driver.execute_script("return window.innerWidth")
    if inner != width:
        driver.set_window_size(width + (width - inner), 900)


def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the loaded page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe failed: ' + e, nodes: []}]));", WCAG_21_AA)
    return result


def resources(driver) -> list[str]:
    """Every URL the page has requested so far (the page itself included)."""
    return driver.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));")


def overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;")


# The text of the page as assistive technology gets it: without what is aria-hidden.
READ_TEXT = """
const copy = document.body.cloneNode(true);
copy.querySelectorAll('[aria-hidden="true"], [hidden], script, style').forEach(e => e.remove());
return copy.textContent.replace(/\\s+/g, ' ');
"""


def system_font_glyphs(driver, root: str = "html") -> list[tuple[str, str, int]]:
    """(element, its text, glyphs) for every element under ``root`` whose own text Chromium draws
    in part with a font of the machine rather than a face of the page's fonts.css (CDP's
    ``CSS.getPlatformFontsForNode``: ``isCustomFont`` is false for the machine's fonts)."""
    driver.execute_async_script("const done = arguments[arguments.length - 1]; document.fonts.ready.then(done);")
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})
    start = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": root})
    found = []

    def visit(node: dict, inside: bool) -> None:
        inside = inside or node["nodeId"] == start["nodeId"]
        children = node.get("children", [])
        text = "".join(child.get("nodeValue", "") for child in children if child.get("nodeType") == 3)
        drawn = text.strip() or node.get("pseudoType") in ("before", "after", "marker")
        if inside and node.get("nodeType") == 1 and drawn and node["nodeName"] not in ("SCRIPT", "STYLE", "TITLE"):
            fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
            glyphs = sum(font["glyphCount"] for font in fonts if not font["isCustomFont"])
            if glyphs:
                found.append((node.get("pseudoType") or node["nodeName"].lower(), " ".join(text.split())[:60], glyphs))
        for child in children + node.get("pseudoElements", []):
            visit(child, inside)

    visit(document["root"], False)
    return found
