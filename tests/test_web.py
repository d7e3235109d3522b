"""The web edition (build/site/): every page checked in headless Chromium, and the filters on tiny inputs.

Browser checks on every page of the samples and of two publications written by someone else:
axe-core finds no WCAG 2.1 A/AA violation, nothing is requested outside 127.0.0.1, no sideways
scrolling at 360 px, every note call is a keyboard-reachable link whose note opens, a pull-quote's
sentence is read once, the page links its PDF; search finds a word of a French edition's body.
Each check has a control showing it can fail.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, make_project, quiet, write
from webcheck import AXE, READ_TEXT, axe_violations, chromium, overflow, resources, serve, set_width, system_font_glyphs

from pressroom import build
from pressroom.convert.transform import transform
from pressroom.project.config import load_project
from pressroom.source.load import load_publication

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `make test-system`")

SAMPLE_PAGES = sorted(f"{p.stem}/{p.parent.name}/" for p in (ROOT / "content").glob("*/*.md"))
CATALOGUES = ["", *sorted({f"{p.stem}/" for p in (ROOT / "content").glob("*/*.md")})]
OUTSIDE = ["outside-brief", "outside-case-study"]


def build_site(project: Path, build_dir: Path | None = None, warnings: int = 0, say=quiet) -> Path:
    report = build(project, build_dir=build_dir, outputs=["site"], say=say)
    assert report.ok and len(report.warnings) == warnings, (report.failed, report.warnings)
    return (build_dir or project / "build") / "site"


SAMPLES_PROGRESS: list[str] = []  # what the samples' build said, line by line


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory):
    site = build_site(ROOT, tmp_path_factory.mktemp("web-samples"), say=SAMPLES_PROGRESS.append)
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory):
    """Both outside publications in one project, served."""
    project = make_project(tmp_path_factory.mktemp("web-outside") / "project")
    bib = ""
    for name in OUTSIDE:
        fixture = ROOT / "tests" / "fixtures" / name
        shutil.copytree(fixture / "content", project / "content", dirs_exist_ok=True)
        bib += (fixture / "references.bib").read_text(encoding="utf-8") + "\n"
    (project / "references.bib").write_text(bib, encoding="utf-8")
    site = build_site(project)
    pages = sorted(f"{p.parent.parent.name}/{p.parent.name}/" for p in site.glob("*/*/index.html")
                   if p.parent.parent.name not in ("assets", "fonts"))
    with serve(site) as url:
        yield url, pages


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    driver = chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def test_each_page_is_written_as_soon_as_its_pdf_is_made(samples):
    """The samples' site built from nothing makes their PDFs first (each page links its PDF): a page
    is written right after its PDF, while the workers lay out the others, not after the last one."""
    editions = [re.sub(r"^\[\d+/\d+\] | \([\d.]+ s\)$", "", line) for line in SAMPLES_PROGRESS]
    pages = [index for index, what in enumerate(editions) if what.endswith(", site)")]
    pdfs = [index for index, what in enumerate(editions) if index not in pages]
    assert len(pages) == len(pdfs) == 8, SAMPLES_PROGRESS
    assert all(editions[index] == editions[index - 1].replace(")", ", site)") for index in pages), SAMPLES_PROGRESS
    # control: were the pages written after every PDF, the first would come after the last PDF
    assert pages[0] < pdfs[-1], SAMPLES_PROGRESS


# ---- every page ------------------------------------------------------------------------------

def check_page(driver, url: str, edition: bool) -> None:
    set_width(driver, 1280)
    driver.get(url)
    assert driver.execute_script("return document.documentElement.lang"), "no <html lang>"
    csp = driver.execute_script(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content;")
    assert csp and "default-src 'none'" in csp
    assert axe_violations(driver) == []
    assert system_font_glyphs(driver) == []  # every glyph from the page's own font subsets
    set_width(driver, 360)
    driver.get(url)
    assert overflow(driver) <= 0, "the page scrolls sideways at 360 px"
    assert axe_violations(driver) == []  # the narrow layout too (contrast, targets, reflow)
    outside = [u for u in resources(driver) if not u.startswith(url.split("/", 3)[0] + "//127.0.0.1")]
    assert outside == []
    if edition:
        check_edition(driver, url)


def check_edition(driver, url: str) -> None:
    pdfs = driver.execute_script("return [...document.querySelectorAll('a[href$=\".pdf\"]')].map(a => a.href)")
    assert pdfs, "the page links no PDF"
    with urllib.request.urlopen(pdfs[0]) as response:  # noqa: S310 - our own local server
        assert response.read(5) == b"%PDF-"
    data = json.loads(driver.execute_script(
        "return document.querySelector('script[type=\"application/ld+json\"]').textContent"))
    assert data["@type"] == "Report" and data["inLanguage"] == driver.execute_script(
        "return document.documentElement.lang")
    assert driver.execute_script("return !!document.querySelector('meta[property=\"og:title\"]')")
    check_pull_quotes_read_once(driver)
    check_notes(driver)


def check_pull_quotes_read_once(driver) -> None:
    quotes = driver.execute_script("return [...document.querySelectorAll('.pullquote')].map(q => q.textContent)")
    read = driver.execute_script(READ_TEXT)
    for quote in quotes:
        opening = " ".join(quote.split()[:6])
        assert read.count(opening) == 1, opening


def check_notes(driver) -> None:
    """Every call is a focusable link to an end-note that links back, the link on the line of the note's
    last word; notes are numbered 1, 2, 3..."""
    calls = driver.execute_script("""
        return [...document.querySelectorAll('a[role="doc-noteref"]')].map(a => {
          const note = document.getElementById(a.hash.slice(1));
          const back = note && note.querySelector('a[role="doc-backlink"]');
          let alone = false;  // the back-link on a line of its own, below the note's last word
          if (back) {
            const before = document.createRange();
            before.setStart(back.parentNode, 0);
            before.setEndBefore(back);
            const lines = before.getClientRects();
            alone = lines.length > 0 && back.getClientRects()[0].top >= lines[lines.length - 1].bottom - 1;
          }
          return {number: a.textContent.trim(), focusable: a.tabIndex >= 0 && a.getClientRects().length > 0,
                  note: note ? note.textContent.trim() : '', back: back ? back.hash.slice(1) : '', id: a.id,
                  alone: alone};
        });""")
    assert [c["number"] for c in calls] == [str(n) for n in range(1, len(calls) + 1)]
    for call in calls:
        assert call["focusable"] and call["note"] and call["back"] == call["id"] and not call["alone"], call


@pytest.mark.parametrize("page", SAMPLE_PAGES + CATALOGUES)
def test_every_sample_page(samples, browser, page):
    check_page(browser, samples + page, edition=page.count("/") == 2)


def test_outside_publications(outside, browser):
    url, pages = outside
    assert len(pages) == 2
    for page in pages + ["", "en/"]:
        check_page(browser, url + page, edition=page.count("/") == 2)
    open_first_note_by_keyboard(browser, url + pages[0])


# ---- notes by keyboard, with and without JavaScript --------------------------------------------

def tab_to_first_note_call(driver) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    for _ in range(80):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("return document.activeElement.getAttribute('role')") == "doc-noteref":
            return
    raise AssertionError("no note call reached with the Tab key")


def open_first_note_by_keyboard(driver, url: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    set_width(driver, 375)  # narrow: the note opens in place
    driver.get(url)
    tab_to_first_note_call(driver)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    shown = driver.execute_script("""
        const p = document.getElementById('note-popover');
        return p.matches(':popover-open') ? p.querySelector('.note-popover-body').innerText : '';""")
    expected = driver.execute_script("return document.getElementById('fn1').innerText")
    assert shown and shown.strip() in expected
    assert system_font_glyphs(driver, "#note-popover") == []
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert driver.execute_script("return document.activeElement.getAttribute('role')") == "doc-noteref"
    set_width(driver, 1280)  # wide: the note is beside the text; the call goes to the end-note
    driver.get(url)
    assert driver.execute_script("return getComputedStyle(document.querySelector('.sidenote')).float") == "right"
    tab_to_first_note_call(driver)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert driver.execute_script("return location.hash") == "#fn1"
    assert driver.execute_script("return document.querySelector(':target').id") == "fn1"


def test_a_note_opens_by_keyboard_in_place_and_at_the_end(samples, browser):
    open_first_note_by_keyboard(browser, samples + "fr/law-reform-progress/")


def test_notes_work_without_javascript(samples, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = chromium(tmp_path / "no-js", javascript=False)
    try:
        set_width(driver, 375)
        driver.get(samples + "en/law-reform-progress/")
        tab_to_first_note_call(driver)
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        assert driver.execute_script("return location.hash") == "#fn1"
        back = driver.execute_script("return document.querySelector('#fn1 a[role=\"doc-backlink\"]').hash")
        assert back == "#fnref1"
        driver.get(samples + "en/")  # the catalogue lists everything; its search box is not shown (control:
        assert driver.execute_script("return document.querySelector('search').hidden")  # web.js unhides it)
    finally:
        driver.quit()


# ---- search -----------------------------------------------------------------------------------

def search_for(driver, url: str, words: str) -> str:
    driver.get(url)
    box = driver.find_element("id", "search-terms")
    box.send_keys(words)
    box.submit()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = driver.execute_script("return document.querySelector('.search-results').innerHTML")
        if text:
            return text
        time.sleep(0.1)
    raise AssertionError("no search results shown")


def test_search_finds_a_word_of_a_french_body(samples, browser):
    set_width(browser, 1280)
    found = search_for(browser, samples + "fr/", "contentieux")
    assert "/fr/law-reform-progress/" in found
    assert "<mark>" in found
    assert system_font_glyphs(browser, ".search-results") == []
    assert "Aucun résultat" in search_for(browser, samples + "fr/", "xylophonique")  # control
    assert system_font_glyphs(browser, ".search-results") == []
    assert "<mark>" in search_for(browser, samples + "zh/", "性工作者")  # excerpts in the pages' own subsets
    assert system_font_glyphs(browser, ".search-results") == []
    assert all(u.startswith(samples) for u in resources(browser))


# ---- controls: each browser check can fail ------------------------------------------------------

def test_controls(samples, browser):
    url = samples + "en/law-reform-progress/"
    set_width(browser, 1280)
    browser.get(url)
    browser.execute_script("document.body.append(Object.assign(document.createElement('img'), {src: 'x.png'}))")
    assert any(v["id"] == "image-alt" for v in axe_violations(browser))
    browser.execute_script("const i = new Image(); i.src = 'cover.png?control'; document.body.append(i);")
    time.sleep(0.3)
    assert any(u.endswith("cover.png?control") for u in resources(browser))  # requests are seen
    blocked = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        document.addEventListener('securitypolicyviolation', e => done(e.blockedURI));
        const i = new Image(); i.src = 'http://192.0.2.1/pixel.png'; document.body.append(i);
        setTimeout(() => done(''), 3000);""")
    assert blocked.startswith("http://192.0.2.1")  # the policy stops what leaves the site
    set_width(browser, 360)
    browser.get(url)
    browser.execute_script("document.body.append(Object.assign(document.createElement('div'), "
                           "{style: 'width: 2000px; height: 1px'}))")
    assert overflow(browser) > 0
    browser.get(url)
    browser.execute_script("document.querySelectorAll('.pullquote').forEach(q => q.removeAttribute('aria-hidden'))")
    with pytest.raises(AssertionError):
        check_pull_quotes_read_once(browser)
    browser.get(samples + "zh/law-reform-progress/")
    browser.execute_script("document.querySelector('link[href=\"fonts.css\"]').remove()")
    assert len(system_font_glyphs(browser)) > 100  # without its subsets the page is drawn in the machine's fonts


