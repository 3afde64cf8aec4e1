"""Output files: a crash, an error or a full disk never leaves half a file behind.

:func:`atomic_write` decides by what the output path *is*:

* ``-``: standard output, written through.
* a new path or a regular file: a temporary file beside it, flushed and
  ``fsync`` ed, then renamed over it (the folder is ``fsync`` ed too), so a power
  cut leaves either the old file or the complete new one, never an empty
  "complete" file;
* a symbolic link: the same, applied to the file the link points to; the link
  itself is kept;
* a FIFO, a character device (``/dev/null``, a terminal) or any name under
  ``/dev/`` or ``/proc/`` (``/dev/stdout``, ``/dev/fd/3``): written through, since
  replacing it would destroy it (a device node) or leave its reader waiting;
* anything else (a folder, a socket, a block device): refused with an
  :class:`~bitext.errors.ExportError`.

Every OSError while writing (``ENOSPC``, ``EIO``, ``EFBIG``) becomes an
ExportError naming the file. Temporary files are named
``.NAME.bitext-HOST-PID-RANDOM.tmp``; one whose writer is gone (a ``kill -9``)
is removed by the next write into the same folder (see :func:`clean_stale_temps`).
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import io
import logging
import os
import re
import secrets
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bitext.errors import DiskFullError, ExportError

log = logging.getLogger(__name__)

#: Names that stand for a process's own streams or kernel objects: never replaced.
_WRITE_THROUGH_ROOTS = ("/dev/", "/proc/")

#: A temporary file left by a writer on *another* host (shared folder), or by a
#: process whose id was reused, is removed only after this long without a write
#: (seconds). No single output of bitext takes a day to write: a 200 MB TMX is
#: written in under a minute (benchmarks/README.md).
STALE_AFTER_S = 24 * 3600


def _host_tag() -> str:
    """Eight hex digits naming this machine, so a temp file's pid is only trusted here."""
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


_TEMP_RE = re.compile(r"^\..+\.bitext-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-[A-Za-z0-9_]+\.tmp$")


#: The longest file name (bytes) ext4, XFS, Btrfs, APFS and NTFS take (NAME_MAX).
NAME_MAX = 255
#: The random part and the end that follow :func:`temp_prefix` (8 hex digits, .tmp).
_TEMP_TAIL_BYTES = 8 + len(".tmp")


def temp_prefix(name: str) -> str:
    """The start of a temp file name for output ``name`` (a random part follows).

    ``name`` is cut (at a byte: the temp name is only ever read by
    :data:`_TEMP_RE`) so that the whole temp name stays within :data:`NAME_MAX`:
    a 250-byte output name, which the file system takes, failed with 'File name
    too long' on its temp file."""
    tail = f".bitext-{_host_tag()}-{os.getpid()}-"
    room = NAME_MAX - 1 - len(tail) - _TEMP_TAIL_BYTES
    return f".{os.fsdecode(os.fsencode(name)[:room])}{tail}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clean_stale_temps(folder: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Remove bitext temp files in ``folder`` whose writer is gone; return them.

    Only regular files (not links) matching bitext's own temp name pattern and
    owned by this user are candidates. Stale means: written by a process of this
    host that no longer runs, or untouched for :data:`STALE_AFTER_S` seconds (a
    writer on another host, or a reused process id). Failures are ignored: this
    is housekeeping, never a reason to fail a write.
    """
    removed: list[Path] = []
    now = time.time() if now is None else now
    host = _host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if not match:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            continue
        pid = int(match["pid"])
        gone = match["host"] == host and pid != os.getpid() and not _pid_alive(pid)
        if gone or now - st.st_mtime > STALE_AFTER_S:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
                log.info("removed a temporary file left by an interrupted run: %s", entry.path)
    return removed


def temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The bitext temporary files in ``folder`` (their writers alive or not)."""
    try:
        return [Path(entry.path) for entry in os.scandir(folder)
                if _TEMP_RE.match(entry.name)]
    except OSError:
        return []


