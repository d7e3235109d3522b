"""pressroom: Markdown + BibTeX -> branded, print-quality PDF publications.

Stages, one module each, data flowing one way:
``load`` (front-matter, body) -> ``transform`` (pandoc + filters) ->
``layout`` (Jinja) -> ``render`` (WeasyPrint) -> ``write`` (atomic).
"""

from .errors import BuildError

__all__ = ["BuildError", "build"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use, so that `build.py` can start its render workers
    # before Jinja, PyYAML and friends are imported.
    if name == "build":
        from .pipeline import build

        return build
    raise AttributeError(name)