# ---- the filters and the page, on tiny inputs (no browser) -------------------------------------------

NOTES = """
---
type: policy-brief
title: "Notes Brief:"
date: 2025-06
---

# One

A claim^[First note with [a link](https://example.org).] and a citation [@gill2022covid].
[A pulled sentence^[Third note.] here.]{.pull}

[ok](https://example.org) [mail](mailto:a@b.org)
[styled]{style="color:red" onclick="alert(1)" lang=fr}

<script>alert(1)</script>
"""


def web_html(project: Path) -> str:
    p = load_project(project)
    return transform(p, load_publication(p, project / "content/notes/en.md"), "web").html


def test_web_filters_number_notes_hide_copies_and_keep_only_safe_links(project):
    write(project, "content/notes/en.md", NOTES)
    html = web_html(project)
    assert re.findall(r'id="fnref(\d+)"', html) == ["1", "2", "3"]
    assert re.findall(r'class="sidenote-number">(\d+)<', html) == ["1", "2", "3"]
    assert 'class="pullquote from-text" aria-hidden="true"' in html
    assert 'href="https://example.org">ok</a>' in html and 'href="mailto:a@b.org"' in html
    assert "onclick" not in html and "style=" not in html and 'lang="fr"' in html
    assert "&lt;script&gt;" in html and "<script" not in html
    assert links_in_sidenotes(html) == (3, 0)  # three copies, nothing focusable hidden in them
    assert links_in_sidenotes(html.replace("<span>a link</span>", '<a href="#x">a link</a>')) == (3, 1)  # control


