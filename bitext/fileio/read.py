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
import sys
import zlib
from collections.abc import Generator
from typing import IO, Any, cast

from bitext.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"


class _CheckedStream(io.RawIOBase):
    """A readable stream whose decompression errors become InputError."""

    def __init__(self, inner: IO[bytes], name: str) -> None:
        super().__init__()
        self._inner = inner
        self.name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (zlib.error, gzip.BadGzipFile, EOFError) as err:
            raise damaged(self.name, err) from err
        except OSError as err:
            raise InputError(f"{self.name}: cannot read ({err.strerror or err})") from err
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
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


def open_binary(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` (``-`` for stdin) for reading bytes, decompressing gzip.

    The stream raises :class:`InputError` on a missing file, a folder, or damaged
    compressed data, naming ``path``.
    """
    name = os.fspath(path)
    if name == "-":
        raw: IO[bytes] = sys.stdin.buffer
        name = "<stdin>"
    else:
        if os.path.isdir(name):
            raise InputError(f"{name}: is a folder, not a file")
        try:
            raw = open(name, "rb")  # noqa: SIM115 -- returned to the caller
        except FileNotFoundError as err:
            raise InputError(f"cannot read {name}: no such file; check the path") from err
        except OSError as err:
            raise InputError(f"cannot read {name}: {err.strerror}") from err
    return decompressing(raw, name)


def decompressing(raw: IO[bytes], name: str) -> IO[bytes]:
    """``raw`` as a byte stream, gunzipped when it starts with the gzip magic; read
    errors and damaged compressed data raise :class:`InputError` naming ``name``."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(
        cast(io.RawIOBase, raw))
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        inner: IO[bytes] = cast(IO[bytes], gzip.GzipFile(fileobj=buffered, mode="rb"))
        return cast(IO[bytes], io.BufferedReader(_CheckedStream(inner, name)))
    return cast(IO[bytes], io.BufferedReader(_CheckedStream(buffered, name)))


def read_lines(path: str | os.PathLike[str]) -> Generator[str, None, None]:
    """The lines of a UTF-8 text file (gzip allowed), without their line ends.

    A UTF-8 byte-order mark is skipped. Raises :class:`InputError` naming the
    file and line when the bytes are not UTF-8 (a binary file, another encoding).
    """
    name = os.fspath(path)
    with open_binary(path) as fh:
        for n, raw in enumerate(fh, start=1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{name}:{n}: not UTF-8 text (byte {err.start + 1} of the line); "
                    "is this the right file? bitext reads its own outputs and gold files "
                    "as UTF-8"
                ) from err
            yield line[:-1] if line.endswith("\n") else line


def read_text(path: str | os.PathLike[str]) -> str:
    """A whole UTF-8 text file (see :func:`read_lines`), lines joined with ``\\n``."""
    return "\n".join(read_lines(path))


def json_object(line: str, where: str, hint: str = "") -> dict[str, Any]:
    """One line of a JSONL file as a JSON object; one :class:`InputError` naming
    ``where`` (``FILE:LINE``) otherwise, ending with ``hint`` (what to give)."""
    import json

    tail = f"; {hint}" if hint else ""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not a JSON object ({err.msg}){tail}") from err
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