def output_kind(path: str | os.PathLike[str]) -> str:
    """What writing to ``path`` means: ``stdout``, ``replace`` or ``through``.

    Raises :class:`ExportError` for a path that can be neither replaced nor
    written through (a folder, a socket, a block device).
    """
    name = os.fspath(path)
    if name == "-":
        if sys.stdout is None:  # Python's stdout when the command started without one
            raise ExportError("cannot write to standard output: it is closed (the command "
                              "was started with >&-); give an output file with -o")
        return "stdout"
    if not name:
        raise ExportError("the output name is empty; give a file name with -o, or - for stdout")
    if name.endswith(os.sep) and not os.path.isdir(name):
        # A new file would drop the slash and take the folder's name ('new/' -> 'new').
        raise ExportError(f"cannot write {name}: a name that ends with '{os.sep}' is a folder; "
                          f"give a file name such as {os.path.join(name, 'out')}.EXT")
    if os.path.abspath(name).startswith(_WRITE_THROUGH_ROOTS):
        return "through"
    try:
        st = os.stat(name)
    except FileNotFoundError:
        return "replace"  # a new file, or a symlink whose target does not exist yet
    except NotADirectoryError as err:
        raise ExportError(f"cannot write {name}: a part of the path is a file, not a folder; "
                          "choose another output path") from err
    except OSError as err:
        raise export_error(name, err) from err
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return "replace"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "through"
    if stat.S_ISDIR(mode):
        raise ExportError(f"cannot write {name}: it is a folder; give a file name such as "
                          f"{os.path.join(name, 'out')}.EXT")
    from bitext.fileio.read import kind_of

    raise ExportError(f"cannot write {name}: it is {kind_of(mode)}; give a regular file name "
                      "or - for stdout")


def check_output_folder(path: str | os.PathLike[str]) -> None:
    """Refuse, before the work that makes it, an output whose folder takes no new
    file (no permission, a read-only disk): found at the write, the work was
    lost (align of 4,000 paragraphs into such a folder: `cannot write` after
    42.8 s wall, 8.3 CPU s, at load 10). The folder is tried as the write will
    try it, a temporary file made and removed, so that permissions, ACLs,
    read-only mounts and the rest answer as they will then. A folder not made
    yet is tried at the nearest one that exists, where it would be made.
    ``-``, devices, pipes and folders (their own Errors) are left alone.

    Raises :class:`ExportError` (:func:`export_error`: what the system said and
    what to do)."""
    name = os.fspath(path)
    if name in ("", "-") or os.path.abspath(name).startswith(_WRITE_THROUGH_ROOTS):
        return
    target = _final_target(name)
    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            return
    except FileNotFoundError:
        pass
    except OSError:
        return  # output_kind says what is wrong, at the write
    folder = target.parent
    while not folder.is_dir() and folder != folder.parent:
        if folder.exists():
            return  # a file where a folder goes: atomic_write says so
        folder = folder.parent
    probe = os.path.join(folder, f"{temp_prefix(target.name)}{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(probe, _TEMP_FLAGS, 0o600)
    except FileExistsError:
        return
    except OSError as err:
        raise export_error(name, err) from err
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def _final_target(path: str) -> Path:
    """The file a rename must replace: the end of a chain of symbolic links, so the
    link itself survives and its target gets the new content."""
    p = Path(path)
    if p.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.parent.is_dir():
            # -o NEW/out.tsv makes NEW; a link's target is a path someone else
            # chose, where bitext makes no folders (a dangling link to
            # /nowhere/x.tsv made /nowhere).
            raise ExportError(
                f"cannot write {path}: {path} is a symbolic link to {target}, in a folder "
                "that does not exist; make that folder, or remove the link to write a "
                "file of its own")
        return target
    return p


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *,
                 after_others: bool = False) -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that a failure never leaves half a file.

    ``path`` ``-`` writes to stdout. A name ending in ``.gz`` is gzip-compressed.
    Text mode uses UTF-8 and ``\\n`` newlines. See the module docstring for what
    happens with links, FIFOs and devices. On any exception a replaced file is
    left untouched and the temporary file removed; an OSError while writing is
    raised as :class:`ExportError`. Outputs are also checked against the inputs
    registered with :func:`bitext.fileio.guard.protect_inputs`.

    ``after_others``: in a :func:`folder_syncs_deferred` block, the file is
    fsync'ed beside the block's other files but put in place only once their
    renames are durable (a record that vouches for them); outside one it
    changes nothing.
    """
    from bitext.fileio.guard import check_not_input

    name = os.fspath(path)
    kind = output_kind(name)
    if kind == "stdout":
        stream: IO[Any] = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    check_not_input(name)
    gz = name.endswith(".gz")
    if kind == "through":
        with _write_through(name, mode, gz=gz) as fh:
            yield fh
        return
    target = _final_target(name)
    with _replace(target, name, mode, gz=gz) as fh:
        yield fh
    held = getattr(_DEFERRED, "files", None)
    if after_others and held and held[-1].name == name:
        held[-1].after_others = True


def write_named(fh: IO[Any], data: Any, name: str | os.PathLike[str]) -> None:
    """``fh.write(data)``, where ``fh`` is the :func:`atomic_write` of ``name``
    opened beside others: a failed write is an ExportError naming ``name``. An
    OSError passes through every open :func:`atomic_write`, and the innermost
    took it for its own (a full disk under a Moses corpus's first file was
    'cannot write corpus.ids')."""
    try:
        fh.write(data)
    except OSError as err:
        raise export_error(name, err) from err


def write_whole(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write all of ``data`` (text as UTF-8, or bytes) to ``path`` with
    :func:`atomic_write`, for a writer that builds its whole output first (the
    glossary's TBX and tables). A failed write to stdout (``-``), which
    :func:`atomic_write` passes on as it is, is an ExportError as a file's is,
    and a closed pipe stays a BrokenPipeError, which the CLI ends quietly
    (:func:`export_error`), as for every other output."""
    try:
        with atomic_write(path, "wb" if isinstance(data, bytes) else "w") as fh:
            fh.write(data)
    except OSError as err:
        raise export_error(path, err) from err