def _commands() -> list[bytes]:
    """The command line of every process running."""
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found.append(path.read_bytes())
        except OSError:  # ended meanwhile
            continue
    return found


SHORT = "---\ntype: policy-brief\ntitle: \"{title}:\"\ndate: 2025-06\n---\n\n# One\n\nA sentence, {title}.\n"


def test_an_error_writing_a_page_early_is_raised_once_every_pdf_is_made_and_stops_the_indexes(project, monkeypatch):
    """A page is written while the other PDFs are laid out; an unexpected error there must not
    lose those PDFs' records, nor leave a search index running or half-written."""
    from pressroom.formats import web

    for rel in ("content/alpha/fr.md", "content/beta/en.md", "content/gamma/en.md"):
        write(project, rel, SHORT.format(title=rel.split("/")[1]))
    write_edition = web.write_edition

    def failing(project_, output, out_dir):
        if output.edition.slug == "gamma":
            raise RuntimeError("disk full")
        return write_edition(project_, output, out_dir)

    monkeypatch.setattr(web, "write_edition", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        build(project, outputs=["screen", "site"], say=quiet)
    build_dir = project / "build"
    for rel in ("fr/alpha", "en/beta", "en/gamma"):  # every PDF made, with its dependency file
        assert (build_dir / f"{rel}.pdf").exists() and (build_dir / ".deps" / "screen" / f"{rel}.d").exists(), rel
    assert not list(build_dir.glob("site/*/._search.part")), "an index half-written"
    assert not [command for command in _commands() if str(build_dir / "site").encode() in command], "Pagefind runs"
    monkeypatch.setattr(web, "write_edition", write_edition)  # control: the same build without the error
    assert build(project, outputs=["screen", "site"], say=quiet).ok
    assert all((build_dir / "site" / lang / "_search" / "pagefind.js").exists() for lang in ("fr", "en"))


def test_side_by_side_calls_get_a_separator_and_only_they_cost_the_pass(project):
    from pressroom.convert.transform import pandoc_command

    write(project, "content/notes/en.md", NOTES.replace("A claim^[First", "A claim^[Zero.]^[First"))
    html = web_html(project)
    assert re.search(r'id="fnref1".*?</span><span class="note-separator" aria-hidden="true">,</span><a href="#fn2"',
                     html)
    p = load_project(project)
    assert "adjacent-calls=true" in pandoc_command(p, load_publication(p, project / "content/notes/en.md"))
    write(project, "content/notes/en.md", NOTES)  # control: calls apart, no separator, no pass
    assert "note-separator" not in web_html(project)
    p = load_project(project)
    assert "adjacent-calls=true" not in pandoc_command(p, load_publication(p, project / "content/notes/en.md"))


def test_font_rules_are_made_again_only_when_what_they_come_from_changes(tmp_path, monkeypatch):
    from pressroom.formats import web

    (tmp_path / "site" / "assets").mkdir(parents=True)
    (tmp_path / "site" / "assets" / "web.css").write_text((ROOT / "styles" / "web.css").read_text(encoding="utf-8"),
                                                          encoding="utf-8")
    page, sheet = "<html lang=en><body><h1>Title</h1><p>Text</p></body></html>", tmp_path / "site" / "en" / "fonts.css"
    sheet.parent.mkdir()
    web.write_fonts(page, tmp_path, sheet, "../")
    first = sheet.read_text(encoding="utf-8")
    assert first.startswith(web.KEY_MARK) and "woff2" in first
    calls, cut = [], web.subsets
    monkeypatch.setattr(web, "subsets", lambda *args: calls.append(args) or cut(*args))
    web.write_fonts(page, tmp_path, sheet, "../")
    assert calls == [] and sheet.read_text(encoding="utf-8") == first  # the same page: kept as it was
    web.write_fonts(page.replace("Text", "Texte"), tmp_path, sheet, "../")  # control: another page
    assert len(calls) == 1
    next((tmp_path / "site" / "fonts").iterdir()).unlink()
    web.write_fonts(page.replace("Text", "Texte"), tmp_path, sheet, "../")  # a subset gone: cut again
    assert len(calls) == 2 and all((tmp_path / "site" / "fonts" / name).exists()
                                   for name in re.findall(r'fonts/([^")]+)"', sheet.read_text(encoding="utf-8")))
    # The same page after a change to how fonts are cut (the code, a library): its rules made again.
    from pressroom.formats import webfonts

    monkeypatch.setattr(webfonts, "_cutting", lambda: "cut another way")
    web.write_fonts(page.replace("Text", "Texte"), tmp_path, sheet, "../")
    assert len(calls) == 3


def test_the_web_filter_drops_unsafe_links_even_past_the_checks():
    """The build refuses such links at their line (tests/test_safety.py); the web's own filter drops them too."""
    import subprocess

    from pressroom.convert.transform import FILTERS
    from pressroom.source.markdown import MARKDOWN, pandoc_path

    text = ("[click](javascript:alert(1)) [data](data:text/html,hi) [ok](https://example.org)"
            "^[In a note: [n](javascript:alert(2)) [s]{onclick=alert(3)} [kept](https://example.org/n).]"
            " More.[^code]\n\n"
            "[^code]: Code in a note:\n\n    ``` {.text onclick=\"alert(4)\" title=\"t\"}\n    code words\n    ```\n")
    command = [pandoc_path(), "--from", MARKDOWN, "--to", "html5", "--lua-filter", str(FILTERS / "web.lua")]
    html = subprocess.run(command, input=text, capture_output=True, text=True, check=True).stdout
    assert "javascript:" not in html and "data:text" not in html and 'href="https://example.org"' in html
    assert "onclick" not in html and 'href="https://example.org/n"' in html  # the end-note keeps its safe link
    assert html.count("In a note") == 2 and html.count("code words") == 2  # end-notes and sidenote copies, made safe
    assert 'title="t"' not in html  # a code block's attributes, in its end-note and in its copy's code
    plain = subprocess.run(command[:-2], input=text, capture_output=True, text=True, check=True).stdout
    assert "javascript:" in plain and "onclick" in plain and 'title="t"' in plain  # control: without the filter


def links_in_sidenotes(html: str) -> tuple[int, int]:
    """(sidenotes, links inside them)."""
    from html.parser import HTMLParser

    class Counter(HTMLParser):
        depth, notes, links = 0, 0, 0

        def handle_starttag(self, tag, attrs):
            if self.depth:
                self.depth += tag == "span"
                self.links += tag == "a"
            elif tag == "span" and ("class", "sidenote") in attrs:
                self.depth, self.notes = 1, self.notes + 1

        def handle_endtag(self, tag):
            if self.depth and tag == "span":
                self.depth -= 1

    counter = Counter()
    counter.feed(html)
    return counter.notes, counter.links


def test_pdf_filters_are_unchanged(project):
    """Control: the PDF's chain still makes inline footnote spans, no end-notes."""
    write(project, "content/notes/en.md", NOTES)
    p = load_project(project)
    html = transform(p, load_publication(p, project / "content/notes/en.md")).html
    assert '<span class="footnote' in html and "doc-endnotes" not in html


def test_a_page_is_self_contained(project):
    write(project, "content/notes/en.md", NOTES)
    site = build_site(project)
    page = unescape((site / "en/notes/index.html").read_text(encoding="utf-8"))
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'', page)
    loaded = re.findall(r'<(?:link|script|img)\b[^>]*?(?:src|href)="([^"]+)"', page)
    assert loaded and not [u for u in loaded if re.match(r"[a-z]+:|//", u)]
    assert (site / "en/notes/notes.pdf").read_bytes()[:5] == b"%PDF-"
    fonts = (site / "en/notes/fonts.css").read_text()
    assert "woff2" in fonts and all((site / "fonts" / name).exists()
                                    for name in re.findall(r'fonts/([^")]+)', fonts))
    assert sum(f.stat().st_size for f in (site / "fonts").iterdir()) < 1_000_000
    assert "Notes Brief" in (site / "en/index.html").read_text(encoding="utf-8")
    assert (site / "en" / "_search" / "pagefind.js").exists()


