"""Opening input files: gzip found by its magic bytes, damage reported as an Error.

A damaged or truncated gzip stream raises ``zlib.error``, ``gzip.BadGzipFile`` or
``EOFError`` from deep inside a parser; here every one of them becomes an
:class:`~bitext.errors.InputError` that names the file, whoever is reading.
Text inputs that bitext itself writes (JSONL, TSV, bead files) are UTF-8; a byte
sequence that is not UTF-8 is reported with its line, never as a traceback.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import IO, Any, cast

from bitext.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
#: Largest ratio of unpacked to compressed bytes a gzip input may have. Measured:
#: bitext's corpus.tmx.gz 4x, the UN test set and the Bible at gzip -9 2-3x;
#: a very repetitive file reaches about 100x, a bomb gzip's maximum, 1,000x,
#: which unpacked a 0.5 MB .tmx.gz into 500 MB of memory as one XML token.
GZIP_MAX_RATIO = 200
#: Below this many unpacked bytes a file cannot hurt, whatever its ratio.
GZIP_RATIO_FLOOR = 16 * 2**20


class _CheckedStream(io.RawIOBase):
    """A readable stream whose decompression errors become InputError."""

    def __init__(self, inner: IO[bytes], name: str, limit: int | None = None, *,
                 close_inner: bool = True, packed: _CheckedStream | None = None) -> None:
        super().__init__()
        self._inner = inner
        self._close_inner = close_inner
        self.name = name
        self._limit = limit  # bytes that may be read from a stream that may not end
        self._count = 0
        #: the compressed stream ``inner`` inflates (its count is the bytes it took)
        self._packed = packed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (zlib.error, gzip.BadGzipFile, EOFError) as err:
            raise damaged(self.name, err) from err
        except OSError as err:
            raise InputError(unreadable(self.name, err)) from err
        self._count += len(data)
        if (self._packed is not None and self._count > GZIP_RATIO_FLOOR
                and self._count > GZIP_MAX_RATIO * self._packed._count):
            raise InputError(
                f"{self.name}: unpacks to more than {GZIP_MAX_RATIO} times its compressed "
                "size (a gzip bomb?); if the file is genuine, unpack it first "
                "(gunzip -k FILE) and give the unpacked file")
        if self._limit is not None and self._count > self._limit:
            from bitext.limits import STREAM_BYTES_PER_TEXT_BYTE, too_big

            raise too_big(self.name, self._count,
                          self._limit / 1e6 / STREAM_BYTES_PER_TEXT_BYTE, more=True)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            if self._close_inner:
                self._inner.close()
            if self._packed is not None:  # GzipFile leaves the file it reads open
                self._packed.close()
        finally:
            super().close()


def damaged(name: str, err: BaseException) -> InputError:
    """The InputError for a compressed file that cannot be decompressed."""
    if isinstance(err, EOFError):
        what = "it ends before the end of the compressed data (truncated)"
    elif isinstance(err, gzip.BadGzipFile) and ("CRC" in str(err) or "length of" in str(err)):
        what = f"its checksum does not match ({err})"
    else:
        what = f"the compressed data is damaged ({err})"
    return InputError(f"{name}: cannot decompress: {what}; copy or download the file again")


def _regular(fh: IO[bytes]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False  # an in-memory or wrapped stream (a test's stdin)


def missing(path: str | os.PathLike[str]) -> str:
    """Why ``path`` cannot be opened when it does not exist: "no such file", or
    what a listing shows there (a link loop, or a broken link and where it points):
    'no such file' named a file that ``ls`` lists."""
    import errno

    name = os.fspath(path)
    try:
        os.stat(name)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return ("a symbolic link loop (a link that leads back to itself; "
                    "ls -l shows where each link points)")
        if os.path.islink(name):
            try:
                target = os.readlink(name)
            except OSError:
                return "a broken symbolic link"
            return f"a broken symbolic link (to {target}, which does not exist)"
    return "no such file"


def not_a_folder(path: str | os.PathLike[str]) -> str:
    """Why ``path``, given as a folder, is none: a link loop or a broken link as
    :func:`missing` names them ('not a folder' named a link that ``ls`` lists as
    a link), "no such folder" where nothing is there (as :func:`missing` says
    "no such file"), else "not a folder"."""
    name = os.fspath(path)
    if os.path.islink(name) and not os.path.exists(name):
        return missing(name)
    if not os.path.lexists(name):
        return "no such folder"
    return "not a folder"


def surrogate_at(text: str) -> int | None:
    """The index of the first character of ``text`` that UTF-8 cannot write, or
    None when there is none. Such a character is a surrogate: a byte of a file or
    folder name that is not UTF-8 (Python reads it as a surrogate escape), or half
    a character (a lone ``\\ud800`` escape of JSON). The one check of whether a
    name or text read from outside can be written into a UTF-8 output."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        return err.start
    return None


