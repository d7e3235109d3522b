"""Reading user files: UTF-8 (with or without BOM), any line ending, clear errors."""

from __future__ import annotations

from pathlib import Path

from pressroom.errors import fail


def read_text(path: Path, shown_as: str | Path | None = None) -> str:
    name = shown_as or path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(name, None, "file not found") from None
    except OSError as error:
        raise fail(name, None, f"cannot read file: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise fail(name, line, f"not valid UTF-8 (byte {error.start}: {raw[error.start]:#04x})",
                   "save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
