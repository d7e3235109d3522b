"""What each output was built from, written as make rules (like a compiler's ``-MD``).

``build/.deps/<variant>/<lang>/<slug>.d`` (one per output) lists the content file, the templates, every
file the renderer loaded (stylesheets, images, logos), fonts, brand and locale
files, the code, and one file per bibliography entry cited:
``build/.bib/<key>.entry``, rewritten only when that entry's text changes, so
editing one entry rebuilds only the publications that cite it.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from pressroom.convert.layout import templates_used
from pressroom.formats import Output
from pressroom.pipeline.write import write_atomically
from pressroom.project.config import Project
from pressroom.source.bibliography import Bibliography

PACKAGE = Path(__file__).parents[1]
BIB_DIR = Path(".bib")
SPLIT_STAMP = ".split"


@cache
def code_files() -> list[Path]:
    """The package's code (listed once a process: every output's rule names it)."""
    return sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.lua"))


def write_dependencies(project: Project, output: Output, out_dir: Path,
                       used_files: tuple[Path, ...], fonts: list[Path], template: str | None = None) -> None:
    """``build/.deps/<variant>/<lang>/<slug>.d``: one rule for one output (made with ``template``,
    by default the type's)."""
    root = project.root
    pub = output.edition
    keys = sorted(set(pub.markdown().citations()))
    files = [pub.path, *templates_used(project, template or f"{pub.type}.html"), *used_files,
             root / "brand.yaml", root / project.locale(pub.lang).path, root / "styles/csl/house-notes.csl",
             *fonts, *code_files()]
    files += [out_dir / BIB_DIR / f"{key}.entry" for key in keys]
    names = [_make_name(root, f) for f in dict.fromkeys(files)]
    rule = f"{_make_name(root, output.path(out_dir))}: \\\n  " + " \\\n  ".join(names) + "\n"
    # Like gcc -MP: a file that disappears makes the output outdated instead of stopping make.
    rule += "".join(f"\n{name}:" for name in names if not name.startswith("build/")) + "\n"
    write_atomically(output.deps_path(out_dir), rule.encode("utf-8"))


def split_bibliography(bib: Bibliography, out_dir: Path) -> int:
    """One file per entry; only entries whose text changed are rewritten. Returns how many were."""
    folder = out_dir / BIB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for key, text in bib.raw.items():
        target = folder / f"{key}.entry"
        data = text.strip().encode("utf-8") + b"\n"
        if not target.exists() or target.read_bytes() != data:
            write_atomically(target, data)
            changed += 1
    for stale in folder.glob("*.entry"):
        if stale.stem not in bib.raw:
            stale.unlink()
    (folder / SPLIT_STAMP).touch()
    return changed


@lru_cache(maxsize=4096)
def _make_name(root: Path, path: Path) -> str:
    """``path`` as make names it (relative to the project; the code, fonts and templates are
    named in every output's rule, each resolved once)."""
    path = path.resolve() if path.is_absolute() else path
    try:
        text = str(path.relative_to(root))
    except ValueError:
        text = str(path)
    return text.replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")