def shown_id(doc_id: str) -> str:
    """A document id as a terminal line shows it: bytes of a folder name that are
    not UTF-8 (read as surrogate escapes) written as ``\\xff``, not ``\\udcff``."""
    return doc_id.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_input(path: str | os.PathLike[str], hint: str = "check the path") -> None:
    """Raise :class:`InputError` unless ``path`` (``-``: stdin) names something to
    read: a missing path or a folder is refused, ending with ``hint``.

    A FIFO or a device (``<(zcat a.gz)``, ``/dev/stdin``) is an input like a
    regular file: its readers are bounded (:func:`open_binary`, :func:`read_lines`),
    so an input that never ends is refused at the size limit, not read for ever.
    """
    name = os.fspath(path)
    if name == "-":
        return
    if os.path.isdir(name):
        raise InputError(f"{name}: is a folder, not a file; {hint}")
    if not os.path.exists(name):
        raise InputError(f"{name}: {missing(name)}; {hint}")


def check_regular_file(path: str | os.PathLike[str], why: str) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (links followed).

    For readers that must read a file whole before its turn, or more than once
    (a collection hashes every input to know what a rerun may skip): a FIFO
    would block them until a writer comes, and a device such as ``/dev/zero``
    never ends. ``why`` says what needs a file. ``os.stat`` does not open the
    path, so it never blocks on a FIFO.
    """
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return  # missing or unreadable: the reader's own Error says so, naming the file
    if stat.S_ISREG(mode):
        return
    raise InputError(f"{name}: is {kind_of(mode)}, not a regular file; {why}")


def sqlite_file_problem(path: str | os.PathLike[str]) -> str | None:
    """``FILE: is a named pipe (FIFO)`` when a SQLite database at ``path``, or one
    of the files SQLite keeps beside it in WAL mode (``-wal``, ``-shm``), exists
    and is no regular file (links followed, as SQLite follows them); else None.

    SQLite says 'disk I/O error' or 'unable to open database file' of a FIFO or
    a folder there, makes a new database beside a ``-shm`` FIFO and deletes a
    ``-wal`` one. ``os.stat`` never blocks on a FIFO."""
    name = os.fspath(path)
    for each in (name, f"{name}-wal", f"{name}-shm"):
        try:
            mode = os.stat(each).st_mode
        except OSError:
            continue  # none yet (SQLite makes it), or unreadable: SQLite says so
        if not stat.S_ISREG(mode):
            return f"{each}: is {kind_of(mode)}"
    return None


def unreadable(name: str | os.PathLike[str], err: OSError) -> str:
    """Why ``name`` cannot be read, and what to do, for an Error line: what the
    path is when it is no file (a socket gave 'No such device or address'),
    else the system's words and a fix by the error."""
    import errno

    if err.errno == errno.ELOOP:  # named as every other reader names it
        return f"{os.fspath(name)}: {missing(name)}; check the path"
    try:
        mode = os.stat(name).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode) and not stat.S_ISFIFO(mode) and not stat.S_ISCHR(mode):
        return f"{os.fspath(name)}: is {kind_of(mode)}, not a file; give a file"
    fix = {errno.EACCES: "check its permissions (ls -l), or run as a user who may read it",
           errno.EPERM: "check its permissions (ls -l), or run as a user who may read it",
           errno.EIO: "check the disk and its cable or mount, then try again"
           }.get(err.errno or 0, "check the file")
    return f"{os.fspath(name)}: cannot read ({err.strerror or err}); {fix}"


