"""Missing-glyph check before rendering.

WeasyPrint draws an empty box for a character no font covers and only logs a
warning. We check every character of the content (and of the words the
templates print) against the font families named in the stylesheets, using
the fonts' character maps, and report file, line, character and code point.

Loading a CJK font's map takes a few hundred milliseconds, so families are
consulted in order and only for characters the earlier ones lack, and the maps
are cached on disk (keyed by font file, size and date).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.errors import Problem, fail
from pressroom.pipeline.write import write_atomically

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "inherit", "initial", "unset"}
_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def stylesheet_families(styles: Path) -> list[str]:
    """Font families named in the stylesheets, in order of first appearance."""
    families: list[str] = []
    for css in sorted(styles.rglob("*.css")):
        for declaration in _FAMILY.findall(css.read_text(encoding="utf-8")):
            for name in declaration.split(","):
                name = name.strip().strip("\"'")
                if name and name.lower() not in GENERIC and name not in families:
                    families.append(name)
    return families


def _installed_fonts() -> dict[str, Path]:
    """Family name -> file of its regular face (or any face), as fontconfig knows them."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{family}|%{style}|%{file}\n"],
                                 capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, tuple[bool, Path]] = {}
    for line in listing.splitlines():
        families, styles, file = (line.split("|") + ["", ""])[:3]
        regular = "Regular" in styles.split(",")
        for family in families.split(","):
            if family not in found or (regular and not found[family][0]):
                found[family] = (regular, Path(file))
    return {family: path for family, (_, path) in found.items()}


@dataclass
class Coverage:
    """Which characters the stylesheets' fonts can draw."""

    families: list[str]
    cache_dir: Path
    _files: dict[str, Path] = field(default_factory=dict)
    _maps: dict[str, frozenset[int]] = field(default_factory=dict)
    _known: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        installed = _installed_fonts()
        missing = [f for f in self.families if f not in installed]
        if missing:
            raise fail("styles/", None, f"font family not installed: {', '.join(missing)}",
                       "run 'make' (it installs the fonts the stylesheets use)")
        self._files = {f: installed[f] for f in self.families}

    def font_files(self) -> list[Path]:
        return list(self._files.values())

    def covers(self, char: str) -> bool:
        if char not in self._known:
            point = ord(char)
            self._known[char] = any(point in self._map(family) for family in self.families)
        return self._known[char]

    def _map(self, family: str) -> frozenset[int]:
        if family not in self._maps:
            self._maps[family] = _cached_cmap(self._files[family], self.cache_dir)
        return self._maps[family]


def _cached_cmap(path: Path, cache_dir: Path) -> frozenset[int]:
    stat = path.stat()
    cache = cache_dir / f"cmap-{path.name}-{stat.st_size}-{int(stat.st_mtime)}.json"
    try:
        ranges = json.loads(cache.read_text())
    except (OSError, ValueError):
        ranges = code_point_ranges(_read_cmap(path))
        write_atomically(cache, json.dumps(ranges).encode())
    return frozenset(point for start, end in ranges for point in range(start, end + 1))


def _read_cmap(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    number = 0 if path.suffix.lower() in (".ttc", ".otc") else -1
    with TTFont(path, fontNumber=number, lazy=True) as font:
        return set(font.getBestCmap())


def code_point_ranges(points: set[int]) -> list[list[int]]:
    """Code points as runs [first, last], in order."""
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


def missing_glyphs(text: str, shown: str, coverage: Coverage, first_line: int = 1) -> list[Problem]:
    """One problem per character (per line) that no stylesheet font can draw."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for char in dict.fromkeys(line):
            if unicodedata.category(char) in _INVISIBLE or 0xFE00 <= ord(char) <= 0xFE0F:
                continue
            if not coverage.covers(char):
                name = unicodedata.name(char, "unnamed character")
                problems.append(Problem(shown, number, f"character '{char}' (U+{ord(char):04X} {name}) "
                                        "is in none of the fonts the stylesheets use",
                                        "replace or remove it, or add a font for its script to the "
                                        f"{len(coverage.families)} font families chained in styles/*.css"))
    return problems
