"""Stage 5, write: outputs appear whole or not at all."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

SUFFIX = ".part"


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    A reader (or a crash, or Ctrl-C) sees either the previous file or the new
    one, never a half-written file. The temporary file is removed on any error;
    its name carries our process id, so that one left by a killed process can be
    recognised and removed by the next build (:func:`remove_stale_temporaries`).
    ``durable``: the data reaches the disk before the rename (so a power cut cannot
    leave an empty file); caches, which are made again when lost, go without it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_temporary_prefix(path), suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def link_atomically(source: Path, path: Path) -> None:
    """``path`` becomes a hard link to ``source`` (the same bytes, not a copy of them), by a rename
    as in :func:`write_atomically`; a copy where the file system has no links. Only for a
    ``source`` that is replaced by a rename, never rewritten in place (a build's output): the
    link keeps the bytes it was made with."""
    if path.exists() and os.path.samefile(source, path):
        return  # a rename onto another link to the same file does nothing (and would leave the temporary)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{_temporary_prefix(path)}{secrets.token_hex(4)}{SUFFIX}")
    try:
        os.link(source, temporary)  # fails if the name is taken: never overwrites
    except OSError:
        write_atomically(path, source.read_bytes())
        return
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_prefix(path: Path) -> str:
    """How a temporary file for ``path`` is named: hidden, with our process id (read back by
    :func:`remove_stale_temporaries`)."""
    return f".{path.name}.{os.getpid()}."


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files left by processes that were killed (never those of a running build)."""
    for leftover in folder.glob(f".*{SUFFIX}"):
        try:
            pid = int(leftover.name.rsplit(".", 3)[-3])
        except (ValueError, IndexError):
            continue
        if not _alive(pid):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
