"""The web edition: one static page per edition, a catalogue per language, and search.

Written in the main process (no WeasyPrint): pandoc with the web's filters
(:data:`pressroom.formats.FORMATS`), the templates in ``templates/web/`` and
``styles/web.css``. The site is self-contained: fonts (WOFF2 subsets), images, the
brand's files and the edition's PDFs are copied into it, and every page forbids
loading anything from elsewhere with a Content-Security-Policy.

``build/site/``::

    index.html                  the languages
    <lang>/index.html           the catalogue of a language, with search
    <lang>/_search/             the language's search index (Pagefind)
    <lang>/<slug>/index.html    an edition, with its PDFs, cover thumbnail and images
    assets/  fonts/             shared files, font subsets
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from html import unescape
from pathlib import Path

from markupsafe import Markup

from pressroom.convert.layout import _environment, printed_date
from pressroom.convert.transform import transform
from pressroom.convert.typography import typeset_html
from pressroom.errors import BuildError, Problem, fail, warning
from pressroom.formats import VARIANTS, Output
from pressroom.formats.webfonts import font_faces, fonts_stamp, subsets
from pressroom.pipeline.write import link_atomically, write_atomically
from pressroom.project.config import Project
from pressroom.source.load import find_content, load_publication
from pressroom.source.publication import Publication

SITE = "site"
PAGE_TEMPLATE = "web/page.html"
STYLESHEET = "styles/web.css"
QUOTES_STYLESHEET = "styles/quotes.css"  # shared with the PDFs
SCRIPT = "styles/web.js"
SEARCH = "_search"  # each language's search index (Pagefind): build/site/<lang>/_search/
# The PDFs a page links when they are built, in this order (variants of the registry).
LINKED_PDFS = (("screen", "web_pdf"), ("print", "web_pdf_print"))
THUMBNAIL_HEIGHT = 360  # pixels; templates/web/catalogue.html gives the <img> the same size (255 x 360, A4)
# Nothing from outside the site; WebAssembly for the search index only.
CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'")


@dataclass
class Written:
    """What writing one edition used (for its dependency file) and said."""

    used_files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def site_dir(out_dir: Path) -> Path:
    return out_dir / SITE


def write_edition(project: Project, output: Output, out_dir: Path) -> Written:
    """Write the page of ``output.edition`` with its fonts, images and PDFs; BuildError on failure."""
    pub = output.edition
    page = output.path(out_dir)
    folder = page.parent
    transformed = transform(project, pub, output.variant.format)
    written = Written(warnings=[warning(pub.shown_as, None, f"pandoc: {w}") for w in transformed.warnings])
    t = project.locale(pub.lang)
    body = _end_notes(transformed.html, t)
    body, images = _copy_images(project, pub, body, folder)
    assets = write_assets(project, out_dir)
    pdfs = _copy_pdfs(pub, out_dir, folder)
    editions = translations(project, pub)
    state = next(item["state"] for item in editions if item["current"])
    html = render(project, PAGE_TEMPLATE, pub.lang, root="../../", pub=pub, body=Markup(body),
                  date=printed_date(pub.date, pub.lang), translations=editions,
                  stale=_stale_notice(project, pub, str(state)), pdfs=pdfs, json_ld=_json_ld(project, pub, pdfs),
                  cover="cover.png" if (folder / "cover.png").exists() else None,
                  funders=project.funders(pub.funders))
    write_fonts(html, out_dir, folder / "fonts.css", "../../")
    write_atomically(page, html.encode("utf-8"))
    written.used_files += [*images, *assets, *_linked_sources(project, pub, out_dir)]
    return written


def render(project: Project, template: str, lang: str, root: str, **values: object) -> str:
    """A web template with the brand, the locale's words and the site's safety rules."""
    import jinja2

    env = _environment(project.root / "templates")
    try:
        return typeset_html(env.get_template(template).render(
            brand=project.brand, t=project.locale(lang), lang=lang, root=root, csp=CSP,
            language_name=language_name, **values), lang)
    except BuildError:
        raise
    except jinja2.TemplateError as error:
        raise fail(f"templates/{template}", getattr(error, "lineno", None), f"template error: {error}") from None


@cache
def language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's name in ``in_lang``, by default its own: 'français', 'русский', '中文'."""
    from babel import Locale

    name = Locale.parse(lang.replace("-", "_")).get_display_name((in_lang or lang).replace("-", "_")) or lang
    return name[:1].upper() + name[1:] if in_lang is None and lang.startswith("en") else name


