"""A persistent embedding cache shared by runs and worker processes.

``--cache DIR`` keeps every sentence vector in ``DIR/embeddings.sqlite``, keyed
by the model and a hash of the text, so that a rerun with other alignment
settings, or a document repeating sentences of another (UN documents quote
each other's paragraphs), does not embed them again.

SQLite in WAL mode lets many processes read while one writes; a writer waits
(``busy_timeout``) instead of failing, so the local pool's workers and Ray
actors on one machine can share a cache. Vectors are stored as the float32
bytes the encoder produced, so cached and fresh runs give identical outputs.
"""

from __future__ import annotations

import hashlib
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bitext.errors import ConfigError

log = logging.getLogger(__name__)

FILE_NAME = "embeddings.sqlite"

#: How long a process waits for another one's write before giving up (ms): a
#: write of one batch takes milliseconds, so a minute means something is stuck.
_BUSY_TIMEOUT_MS = 60_000

#: Texts looked up per SELECT (SQLite's default limit on bound variables is 32,766).
_LOOKUP_CHUNK = 500


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _busy(err: sqlite3.Error) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _open(path: Path) -> sqlite3.Connection:
    """A connection to the cache file, in WAL mode, with its table.

    Switching a new file to WAL needs a lock for which SQLite does not always
    call its busy handler: when workers started together open one new cache at
    the same moment, all but one may get "database is locked" at once. Opening
    is tried again, a little later each time, until the same busy timeout as a
    write has passed."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    pause = 0.01
    while True:
        db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, "
                       "hash BLOB NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (model, hash))"
                       " WITHOUT ROWID")
            return db
        except sqlite3.Error as err:
            db.close()
            if not _busy(err) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause + random.random() * pause)
        pause = min(pause * 2, 0.5)


def _fix(err: sqlite3.Error) -> str:
    """How to fix the cache's failure ``err``, by SQLite's error code: deleting
    the file is the fix for a damaged one only (on a full disk it lost every
    vector cached, and the disk stayed full)."""
    code = (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return ("its disk is full; free some space there (the file is whole: its vectors "
                "are kept), or give another folder to --cache")
    if code == sqlite3.SQLITE_READONLY:
        return "it cannot be written; give a writable folder to --cache"
    if _busy(err):
        return ("another process held it too long; run again, or give each run its own "
                "folder to --cache")
    return "delete the file to start a new cache"


class EmbeddingStore:
    """Vectors by (model, text hash) in one SQLite file under ``directory``."""

    def __init__(self, directory: str | Path) -> None:
        from bitext.fileio.read import sqlite_file_problem

        folder = Path(directory)
        problem = sqlite_file_problem(folder / FILE_NAME)
        if problem is not None:
            raise ConfigError(f"{problem}, not a file of the embedding cache (bitext makes "
                              "it); remove it, or give another folder to --cache")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = _open(folder / FILE_NAME)
        except (OSError, sqlite3.Error) as err:
            if (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF in (sqlite3.SQLITE_NOTADB,
                                                                      sqlite3.SQLITE_CORRUPT):
                # the folder is writable: 'give a writable folder' did not fit
                raise ConfigError(
                    f"{folder / FILE_NAME}: not a whole SQLite database ({err}): a damaged "
                    "embedding cache (a disk error, a copy cut short) or another program's "
                    "file; delete it (or move it aside) to start a new cache, or give "
                    "another folder to --cache") from err
            raise ConfigError(f"{folder}: cannot use it as an embedding cache ({err}); give "
                              "a writable folder to --cache") from err
        self.path = folder / FILE_NAME
        self.hits = 0
        self.misses = 0
        #: False once the file failed: the run goes on without the cache.
        self.usable = True

    def _failed(self, err: sqlite3.Error) -> None:
        """A cache whose pages are damaged opens fine and fails at a lookup, and a
        write may wait out another process's lock: the vectors can always be
        computed again, so the run goes on without the cache, saying so once."""
        self.usable = False
        log.warning("embedding cache %s failed (%s); going on without it (sentences are "
                    "embedded again): %s", self.path, err, _fix(err))

    def get(self, model: str, texts: Sequence[str], dim: int) -> dict[int, np.ndarray]:
        """The cached vectors of ``texts``, by position in ``texts`` (none once the
        file failed)."""
        try:
            found = self._get(model, texts, dim) if self.usable else {}
        except sqlite3.Error as err:
            self._failed(err)
            found = {}
        self.hits += len(found)
        self.misses += len(texts) - len(found)
        return found

    def _get(self, model: str, texts: Sequence[str], dim: int) -> dict[int, np.ndarray]:
        keys = [_key(t) for t in texts]
        where: dict[bytes, list[int]] = {}
        for i, k in enumerate(keys):
            where.setdefault(k, []).append(i)
        found: dict[int, np.ndarray] = {}
        distinct = list(where)
        for start in range(0, len(distinct), _LOOKUP_CHUNK):
            chunk = distinct[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT hash, vec FROM vectors WHERE model = ? AND hash IN ({marks})",
                [model, *chunk]).fetchall()
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                # a damaged entry may keep its size: NaN or an infinity is no
                # vector a model gives (no cosine), so embed the text again
                if vec.shape == (dim,) and np.isfinite(vec).all():
                    for i in where[bytes(h)]:
                        found[i] = vec
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store the vectors of ``texts`` (rows of a float32 ``(n, dim)`` array);
        nothing once the file failed."""
        if not self.usable:
            return
        rows = [(model, _key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for t, v in zip(texts, vectors, strict=True)]
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)
        except sqlite3.Error as err:
            self._failed(err)

    def close(self) -> None:
        self.db.close()


def check_cache(directory: str | Path) -> None:
    """Raise the :class:`~bitext.errors.ConfigError` an :class:`EmbeddingStore`
    of ``directory`` would (a damaged file, a pipe where it goes), before a run
    whose every worker opens it; nothing is made where no cache file exists yet."""
    import os

    if any(os.path.lexists(Path(directory) / f"{FILE_NAME}{end}") for end in ("", "-wal", "-shm")):
        EmbeddingStore(directory).close()


def model_key(encoder: Any) -> str:
    """What identifies an encoder's vectors: its name, width and model location."""
    return f"{encoder.name}|{encoder.dim}|{getattr(encoder, 'model_ref', '')}"


def attach(encoder: Any, directory: str | Path) -> EmbeddingStore | None:
    """Put the store of ``directory`` in front of ``encoder``'s model calls.

    Works for encoders built on :class:`~bitext.align.encoders.CachedEncoder`
    (their ``_embed`` receives only texts not yet embedded in this run); for
    others, and for the model-less ``length`` encoder, it does nothing.
    """
    embed: Callable[[list[str]], np.ndarray] | None = getattr(encoder, "_embed", None)
    if embed is None or not encoder.dim or getattr(encoder, "_store", None) is not None:
        return getattr(encoder, "_store", None)
    store = EmbeddingStore(directory)
    model = model_key(encoder)

    def cached_embed(texts: list[str]) -> np.ndarray:
        found = store.get(model, texts, encoder.dim)
        missing = [i for i in range(len(texts)) if i not in found]
        out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        if missing:
            fresh = np.asarray(embed([texts[i] for i in missing]), dtype=np.float32)
            # The encoder normalises rows after _embed; store them as produced, so
            # that a cached run goes through exactly the same arithmetic.
            store.put(model, [texts[i] for i in missing], fresh)
            out[missing] = fresh
        for i, vec in found.items():
            out[i] = vec
        return out

    encoder._embed = cached_embed
    encoder._store = store
    log.info("embedding cache: %s", Path(directory) / FILE_NAME)
    return store
