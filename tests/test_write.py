"""Outputs appear whole or not at all."""

from __future__ import annotations

import os

import pytest

from pressroom.pipeline.write import link_atomically, write_atomically


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


def test_a_link_shares_the_bytes_and_keeps_them_when_the_output_is_replaced(tmp_path):
    built, linked = tmp_path / "a.pdf", tmp_path / "site" / "a.pdf"
    write_atomically(built, b"first")
    link_atomically(built, linked)
    assert linked.stat().st_ino == built.stat().st_ino  # no copy of the bytes
    write_atomically(built, b"second")  # the build replaces its output
    assert linked.read_bytes() == b"first" and built.read_bytes() == b"second"
    link_atomically(built, linked)
    assert linked.read_bytes() == b"second" and os.listdir(linked.parent) == ["a.pdf"]
    link_atomically(built, linked)  # already a link to it: nothing to do, no temporary left
    assert os.listdir(linked.parent) == ["a.pdf"]


def test_without_links_a_copy(tmp_path, monkeypatch):
    built, linked = tmp_path / "a.pdf", tmp_path / "site" / "a.pdf"
    write_atomically(built, b"first")

    def no_links(source, target):
        raise PermissionError("no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    link_atomically(built, linked)
    assert linked.read_bytes() == b"first" and linked.stat().st_ino != built.stat().st_ino
    assert os.listdir(linked.parent) == ["a.pdf"]