@contextlib.contextmanager
def temporary_file(data: bytes, suffix: str) -> Iterator[str]:
    """The path of a temporary file holding ``data``, removed on leaving: for a
    reader that takes only a path, given bytes read from stdin or a pipe."""
    import tempfile

    fd, tmp = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@contextlib.contextmanager
def _write_through(name: str, mode: str, *, gz: bool) -> Iterator[IO[Any]]:
    try:
        # Append, never truncate: /dev/stdout redirected with `>>` to a file must
        # keep what the file held; FIFOs and devices do not care. Never create.
        raw = os.fdopen(os.open(name, os.O_WRONLY | os.O_APPEND), "wb")
    except OSError as err:
        raise export_error(name, err) from err
    fh, gzf = _wrap(raw, mode, gz=gz)
    try:
        try:
            yield fh
            _finish(fh, gzf, raw)
            raw.close()
        except OSError as err:
            raise export_error(name, err) from err
    finally:
        with contextlib.suppress(OSError, ValueError):
            fh.close()
        with contextlib.suppress(OSError, ValueError):
            raw.close()


@contextlib.contextmanager
def _replace(target: Path, name: str, mode: str, *, gz: bool) -> Iterator[IO[Any]]:
    folder = target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise export_error(folder, err) from err
    clean_stale_temps(folder)
    raw: IO[bytes] | None = None
    fh: IO[Any] | None = None
    tmp = ""
    fd = -1
    try:
        # The temporary file's name is set before the file exists, so whatever
        # interrupts this function at any moment (Ctrl-C, SIGTERM/SIGHUP in the
        # CLI), the block below removes the file. Blocking signals in this
        # thread could not promise that: the process's other threads (BLAS, the
        # encoder's) receive them, and the handler still runs in this one.
        for _ in range(_TEMP_ATTEMPTS):
            tmp = os.path.join(folder, f"{temp_prefix(target.name)}{secrets.token_hex(4)}.tmp")
            try:
                fd = os.open(tmp, _TEMP_FLAGS, 0o600)
                break
            except FileExistsError:
                tmp = ""  # another file of this process has that name: not ours to remove
            except OSError as err:
                tmp = ""
                raise export_error(name, err) from err
        else:
            raise ExportError(f"cannot write to {folder}: no free temporary file name")
        raw = os.fdopen(fd, "wb")
        fd = -1
        fh, gzf = _wrap(raw, mode, gz=gz)
        try:
            yield fh
            _finish(fh, gzf, raw)
            held = getattr(_DEFERRED, "files", None)
            if held is not None:
                # synced beside the block's other files, put in place at its end
                if gzf is None and isinstance(fh, io.TextIOWrapper):
                    fh.detach()  # the caller's text stream, once dropped, would close raw
                held.append(_Held(raw, tmp, target, name))
                raw = fh = None
                tmp = ""
                return
            os.fsync(raw.fileno())
            raw.close()
            _put_in_place(tmp, target)
        except OSError as err:
            raise export_error(name, err) from err
        _fsync_dir(folder)
    except BaseException:
        for stream in (fh, raw):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.close()
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