def translations(project: Project, pub: Publication) -> list[dict[str, object]]:
    """Every edition of ``pub.slug`` (this one included) in the project's language order, with its state."""
    states = translation_states(project, pub.slug)
    return [{"lang": lang, "name": language_name(lang), "href": f"../../{lang}/{pub.slug}/",
             "current": lang == pub.lang, "state": state} for lang, state in states.items()]


def translation_states(project: Project, slug: str) -> dict[str, str]:
    """Language -> "source", "current", "stale" or "invalid", for every edition of ``slug``.

    A state changes when the source changes or when a translation is marked (``mark-translated``
    rewrites the file by a rename, which changes the folder): a page depends on both, not on the
    text of its sibling translations.
    """
    from pressroom.translation.tracker import Tracker

    folder = project.content_dir / slug
    tracker = Tracker(project)
    has_source = (folder / f"{project.source_lang}.md").exists()
    return {lang: "source" if lang == project.source_lang or not has_source else tracker.status(slug, lang).state
            for lang in project.languages if (folder / f"{lang}.md").exists()}


def _stale_notice(project: Project, pub: Publication, state: str) -> str:
    """The notice a stale translation shows (empty for a source or a current translation)."""
    if state != "stale":
        return ""
    return project.locale(pub.lang).web_stale.replace("{source}", language_name(project.source_lang, pub.lang))


def _linked_sources(project: Project, pub: Publication, out_dir: Path) -> list[Path]:
    """Files whose change changes this page besides its own: the source it translates, the folder
    (a translation added or removed changes the language switcher) and the PDFs it links."""
    files = [pub.folder]
    source = pub.folder / f"{project.source_lang}.md"
    if source.exists():
        files.append(source)
    for name, _ in LINKED_PDFS:
        if name in VARIANTS and (path := Output(pub, VARIANTS[name]).path(out_dir)).exists():
            files.append(path)
    return files


def _end_notes(html: str, t) -> str:
    """Pandoc's end-notes under a heading of the page's language, back-links named and joined to
    the note's last word (a word joiner: no line break before the arrow, after "。" either)."""
    html = re.sub(r'<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">\s*<hr />',
                  f'<section id="footnotes" class="footnotes" role="doc-endnotes" aria-labelledby="notes-title">'
                  f'<h2 id="notes-title">{Markup.escape(t.web_notes)}</h2>', html)
    html = re.sub(r'(<a href="#fnref[^"]*" class="footnote-back")', "\u2060\\1", html)
    return html.replace('role="doc-backlink">↩︎</a>',  # the arrow kept out of the search's words and excerpts
                        f'role="doc-backlink" aria-label="{Markup.escape(t.web_back_to_text)}" '
                        'data-pagefind-ignore>↩</a>')


_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


def _copy_images(project: Project, pub: Publication, html: str, folder: Path) -> tuple[str, list[Path]]:
    """Images of the content folder copied beside the page; their ``src`` made relative to it."""
    used: list[Path] = []

    def copy(match: re.Match) -> str:
        source = (project.root / unescape(match.group(2))).resolve()
        if not source.is_relative_to(pub.folder) or not source.is_file():
            raise fail(pub.shown_as, None, f"image '{match.group(2)}' is not a file of {project.rel(pub.folder)}")
        relative = source.relative_to(pub.folder)
        _copy_if_changed(source, folder / relative)
        used.append(source)
        return match.group(1) + Markup.escape(relative.as_posix()) + match.group(3)

    return _SRC.sub(copy, html), used


