"""pressroom: Markdown + BibTeX -> branded, print-quality PDF publications.

Stages, one module each, data flowing one way:
``load`` (front-matter, body) -> ``transform`` (pandoc + filters) ->
``layout`` (Jinja) -> ``render`` (WeasyPrint) -> ``write`` (atomic).
"""

from .build import build
from .errors import BuildError

__all__ = ["BuildError", "build"]
__version__ = "0.1.0"
