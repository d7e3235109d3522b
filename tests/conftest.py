from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from pressroom import build  # noqa: E402

PROJECT_FILES = ["templates", "styles", "locales", "project.yaml", "brand.yaml", "references.bib"]


def make_project(target: Path, bib: Path | None = None) -> Path:
    """A project folder with our templates, styles and brand, and an empty content/."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    if bib is not None:
        shutil.copy(bib, target / "references.bib")
    (target / "content").mkdir()
    return target


def build_fixture(target: Path, fixture: Path) -> Path:
    """Build a publication written by someone else (tests/fixtures/...) with no change; its PDF."""
    project = make_project(target, bib=fixture / "references.bib")
    shutil.copytree(fixture / "content", project / "content", dirs_exist_ok=True)
    report = build(project, say=quiet)
    assert report.ok and not report.warnings, (report.failed, report.warnings)
    return report.built[0]


def write(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def quiet(_: str) -> None:
    pass


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bundled sample publication, built once for the whole session."""
    out = tmp_path_factory.mktemp("sample-build")
    report = build(ROOT, build_dir=out, say=quiet)
    assert report.ok, "\n".join(map(str, report.failed))
    assert not report.warnings, report.warnings
    return out