def _copy_if_changed(source: Path, target: Path, link: bool = False) -> None:
    """``target`` a copy of ``source`` unless it is one already; ``link``: a hard link instead
    (for the build's own outputs, which are replaced, never rewritten: the PDFs)."""
    if target.exists() and target.stat().st_size == source.stat().st_size \
            and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
        return
    if link:
        link_atomically(source, target)
    else:
        write_atomically(target, source.read_bytes())


def _copy_pdfs(pub: Publication, out_dir: Path, folder: Path) -> list[dict[str, object]]:
    """The built PDFs of the edition copied beside its page (with a thumbnail of the cover)."""
    pdfs = []
    for name, word in LINKED_PDFS:
        if name not in VARIANTS:
            continue
        built = Output(pub, VARIANTS[name]).path(out_dir)
        if not built.exists():
            continue
        file = f"{pub.slug}.pdf" if name == "screen" else f"{pub.slug}-{name}.pdf"
        _copy_if_changed(built, folder / file, link=True)
        if name == "screen":
            _thumbnail(built, folder / "cover.png")
        pdfs.append({"href": file, "word": word, "size": _size(built.stat().st_size)})
    return pdfs


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{max(1, round(count / 1000))} kB"


def _thumbnail(pdf: Path, target: Path) -> None:
    """A small picture of the PDF's cover, remade when the PDF changes. PDFium draws it in this
    process: 9 ms a cover, where poppler's pdftoppm took 30 ms (most of it starting up)."""
    if target.exists() and target.stat().st_mtime_ns >= pdf.stat().st_mtime_ns:
        return
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
        try:
            cover = document[0]
            picture = cover.render(scale=THUMBNAIL_HEIGHT / cover.get_height()).to_pil()
        finally:
            document.close()
    except pypdfium2.PdfiumError:
        return  # the catalogue draws a cover instead
    out = io.BytesIO()
    picture.save(out, format="PNG")
    write_atomically(target, out.getvalue())


def write_assets(project: Project, out_dir: Path) -> list[Path]:
    """The site's shared files: stylesheet (with the brand's colours), script, wordmark, logos."""
    assets = site_dir(out_dir) / "assets"
    colours = "".join(f"  --{name}: {value};\n" for name, value in project.brand["colours"].items())
    css = f":root {{\n{colours}}}\n" + "".join((project.root / sheet).read_text(encoding="utf-8")
                                                 for sheet in (QUOTES_STYLESHEET, STYLESHEET))
    _write_if_changed(assets / "web.css", css.encode("utf-8"))
    _write_if_changed(assets / "web.js", (project.root / SCRIPT).read_bytes())
    brand_files = [project.brand["wordmark"], *(f["logo"] for f in project.brand["funders"])]
    for rel in brand_files:
        _copy_if_changed(project.root / rel, assets / Path(rel).name)
    return [project.root / STYLESHEET, project.root / QUOTES_STYLESHEET, project.root / SCRIPT,
            *(project.root / rel for rel in brand_files)]


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        write_atomically(path, data)


def write_fonts(html: str, out_dir: Path, stylesheet: Path, prefix: str, searched: list[Path] = ()) -> None:
    """The @font-face rules of the characters ``html`` shows, with their subsets in site/fonts/
    (the site's stylesheet, written before, says which face shows which character).

    A catalogue's search shows excerpts of its pages: the rules of those pages (``searched``,
    their fonts.css) come first, so a browser draws an excerpt with the pages' subsets and
    fetches one only for a character the catalogue's own subsets (the last rules, checked
    first) do not have.
    """
    css = (site_dir(out_dir) / "assets" / "web.css").read_text(encoding="utf-8")
    pages = [[line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("@font-face")]
             for page in searched if page.exists()]
    key = hashlib.sha256("\0".join([html, css, *map("\n".join, pages), fonts_stamp()]).encode()).hexdigest()[:20]
    if _fonts_kept(stylesheet, key, site_dir(out_dir) / "fonts"):
        return  # the same page, sheet and fonts: the same rules (a catalogue after an edit elsewhere)
    found = subsets(html, css, out_dir / ".cache" / "webfonts", site_dir(out_dir) / "fonts")
    own = font_faces(found, prefix)
    theirs = dict.fromkeys(line.replace('url("../../fonts/', f'url("{prefix}fonts/')
                           for lines in pages for line in lines)
    rules = "".join(f"{line}\n" for line in theirs if line not in own) + own
    _write_if_changed(stylesheet, f"{KEY_MARK}{key} */\n{rules}".encode())


