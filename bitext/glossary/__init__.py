"""Terminology: bilingual term extraction and TBX glossaries.

::

    from bitext.glossary import make_glossary, read_memories, write_glossary_files
    glossary = make_glossary(read_memories(["eluna.tmx.gz", "job.xlf"]))  # ranked and cut
    write_glossary_files(glossary, [("terms.tbx", "tbx")], sources=["eluna.tmx.gz", "job.xlf"])

The names below are imported on first use, so ``import bitext.glossary`` stays
cheap (jieba, numpy and lxml load only when extracting or writing).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bitext.glossary.evaluate import evaluate_glossary
    from bitext.glossary.extract import extract_glossary
    from bitext.glossary.formats import FORMATS, read_glossary, write_glossary
    from bitext.glossary.memories import read_memories
    from bitext.glossary.model import Concept, Example, Term
    from bitext.glossary.run import make_glossary, write_glossary_files
    from bitext.glossary.tbx import validate_tbx

_EXPORTS = {
    "extract_glossary": "bitext.glossary.extract",
    "make_glossary": "bitext.glossary.run",
    "write_glossary_files": "bitext.glossary.run",
    "read_memories": "bitext.glossary.memories",
    "write_glossary": "bitext.glossary.formats",
    "read_glossary": "bitext.glossary.formats",
    "FORMATS": "bitext.glossary.formats",
    "validate_tbx": "bitext.glossary.tbx",
    "evaluate_glossary": "bitext.glossary.evaluate",
    "Concept": "bitext.glossary.model",
    "Example": "bitext.glossary.model",
    "Term": "bitext.glossary.model",
}

__all__ = [
    "FORMATS",
    "Concept",
    "Example",
    "Term",
    "evaluate_glossary",
    "extract_glossary",
    "make_glossary",
    "read_glossary",
    "read_memories",
    "validate_tbx",
    "write_glossary",
    "write_glossary_files",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bitext.glossary' has no attribute {name!r}")
