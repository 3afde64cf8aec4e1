"""Fast-loading copies of package data, kept in the user's cache folder.

Some tables bitext needs ship in a form that is slow to read: USE-m3's
compressed weights and pure-Python tokenizer (:mod:`bitext.align.model_cache`),
CC-CEDICT as 120k lines of text (:mod:`bitext.glossary.cedict`). Every process
pays that before its first sentence: a ``bitext align`` of one chapter, each
worker of a collection build. The first process therefore writes a copy derived
from the package's files; later processes load the copy.

A copy lives in a folder named by :func:`key` of the files it derives from (the
data and the code that parses it), so upgrading a package or editing the parser
makes a new one. Where: ``$BITEXT_MODEL_CACHE`` if set (``off`` or an empty
value turns copies off), else ``$XDG_CACHE_HOME/bitext/models`` (an absolute
one) or ``~/.cache/bitext/models``. Writing is best effort: a read-only or full disk
only means the next process reads the package's files again. Copies are
written through a temporary name and renamed, so a process never reads half a
file, and workers starting together at most write the same copy twice. A copy
is read only from a regular file the current user owns that no one else may
write (a pickle runs code when loaded; a marshal is trusted no further).

Each upgrade or new checkout makes new copies (the use-m3 one is 85 MB), so
writing one removes the copies of the same kind beyond the :data:`KEEP` used
last; a loader marks its copy used (:func:`used`) each time it loads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Bumped when the layout of the copies changes.
_FORMAT = 1

#: Copies of one kind kept when a new one is written: an install in use marks its
#: copy at every start, so these are the live ones of up to three installs (a
#: new version, the one before it, a checkout); a copy removed while still
#: wanted costs its next process one parse (about 1 s), never a failure.
KEEP = 3

# A copy's folder: its kind, a dash, the 16 hexadecimal digits of :func:`key`.
_COPY_FOLDER = re.compile(r"^(?P<kind>[a-z0-9-]+)-[0-9a-f]{16}$")


def cache_root() -> Path | None:
    """The folder holding the copies, or ``None`` when the user turned them off."""
    env = os.environ.get("BITEXT_MODEL_CACHE")
    if env is not None:
        return None if env.strip() in ("", "off") else Path(env).expanduser()
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored (used, it put
    # a cache in whatever folder the command ran in). A home that is no absolute
    # path ('~' when neither HOME nor a passwd entry gives one): no copies.
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "bitext" / "models" if os.path.isabs(base) else None


def key(files: list[Path]) -> str:
    """A name for a copy of these files: changes when any of them does."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{_FORMAT}".encode())
    for f in files:
        st = f.stat()
        h.update(f"|{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def trusted(path: Path) -> bool:
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


def write(path: Path, writer: Callable[[IO[bytes]], object]) -> None:
    """Write a file of a copy through a temporary name, so that a process
    loading it never sees half a file. Not :func:`bitext.fileio.atomic_write`:
    that gives an output the user's umask (group-writable under umask 002),
    while a copy must stay the owner's alone (``mkstemp``'s 0600) to be loaded."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _prune(path.parent)


def marshal_copy(kind: str, sources: list[Path], name: str, make: Callable[[], T],
                 valid: Callable[[Any], bool]) -> T:
    """What ``make()`` returns (plain data: dicts, tuples, strings, numbers), read
    from its copy ``name`` in the folder of ``kind`` and :func:`key` of
    ``sources`` when a trusted one of the right shape (``valid``) is there, else
    made and kept there for the next process (best effort). ``marshal.loads`` of
    the whole file: ``marshal.load`` from the open file reads it in small pieces
    (0.5 s instead of 0.07 s for CC-CEDICT, 2026-12-05)."""
    root = cache_root()
    path = root / f"{kind}-{key(sources)}" / name if root is not None else None
    if path is not None and trusted(path):
        try:
            value = marshal.loads(path.read_bytes())
            if valid(value):
                used(path.parent)
                return value
            log.debug("copy %s has another shape; deriving it again", path)
        except (OSError, EOFError, ValueError, TypeError) as err:
            log.debug("copy %s unusable (%s); deriving it again", path, err)
    value = make()
    if path is not None:
        data: Any = value  # plain data, as the docstring says
        try:
            write(path, lambda fh: marshal.dump(data, fh))
        except (OSError, ValueError) as err:
            log.debug("could not keep a copy in %s (%s)", path, err)
    return value


def used(folder: Path) -> None:
    """Mark the copy in ``folder`` as used now (best effort), so that pruning
    keeps it."""
    with contextlib.suppress(OSError):
        os.utime(folder)


def _prune(folder: Path) -> None:
    """Remove the copies of ``folder``'s kind beyond the :data:`KEEP` used last
    (``folder`` itself is the newest). Best effort: another process may be
    removing or reading them; a reader that loses its copy parses again."""
    match = _COPY_FOLDER.match(folder.name)
    if match is None:
        return
    kind = match.group("kind")
    siblings = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder.parent):
            m = _COPY_FOLDER.match(entry.name)
            if m and m.group("kind") == kind and entry.is_dir(follow_symlinks=False) \
                    and entry.name != folder.name:
                with contextlib.suppress(OSError):
                    siblings.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    for _, stale in sorted(siblings, reverse=True)[KEEP - 1:]:
        shutil.rmtree(stale, ignore_errors=True)
