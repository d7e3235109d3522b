"""Which of the site's faces shows each character of a page, as a browser would decide it.

The web edition ships each face cut down to the characters it shows. Cutting every face to
the whole page (as before 2026-12) gave the Chinese page a sans-serif subset of all its
1,167 ideographs when only headings, tables and pull-quotes are set in it: 247 kB that every
reader downloaded and the build spent half a second compressing.

This module runs the cascade of the stylesheet for the three properties that choose a face
(``font-family``, ``font-weight``, ``font-style``), on the page as parsed (lxml) with the
selectors matched by cssselect2 (WeasyPrint's matcher), then picks faces as CSS Fonts does:
the first family of the list that has the character, the face of that family closest in
style and weight. It is an approximation of a browser in three places, each on the side of
more characters, never fewer: every ``@media`` rule applies except print's; pseudo-elements
get the quotation marks, digits and strings they may show; letters are counted in upper case
too (``text-transform``); hidden elements count. ``style`` attributes are not read: the templates
have none and the content's are filtered out. The browser test checks the result: every glyph
of every page is drawn from a face of the page's ``fonts.css``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

# Elements whose text is never drawn.
UNSHOWN = {"head", "script", "style", "template", "title"}

# A browser's own stylesheet, for what it says about faces.
UA_BOLD = {"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"}
UA_ITALIC = {"i", "em", "cite", "dfn", "var", "address"}
UA_SYSTEM_FONT = {"button", "input", "select", "textarea"}  # font: -webkit-small-control unless set
UA_STYLED = UA_BOLD | UA_ITALIC | UA_SYSTEM_FONT

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "emoji", "math"}

# What a pseudo-element may show besides the strings of its ``content``: counters and list
# markers (digits, a full stop, a bullet), a hyphen from ``hyphens: auto``.
GENERATED = "0123456789.•-\u2010 "

# Text that styles/web.js writes into the page: the note's number in the popover's title,
# the "no results" line of the search (read from the attribute it comes from).
SCRIPTED = (("note-popover-number", lambda element: "0123456789"),
            ("search-results", lambda element: element.get("data-none", "")))


@dataclass(frozen=True)
class Style:
    families: tuple[str, ...]
    weight: int
    italic: bool


@dataclass
class Rule:
    order: int
    declarations: dict[str, list]  # lower name -> tinycss2 tokens
    important: set[str] = field(default_factory=set)


def characters_by_face(html: str, css: str, choose: Callable[[Style, int], object | None]) -> dict[object, set[int]]:
    """``choose(style, code)`` -> the face that draws ``code`` in ``style`` (None: no face of
    ours); returns the code points each face draws on the page ``html`` styled by ``css``."""
    import cssselect2
    import lxml.html

    root = lxml.html.document_fromstring(html)
    _add_scripted_text(root)
    matcher, quotes = _matcher(css)
    shown: dict[Style, set[str]] = {}
    initial = Style(("serif",), 400, False)
    for element, style, pseudo in _styled(cssselect2.ElementWrapper.from_html_root(root), matcher, initial):
        chars = shown.setdefault(style, set())
        if pseudo is not None:
            chars.update(_generated(pseudo, quotes))
            continue
        chars.update(element.etree_element.text or "")
        for child in element.etree_element:
            chars.update(child.tail or "")
    found: dict[object, set[int]] = {}
    for style, chars in shown.items():
        for char in chars | {c.upper() for c in chars}:
            for code in map(ord, char):
                if code >= 0x20 and (face := choose(style, code)) is not None:
                    found.setdefault(face, set()).add(code)
    return found


def _add_scripted_text(root) -> None:
    for class_name, text_of in SCRIPTED:
        for element in root.find_class(class_name):
            shown = element.makeelement("p", {})
            shown.text = text_of(element)
            element.append(shown)


@lru_cache(maxsize=2)
def _matcher(css: str):
    """A cssselect2 matcher of the rules that set a face or generated content, and every
    quotation mark the sheet's ``quotes`` declarations name."""
    import cssselect2
    import tinycss2

    matcher = cssselect2.Matcher()
    quotes = "\u201c\u201d\u2018\u2019"
    wanted = {"font", "font-family", "font-weight", "font-style", "content"}
    for order, (prelude, content) in enumerate(_style_rules(tinycss2.parse_stylesheet(css, True, True))):
        rule = Rule(order, {})
        for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if item.type != "declaration":
                continue
            if item.lower_name == "quotes":
                quotes += "".join(t.value for t in item.value if t.type == "string")
            if item.lower_name in wanted:
                rule.declarations[item.lower_name] = [t for t in item.value if t.type not in ("whitespace", "comment")]
                if item.important:
                    rule.important.add(item.lower_name)
        if rule.declarations:
            for selector in cssselect2.compile_selector_list(prelude):
                matcher.add_selector(selector, rule)
    return matcher, quotes


