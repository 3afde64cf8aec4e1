"""Never write over an input: an output that is the same file as an input is refused.

Files are compared by identity (device and inode, what :func:`os.path.samefile`
compares), not by name, so ``./en.txt``, ``en.txt``, a hard link and a symbolic
link to it are all the same file. A command declares its inputs once::

    with protect_inputs([src, tgt], outputs=[output]):
        ...

which fails at once if a declared output is an input, and makes every
:func:`~bitext.fileio.atomic_write` inside the block check its path too (the
Moses exporter's three files, the files ``build`` writes into a folder), so the
check lives here and nowhere else.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from bitext.errors import ConfigError

_Id = tuple[int, int]
# Each protected input's identity and the name it was given (the outermost block's
# when two blocks name one file). Looked up, not scanned: a collection protects
# every document's files and checks every file it writes, so a scan made the
# run's checks grow with the square of its documents (731 UN documents: 1,462
# inputs, 73 us a check; 86,307: about 8.6 ms a check, over 10 minutes of the
# driver's CPU for the ledger lines alone).
_PROTECTED: contextvars.ContextVar[Mapping[_Id, str]] = contextvars.ContextVar(
    "bitext_protected_inputs", default=MappingProxyType({}))
# How to fix an output that is an input, for the innermost block (said in the
# Error): another name with the option that names the outputs, unless the
# command chose the name itself.
_FIX: contextvars.ContextVar[str] = contextvars.ContextVar(
    "bitext_output_fix", default="choose another output name with -o")


def file_identity(path: str | os.PathLike[str]) -> _Id | None:
    """(device, inode) of the file or folder ``path`` names (links followed),
    or None when nothing is there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _is_stream(path: str) -> bool:
    return path == "-" or os.path.abspath(path).startswith(("/dev/", "/proc/"))


@contextlib.contextmanager
def protect_inputs(inputs: Iterable[str | os.PathLike[str] | None],
                   outputs: Iterable[str | os.PathLike[str] | None] = (), *,
                   option: str = "-o", fix: str | None = None) -> Iterator[None]:
    """Refuse, now and for every write inside the block, an output that is an input.

    ``None`` entries and ``-`` (stdin/stdout) are ignored. Raises
    :class:`~bitext.errors.ConfigError` naming both paths, and for more than one
    input that is ``-`` (stdin can be read once). ``option`` is the command's
    option that names the outputs (``-o``, ``--export``), which the Error says;
    ``fix`` replaces that advice where the command names the outputs itself
    (``build``'s files in its output folder).
    """
    names = [os.fspath(item) for item in inputs if item is not None]
    if names.count("-") > 1:
        # The second reader would find it empty ("the file is empty").
        raise ConfigError(f"{names.count('-')} inputs are '-', but stdin can be read once; "
                          "save all of them but one to files and give their paths")
    found: list[tuple[_Id, str]] = []
    for name in names:
        ident = None if _is_stream(name) else file_identity(name)
        if ident is not None:
            found.append((ident, name))
    token = _PROTECTED.set({**dict(reversed(found)), **_PROTECTED.get()})
    named = _FIX.set(fix or f"choose another output name with {option}")
    try:
        for out in outputs:
            if out is not None:
                check_not_input(os.fspath(out))
        yield
    finally:
        _FIX.reset(named)
        _PROTECTED.reset(token)


def check_not_input(path: str | os.PathLike[str]) -> None:
    """Raise ConfigError if ``path`` is the same file as a protected input."""
    name = os.fspath(path)
    protected = _PROTECTED.get()
    if not protected or _is_stream(name):
        return
    ident = file_identity(name)
    if ident is None:
        return
    input_name = protected.get(ident)
    if input_name is not None:
        same = "" if os.path.abspath(input_name) == os.path.abspath(name) else (
            f" (the same file as the input {input_name})")
        raise ConfigError(
            f"output {name} is an input{same}; writing it would destroy the input: "
            f"{_FIX.get()}"
        )
