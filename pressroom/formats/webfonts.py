"""Self-hosted WOFF2 subsets of the brand's fonts for the web edition (HarfBuzz, fontTools, brotli).

A page gets the faces it shows, each cut down to the characters it draws (``fontuse``
follows the stylesheet to tell which face draws which character): one file per slice
of an alphabet (Latin with its punctuation, Cyrillic...: an edit rarely changes a
subset, files are shared by every page, and a browser fetches only the slices a page
shows, by ``unicode-range``), the page's own characters for CJK (a whole CJK face is
20 MB) and the arrows. Each subset is named by a digest of its font and characters, kept
in ``build/.cache/webfonts`` and copied into ``site/fonts/``: a page whose text did not
gain a character reuses the files it had.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from pressroom.formats.fontuse import GENERIC, Style
from pressroom.pipeline.write import write_atomically
from pressroom.source.glyphs import code_point_ranges


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    style: str  # normal | italic
    pattern: str  # for fc-match
    cjk: bool = False
    # Cut by alphabet slices, shared by every page that shows one of their characters; or to the
    # page's own characters, for a face that draws few of a page's characters from a large set
    # (CJK; the arrows of Noto Sans Math: one arrow, not the 100 of its block).
    sliced: bool = True


# The faces styles/web.css asks for.
FACES = (
    Face("Noto Serif", 400, "normal", "Noto Serif:style=Regular"),
    Face("Noto Serif", 400, "italic", "Noto Serif:style=Italic"),
    Face("Noto Serif", 700, "normal", "Noto Serif:style=Bold"),
    Face("Noto Serif", 700, "italic", "Noto Serif:style=Bold Italic"),
    Face("Noto Sans", 400, "normal", "Noto Sans:style=Regular"),
    Face("Noto Sans", 700, "normal", "Noto Sans:style=Bold"),
    Face("Noto Sans", 700, "italic", "Noto Sans:style=Bold Italic"),
    # Two CJK faces only (text and display): cutting a CJK face takes seconds, not milliseconds.
    Face("Noto Serif CJK SC", 400, "normal", "Noto Serif CJK SC:style=Regular", cjk=True, sliced=False),
    Face("Noto Sans CJK SC", 700, "normal", "Noto Sans CJK SC:style=Bold", cjk=True, sliced=False),
    # Arrows (the end-notes' back-links): neither Noto Serif nor Noto Sans has them.
    Face("Noto Sans Math", 400, "normal", "Noto Sans Math:style=Regular", sliced=False),
)

# Slices of the alphabets, each taken whole when a page uses one of its characters (as Google
# Fonts cuts its fonts). Basic Latin, Latin-1 and the general punctuation make one slice: every
# page shows them (the language switcher's "Français" and "Español" too), and one file cut from
# them is 13% smaller and a third quicker to make than three. Cyrillic in two: the letters of
# Russian, Ukrainian (but Ґ), Bulgarian, Serbian..., then the rest (a language switcher's
# "Русский" on every page then costs a sixth of the block's glyphs).
SLICES = (
    ((0x0020, 0x007F), (0x00A0, 0x00FF), (0x2000, 0x206F)),
    *(((low, high),) for low, high in (
        (0x0100, 0x017F), (0x0180, 0x024F), (0x0250, 0x02FF), (0x0300, 0x036F), (0x0370, 0x03FF),
        (0x0400, 0x045F), (0x0460, 0x04FF), (0x0500, 0x052F), (0x1E00, 0x1EFF), (0x2070, 0x209F),
        (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF))),
)

# OpenType features HarfBuzz keeps by default that a browser applies only when a stylesheet asks
# (font-variant-numeric: diagonal-fractions); ours never does. Without them a Latin slice has 20
# glyphs fewer (the numerators and denominators).
UNUSED_FEATURES = ("frac", "numr", "dnom")


def is_cjk(code: int) -> bool:
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or code >= 0x20000


@dataclass(frozen=True)
class Subset:
    face: Face
    file: str  # name under site/fonts/
    ranges: str  # the CSS unicode-range


@cache
def _installed() -> dict[tuple[str, str], tuple[Path, int]]:
    """(family, style) -> (file, index in a collection) of every installed face (one fc-list)."""
    listing = subprocess.run(["fc-list", "--format", "%{family}|%{style}|%{file}|%{index}\n"],
                             capture_output=True, text=True, check=True).stdout
    found: dict[tuple[str, str], tuple[Path, int]] = {}
    for line in listing.splitlines():
        families, styles, file, index = (line.split("|") + ["", "", "", "0"])[:4]
        for family in families.split(","):
            for style in styles.split(","):
                found.setdefault((family, style), (Path(file), int(index or 0)))
    return found


def face_file(face: Face) -> tuple[Path, int]:
    """The font file (and its index in a collection) of ``face``, as fontconfig knows it."""
    family, _, style = face.pattern.partition(":style=")
    try:
        return _installed()[(family, style)]
    except KeyError:
        from pressroom.errors import fail

        raise fail("styles/web.css", None, f"font not installed: {family} {style}",
                   "run 'make' (it installs the fonts the stylesheets use)") from None


def pieces(codes: set[int], face: Face) -> list[set[int]]:
    """The code points of each file ``face`` needs to draw ``codes`` (characters it draws): for
    an alphabet, one file per slice used (the same for every page that uses the slice) plus one
    for the characters outside the slices; for a face not ``sliced``, the page's own characters."""
    if not codes:
        return []
    if not face.sliced:
        return [codes]
    slices = [{c for low, high in ranges for c in range(low, high + 1)} for ranges in SLICES
              if any(low <= c <= high for low, high in ranges for c in codes)]
    rest = codes.difference(*slices)
    return slices + ([rest] if rest else [])