#: What to do about a full disk, the end of its Error (a collection that stops
#: on one says it its own way).
FREE_SPACE = "free some space or write elsewhere"


def export_error(name: str | os.PathLike[str], err: OSError) -> BaseException:
    """ExportError for a failed write to (or a failed folder for) ``name``: what the
    system said and what to do; a closed pipe stays a BrokenPipeError for the CLI."""
    if isinstance(err, BrokenPipeError):
        return err
    hint = {
        errno.ENOSPC: f"the disk is full; {FREE_SPACE}",
        errno.EDQUOT: f"the disk quota is used up; {FREE_SPACE}",
        errno.EFBIG: "the file is larger than this system allows; write elsewhere or split "
                     "the input",
        # the system's own words already say what these are: only what to do
        errno.EIO: "check the disk and its cable or mount, then try again",
        errno.EROFS: "write elsewhere, or remount the disk read-write",
        errno.EACCES: "write elsewhere or fix the permissions",
    }.get(err.errno or 0, "write elsewhere")
    kind = DiskFullError if err.errno in (errno.ENOSPC, errno.EDQUOT) else ExportError
    return kind(f"cannot write {os.fspath(name)}: {err.strerror or err}; {hint}")


#: Flags of a new temporary file, as :func:`tempfile.mkstemp` opens its own.
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_NOFOLLOW", 0)
#: Names drawn before giving up (mkstemp's own TMP_MAX is 10,000; with 32 random
#: bits a clash is already a one-in-four-billion event).
_TEMP_ATTEMPTS = 100

#: The files (and so folders) whose fsync :func:`folder_syncs_deferred` has put
#: off, per thread.
_DEFERRED = threading.local()

#: Files of a deferred block fsync'ed at once, at most (threads: each fsync
#: waits for the disk, not the CPU).
_SYNC_THREADS = 16


@dataclass
class _Held:
    """A file of a deferred block, written and flushed: its temporary file,
    still open, waiting for its fsync and rename."""

    raw: IO[bytes]
    tmp: str
    target: Path
    name: str
    after_others: bool = False


def held_file(path: str | os.PathLike[str]) -> str | None:
    """The temporary file holding what this thread's :func:`folder_syncs_deferred`
    block wrote as ``path`` (the name given to :func:`atomic_write`), not yet in
    place; None outside a block or for a file it did not write."""
    name = os.fspath(path)
    for item in reversed(getattr(_DEFERRED, "files", None) or []):
        if item.name == name or item.target == Path(name):  # a link: its target
            return item.tmp
    return None


def _put_in_place(tmp: str, target: Path) -> None:
    """Rename the written (and fsync'ed) ``tmp`` over ``target``, with the mode
    ``target`` had (the temporary file was made 0600), or the usual one."""
    try:
        keep = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        keep = 0o666 & ~_umask()
    os.chmod(tmp, keep)
    os.replace(tmp, target)


