"""One writer per output folder, and a record of what it wrote.

Two ``bitext build`` runs into one folder with different settings used to leave
a mixed set (the TMX of one run, the TBX of the other). Now:

* :func:`folder_lock` takes an exclusive ``flock`` on ``OUT/.bitext.lock`` for
  the whole build; a second build into the same folder fails at once with a
  message naming the running one (its process id). The lock is the kernel's:
  it goes away with the process, even after ``kill -9``, so no stale lock can
  block a later run.
* :func:`write_record` writes ``OUT/.bitext-outputs.json`` after the last
  output: each file's size and SHA-256 and the settings signature of the run
  that wrote them. :func:`check_record` (``bitext validate OUT/``) finds a
  file changed or replaced since (another run, a crash halfway through a
  rebuild, a hand edit) and a file missing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from bitext.errors import BitextError, ExportError, InputError

LOCK_NAME = ".bitext.lock"
RECORD_NAME = ".bitext-outputs.json"
REVIEW_LOCK_NAME = ".bitext-review.lock"
#: The key of a record's entry that holds, in hex, the bytes of a file name that
#: is not UTF-8 (the entry is keyed by the name shown: ``c\xff.tmx``).
NAME_BYTES = "name_bytes"


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str], *, name: str = LOCK_NAME,
                busy: str = "is being written by another bitext run",
                fix: str = "wait for it to finish, or give this run another output "
                           "folder with -o",
                read_only: bool = False) -> Iterator[None]:
    """Hold the exclusive lock ``name`` of output folder ``folder`` (created if needed).

    Raises :class:`ExportError` at once when another process holds it, saying
    ``folder``, ``busy``, the holder's process id, then ``fix``.

    ``read_only``: a folder that cannot be written (a read-only disk, no
    permission) whose lock file exists is locked through a read-only descriptor
    (``flock`` needs none other), without the holder's id; one without a lock
    file is not locked: a rerun that finds
    everything up to date writes nothing and says so, where opening the lock
    for writing failed it; a write it does need fails there, on the disk's
    own words.
    """
    path = Path(folder)
    if path.is_symlink() and not path.exists():  # mkdir said 'File exists'
        from bitext.fileio.read import not_a_folder

        raise ExportError(f"{path}: {not_a_folder(path)}; remove it, or give the build "
                          "another output folder with -o")
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is not a folder; give the build an output folder with -o")
    created = not path.exists()
    held: set[str] | None = None
    try:
        path.mkdir(parents=True, exist_ok=True)
        # What the folder held before: a run that leaves it so (it failed before
        # writing, or wrote nothing) takes away the lock file it made, and the
        # folder it made.
        held = None if (path / name).exists() else set(os.listdir(path))
        fd: int | None
        try:
            fd, writable = _open_lock(path / name), True
        except OSError as err:
            if not (read_only and err.errno in (errno.EROFS, errno.EACCES)):
                raise
            # No lock file (a copy that left out hidden files) and none can be
            # made: no lock, as a run that writes nothing needs none; a write
            # this run needs fails where it is made, on the disk's own words.
            fd = None if held is not None else _open_lock(path / name, write=False)
            writable = False
    except OSError as err:
        from bitext.fileio.write import export_error

        raise export_error(path, err) from err
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as err:
                holder = (os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                          or "another process")
                raise ExportError(f"{path} {busy} (process {holder}); {fix}") from err
        if writable and fd is not None:
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            except OSError as err:  # a full disk has room for the lock's name, not its id
                from bitext.fileio.write import export_error

                raise export_error(path / name, err) from err
        yield
    finally:
        with contextlib.suppress(OSError):
            if held is not None and set(os.listdir(path)) - {name} == held:
                os.unlink(path / name)
                if created:
                    path.rmdir()
        if fd is not None:
            os.close(fd)  # releases the lock


def _open_lock(lock: Path, *, write: bool = True) -> int:
    """Open (or create) the lock file ``lock``, never through a link: it is cut
    to nothing and given the process id, and a lock that was a symbolic or a
    hard link to another file (an input of the build) destroyed that file. A
    FIFO is opened without waiting and refused. ``write=False`` opens it for
    reading only (a read-only folder's). Raises :class:`ExportError`
    naming the lock and how to fix it."""
    import stat

    from bitext.fileio.read import kind_of

    flags = ((os.O_RDWR | os.O_CREAT if write else os.O_RDONLY)
             | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(lock, flags, 0o644)
    except OSError as err:
        if os.path.islink(lock):  # ELOOP: O_NOFOLLOW met a link
            raise ExportError(f"{lock} is a symbolic link; bitext makes this lock file "
                              "itself and never writes through a link: remove it") from err
        raise
    st = os.fstat(fd)
    problem = (None if stat.S_ISREG(st.st_mode) and st.st_nlink <= 1
               else f"has other names (a hard link, {st.st_nlink} names)"
               if stat.S_ISREG(st.st_mode) else f"is {kind_of(st.st_mode)}")
    if problem is not None:
        os.close(fd)
        raise ExportError(f"{lock} {problem}; bitext makes this lock file itself and "
                          "writes into it: remove it")
    return fd


def review_lock(folder: str | os.PathLike[str]) -> contextlib.AbstractContextManager[None]:
    """Hold ``folder``'s review lock while a workbench serves it: each server keeps
    the state it read at start, so two on one folder would each take the other's
    decisions for undone (the version check of an edit works within one process)."""
    return folder_lock(folder, name=REVIEW_LOCK_NAME, busy="is open in another bitext review",
                       fix="use that workbench's page, or stop it (Ctrl+C) and start this "
                           "one again")


def check_own_file(path: Path, what: str, *, fix: str = "remove it, or build into another -o",
                   error: type[BitextError] = ExportError) -> None:
    """Refuse ``path``, a file bitext keeps in an output folder (the record of
    the outputs, a collection's ledger and corpus stamp, the outputs ``review``
    reads), when it exists and is no regular file: a FIFO there was opened and
    waited on for ever, a device never ends. ``what`` names the file in the
    ``error`` raised, ``fix`` says what to do."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return  # none yet, or unreadable: its reader or writer says so
    if not stat.S_ISREG(mode):
        from bitext.fileio.read import kind_of

        raise error(f"{path} is {kind_of(mode)}, not the {what} bitext keeps there; {fix}")


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_record(folder: str | os.PathLike[str], files: Iterable[str | os.PathLike[str]],
                 signature: str, *, made_from: str | None = None) -> Path:
    """Record ``files`` (those that exist) under ``folder`` with their hashes, and
    ``made_from``, a digest of what they were derived from, when given (a rerun
    whose sources give the same digest keeps the files: :func:`record_matches`).

    Inside a :func:`bitext.fileio.write.folder_syncs_deferred` block, a file the
    block wrote is read from its temporary file (the bytes it puts in place),
    and the record is fsync'ed beside them and put in place after them."""
    from bitext.fileio import atomic_write
    from bitext.fileio.read import shown_id, surrogate_at
    from bitext.fileio.write import held_file

    base = Path(folder)
    entries: dict[str, dict[str, object]] = {}
    for item in files:
        p = Path(item)
        written = held_file(p)
        source = Path(written) if written is not None else p
        if source.is_file():
            name = os.path.relpath(p, base)
            entry: dict[str, object] = {"bytes": source.stat().st_size,
                                        "sha256": file_digest(source)}
            if surrogate_at(name) is not None:
                # a name whose bytes are not UTF-8 (a folder named on a Latin-1
                # system): strict JSON cannot hold it; shown as its bytes, kept
                # in hex (the ledger's id_bytes)
                entry[NAME_BYTES] = os.fsencode(name).hex()
                name = shown_id(name)
            entries[name] = entry
    record: dict[str, object] = {"format": "bitext-outputs/1", "settings": signature,
                                 "files": dict(sorted(entries.items()))}
    if made_from is not None:
        record["made_from"] = made_from
    target = base / RECORD_NAME
    check_own_file(target, "record of the outputs")
    with atomic_write(target, after_others=True) as fh:
        fh.write(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return target


def check_record(folder: str | os.PathLike[str]) -> tuple[int, list[str]]:
    """Compare the files of ``folder`` with its record; return (files, problems).

    Raises :class:`InputError` when the folder has no record (not a build output,
    or one made before records existed).
    """
    base = Path(folder)
    path = base / RECORD_NAME
    try:
        check_own_file(path, "record of the outputs")
    except ExportError as err:
        raise InputError(str(err).replace("build into another -o", "build the folder again")
                         ) from err
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        files = record.get("files") if isinstance(record, dict) else None
        if not isinstance(files, dict) or not all(isinstance(w, dict) for w in files.values()):
            raise TypeError("no 'files' table of file names with their sizes and hashes")
    except FileNotFoundError as err:
        if (base / LOCK_NAME).is_file():
            # The lock stays once a build has written here; the record is written
            # last: a build stopped (Ctrl+C, SIGTERM) or failed in between.
            raise InputError(f"{base}: no {RECORD_NAME}: a build into it did not finish "
                             "(stopped, or failed), so its files are not known to be one "
                             "set; run the build again") from err
        raise InputError(f"{base}: no {RECORD_NAME}; is this a bitext build folder? (validate "
                         "a single TMX or TBX file by its name)") from err
    except RecursionError as err:  # brackets nested deeper than Python's stack
        raise InputError(f"{path}: damaged record (nested too deep); rebuild the folder"
                         ) from err
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"{path}: damaged record ({err}); rebuild the folder") from err
    problems = []
    for name, want in files.items():
        try:
            p = base / (os.fsdecode(bytes.fromhex(str(want[NAME_BYTES])))
                        if NAME_BYTES in want else name)
        except ValueError as err:
            raise InputError(f"{path}: damaged record ({name}: {err}); rebuild the folder"
                             ) from err
        if not p.is_file():
            problems.append(f"{name}: missing")
        elif p.stat().st_size != want.get("bytes") or file_digest(p) != want.get("sha256"):
            problems.append(f"{name}: changed since the build that wrote the set "
                            f"(settings {record.get('settings', '?')}); a mixed set: rebuild")
    return len(files), problems


def record_matches(folder: str | os.PathLike[str], made_from: str) -> bool:
    """Whether ``folder``'s record says its files were made from ``made_from``
    (:func:`write_record`) and every one is still as written (a file changed,
    cut short or missing since is made again)."""
    try:
        count, problems = check_record(folder)  # first: it refuses a FIFO as the record
        record = json.loads((Path(folder) / RECORD_NAME).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("made_from") != made_from:
            return False
    except (OSError, ValueError, RecursionError, InputError):
        return False  # no record, or a damaged one: the files are made again
    return count > 0 and not problems


def check_records(folder: str | os.PathLike[str]) -> tuple[int, int, list[str]]:
    """:func:`check_record` for a build folder, or for every document folder of a
    collection's output (each holds its own record; OUT itself has none, and a
    multi-pair collection nests them a level deeper, ``OUT/en-fr/<id>/``).

    Returns (folders, files, problems); a problem names its file relative to
    ``folder``. Symbolic links to folders are not followed. Raises
    :class:`InputError` as :func:`check_record` does when no record is found.
    """
    base = Path(folder)
    if (base / RECORD_NAME).exists():
        count, problems = check_record(base)
        return 1, count, problems
    from bitext.batch import LEDGER_NAME
    from bitext.collection import has_corpus_stamp

    found, ledgers = [], []
    for root, dirs, names in os.walk(base):
        if RECORD_NAME in names:
            found.append(Path(root))
        elif LEDGER_NAME in names + dirs or has_corpus_stamp(Path(root)):
            # a collection's OUT (one per pair in a multi-pair one); its ledger
            # may be gone, or a folder: check_collection says so
            ledgers.append(Path(root))
    found.sort()
    if not found:
        if (base / LEDGER_NAME).is_file():
            # a collection's OUT whose run stopped before its first document ended
            raise InputError(f"{base}: a collection's output folder with no document built "
                             f"(its {LEDGER_NAME} says what was tried and why any failed); "
                             "run the same build command again to build it")
        check_record(base)  # raises the error that says what is missing
    from bitext.collection import check_collection

    files, problems = 0, []
    for sub in found:
        count, these = check_record(sub)
        files += count
        rel = sub.relative_to(base).as_posix()
        problems += [f"{rel}/{text}" for text in these]
    # a document whose last build failed, or a corpus step that did not finish,
    # leaves no record to check: the collection's ledger and corpus stamp say so
    for where in sorted(ledgers):
        rel = where.relative_to(base).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        problems += [f"{prefix}{text}" for text in check_collection(where)]
    return len(found), files, problems

