"""The process's standard output as every command writes it.

Apart from the rest of :mod:`bitext.fileio` because :func:`bitext.cli.main`
calls it before every command, ``bitext --help`` included: it imports nothing
beyond the standard streams (the writers' modules load gzip, hashlib, socket
and secrets).
"""

from __future__ import annotations

import codecs
import io
import sys


def utf8_stdout() -> None:
    """Make stdout encode UTF-8 whatever the locale says, as every output file
    does: under ``LANG=C`` with Python's UTF-8 mode off, or an ISO-8859-1
    locale, a TMX, a JSONL or a report holding Chinese sent to stdout ended
    with a UnicodeEncodeError traceback (and a TMX declares UTF-8 anyway)."""
    stream = sys.stdout
    if stream is None or not isinstance(stream, io.TextIOWrapper):
        return  # closed at start (>&-), or replaced by a test harness
    try:
        if codecs.lookup(stream.encoding).name == "utf-8":
            return
    except LookupError:
        pass
    stream.reconfigure(encoding="utf-8")
