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
from bitext.types import AlignedPair, Alignment

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
    name, the name left out where the folder ends with it (``un-som-2016``,
    ``batch/A_71_1``, ``en-fr/2015/s/2015/305``, ``out/report.en-fr``); the client
    names documents by this id only, and it is looked up, never joined into a
    path. ``aliases``: the ids earlier versions gave it (``batch/A_71_1/A_71_1``),
    under which a review database may hold its decisions."""

    id: str
    name: str
    folder: Path
    links: Path
    glossary: Path | None
    aliases: tuple[str, ...] = ()

    @property
    def memory(self) -> Path:
        """The build's sentence TMX (``NAME.sentences.tmx``)."""
        return self.folder / f"{self.name}{SENTENCES_SUFFIX}"


def check_built_file(path: Path) -> None:
    """Refuse a build output that is no regular file (a named pipe, a device put
    where the build wrote NAME.jsonl, NAME.sentences.tmx or NAME.tbx): its
    reader opened a FIFO and waited for a writer for ever, holding the
    workbench's lock, so every page of the review hung. A missing file is left
    to its reader, which names it; a link to nothing is named here, where the
    XML reader said 'failed to load ...: No such file or directory' of a file
    that ``ls`` lists."""
    from bitext.outputs import check_own_file

    if path.is_symlink() and not path.exists():
        from bitext.fileio.read import missing

        raise InputError(f"{path}: {missing(path)}; remove it and build the document again")
    check_own_file(path, "build output", fix="remove it and build the document again",
                   error=InputError)


def read_links(source: DocSource) -> Alignment:
    """The document's sentence links as the build made them.

    The links come from ``NAME.jsonl``, which names English first and carries no
    settings; the build's TMX header says which side the aligner took as SRC
    (``x-bead-order``, ``zh-en`` for a zh-en build) and with which settings
    (``x-signature``). Both are taken from it, so that the reviewed exports keep
    the build's bead convention and signature. A header that cannot be read
    leaves the JSONL's order and no signature, with a warning.
    """
    from bitext.errors import BitextError
    from bitext.tmx import TmxReader, read_alignment

    for path in (source.links, source.memory):
        check_built_file(path)
    alignment = read_alignment(source.links, "jsonl")
    try:
        with TmxReader(source.memory) as reader:
            header = reader.header
    except (BitextError, OSError) as err:
        log.warning("%s: header not read (%s); the export names %s first and carries "
                    "no build signature", source.memory, err, alignment.src_lang)
        return alignment
    order = header.props.get("x-bead-order", "").split("-")
    pairs = alignment.pairs
    src, tgt = alignment.src_lang, alignment.tgt_lang
    if order == [tgt, src]:
        src, tgt = tgt, src
        pairs = tuple(AlignedPair(p.tgt, p.src, p.score, p.label, p.tgt_ids, p.src_ids)
                      for p in pairs)
    return Alignment(src, tgt, pairs, alignment.level,
                     header.signature or dict(alignment.signature), alignment.doc_id)


def find_documents(out: str | os.PathLike[str]) -> list[DocSource]:
    """Every document under ``out``, sorted by id. Raises if there is none."""
    from bitext.batch import LEDGER_NAME

    root = Path(out)
    if not root.is_dir():
        from bitext.fileio.read import not_a_folder

        raise InputError(f"{root}: {not_a_folder(root)}; give the output folder of bitext build")
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
            ident = (name if rel in ("", ".") else rel if rel.rsplit("/", 1)[-1] == name
                     else f"{rel}/{name}")
            if any(d.id == ident for d in found):  # OUT/x.* beside OUT/x/x.*
                ident = f"{rel}/{name}"
            # the id until session 23 repeated the name (OUT/b/c/c.*: b/c/c)
            aliases = (f"{rel}/{name}",) if ident == rel and "/" in rel else ()
            tbx = here / f"{name}.tbx"
            # Whatever is there (a FIFO, a folder, a link to nothing) is kept for
            # the glossary's reader to name: taken for no glossary, the page said
            # the build wrote none and the export left the TBX out without a word.
            found.append(DocSource(ident, name, here, here / f"{name}.jsonl",
                                   tbx if os.path.lexists(tbx) else None, aliases))
    if not found:
        raise InputError(
            f"{root}: no build outputs found (NAME.sentences.tmx with NAME.jsonl); "
            "run bitext build CORPUS -o OUT first"
        )
    found.sort(key=lambda d: d.id)
    return found
