"""The persistent embedding cache: keyed by model and text, shared by processes."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from bitext.align.encoders import CachedEncoder
from bitext.cache import EmbeddingStore, attach


class CountingEncoder(CachedEncoder):
    """A stand-in model (test double): a vector from the text's characters."""

    name = "counting"
    dim = 4

    def __init__(self) -> None:
        super().__init__()
        self.model_calls = 0

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.model_calls += len(texts)
        return np.array([[len(t), ord(t[0]), ord(t[-1]), 1.0] for t in texts], dtype=np.float32)


def test_second_encoder_reads_the_cache(tmp_path: Path) -> None:
    first = CountingEncoder()
    attach(first, tmp_path)
    a = first.encode(["一。", "The report.", "一。"])
    assert first.model_calls == 2
    second = CountingEncoder()
    store = attach(second, tmp_path)
    b = second.encode(["The report.", "一。", "new"])
    assert second.model_calls == 1  # only "new"
    assert store is not None and store.hits == 2
    assert np.array_equal(a[1], b[0]) and np.array_equal(a[0], b[1])


def test_models_do_not_share_vectors(tmp_path: Path) -> None:
    store = EmbeddingStore(tmp_path)
    store.put("m1|4|", ["x"], np.ones((1, 4), dtype=np.float32))
    assert store.get("m2|4|", ["x"], 4) == {}
    assert list(store.get("m1|4|", ["x", "y", "x"], 4)) == [0, 2]


def _writer(folder: str, start: int) -> None:
    store = EmbeddingStore(folder)
    for k in range(start, start + 50):
        store.put("m", [f"text {k}"], np.full((1, 4), k, dtype=np.float32))


def test_several_processes_write_one_cache(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), s)) for s in (0, 25, 50)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    found = EmbeddingStore(tmp_path).get("m", [f"text {k}" for k in range(100)], 4)
    assert len(found) == 100 and found[77][0] == 77


