"""The fast-loading copies in the user's cache: old copies of a kind are pruned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bitext import derived


def _copy(root: Path, name: str, age_s: int) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(b"x")
    t = 1_700_000_000 - age_s
    os.utime(folder, (t, t))
    return folder


def test_writing_a_copy_keeps_the_copies_of_its_kind_used_last(tmp_path: Path) -> None:
    """Every upgrade or checkout wrote new copies and none was ever removed
    (18 dictionary copies of 7 MB and 8 model copies of 85 MB in one cache)."""
    old = [_copy(tmp_path, f"cedict-{n:016x}", age_s=100 * n) for n in range(1, 6)]
    other_kind = _copy(tmp_path, f"jieba-{9:016x}", age_s=10_000)
    not_a_copy = _copy(tmp_path, "notes", age_s=10_000)
    derived.used(old[4])  # the oldest, marked used by a process that loaded it now
    derived.write(tmp_path / f"cedict-{0xabc:016x}" / "data.bin", lambda fh: fh.write(b"y"))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted([f"cedict-{0xabc:016x}", old[4].name, old[0].name,
                           other_kind.name, not_a_copy.name])
    assert len([k for k in kept if k.startswith("cedict-")]) == derived.KEEP


def test_a_copy_outside_the_naming_scheme_prunes_nothing(tmp_path: Path) -> None:
    olds = [_copy(tmp_path, f"cedict-{n:016x}", age_s=100 * n) for n in range(1, 6)]
    derived.write(tmp_path / "elsewhere" / "data.bin", lambda fh: fh.write(b"y"))
    assert all(p.exists() for p in olds)


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The XDG spec: a relative path in XDG_CACHE_HOME is invalid and ignored. Used,
    it made a cache folder inside whatever folder the command ran in (an input
    corpus); a home that is no absolute path (no HOME, no passwd entry: '~') too."""
    monkeypatch.delenv("BITEXT_MODEL_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    assert derived.cache_root() == tmp_path / ".cache" / "bitext" / "models"
    monkeypatch.setenv("HOME", "relative-home")
    assert derived.cache_root() is None
