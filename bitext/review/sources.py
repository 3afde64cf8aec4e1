"""Find the documents of a ``bitext build`` output folder and read them.

A build writes, per document, ``NAME.sentences.tmx`` and ``NAME.jsonl`` (the
sentence links with scores, labels and indices) and usually ``NAME.tbx`` (the
glossary). One corpus writes them into OUT itself; several corpora into
``OUT/NAME/`` (or deeper, for a batch build). Every folder under OUT that holds
such a pair is one document of the review. The files are read through the
project's own readers (:func:`bitext.tmx.read_alignment`,
:func:`bitext.glossary.read_glossary`), never parsed here.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from bitext.errors import InputError

log = logging.getLogger(__name__)

SENTENCES_SUFFIX = ".sentences.tmx"
# A batch build nests OUT/<batch>/<id>/; deeper than this is not a build layout
# and walking it (a user's home folder given by mistake) would take long. A
# collection's documents lie as deep as their ids (folders of the TREE, at any
# depth): a folder holding a collection's manifest is walked to the end.
MAX_DEPTH = 4
_SKIP_DIRS = {".git", "__pycache__", "node_modules"}


@dataclass(frozen=True)
class DocSource:
    """One document's build outputs. ``id`` is its folder relative to OUT plus its
    name (``un-som-2016`` or ``batch/A_71_1/A_71_1``); the client names documents
    by this id only, and it is looked up, never joined into a path."""

    id: str
    name: str
    folder: Path
    links: Path
    glossary: Path | None


def find_documents(out: str | os.PathLike[str]) -> list[DocSource]:
    """Every document under ``out``, sorted by id. Raises if there is none."""
    from bitext.batch import LEDGER_NAME

    root = Path(out)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; give the output folder of bitext build")
    found: list[DocSource] = []
    collections: set[Path] = set()  # folders inside a collection's output: no depth cap
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        depth = len(here.relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        if here.parent in collections or LEDGER_NAME in files:
            collections.add(here)
        elif depth >= MAX_DEPTH:
            dirs[:] = []
        names = set(files)
        for file in sorted(files):
            if not file.endswith(SENTENCES_SUFFIX):
                continue
            name = file[: -len(SENTENCES_SUFFIX)]
            if f"{name}.jsonl" not in names:
                log.warning("%s: %s has no %s.jsonl beside it; skipped", here, file, name)
                continue
            rel = here.relative_to(root).as_posix()
            ident = name if rel in ("", ".") or rel == name else f"{rel}/{name}"
            if any(d.id == ident for d in found):  # OUT/x.* beside OUT/x/x.*
                ident = f"{rel}/{name}"
            tbx = here / f"{name}.tbx"
            found.append(DocSource(ident, name, here, here / f"{name}.jsonl",
                                   tbx if tbx.is_file() else None))
    if not found:
        raise InputError(
            f"{root}: no build outputs found (NAME.sentences.tmx with NAME.jsonl); "
            "run bitext build CORPUS -o OUT first"
        )
    found.sort(key=lambda d: d.id)
    return found