def _opener(folder: str, barrier: object, errors: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        EmbeddingStore(folder).put("m", ["x"], np.ones((1, 4), dtype=np.float32))
    except Exception as err:  # reported to the parent
        errors.put(repr(err))  # type: ignore[attr-defined]


def test_processes_opening_a_new_cache_at_once_all_get_it(tmp_path: Path) -> None:
    """Workers started together open the same new cache file at the same moment:
    switching a new file to WAL needs a lock that SQLite's busy handler does not
    always wait for, and a worker used to fail with "database is locked" (seen in
    CI). Each of them must wait its turn instead."""
    ctx = multiprocessing.get_context("spawn")
    for attempt in range(4):
        folder = tmp_path / str(attempt)
        barrier = ctx.Barrier(6)
        errors = ctx.Queue()
        procs = [ctx.Process(target=_opener, args=(str(folder), barrier, errors))
                 for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        failures = []
        while not errors.empty():
            failures.append(errors.get())
        assert failures == [] and [p.exitcode for p in procs] == [0] * 6


def test_a_cache_damaged_inside_is_left_with_a_warning(tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """A cache whose header is intact but whose pages are not (a disk error, a
    copy cut short) opens without complaint and fails at the first lookup: the
    run goes on without it, embedding everything itself, and says how to fix it."""
    import os

    first = CountingEncoder()
    attach(first, tmp_path)
    texts = [f"Sentence number {k} of the report." for k in range(2000)]
    first.encode(texts)
    first._store.close()
    path = tmp_path / "embeddings.sqlite"
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 12
    data[4096 * 2:4096 * 12] = os.urandom(4096 * 10)
    path.write_bytes(bytes(data))
    second = CountingEncoder()
    attach(second, tmp_path)
    with caplog.at_level(logging.WARNING):
        got = second.encode(texts[:5])
    assert second.model_calls == 5
    assert got.shape == (5, 4)
    assert "embeddings.sqlite" in caplog.text and "delete" in caplog.text


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_pipe_or_folder_where_the_cache_file_goes_is_one_error(
        tmp_path: Path, suffix: str, kind: str, odd_file: Callable[[Path, str], str]) -> None:
    """A FIFO or a folder as --cache DIR's embeddings.sqlite (or its -wal or -shm
    file) gave SQLite's 'disk I/O error' or 'unable to open database file' and
    'give a writable folder' (the folder was writable); beside a -shm FIFO a new
    embeddings.sqlite was left. Now an Error names the file, what it is and what
    to do, and nothing in the folder is made or removed."""
    from bitext.errors import ConfigError

    odd = tmp_path / f"embeddings.sqlite{suffix}"
    expected = odd_file(odd, kind)
    with pytest.raises(ConfigError, match=rf"embeddings\.sqlite{suffix}: is {expected}.*remove"):
        EmbeddingStore(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name]


def test_a_cache_on_a_full_disk_is_not_called_damaged(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """--cache on a full disk (a 1 MB tmpfs: 'database or disk is full') said to
    delete the file to start a new cache: every vector cached so far lost, and
    the disk still full. The warning now says the disk is full and to free
    space or give --cache another folder; the file is whole (its vectors kept).
    SQLite's max_page_count stands in for the disk: the same SQLITE_FULL."""
    import bitext.cache

    real = bitext.cache._open

    def small(path: Path) -> object:
        db = real(path)
        db.execute("PRAGMA max_page_count=8")  # 32 KB of 4 KB pages
        return db

    monkeypatch.setattr(bitext.cache, "_open", small)
    encoder = CountingEncoder()
    attach(encoder, tmp_path)
    texts = [f"Sentence number {k} of the report, long enough to fill pages." for k in range(5000)]
    with caplog.at_level(logging.WARNING):
        got = encoder.encode(texts)
    assert got.shape == (5000, 4) and encoder.model_calls == 5000
    assert "full" in caplog.text and "free some space" in caplog.text, caplog.text
    assert "delete" not in caplog.text, caplog.text


@pytest.mark.parametrize("damage", ["text", "cut in half"])
def test_a_cache_file_that_is_no_database_says_so(tmp_path: Path, damage: str) -> None:
    """An embeddings.sqlite that is not a database (another program's file) or
    is cut in half ('database disk image is malformed' at the open) said
    'give a writable folder to --cache' of a folder that was writable. The
    Error names the file, what is wrong, and how to start anew; the file is
    left as it was."""
    from bitext.errors import ConfigError

    path = tmp_path / "embeddings.sqlite"
    if damage == "text":
        path.write_bytes(b"hello\n" * 100)
    else:
        first = CountingEncoder()
        attach(first, tmp_path)
        first.encode([f"Sentence number {k} of the report." for k in range(3000)])
        first._store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        first._store.close()
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    with pytest.raises(ConfigError) as err:
        EmbeddingStore(tmp_path)
    msg = str(err.value)
    assert str(path) in msg and "writable" not in msg, msg
    assert "not a whole SQLite database" in msg and "delete it" in msg, msg
    assert path.read_bytes() == before


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_a_cached_vector_of_the_right_size_but_not_finite_is_embedded_again(
        tmp_path: Path, value: float) -> None:
    """A damaged entry keeps its size (SQLite checks no page's bytes): a vector
    holding NaN or an infinity (bits flipped in a float's exponent) has no
    cosine with anything; it was taken, and its sentence's similarities were NaN
    for the alignment to decide on. Such an entry is a miss: the text is
    embedded again (reliab23, session 26)."""
    first = CountingEncoder()
    store = attach(first, tmp_path)
    assert store is not None
    store.put("counting|4|", ["The report."], np.full((1, 4), value, dtype=np.float32))
    got = first.encode(["The report."])
    assert first.model_calls == 1
    assert np.isfinite(got).all() and np.linalg.norm(got[0]) == pytest.approx(1)
