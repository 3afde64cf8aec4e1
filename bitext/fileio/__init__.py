"""All file input and output of bitext in one place.

* :mod:`bitext.fileio.write`: atomic writes that understand links, FIFOs and
  devices, fsync, and the removal of temporary files left by a killed run;
* :mod:`bitext.fileio.guard`: an output is never the same file as an input;
* :mod:`bitext.fileio.read`: inputs with gzip detection, damage and non-UTF-8
  bytes reported as one Error;
* :mod:`bitext.fileio.stdout`: standard output in UTF-8 whatever the locale.

The names below are imported on first use, so that the CLI's start-up, which
needs only :func:`utf8_stdout`, does not load the readers and writers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bitext.fileio.guard import check_not_input, protect_inputs
    from bitext.fileio.read import (
        LINE_END,
        check_input,
        check_regular_file,
        decompressing,
        line_spans,
        not_utf8_text,
        open_binary,
        read_lines,
        read_text,
        record_lines,
        replayable_lines,
    )
    from bitext.fileio.stdout import utf8_stdout
    from bitext.fileio.write import (
        atomic_write,
        check_output_folder,
        clean_stale_temps,
        output_kind,
        write_named,
        write_whole,
    )

_EXPORTS = {
    "check_not_input": "bitext.fileio.guard",
    "protect_inputs": "bitext.fileio.guard",
    "LINE_END": "bitext.fileio.read",
    "check_input": "bitext.fileio.read",
    "check_regular_file": "bitext.fileio.read",
    "decompressing": "bitext.fileio.read",
    "line_spans": "bitext.fileio.read",
    "not_utf8_text": "bitext.fileio.read",
    "open_binary": "bitext.fileio.read",
    "read_lines": "bitext.fileio.read",
    "read_text": "bitext.fileio.read",
    "record_lines": "bitext.fileio.read",
    "replayable_lines": "bitext.fileio.read",
    "utf8_stdout": "bitext.fileio.stdout",
    "atomic_write": "bitext.fileio.write",
    "check_output_folder": "bitext.fileio.write",
    "clean_stale_temps": "bitext.fileio.write",
    "output_kind": "bitext.fileio.write",
    "write_named": "bitext.fileio.write",
    "write_whole": "bitext.fileio.write",
}

__all__ = [
    "LINE_END",
    "atomic_write",
    "check_input",
    "check_not_input",
    "check_output_folder",
    "check_regular_file",
    "clean_stale_temps",
    "decompressing",
    "line_spans",
    "not_utf8_text",
    "open_binary",
    "output_kind",
    "protect_inputs",
    "read_lines",
    "read_text",
    "record_lines",
    "replayable_lines",
    "utf8_stdout",
    "write_named",
    "write_whole",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bitext.fileio' has no attribute {name!r}")