def kind_of(mode: int) -> str:
    """What a path whose ``st_mode`` is ``mode`` is, in words ("a named pipe (FIFO)")."""
    return ("a regular file" if stat.S_ISREG(mode) else "a folder" if stat.S_ISDIR(mode)
            else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")


def is_pipe(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a named pipe (a FIFO, the shell's ``<(zcat x.tmx.gz)``),
    which gives its bytes once: a reader that reads a file twice (its kind, then
    its content) reads it into the memory first. False for a path that cannot
    be looked at (missing, unreadable): its reader says where it fails."""
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_bounded(fh: IO[bytes], name: str, max_bytes: int | None) -> bytes:
    """All of ``fh`` (named ``name``), or the Error of :func:`bitext.limits.too_big`
    once more than ``max_bytes`` came (:func:`bitext.limits.stream_budget`: the
    limit's text in UTF-32), so a stream that never ends is refused, not read
    into the memory; ``None``: no bound."""
    if max_bytes is None:
        return fh.read()
    # In 1 MiB blocks: an endless stream is never asked for all at once. ``fh``
    # stays open: it is the caller's (stdin, or a file in its own with block).
    with _CheckedStream(fh, name, max_bytes, close_inner=False) as stream:
        return b"".join(iter(lambda: stream.read(1 << 20) or b"", b""))


def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes, for an input named ``-``.

    Raises :class:`InputError` when the command was started with stdin closed
    (``<&-``): Python's ``sys.stdin`` is ``None`` then.
    """
    if sys.stdin is None:
        raise InputError("cannot read standard input: it is closed (the command was started "
                         "with <&-); give an input file, or pipe one in")
    return sys.stdin.buffer


def open_binary(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> IO[bytes]:
    """Open ``path`` (``-`` for stdin) for reading bytes, decompressing gzip.

    The stream raises :class:`InputError` on a missing file, a folder, or damaged
    compressed data, naming ``path``. ``max_bytes``: a stream that is not a
    regular file (stdin, a FIFO, a device such as ``/dev/zero``) is refused after
    that many bytes, as :func:`read_bounded` does, for readers whose memory or
    time would otherwise grow without end on an input that never ends (a regular
    file's size is checked before it is read).
    """
    name = os.fspath(path)
    if name == "-":
        raw: IO[bytes] = stdin_bytes()
        name = "<stdin>"
    else:
        if os.path.isdir(name):
            raise InputError(f"{name}: is a folder, not a file")
        try:
            raw = open(name, "rb")  # noqa: SIM115 -- returned to the caller
        except FileNotFoundError as err:
            raise InputError(f"cannot read {name}: {missing(name)}; check the path") from err
        except OSError as err:
            raise InputError(unreadable(name, err)) from err
    if max_bytes is not None and not _regular(raw):
        raw = cast(IO[bytes], io.BufferedReader(_CheckedStream(raw, name, max_bytes)))
    return decompressing(raw, name)


def decompressing(raw: IO[bytes], name: str) -> IO[bytes]:
    """``raw`` as a byte stream, gunzipped when it starts with the gzip magic; read
    errors and damaged compressed data raise :class:`InputError` naming ``name``."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(
        cast(io.RawIOBase, raw))
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        # Counted on both sides: the unpacked bytes may not outgrow the packed
        # ones by more than GZIP_MAX_RATIO (a bomb), whatever reads them.
        packed = _CheckedStream(buffered, name, close_inner=True)
        inner: IO[bytes] = cast(IO[bytes], gzip.GzipFile(
            fileobj=cast(IO[bytes], io.BufferedReader(packed)), mode="rb"))
        return cast(IO[bytes], io.BufferedReader(_CheckedStream(inner, name, packed=packed)))
    return cast(IO[bytes], io.BufferedReader(_CheckedStream(buffered, name)))


#: What a not-UTF-8 line's Error says to do, by default: for bitext's own
#: outputs and gold files (a list a user writes says how to save it instead).
NOT_UTF8 = "is this the right file? bitext reads its own outputs and gold files as UTF-8"


def read_lines(path: str | os.PathLike[str], *, not_utf8: str = NOT_UTF8
               ) -> Generator[str, None, None]:
    """The lines of a UTF-8 text file (gzip allowed), without their line ends
    (:data:`LINE_END`).

    A line is read up to :func:`bitext.limits.stream_budget` bytes (a record of
    an input at the size limit); a longer one is an Error, so an input with no
    line breaks cannot fill the memory.

    A UTF-8 byte-order mark is skipped. Raises :class:`InputError` naming the
    file and line when the bytes are not UTF-8 (a binary file, another encoding).
    """
    with open_binary(path) as fh:
        yield from _lines_of(fh, os.fspath(path), not_utf8)


def _utf16_text(raw: bytes) -> bool:
    """True when ``raw``, a file's first line, opens with UTF-16's byte-order mark
    and reads as printable UTF-16 text (a UTF-32 mark, or binary bytes that
    happen to open the same way, do not)."""
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        text = raw[: len(raw) // 2 * 2].decode("utf-16")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and all(c.isprintable() or c in "\t\r\n" for c in text)


def utf16_text(name: str | os.PathLike[str]) -> str:
    """The Error for a text input in UTF-16: a spreadsheet's "Unicode text"."""
    return (f"{os.fspath(name)}: UTF-16 text (as a spreadsheet saves 'Unicode text'); bitext "
            "reads its lists and gold files as UTF-8: save it as UTF-8 (CSV/TSV UTF-8, or "
            "iconv -f UTF-16 -t UTF-8)")


def not_utf8_text(data: bytes, name: str | os.PathLike[str], err: UnicodeDecodeError,
                  not_utf8: str = NOT_UTF8) -> str:
    """The Error for a whole text file, ``data``, that is not UTF-8 (``err``):
    UTF-16 named as such, else the line and byte where the bytes stop being UTF-8."""
    first = data.split(b"\n", 1)[0]
    if _utf16_text(first + (b"\n" if len(data) > len(first) else b"")):
        return utf16_text(name)
    line = data.count(b"\n", 0, err.start) + 1
    byte = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
    return f"{os.fspath(name)}:{line}: not UTF-8 text (byte {byte} of the line); {not_utf8}"


def _lines_of(fh: IO[bytes], name: str, not_utf8: str = NOT_UTF8
              ) -> Generator[str, None, None]:
    """:func:`read_lines` of an open byte stream named ``name``; ``not_utf8``:
    what the Error for a line that is not UTF-8 says to do."""
    from bitext.limits import stream_budget

    longest = stream_budget() or sys.maxsize
    n = 0
    for raw in iter(lambda: fh.readline(longest + 1), b""):
        n += 1
        if len(raw) > longest:
            # A line past any record bitext writes: a binary file, or a stream
            # with no line breaks that may never end (/dev/zero).
            raise InputError(
                f"{name}:{n}: a line longer than {longest / 1e6:.0f} MB; is this the "
                "right file? bitext's JSONL, TSV and bead files hold one record a line")
        if n == 1 and raw.startswith(GZIP_MAGIC):
            # open_binary unpacked the outer gzip: bytes that start with its
            # magic again are a second gzip (gzip run on a .gz), not text.
            raise InputError(
                f"{name}: compressed twice (a gzip inside the gzip); unpack it once "
                "(gunzip -c FILE.gz > FILE, where FILE ends in .gz) and give that")
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        elif n == 1 and _utf16_text(raw):
            raise InputError(utf16_text(name))
        # A chunk ends at LF (or the end of the file); the CRs in it end lines too.
        last = not raw.endswith(b"\n")  # readline stops short of a LF at the end only
        if raw.endswith(b"\n"):
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        elif raw.endswith(b"\r"):
            raw = raw[:-1]
        pieces = raw.split(b"\r") if b"\r" in raw else [raw]
        for i, piece in enumerate(pieces):
            try:
                line = piece.decode("utf-8")
            except UnicodeDecodeError as err:
                if (last and i == len(pieces) - 1 and err.end == len(piece)
                        and err.reason == "unexpected end of data"):
                    raise InputError(
                        f"{name}:{n}: the file ends in the middle of a character (byte "
                        f"{err.start + 1} of its last line begins one it does not "
                        "finish): it is not whole (cut short in a copy or a download?); "
                        "copy or download it again") from err
                raise InputError(f"{name}:{n}: not UTF-8 text (byte {err.start + 1} of "
                                 f"the line); {not_utf8}") from err
            yield line
            n += 1
        n -= 1


def replayable_lines(path: str | os.PathLike[str]) -> Callable[[], Iterable[str]]:
    """A function that gives the lines of ``path`` (see :func:`read_lines`) each time
    it is called, for readers that pass over their input twice.

    A regular file is read again each time. Stdin, a FIFO (``<(zcat x.gz)``) or a
    device can be read once only: opened a second time a FIFO waits for a writer
    for ever and stdin is at its end, so such an input is read once and kept in
    memory, up to :func:`bitext.limits.stream_budget` characters (an Error past it:
    a stream may never end)."""
    from bitext.limits import stream_budget

    name = os.fspath(path)
    if name != "-":
        try:
            if stat.S_ISREG(os.stat(name).st_mode):
                return lambda: read_lines(path)
        except OSError:
            return lambda: read_lines(path)  # read_lines says what is wrong
    shown = "<stdin>" if name == "-" else name
    budget = stream_budget() or sys.maxsize
    kept: list[str] = []
    size = 0
    with open_binary(path) as fh:
        for line in _lines_of(fh, shown):
            size += len(line) + 1
            if size > budget:
                raise InputError(
                    f"{shown}: a stream of more than {budget / 1e6:.0f} MB, which this "
                    "command reads twice and so keeps in memory; save it to a file first "
                    "and give the file's path")
            kept.append(line)
    return lambda: kept


#: Where a line of a text file ends, for every reader of lines (TSV, JSONL, bead
#: files, gold files, one-sentence-per-line text, the cleaner's lines): LF (Unix),
#: CRLF (Windows) or a lone CR (classic Mac OS; Excel for Mac still writes it as
#: "CSV (Macintosh)"). A CR inside a line is no text (JSON forbids it raw in a
#: string), so ending a line there loses nothing, while a reader ending lines at
#: LF only reads a CR-only file as one line (one sentence, one record). Never
#: U+2028, U+2029, NEL, VT or a form feed as ``str.splitlines`` does: a cell, a
#: JSON string (JSON leaves U+2028 unescaped) or a sentence may hold them.
LINE_END = re.compile("\r\n|\n|\r")


def record_lines(text: str) -> list[str]:
    """The lines of a text file held as text, ended by :data:`LINE_END`.

    A record cut where ``str.splitlines`` cuts (U+2028, NEL) is misread and later
    line numbers are wrong. A final line end adds no empty record, as with
    ``splitlines``.
    """
    lines = LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of :func:`record_lines` in ``text``, its line
    end left out."""
    start = 0
    for m in LINE_END.finditer(text):
        yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def read_text(path: str | os.PathLike[str], *, not_utf8: str = NOT_UTF8) -> str:
    """A whole UTF-8 text file (see :func:`read_lines`), lines joined with ``\\n``."""
    return "\n".join(read_lines(path, not_utf8=not_utf8))


class _DuplicateKey(ValueError):
    """A JSON object naming one key twice (json.loads keeps the last silently)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def json_object(line: str, where: str, hint: str = "", *, unique_keys: bool = False
                ) -> dict[str, Any]:
    """One line of a JSONL file as a JSON object; one :class:`InputError` naming
    ``where`` (``FILE:LINE``) otherwise, ending with ``hint`` (what to give).
    ``unique_keys``: an object naming a key twice is an error too (for a line whose
    keys are settings, where the value json.loads keeps, the last, is a guess)."""
    import json

    tail = f"; {hint}" if hint else ""
    try:
        obj = json.loads(line, object_pairs_hook=_unique if unique_keys else None)
    except _DuplicateKey as err:
        raise InputError(f"{where}: the line names {str(err)!r} twice{tail}") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not a JSON object ({err.msg}){tail}") from err
    except RecursionError as err:  # brackets nested deeper than Python's stack
        raise InputError(f"{where}: not a JSON object (nested too deep){tail}") from err
    except ValueError as err:  # an integer past Python's str-to-int digit limit
        raise InputError(f"{where}: not a JSON object (a number of more than "
                         f"{sys.get_int_max_str_digits()} digits){tail}") from err
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object per line{tail}")
    return obj


def read_json_lines(path: str | os.PathLike[str], hint: str = ""
                    ) -> Generator[tuple[int, dict[str, Any]], None, None]:
    """``(line number, object)`` for each non-blank line of a JSONL file (gzip
    allowed, UTF-8 checked: :func:`read_lines`); errors as :func:`json_object`."""
    name = os.fspath(path)
    for n, line in enumerate(read_lines(path), start=1):
        if line.strip():
            yield n, json_object(line, f"{name}:{n}", hint)
