"""Stage 3, lay out: the publication's template turns data and body HTML into one HTML page.

Templates see plain values (autoescaped) and the body HTML from pandoc (raw
HTML is disabled in the Markdown, so that HTML is ours). Every printed word
comes from the locale file; a missing word is an error naming that file.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from pressroom.convert.typography import typeset_html, typeset_text
from pressroom.errors import BuildError, fail
from pressroom.project.config import Locale, Project
from pressroom.source.publication import PubDate, Publication


def css_string(text: str, lang: str = "") -> Markup:
    """``text`` as a quoted CSS string, safe inside ``<style>`` (where HTML entities are not decoded),
    with the typography of ``lang``."""
    plain = typeset_text(text.unescape() if isinstance(text, Markup) else str(text), lang)
    escaped = re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):x} ", plain)
    return Markup(f'"{escaped}"')


@cache
def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def printed_date(date: PubDate, lang: str) -> str:
    """The date as the language writes it: 'June 2025', 'juin 2025', '2025年6月'."""
    if date.day:
        return format_date(date.date, "long", locale=lang.replace("-", "_"))
    return format_skeleton("yMMMM", date.date, locale=lang.replace("-", "_"))


def text_direction(lang: str) -> str:
    """'rtl' for a language written right to left (Arabic, Hebrew, Persian...), else 'ltr'."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def templates_used(project: Project, name: str) -> list[Path]:
    """The template ``name`` and every template it extends or includes."""
    env = _environment(project.root / "templates")
    found: list[str] = []
    pending = [name]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        pending += _referenced(project.root / "templates", env.loader.get_source(env, current)[0])
    return [project.root / "templates" / t for t in found]


@lru_cache(maxsize=64)
def _referenced(folder: Path, source: str) -> tuple[str, ...]:
    """The templates ``source`` extends or includes (parsed once a process: every output's
    dependency file asks)."""
    env = _environment(folder)
    return tuple(t for t in jinja2.meta.find_referenced_templates(env.parse(source)) if t)


def lay_out(project: Project, pub: Publication, body_html: str, stylesheets: tuple[str, ...] = ()) -> str:
    """The page's HTML; ``stylesheets`` (of an output variant) come after the type's."""
    env = _environment(project.root / "templates")
    locale: Locale = project.locale(pub.lang)
    try:
        template = env.get_template(f"{pub.type}.html")
        return typeset_html(template.render(
            pub=pub,
            body=Markup(body_html),
            brand=project.brand,
            colours=project.brand["colours"],
            funders=project.funders(pub.funders),
            t=locale,
            date=printed_date(pub.date, pub.lang),
            variant_stylesheets=stylesheets,
            direction=text_direction(pub.lang),
        ), pub.lang)
    except BuildError:
        raise
    except jinja2.TemplateError as error:
        line = getattr(error, "lineno", None)
        name = getattr(error, "filename", None) or f"{pub.type}.html"
        raise fail(f"templates/{Path(name).name}", line, f"template error: {error}") from None
