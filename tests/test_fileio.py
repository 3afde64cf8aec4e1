"""Atomic output: nothing is left behind on failure, and files get the usual mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bitext.fileio import atomic_write


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("crash")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.tmx"]


def test_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_gzip_by_extension(tmp_path: Path) -> None:
    import gzip

    with atomic_write(tmp_path / "a.txt.gz") as fh:
        fh.write("héllo\n")
    assert gzip.decompress((tmp_path / "a.txt.gz").read_bytes()).decode("utf-8") == "héllo\n"
