"""All file input and output of bitext in one place.

* :mod:`bitext.fileio.write`: atomic writes that understand links, FIFOs and
  devices, fsync, and the removal of temporary files left by a killed run;
* :mod:`bitext.fileio.guard`: an output is never the same file as an input;
* :mod:`bitext.fileio.read`: inputs with gzip detection, damage and non-UTF-8
  bytes reported as one Error.
"""

from __future__ import annotations

from bitext.fileio.guard import check_not_input, protect_inputs
from bitext.fileio.read import (
    LINE_END,
    check_input,
    check_regular_file,
    decompressing,
    line_spans,
    open_binary,
    read_lines,
    read_text,
    record_lines,
    replayable_lines,
)
from bitext.fileio.write import (
    atomic_write,
    check_output_folder,
    clean_stale_temps,
    output_kind,
    utf8_stdout,
    write_whole,
)

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
    "open_binary",
    "output_kind",
    "protect_inputs",
    "read_lines",
    "read_text",
    "record_lines",
    "replayable_lines",
    "utf8_stdout",
    "write_whole",
]
