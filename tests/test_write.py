"""Outputs appear whole or not at all."""

from __future__ import annotations

import os

import pytest

from pressroom.pipeline.write import write_atomically


def test_new_content_replaces_old(tmp_path):
    target = tmp_path / "out" / "a.pdf"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["a.pdf"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_interrupted_write_keeps_previous_file_and_no_temporary(tmp_path, monkeypatch, interruption):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"previous")

    def fail_on_sync(fd):
        raise interruption("stopped while writing")

    monkeypatch.setattr(os, "fsync", fail_on_sync)
    with pytest.raises(interruption):
        write_atomically(target, b"new but never finished")
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["a.pdf"]
