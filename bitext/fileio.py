"""Atomic file output: a crash or an error never leaves half a file behind."""

from __future__ import annotations

import contextlib
import gzip
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from bitext.errors import ExportError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    ``path`` ``-`` writes to stdout. A name ending in ``.gz`` is gzip-compressed.
    Text mode uses UTF-8 and ``\\n`` newlines. On any exception the temporary file
    is removed and ``path`` is left untouched.
    """
    if str(path) == "-":
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    if target.parent and not target.parent.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ExportError(f"cannot create folder {target.parent}: {err.strerror}") from err
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise ExportError(f"cannot write to {target.parent}: {err.strerror}") from err
    os.close(fd)
    try:
        with _open(tmp, mode, gz=target.name.endswith(".gz")) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _open(path: str, mode: str, *, gz: bool) -> IO[Any]:
    binary = "b" in mode
    if gz:
        if binary:
            return cast(IO[Any], gzip.open(path, mode))
        return cast(IO[Any], gzip.open(path, mode.replace("t", "") + "t", encoding="utf-8",
                                       newline="\n"))
    if binary:
        return open(path, mode)
    return open(path, mode, encoding="utf-8", newline="\n")
