"""Errors a user can act on: where (file and line), what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass
class Problem:
    """One finding in one file, printed as ``file:line: message (hint)``.

    An error stops that output from being written; a warning is reported and the
    output is written. Every stage reports both the same way.
    """

    path: Path | str
    line: int | None
    message: str
    hint: str = ""
    severity: str = ERROR
    url: str | None = None  # the address a problem is about, located in the source when there is no line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class BuildError(Exception):
    """A build cannot go on; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # crosses process boundaries (render workers) intact
        return (BuildError, (self.problems,))


def warning(path: Path | str, line: int | None, message: str, hint: str = "") -> Problem:
    return Problem(path, line, message, hint, WARNING)


def fail(path: Path | str, line: int | None, message: str, hint: str = "") -> BuildError:
    """Shorthand for ``raise fail(...)`` with a single problem."""
    return BuildError(Problem(path, line, message, hint))


def nearest(word: str, candidates: list[str] | set[str]) -> str | None:
    """The candidate most like ``word``, for 'did you mean' hints."""
    import difflib

    found = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.5)
    return found[0] if found else None


def did_you_mean(word: str, candidates: list[str] | set[str], what: str = "") -> str:
    guess = nearest(word, candidates)
    if guess:
        return f"did you mean '{guess}'?"
    if candidates:
        shown = ", ".join(sorted(candidates)[:12])
        return f"known {what or 'values'}: {shown}"
    return ""