def _style_rules(rules: list) -> Iterator[tuple[list, list]]:
    """(selector tokens, declaration tokens) of every style rule, inside @media too (print's excepted)."""
    import tinycss2

    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule.prelude, rule.content
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") and rule.content:
            if rule.lower_at_keyword == "media" and "print" in tinycss2.serialize(rule.prelude).lower():
                continue
            yield from _style_rules(tinycss2.parse_rule_list(rule.content, True, True))


def _styled(root, matcher, initial: Style) -> Iterator[tuple[object, Style, list | None]]:
    """Every element whose text is drawn with its style, then its pseudo-elements that show
    something (with their ``content`` tokens), in document order."""
    stack = [(root, initial)]
    while stack:
        element, parent = stack.pop()
        tag = element.etree_element.tag
        name = tag.lower() if isinstance(tag, str) else ""
        if name in UNSHOWN or not name:
            continue  # nor are its children's (a comment's, a processing instruction's)
        matches = matcher.match(element)
        own = [m for m in matches if m[2] is None]
        style = _cascade(parent, own, name) if own or name in UA_STYLED else parent
        yield element, style, None
        for pseudo in {m[2] for m in matches if m[2]} | ({"marker"} if name == "li" else set()):
            rules = [m for m in matches if m[2] == pseudo]
            content = _declared(rules, "content")
            if pseudo == "marker" or (content is not None and not _is_none(content)):
                yield element, _cascade(style, rules, ""), content or []
        stack.extend((child, style) for child in reversed(list(element.iter_children())))


def _declared(matches: list, name: str) -> list | None:
    """The winning value of ``name`` among ``matches`` (sorted by specificity, then order)."""
    ranked = sorted(((name in rule.important, specificity, rule.order), rule.declarations[name])
                    for specificity, _, _, rule in matches if name in rule.declarations)
    return ranked[-1][1] if ranked else None


def _cascade(parent: Style, matches: list, name: str) -> Style:
    families, weight, italic = parent.families, parent.weight, parent.italic
    if name in UA_BOLD:
        weight = 700
    if name in UA_ITALIC:
        italic = True
    shorthand = _declared(matches, "font")
    if name in UA_SYSTEM_FONT and not (shorthand and _ident(shorthand) == "inherit"):
        families = ("system-ui",)
    if (value := _declared(matches, "font-family")) is not None:
        families = _families(value, families)
    if (value := _declared(matches, "font-weight")) is not None:
        weight = _weight(value, weight)
    if (value := _declared(matches, "font-style")) is not None:
        italic = _ident(value) in ("italic", "oblique") if _ident(value) != "inherit" else italic
    return Style(families, weight, italic)


def _ident(tokens: list) -> str:
    return tokens[0].lower_value if len(tokens) == 1 and tokens[0].type == "ident" else ""


def _is_none(tokens: list) -> bool:
    return _ident(tokens) in ("none", "normal")


def _families(tokens: list, inherited: tuple[str, ...]) -> tuple[str, ...]:
    if _ident(tokens) == "inherit":
        return inherited
    names, current = [], []
    for token in [*tokens, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if current:
                names.append(" ".join(current))
            current = []
        elif token.type in ("string", "ident"):
            current.append(token.value)
    return tuple(names)


def _weight(tokens: list, inherited: int) -> int:
    word = _ident(tokens)
    if word in ("bold", "bolder"):
        return 700
    if word in ("normal", "lighter"):
        return 400
    if len(tokens) == 1 and tokens[0].type == "number":
        return int(tokens[0].value)
    return inherited


def _generated(content: list, quotes: str) -> str:
    """The characters a pseudo-element's ``content`` may show."""
    shown = GENERATED
    for token in content:
        if token.type == "string":
            shown += token.value
        elif token.type == "ident" and token.lower_value.endswith("quote"):
            shown += quotes
    return shown