def _has(attrs: list[tuple[str, str | None]], name: str, value: str) -> bool:
    return any(key == name and (value in (found or "").split() if name == "class" else found == value)
               for key, found in attrs)


def note_texts(html: str, start: tuple[str, tuple[str, str]]) -> list[str]:
    """The text of every element opened by ``start`` = (tag, (attribute, value)), in order (for
    ``class``, one of the element's classes)."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        depth, texts = 0, []

        def handle_starttag(self, tag, attrs):
            if self.depth:
                self.depth += tag == start[0]
            elif tag == start[0] and _has(attrs, *start[1]):
                self.depth = 1
                self.texts.append("")

        def handle_endtag(self, tag):
            if self.depth and tag == start[0]:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.texts[-1] += data

    collector = Collector()
    collector.texts = []
    collector.feed(html)
    return [" ".join(text.replace("↩\ufe0e", "").split()) for text in collector.texts]


@pytest.mark.parametrize("source", ["law-reform-progress/fr.md", "amnesty-policy-engagement/en.md"])
def test_notes_are_numbered_and_worded_as_in_the_pdf(source):
    p = load_project(ROOT)
    pub = load_publication(p, ROOT / "content" / source)
    in_pdf = note_texts(transform(p, pub).html, ("span", ("class", "footnote")))
    web_html = transform(p, pub, "web").html
    on_web = [note_texts(web_html, ("li", ("id", f"fn{n}")))[0] for n in range(1, len(in_pdf) + 1)]
    assert len(in_pdf) >= 3 and on_web == in_pdf
    assert f'id="fn{len(in_pdf) + 1}"' not in web_html


def test_a_stale_translation_says_so(project):
    write(project, "content/notes/en.md", NOTES)
    write(project, "content/notes/fr.md", NOTES.replace("Notes Brief:", "Note sur les notes :"))
    for lang in ("en", "fr"):  # the linked PDFs exist (their content is not what is tested here)
        write(project, f"build/{lang}/notes.pdf", "%PDF-1.7\n")
    site = build_site(project, warnings=1)  # the build says it too
    page = (site / "fr/notes/index.html").read_text(encoding="utf-8")
    assert 'class="stale-notice"' in page and "anglais" in page
    assert "mise à jour en attente" in (site / "fr/index.html").read_text(encoding="utf-8")
    english = (site / "en/notes/index.html").read_text(encoding="utf-8")
    assert 'class="stale-notice"' not in english  # control: the source is never stale
    assert 'hreflang="fr"' in english and "(update pending)" in english  # in the switcher


def test_make_site_rebuilds_only_the_edited_page_and_the_catalogue(tmp_path):
    import os
    import subprocess
    import sys

    project = make_project(tmp_path / "project")
    for name in ("Makefile", "build.py"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "pressroom", project / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    write(project, "content/notes/en.md", NOTES)
    write(project, "content/other/en.md", NOTES.replace("Notes Brief:", "Other Brief:"))

    def make_site() -> dict[str, int]:
        subprocess.run(["make", f"PY={sys.executable}", "SETUP=", "site"], cwd=project, check=True,
                       capture_output=True, text=True)
        return {str(p.relative_to(project / "build")): p.stat().st_mtime_ns
                for p in (project / "build").rglob("*.html")}

    first = make_site()  # the PDFs the pages link are made first
    assert {"site/en/notes/index.html", "site/en/other/index.html", "site/en/index.html"} <= set(first)
    assert (project / "build/en/notes.pdf").exists() and (project / "build/.deps/site/en/notes.d").exists()
    assert make_site() == first  # nothing changed, nothing rebuilt
    os.utime(project / "content/notes/en.md")
    after = make_site()
    changed = {name for name in after if after[name] != first[name]}
    assert changed == {"site/en/notes/index.html", "site/en/index.html", "site/index.html"}