KEY_MARK = "/* fonts for: "  # the first line of a fonts.css: what its rules were made from


def _fonts_kept(stylesheet: Path, key: str, fonts: Path) -> bool:
    """Whether ``stylesheet`` was made from ``key`` and every subset it names is there."""
    try:
        text = stylesheet.read_text(encoding="utf-8")
    except OSError:
        return False
    return text.startswith(f"{KEY_MARK}{key} */\n") and all(
        (fonts / name).exists() for name in re.findall(r'fonts/([^")]+)"', text))


def _json_ld(project: Project, pub: Publication, pdfs: list[dict[str, object]]) -> Markup:
    """schema.org metadata of the edition, safe inside a <script> element."""
    brand = project.brand
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "Report",
        "name": pub.title.rstrip(": ："), "inLanguage": pub.lang, "datePublished": str(pub.date),
        "publisher": {"@type": "Organization", "name": brand["name"]},
        "author": [{"@type": "Organization" if a in (brand["short_name"], brand["name"]) else "Person", "name": a}
                   for a in pub.authors] or [{"@type": "Organization", "name": brand["name"]}],
        "genre": pub.type,
    }
    if pub.subtitle:
        data["alternativeHeadline"] = pub.subtitle
    if pub.summary:
        data["description"] = pub.summary
    if pub.keywords:
        data["keywords"] = ", ".join(pub.keywords)
    if pdfs:
        data["encoding"] = [{"@type": "MediaObject", "contentUrl": p["href"], "encodingFormat": "application/pdf"}
                            for p in pdfs]
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# ---- the whole site: catalogues, languages, search --------------------------------------------------

@dataclass
class Entry:
    """One edition as the catalogue lists it."""

    pub: Publication
    href: str
    state: str
    date: str
    cover: str | None
    pdf: str | None


def finish_site(project: Project, out_dir: Path, changed: set[str] | None = None,
                indexing: dict[str, Indexing] | None = None) -> list[Problem]:
    """Catalogues, the languages page and the search index of the ``changed`` languages (default:
    all), from the pages the site has; ``indexing``: indexes of some of them begun already.

    Run after every build that wrote a page (cheap: no pandoc, no layout). Pages whose content
    file is gone are removed first.
    """
    started = dict(indexing or {})
    site = site_dir(out_dir)
    if not site.exists():
        return []
    removed: set[str] = set()
    entries = _entries(project, site, removed)
    for lang in removed & started.keys():  # begun before a page of its language was removed: begun again below
        cancel_index(started.pop(lang))
    write_assets(project, out_dir)
    by_lang = {lang: sorted(entries.get(lang, []), key=lambda e: (str(e.pub.date), e.pub.title), reverse=True)
               for lang in project.languages if entries.get(lang)}
    for lang, listed in by_lang.items():
        html = render(project, "web/catalogue.html", lang, root="../", entries=listed,
                      languages=[{"lang": other, "name": language_name(other), "href": f"../{other}/",
                                  "current": other == lang, "state": ""} for other in by_lang])
        pages = [site / lang / entry.pub.slug / "fonts.css" for entry in listed]
        write_fonts(html, out_dir, site / lang / "fonts.css", "../", searched=pages)
        write_atomically(site / lang / "index.html", html.encode("utf-8"))
    home = render(project, "web/languages.html", project.source_lang, root="",
                  languages=[{"lang": lang, "name": language_name(lang), "href": f"{lang}/", "count": len(listed),
                              "words": project.locale(lang)} for lang, listed in by_lang.items()])
    write_fonts(home, out_dir, site / "fonts.css", "")
    write_atomically(site / "index.html", home.encode("utf-8"))
    shutil.rmtree(site / "pagefind", ignore_errors=True)  # one index for all languages, before 2026-12
    stale = [lang for lang in by_lang if changed is None or lang in changed | removed
             or not (site / lang / SEARCH / "pagefind.js").exists()]
    return index_search(site, stale, started)


