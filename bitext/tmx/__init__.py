"""Translation-memory and corpus formats: TMX, Moses, TSV, JSONL.

The entry point is :func:`write_alignment` (format from the name or ``fmt``);
:data:`FORMATS` lists the formats. :func:`read_alignment` reads any of them back;
:func:`read_tmx` / :func:`iter_pairs` read any tool's TMX; :func:`merge` and
:func:`dedupe` combine memories; :func:`validate_tmx` checks a file against
TMX 1.4b. The readers and the validator need lxml and are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bitext.tmx.base import DocPair, ExportOptions, ExportStats
from bitext.tmx.formats import FORMATS, Format, format_for_path, read_alignment, write_alignment
from bitext.tmx.memory import dedupe, merge
from bitext.tmx.writer import write_tmx

if TYPE_CHECKING:
    from bitext.tmx.reader import TmxReader, iter_pairs, read_tmx
    from bitext.tmx.validate import ValidationError, ValidationReport, validate_tmx

_LAZY = {
    "TmxReader": "bitext.tmx.reader",
    "iter_pairs": "bitext.tmx.reader",
    "read_tmx": "bitext.tmx.reader",
    "ValidationError": "bitext.tmx.validate",
    "ValidationReport": "bitext.tmx.validate",
    "validate_tmx": "bitext.tmx.validate",
}

__all__ = [
    "FORMATS",
    "DocPair",
    "ExportOptions",
    "ExportStats",
    "Format",
    "TmxReader",
    "ValidationError",
    "ValidationReport",
    "dedupe",
    "format_for_path",
    "iter_pairs",
    "merge",
    "read_alignment",
    "read_tmx",
    "validate_tmx",
    "write_alignment",
    "write_tmx",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bitext.tmx' has no attribute {name!r}")
