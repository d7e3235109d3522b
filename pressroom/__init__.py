"""pressroom: Markdown + BibTeX -> branded, print-quality PDF publications.

The folders follow the data, one way:
``project`` (configuration) -> ``source`` (a content file, its bibliography) ->
``convert`` (pandoc + filters, Jinja) -> ``formats`` (the registry of outputs and their
renderers) -> ``pipeline`` (editions x outputs, dependency files, atomic writes).
Beside them: ``translation`` (status, QA, translator files) and ``devtools``
(preview, proof).
"""

from pressroom.errors import BuildError

__all__ = ["BuildError", "build"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use, so that `build.py` can start its render workers
    # before Jinja, PyYAML and friends are imported.
    if name == "build":
        from pressroom.pipeline.build import build

        return build
    raise AttributeError(name)