@contextlib.contextmanager
def folder_syncs_deferred() -> Iterator[None]:
    """Within this block :func:`atomic_write` writes each file to its temporary
    file; when the block ends they are fsync'ed together, then renamed in
    place in the order written, then each folder is fsync'ed once.

    A document's dozen outputs fsync'ed one after another each waited for a
    journal commit of its own; fsync'ed together, one commit takes them all
    (ten 5 kB files: 42-57 ms -> 6-15 ms, ext4, load 2-5, 2026-12-07), and
    one folder fsync serves them all (about 4 ms each on a busy disk,
    2026-12-05). Every file is still fsync'ed before its rename, so a power
    cut leaves each file old or complete; what it may lose is renames made at
    the block's end, which a caller that records the block's end afterwards
    (the build's record of its outputs, :mod:`bitext.outputs`) sees as
    outputs to write again. A file written in the block is in place only once
    the block ends. An exception in the block still puts in place the files
    written before it (as each one was at once before); a file that cannot be
    synced or renamed puts none of them in place (ExportError naming it).
    Nested blocks sync when the outermost one ends. A file written with
    ``after_others`` (the record of the others) is fsync'ed in the same batch
    but renamed after the others' folders are fsync'ed: one journal commit a
    document fewer than writing it after the block, the same order on disk."""
    if getattr(_DEFERRED, "files", None) is not None:
        yield
        return
    held: list[_Held] = []
    _DEFERRED.files = held
    try:
        yield
    finally:
        _DEFERRED.files = None
        _commit(held)


def _commit(held: list[_Held]) -> None:
    """fsync ``held`` together, then rename each in place (those written
    ``after_others`` once the others' folders are fsync'ed) and fsync each
    folder; on a failure none is put in place and every temporary file goes."""
    from concurrent.futures import ThreadPoolExecutor

    order = ([item for item in held if not item.after_others]
             + [item for item in held if item.after_others])
    done = durable = 0  # put in place; of those, their folders fsync'ed
    try:
        if len(held) > 1:
            with ThreadPoolExecutor(min(len(held), _SYNC_THREADS),
                                    thread_name_prefix="bitext-fsync") as pool:
                failed = [(item, err) for item, err in
                          zip(order, pool.map(_sync, order), strict=True) if err is not None]
        else:
            failed = [(item, err) for item in held if (err := _sync(item)) is not None]
        if failed:
            item, err = failed[0]
            raise export_error(item.name, err) from err
        for item in order:
            if item.after_others and done > durable and not order[done - 1].after_others:
                _fsync_folders(order[durable:done])  # the others' renames first
                durable = done
            try:
                item.raw.close()
                _put_in_place(item.tmp, item.target)
            except OSError as err:
                raise export_error(item.name, err) from err
            done += 1
    except BaseException:
        for item in order[done:]:
            with contextlib.suppress(OSError, ValueError):
                item.raw.close()
            with contextlib.suppress(OSError):
                os.unlink(item.tmp)
        raise
    finally:
        _fsync_folders(order[durable:done])


def _fsync_folders(items: list[_Held]) -> None:
    """fsync, once each, the folders ``items`` were renamed into."""
    for folder in dict.fromkeys(item.target.parent for item in items):
        _fsync_dir(folder)


def _sync(item: _Held) -> OSError | None:
    """fsync ``item``'s temporary file; the error, or None."""
    try:
        os.fsync(item.raw.fileno())
    except OSError as err:
        return err
    return None


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable: fsync the folder (not possible on every system)."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _wrap(raw: IO[bytes], mode: str, *, gz: bool) -> tuple[IO[Any], gzip.GzipFile | None]:
    """``raw`` (a binary file) as the stream the caller asked for, and its gzip layer."""
    gzf = None
    binary: IO[bytes] = raw
    if gz:
        # mtime=0: the same content gives the same bytes (reproducible builds).
        gzf = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)
        binary = gzf  # type: ignore[assignment]
    if "b" in mode:
        return binary, gzf
    return io.TextIOWrapper(binary, encoding="utf-8", newline="\n"), gzf


def _finish(fh: IO[Any], gzf: gzip.GzipFile | None, raw: IO[bytes]) -> None:
    """Push every buffered byte into ``raw`` (the gzip trailer too), leaving it open."""
    fh.flush()
    if gzf is not None:
        gzf.close()  # writes the trailer; does not close the file object it was given
    raw.flush()