def _entries(project: Project, site: Path, removed: set[str]) -> dict[str, list[Entry]]:
    """The pages of the site by language; ``removed`` gets the languages of pages whose content file is gone."""
    sources = {(s.parent.name, s.stem): s for s in find_content(project)}
    entries: dict[str, list[Entry]] = {}
    states: dict[str, dict[str, str]] = {}
    for page in sorted(site.glob("*/*/index.html")):
        slug, lang = page.parent.name, page.parent.parent.name
        if lang in ("assets", "fonts"):
            continue
        if (slug, lang) not in sources:
            shutil.rmtree(page.parent)  # its content file was removed
            removed.add(lang)
            continue
        try:
            pub = load_publication(project, sources[(slug, lang)])
        except BuildError:
            continue  # the build reports it; the page stays as it was
        folder = page.parent
        if slug not in states:
            states[slug] = translation_states(project, slug)
        entries.setdefault(lang, []).append(Entry(
            pub, f"{slug}/", states[slug].get(lang, "source"), printed_date(pub.date, lang),
            f"{slug}/cover.png" if (folder / "cover.png").exists() else None,
            f"{slug}/{slug}.pdf" if (folder / f"{slug}.pdf").exists() else None))
    return entries


@dataclass
class Indexing:
    """Pagefind indexing one language's pages into a staging folder, in the background."""

    lang: str
    staging: Path
    process: subprocess.Popen


def start_index(site: Path, lang: str) -> Indexing:
    """Pagefind started on the pages of ``lang`` (only the publications' pages: they alone have
    ``data-pagefind-body``, so the language's catalogue need not be written yet)."""
    from pagefind_bin_extended import get_executable  # the binary of the pinned wheel

    staging = site / lang / f".{SEARCH}.part"
    shutil.rmtree(staging, ignore_errors=True)
    command = [str(get_executable()), "--site", str(site / lang), "--output-path", str(staging), "--silent"]
    return Indexing(lang, staging, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))


def finish_index(site: Path, indexing: Indexing) -> list[Problem]:
    """The index in place (``<lang>/_search/``) once Pagefind is done; a warning if it failed."""
    _, errors = indexing.process.communicate()
    if indexing.process.returncode != 0:
        shutil.rmtree(indexing.staging, ignore_errors=True)
        return [warning(f"build/site/{indexing.lang}", None, f"search index not built: {errors.strip()[-400:]}")]
    _replace_folder(indexing.staging, site / indexing.lang / SEARCH)
    return []


def cancel_index(indexing: Indexing) -> None:
    """Pagefind stopped and its staging folder removed (the index in place stays as it was)."""
    process = indexing.process
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdout, process.stderr):
        stream.close()
    shutil.rmtree(indexing.staging, ignore_errors=True)


def index_search(site: Path, langs: list[str], started: dict[str, Indexing] | None = None) -> list[Problem]:
    """Pagefind's index of the pages of each of ``langs``, in ``<lang>/_search/``: a language's
    search reads its own index, and an edit indexes one language again (side by side when several).
    ``started``: indexes begun earlier, as each language's last page was written (waited for here)."""
    running = {**(started or {})}
    running.update({lang: start_index(site, lang) for lang in langs if lang not in running})
    return [problem for indexing in running.values() for problem in finish_index(site, indexing)]


def _replace_folder(new: Path, final: Path) -> None:
    """``final`` becomes ``new``, by renames: a reader sees the old folder or the new one."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.replace(old)
    new.replace(final)
    shutil.rmtree(old, ignore_errors=True)