def subsets(html: str, css: str, cache_dir: Path, fonts_dir: Path) -> list[Subset]:
    """The subsets of every face the page ``html`` shows with the stylesheet ``css``, written to
    ``fonts_dir`` (reused from ``cache_dir``)."""
    from pressroom.formats.fontuse import characters_by_face

    drawn = characters_by_face(html, css, choose_face)
    result = []
    for face in FACES:
        for codes in pieces(drawn.get(face, set()), face):
            if codes := {code for code in codes if draws(face, code)}:
                result.append(_subset_file(face, codes, cache_dir, fonts_dir))
    return result


def choose_face(style: Style, code: int) -> Face | None:
    """The face a browser draws ``code`` with in ``style``: the first family of the list with a
    face of ours that has the character (None: a generic family, the reader's own fonts)."""
    for family in style.families:
        if family.lower() in GENERIC:
            return None
        face = _closest(family, style.weight, style.italic)
        if face is not None and draws(face, code):
            return face
    return None


@cache
def _closest(family: str, weight: int, italic: bool) -> Face | None:
    """CSS Fonts' matching among the faces of ``family``: the wanted style if the family has it,
    then the nearest weight (for 500 or less: lighter ones first, then heavier; for more:
    heavier ones first, then lighter)."""
    faces = [face for face in FACES if face.family == family]
    faces = [face for face in faces if face.style == ("italic" if italic else "normal")] or faces

    def distance(face: Face) -> tuple[int, int]:
        if weight <= 500:
            return (0, weight - face.weight) if face.weight <= weight else (1, face.weight)
        return (0, face.weight) if face.weight >= weight else (1, -face.weight)
    return min(faces, key=distance, default=None)


def draws(face: Face, code: int) -> bool:
    """Whether ``face`` draws ``code`` on the site: its font has it, and a CJK face draws CJK
    ideographs and punctuation only, the others none of them (Latin in Chinese text is set in
    Noto Serif, as in the PDF)."""
    return is_cjk(code) == face.cjk and code in _font_codes(face)


@cache
def _font_codes(face: Face) -> set[int]:
    import uharfbuzz as hb

    path, index = face_file(face)
    return hb.Face(hb.Blob.from_file_path(str(path)), index).unicodes


def _subset_file(face: Face, codes: set[int], cache_dir: Path, fonts_dir: Path) -> Subset:
    path, index = face_file(face)
    stamp = f"{path}|{index}|{path.stat().st_mtime_ns}|{_cutting()}|{sorted(codes)}"
    name = f"{face.family.replace(' ', '')}-{face.weight}{face.style[0]}-" \
           f"{hashlib.sha256(stamp.encode()).hexdigest()[:12]}.woff2"
    cached = cache_dir / name
    if not cached.exists():
        quality = CJK_BROTLI_QUALITY if face.cjk else BROTLI_QUALITY
        write_atomically(cached, _woff2(_cut(path, index, codes), quality), durable=False)
    target = fonts_dir / name
    if not target.exists():
        fonts_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
    return Subset(face, name, unicode_range(codes))


