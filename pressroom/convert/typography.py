"""Typography of the composed page that depends on the language, in one place for every text.

French puts a narrow no-break space (U+202F) before ; : ! ? % and » and after «. The rule is
applied to the text of the whole composed page (body from pandoc, front-matter words and
locale words from the templates alike), never inside tags, code or style (text that goes into a stylesheet,
such as a running head, is set with :func:`typeset_text`).
"""

from __future__ import annotations

import re

# A space (ordinary or no-break) the author typed where French wants a narrow no-break one.
_FRENCH_SPACE = re.compile(r"[ \u00a0](?=[;:!?%»])|(?<=«)[ \u00a0]")
# Markup, and elements whose text is not prose: left exactly as they are.
_NOT_PROSE = re.compile(r"<(code|pre|kbd|samp|script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)


def french_spacing(text: str) -> str:
    """``text`` (plain text) with French spacing."""
    return _FRENCH_SPACE.sub("\u202f", text)


def typeset_text(text: str, lang: str) -> str:
    """Plain ``text`` (e.g. a CSS string of a running head) with the typography of ``lang``."""
    return french_spacing(text) if lang.lower().startswith("fr") else text


def typeset_html(html: str, lang: str) -> str:
    """``html`` with the typography of ``lang`` applied to its prose text."""
    if not lang.lower().startswith("fr"):
        return html
    out, last = [], 0
    for markup in _NOT_PROSE.finditer(html):
        out += [french_spacing(html[last:markup.start()]), markup.group(0)]
        last = markup.end()
    out.append(french_spacing(html[last:]))
    return "".join(out)