def _cut(path: Path, index: int, codes: set[int]) -> bytes:
    """The face cut down to ``codes``, as a font file, by HarfBuzz (milliseconds, where fontTools
    takes seconds on a CJK face)."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    for code in codes:
        wanted.unicode_set.add(code)
    wanted.flags = hb.SubsetFlags.NO_HINTING  # screens of today do not use it; a third smaller
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for tag in UNUSED_FEATURES:
        features.remove(int.from_bytes(tag.encode("ascii"), "big"))
    return bytes(hb.subset(hb.Face(hb.Blob.from_file_path(str(path)), index), wanted).blob.data)


def _woff2(font_file: bytes, quality: int) -> bytes:
    """``font_file`` as WOFF2, by fontTools (brotli at ``quality``); the same bytes for the same
    font (the font's modification date kept)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file), recalcTimestamp=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    with _woff2_writer(quality):
        font.save(out)
    return out.getvalue()


# Brotli's quality for the WOFF2 files, with a window fitted to each file (below). Measured on
# the 20 subsets the samples' site is cut into: for the 14 of the alphabets, 10 takes 0.36 s for
# 118.4 kB, 9 takes 0.22 s for 123.1 kB (+4%, 2-3 kB a page), 11 (fontTools' own) 0.49 s for
# 117.6 kB. Readers download the files on every visit, the build cuts them once: measured in
# Chromium, 8 of the samples' 9 kinds of page still download 8-37% less than when each Unicode
# block was a file of its own and every file was cut at 10 (the English case study 12% more:
# Latin-1 in faces it sets English in), and the slices are shared by every page.
BROTLI_QUALITY = 9
# The 6 CJK subsets (CFF glyphs, not transformed): 10 takes 0.84 s for 427 kB, 9 takes 0.09 s
# for 458 kB, 8 takes 0.035 s for 465 kB (+1.5%). A CJK subset is cut again whenever an edit
# adds a character to its page, an alphabet slice almost never.
CJK_BROTLI_QUALITY = 8


def _window_bits(size: int) -> int:
    """Brotli's window for ``size`` bytes: the smallest that holds them (10 to 24 bits). At
    quality 9 the encoder prepares tables for its whole window, 4 MB by default: fitted, the
    samples' subsets take 0.31 s instead of 0.50 s, for the same bytes."""
    return max(10, min(24, (size - 1).bit_length()))


@contextmanager
def _woff2_writer(quality: int) -> Iterator[None]:
    """fontTools' WOFF2 writer, while the block runs, compressing with ``quality`` and a fitted
    window (it calls ``brotli.compress`` with the defaults, 11 and 4 MB, and has no option for
    them), and taking each glyph's bounds from its coordinates' own method: the writer's
    generic one walks them point by point, 12% of the time the samples' subsets take (the same
    bounds, the same bytes)."""
    from fontTools.ttLib import woff2
    from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

    with _WOFF2_PATCHED:  # the module's names are the process's: one block at a time
        module, bounds = woff2.brotli, woff2.calcIntBounds

        def compress(data: bytes, **options: object) -> bytes:
            return module.compress(data, **{**options, "quality": quality, "lgwin": _window_bits(len(data))})

        def int_bounds(points, *args):
            return points.calcIntBounds(*args) if isinstance(points, GlyphCoordinates) else bounds(points, *args)

        # brotli as it is but for compress (decompress stays: a WOFF2 font read meanwhile)
        woff2.brotli = SimpleNamespace(**{**{name: getattr(module, name) for name in dir(module)
                                             if not name.startswith("__")}, "compress": compress})
        woff2.calcIntBounds = int_bounds
        try:
            yield
        finally:
            woff2.brotli, woff2.calcIntBounds = module, bounds


_WOFF2_PATCHED = threading.RLock()


def unicode_range(codes: set[int]) -> str:
    """Code points as a compact CSS unicode-range: U+20-7F, U+4E2D, ..."""
    return ", ".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}" for low, high in code_point_ranges(codes))


def font_faces(found: list[Subset], prefix: str) -> str:
    """The @font-face rules of ``found``, with URLs relative to the stylesheet (``prefix``: to site/)."""
    rules = []
    for item in found:
        face = item.face
        rules.append(f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                     f"font-style: {face.style}; font-display: swap; "
                     f'src: url("{prefix}fonts/{item.file}") format("woff2"); unicode-range: {item.ranges}; }}')
    return "\n".join(rules) + "\n"


def fonts_stamp() -> str:
    """What a page's font rules are made from besides the page and the stylesheet: the font
    files (with their modification times), how they are cut, and how a face is chosen for each
    character (``fontuse``)."""
    files = "|".join(f"{path}:{path.stat().st_mtime_ns}" for path in font_paths())
    return f"{files}|{_cutting()}|{_digest(Path(__file__).with_name('fontuse.py'))}"


@cache
def _cutting() -> str:
    """How the subsets are cut: this module's code (slices, features, qualities) and the versions
    of the libraries that cut and compress them. A subset made otherwise has another name."""
    import brotli
    import fontTools
    import uharfbuzz  # imported to cut the subsets anyway; their versions cost nothing then

    return f"{_digest(Path(__file__))}|fontTools {fontTools.version}|uharfbuzz {uharfbuzz.__version__}|" \
           f"brotli {brotli.__version__}"


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def font_paths() -> list[Path]:
    """Every font file the faces come from (for dependency files)."""
    return sorted({face_file(face)[0] for face in FACES})
