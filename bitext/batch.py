"""Collections: find the documents, keep the run ledger, decide what to redo.

A collection is every corpus folder under one or more trees (or the rows of a
manifest file). Each document is built by :func:`bitext.build.try_build` on an
engine (:mod:`bitext.engines`); this module only decides *what* to build and
records what happened:

* :func:`discover` walks the trees; :func:`read_manifest` reads a TSV/JSONL list.
* :class:`Ledger` is ``OUT/manifest.jsonl``: one JSON line per finished
  document (id, input hashes, settings signature, status, counts, time, error),
  appended and fsync'ed as each document ends, so a run killed halfway loses
  only the documents in flight.
* :func:`run_batch` skips documents whose inputs, settings and outputs are
  unchanged, builds the rest, and returns a :class:`BatchReport`.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bitext.build import (
    EXTENSIONS,
    BuildResult,
    BuildSettings,
    SourceDocument,
    find_language_file,
    names_a_language,
    plan_outputs,
)
from bitext.errors import DiskFullError, ExportError, InputError
from bitext.fileio.guard import file_identity
from bitext.fileio.read import shown_id, surrogate_at

if TYPE_CHECKING:
    from bitext.engines import Engine

log = logging.getLogger(__name__)

LEDGER_NAME = "manifest.jsonl"


# --------------------------------------------------------------------------- discovery

def is_corpus_folder(folder: Path, langs: Sequence[str]) -> bool:
    """True when ``folder`` directly holds a file of at least one of ``langs``.

    A folder with only some languages still counts: it is a document that will
    fail with a clear error, rather than one that silently disappears.
    """
    return any(find_language_file(folder, lang, warn=False) is not None for lang in langs)


def discover(trees: Sequence[Path], langs: Sequence[str],
             exclude: Sequence[Path] = ()) -> list[SourceDocument]:
    """Every corpus folder under ``trees``, as documents sorted by id.

    The id is the folder's path relative to its tree (``/`` separated); a tree
    that is itself a corpus folder gives the id of its own name. Folders whose
    name starts with ``.`` and the ``exclude`` folders (the output folder) are
    skipped. A folder that cannot be listed is a document of its own, with no
    files and :attr:`~bitext.build.SourceDocument.unreadable` saying why: the
    run records it failed. Raises :class:`~bitext.errors.InputError` for a
    tree that does not exist, cannot be listed or holds no corpus folder, or
    for two trees giving the same id.

    Each folder is listed once and its names matched for every language in
    memory (globbing it per language and pattern took 0.5 CPU s for the 731 UN
    documents and six languages, the listing 0.1 s). The folders found do not
    depend on ``langs``, so one scan with every language serves any pair of
    them (:func:`restrict`).
    """
    # Folders are compared by device and inode: one ``stat`` where resolving the
    # path took one per part of it (the scan of the 731 UN documents: 0.21 ->
    # 0.11 CPU s with the cheaper matching in _document).
    skip = {ident for p in exclude if (ident := file_identity(p)) is not None}
    found: dict[str, SourceDocument] = {}
    origin: dict[str, Path] = {}  # the folder each id comes from
    for tree in trees:
        if not tree.is_dir():
            from bitext.fileio.read import not_a_folder

            raise InputError(f"{tree}: {not_a_folder(tree)}; give folders that hold corpus folders "
                             "(each with zh.* and en.*)")
        for given in exclude:
            # The scan skips the output folder: one that is a corpus folder of the
            # tree would lose its document without a word.
            folder = given.resolve()
            if tree.resolve() in folder.parents and _document_files(folder):
                raise InputError(
                    f"{given}: the output folder is a corpus folder of {tree} (it holds "
                    f"{', '.join(_document_files(folder)[:2])}), whose document would be left "
                    "out; give -o a folder of its own")
        before = len(found)
        for folder, names, unreadable in _walk(tree, skip):
            rel = folder.relative_to(tree).as_posix()
            if unreadable and rel == ".":
                raise InputError(f"{tree}: cannot read this folder ({unreadable}); make it "
                                 "readable (chmod), or give another folder")
            doc_id = tree.resolve().name if rel == "." else rel
            if doc_id in found:
                raise InputError(
                    f"{folder}: document id {doc_id!r} also comes from {origin[doc_id]}; "
                    "build the trees into separate output folders, or list the documents "
                    "in a --manifest")
            origin[doc_id] = folder
            if unreadable:
                # Left out, the folder's documents were missing from a collection
                # that exit 0: it is a document that fails, as an unreadable file
                # does (recorded in the ledger, counted, exit 1), and is tried
                # again on the next run.
                found[doc_id] = SourceDocument(
                    doc_id, {}, folder.name,
                    unreadable=f"cannot read its folder {folder} ({unreadable}), so the "
                               "documents it holds cannot be built; make it readable "
                               "(chmod), or move it out of the tree")
                continue
            found[doc_id] = _document(folder, doc_id, langs, names)
        if len(found) == before:
            raise InputError(f"{tree}: no corpus folder found (a folder holding "
                             f"{langs[0]}.txt/.docx/.pdf and {langs[-1]}.* files)")
    return [found[k] for k in sorted(found)]


def holds_corpus_folders(tree: Path) -> bool:
    """True when some folder under ``tree`` (itself included) holds a file that
    :func:`discover` would look at, or cannot be listed (it may: the scan says
    so); stops at the first one."""
    return next(_walk(tree, set(), warn=False), None) is not None


def restrict(docs: Sequence[SourceDocument], langs: Sequence[str]) -> list[SourceDocument]:
    """``docs`` holding only the files of ``langs`` (in that order), as a scan
    for ``langs`` alone would have found them."""
    return [replace(d, files={lang: d.files[lang] for lang in langs if lang in d.files})
            for d in docs]


def _document_files(folder: Path) -> list[str]:
    """The names in ``folder`` that make it a corpus folder for :func:`_walk`."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # not a folder (yet)
        return []
    return [f for f in names if os.path.splitext(f)[1].lower() in EXTENSIONS
            and names_a_language(f)]



def _walk(tree: Path, skip: set[tuple[int, int]], *, warn: bool = True
          ) -> Iterator[tuple[Path, list[str], str]]:
    """Folders under ``tree`` holding a file with a known extension, with their
    file names and ``""``; and each folder that cannot be listed, with no names
    and why (its ``strerror``): os.walk drops such a folder without a word.
    ``skip``: folders left out (``file_identity``); ``warn``: name each linked
    folder left out (once a run: the scan that decides what to build, not a
    quick look ahead of it)."""
    langs_seen = set(EXTENSIONS)  # cheap pre-filter: only folders with a known extension
    unlisted: list[OSError] = []

    def unreadable(err: OSError) -> None:
        # A folder gone (removed during the scan, or never there) holds nothing.
        if not isinstance(err, FileNotFoundError | NotADirectoryError):
            unlisted.append(err)

    def drain(where: str | Path) -> Iterator[tuple[Path, list[str], str]]:
        # the folders os.walk could not list so far (``where``: the one it was at)
        while unlisted:
            err = unlisted.pop()
            yield Path(err.filename or where), [], err.strerror or str(err)

    for root, dirs, files in os.walk(tree, onerror=unreadable):
        yield from drain(root)
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (skip and file_identity(os.path.join(root, d)) in skip))
        for d in dirs:
            if warn and (here / d).is_symlink():
                # os.walk lists a linked folder but does not go in (a link can loop
                # back up the tree): say so rather than leave its documents out unseen.
                log.warning("%s: a symbolic link to a folder, not followed (a link can "
                            "loop back into the tree); give it as a TREE of its own or "
                            "list its documents in a --manifest", here / d)
        if any(os.path.splitext(f)[1].lower() in langs_seen and names_a_language(f)
               for f in files):
            yield here, files, ""
    yield from drain(tree)  # the last folder walked, or the tree itself


def _document(folder: Path, doc_id: str, langs: Sequence[str],
              names: Sequence[str]) -> SourceDocument:
    # Every name pattern of a language holds its code: a language no name holds
    # has no file here, and is not matched pattern by pattern (four of the six
    # UN languages in a zh-en collection).
    files = {lang: hit for lang in langs if any(lang in name for name in names)
             and (hit := find_language_file(folder, lang, names)) is not None}
    # A folder found below the tree is named as listed (the walk does not enter
    # linked folders); the tree itself may be '.' or a link.
    name = folder.name if folder.name not in ("", ".", "..") and not folder.is_symlink() \
        else folder.resolve().name
    return SourceDocument(doc_id, files, name)


def read_manifest(path: Path, langs: Sequence[str]) -> list[SourceDocument]:
    """The documents a manifest lists, in its order.

    JSONL: one object per line, ``{"id": "A/71/285", "zh": "zh/A_71_285.pdf",
    "en": "en/A_71_285.pdf"}``. TSV: a header row ``id<TAB>zh<TAB>en`` (any
    language columns), then one row per document. Relative paths are taken
    from the manifest's folder. Every problem raises
    :class:`~bitext.errors.InputError` naming the line.
    """
    from bitext.fileio import read_text, record_lines

    # One Error line naming the file (and line) when unreadable. A name whose
    # bytes are not UTF-8 cannot be written in it (the manifest must be UTF-8).
    text = read_text(path, not_utf8="save the manifest as UTF-8 (a spreadsheet: 'CSV UTF-8'"
                                    "; or iconv -f LATIN1 -t UTF-8); a file whose name is "
                                    "not UTF-8: rename it, or build its folder as a TREE")
    base = path.parent
    rows: list[tuple[int, dict[str, Any]]] = []
    lines = record_lines(text)
    if path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{"):
        from bitext.fileio.read import json_object

        hint = 'write one {"id": ..., "zh": path, "en": path} per line'
        rows += [(n, json_object(line, f"{path}:{n}", hint, unique_keys=True))
                 for n, line in enumerate(lines, 1) if line.strip()]
    else:
        header = [cell.strip().lower() for cell in lines[0].split("\t")] if lines else []
        _no_twice(header, f"{path}:1: the header")
        if "id" not in header:
            raise InputError(f"{path}:1: the TSV manifest needs a header row with an 'id' "
                             "column and one column per language (id, zh, en)")
        for n, line in enumerate(lines[1:], 2):
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) != len(header):
                raise InputError(f"{path}:{n}: {len(cells)} columns, the header has "
                                 f"{len(header)}")
            rows.append((n, dict(zip(header, cells, strict=True))))
    docs: list[SourceDocument] = []
    # Each id's folder (its parts: 'a', './a' and 'a/' are one folder) -> the id.
    seen: dict[tuple[str, ...], str] = {}
    line_of: dict[tuple[str, ...], int] = {}
    # ... and as a file system blind to case and normalisation sees it (macOS,
    # Windows): two such ids are one folder there.
    folded: dict[tuple[str, ...], tuple[str, ...]] = {}
    for n, raw in rows:
        # Keys in any case (a spreadsheet's "ID", "ZH"), as --src-lang reads codes.
        keys = [str(key).strip().lower() for key in raw]
        _no_twice(keys, f"{path}:{n}: the line")
        row = dict(zip(keys, raw.values(), strict=True))
        doc_id = str(row.get("id", "")).strip()
        if not doc_id:
            raise InputError(f"{path}:{n}: no id")
        folder = Path(doc_id).parts
        if seen.get(folder) == doc_id:
            raise InputError(f"{path}:{n}: document id {doc_id!r} is listed twice (first on "
                             f"line {line_of[folder]}); keep one line for it")
        if folder in seen:
            raise InputError(f"{path}:{n}: document id {doc_id!r} names the folder of "
                             f"{seen[folder]!r} (OUT/{'/'.join(folder)}); give each "
                             "document a folder of its own")
        if Path(doc_id).is_absolute() or ".." in folder:
            raise InputError(f"{path}:{n}: id {doc_id!r} must be a relative path without "
                             "'..' (it names the output folder)")
        _check_id(doc_id, f"{path}:{n}")
        blind = tuple(unicodedata.normalize("NFC", part).casefold() for part in folder)
        if blind in folded:
            other = folded[blind]
            raise InputError(
                f"{path}:{n}: document id {doc_id!r} and {seen[other]!r} (line "
                f"{line_of[other]}) differ only in letter case or Unicode normalisation "
                "(an accented letter as one character or two): on macOS and Windows they "
                "name one folder, where one document's files would replace the other's; "
                "give them ids that differ otherwise")
        folded[blind] = folder
        seen[folder] = doc_id
        line_of[folder] = n
        files = {lang: base / _manifest_path(row[lang], lang, f"{path}:{n}")
                 for lang in langs if row.get(lang)}
        docs.append(SourceDocument(doc_id, files, Path(doc_id).name, listed=f"{path}:{n}"))
    if not docs:
        raise InputError(f"{path}: the manifest lists no document")
    return docs


def _manifest_path(value: Any, lang: str, where: str) -> str:
    """A manifest's path for ``lang``, refused when it cannot name a file: not a
    string (a JSON number or list was read as the file its Python text names),
    or holding a NUL (no file name can: hashing it was a ValueError traceback)."""
    if not isinstance(value, str):
        raise InputError(f"{where}: the {lang} path must be a string (a file's path, "
                         f"relative to the manifest's folder), got {json.dumps(value)[:40]}")
    if "\0" in value:
        raise InputError(f"{where}: the {lang} path {value[:60]!r} holds a NUL character, "
                         "which no file name can hold; fix the path")
    if surrogate_at(value) is not None:
        raise InputError(f"{where}: the {lang} path {value[:60]!r} {_HALF}")
    return value


#: Why a manifest's id or path holding a lone surrogate (a JSON escape such as
#: \ud800 with no other half beside it) is refused, and how to fix it.
_HALF = ("holds half a character (a JSON escape of a lone surrogate), which is no text "
         "and can name no file or folder; write the character whole (both \\u escapes "
         "of the pair, or the character itself in UTF-8) or delete it")


def _no_twice(names: list[str], where: str) -> None:
    """Refuse a column or key named twice (in any case): which one holds the
    document's file would be a guess."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"{where} names {name!r} twice; keep one column per name")
        seen.add(name)


def _check_id(doc_id: str, where: str) -> None:
    """Refuse a manifest id that cannot name its own folder under OUT: one that is
    OUT itself (``.``), holds control characters (a newline, NUL), has a part too
    long for a file name, or starts with one of OUT's own files (the ledger,
    the lock, the corpus files)."""
    parts = Path(doc_id).parts
    if not parts:
        raise InputError(f"{where}: id {doc_id!r} names the output folder itself; give "
                         "each document an id of its own")
    if surrogate_at(doc_id) is not None:
        raise InputError(f"{where}: id {doc_id!r} {_HALF}")
    if any(ord(c) < 32 or ord(c) == 127 for c in doc_id):
        raise InputError(f"{where}: id {doc_id!r} holds a control character (newline, tab, "
                         "NUL ...); ids name folders, use printable characters")
    from bitext.fileio.write import NAME_MAX

    # a part longer than a file name fails only when its folder is made, mid-run
    if any(len(p.encode("utf-8", "surrogatepass")) > NAME_MAX for p in parts):
        raise InputError(f"{where}: id {doc_id[:40]!r}... has a part longer than "
                         f"{NAME_MAX} bytes, too long for a folder name; shorten it")
    from bitext.collection import STEM
    from bitext.outputs import LOCK_NAME

    first = parts[0]
    if first in (LEDGER_NAME, LOCK_NAME) or first.startswith(f"{STEM}."):
        raise InputError(f"{where}: id {doc_id!r} would write over OUT's own files "
                         f"({LEDGER_NAME}, corpus.*); rename the document")


# --------------------------------------------------------------------------- ledger

def file_hash(path: Path) -> str:
    """BLAKE2b of a file's bytes (hex, 32 characters), read in 1 MiB blocks.

    Raises :class:`~bitext.errors.InputError` for a FIFO or a device: the hash
    is taken before the run, where a FIFO would block it and ``/dev/zero`` never
    ends."""
    from bitext.fileio import check_regular_file

    check_regular_file(path, "a collection's documents are files (each is hashed so "
                             "that a rerun skips what did not change); copy it to a file")
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def input_hashes(doc: SourceDocument) -> dict[str, str]:
    """``{lang: hash}`` of the document's files (``""`` for a file that cannot be read;
    the build then says why). Raises :class:`~bitext.errors.InputError` for a file
    that is not a regular file (:func:`file_hash`)."""
    out: dict[str, str] = {}
    for lang, path in sorted(doc.files.items()):
        try:
            out[lang] = file_hash(path)
        except OSError:
            out[lang] = ""
    return out


class Ledger:
    """``OUT/manifest.jsonl``: what happened to each document, one line each.

    Lines are appended and fsync'ed one at a time, so the file is valid after a
    crash (a torn last line is ignored when read). The latest line of an id
    wins; :meth:`compact` rewrites the file with one line per id.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            mode = path.stat().st_mode
        except OSError:
            return  # none yet (a file that cannot be read says so when appended)
        if not stat.S_ISREG(mode):
            # A FIFO was opened and waited on for ever; a device never ends.
            from bitext.fileio.read import kind_of

            raise ExportError(f"{path} is {kind_of(mode)}, not the run's ledger (a file bitext "
                              "writes); remove it, or build into another -o")
        self._read()

    def _read(self) -> None:
        with self.path.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    # bytes: a line torn inside a UTF-8 character is torn like any other
                    entry = json.loads(line)
                    if isinstance(entry, dict):
                        entry = _ledger_entry(entry)
                except (ValueError, RecursionError):
                    # JSONDecodeError, UnicodeDecodeError, an integer past the digit
                    # limit, nesting past the stack, id_bytes that are not hex (or
                    # not UTF-8 once unescaped): none is a line bitext wrote.
                    log.warning("%s:%d: unreadable line ignored (a run was killed while "
                                "writing it?)", self.path, n)
                    continue
                if isinstance(entry, dict) and "id" in entry:
                    self.entries[str(entry["id"])] = entry

    def append(self, entry: dict[str, Any]) -> None:
        """Record one document, durably (append + fsync).

        Raises :class:`~bitext.errors.ConfigError` when the ledger is an input
        the caller protects (:func:`bitext.fileio.protect_inputs`): appending
        is no atomic write, so it checks for itself."""
        from bitext.fileio import check_not_input

        check_not_input(self.path)
        from bitext.fileio import write

        data = _ledger_line(entry).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # the line that makes the file: its name is durable once the folder
            # is synced (POSIX), or a power cut could take the whole ledger
            made = not os.path.lexists(self.path)
            with self.path.open("a+b") as fh:
                end = fh.seek(0, os.SEEK_END)
                if end and os.pread(fh.fileno(), 1, end - 1) != b"\n":
                    # a line torn by a killed run (or a full disk): this one must
                    # not be read as the rest of it, and lost with it
                    data = b"\n" + data
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if made:
                write._fsync_dir(self.path.parent)
        except OSError as err:  # a full disk: DiskFullError, which stops the run
            raise write.export_error(self.path, err) from err
        self.entries[str(entry["id"])] = entry

    def compact(self) -> None:
        """Rewrite the ledger with the latest line of each id, sorted by id (atomic).

        Raises :class:`~bitext.errors.ExportError` when it cannot be written (a
        full disk: the ledger as appended stays, complete and readable)."""
        from bitext.fileio import atomic_write

        with atomic_write(self.path) as fh:
            for key in sorted(self.entries):
                fh.write(_ledger_line(self.entries[key]))


#: The ledger key that holds, in hex, the bytes of an id that is not UTF-8 text.
ID_BYTES = "id_bytes"


def _ledger_line(entry: dict[str, Any]) -> str:
    """One ledger line: strict JSON in UTF-8. An id from a folder name that is not
    UTF-8 (os.fsdecode's surrogate escapes, which JSON can write only as lone
    surrogates that strict readers refuse) is written as its bytes shown (the
    Error's ``d\\xff``) and, under :data:`ID_BYTES`, its bytes in hex, from which
    :func:`_ledger_entry` reads the same id back; any other such text is shown
    as its bytes."""
    doc_id = str(entry["id"])
    if surrogate_at(doc_id) is not None:
        entry = {**entry, ID_BYTES: doc_id.encode("utf-8", "surrogateescape").hex()}
    return json.dumps(_shown(entry), ensure_ascii=False, sort_keys=True) + "\n"


def _ledger_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry a ledger line wrote (:func:`_ledger_line`): its id as it was.
    Raises ValueError for an :data:`ID_BYTES` that is not hex."""
    if ID_BYTES in entry:
        entry = dict(entry)
        entry["id"] = bytes.fromhex(str(entry.pop(ID_BYTES))).decode("utf-8",
                                                                      "surrogateescape")
    return entry


def _shown(value: Any) -> Any:
    """``value`` with every string holding surrogate escapes shown as its bytes."""
    if isinstance(value, str):
        return value if surrogate_at(value) is None else shown_id(value)
    if isinstance(value, dict):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shown(v) for v in value]
    return value


def is_up_to_date(entry: dict[str, Any] | None, hashes: dict[str, str], signature: str,
                  outputs: Iterable[Path]) -> bool:
    """True when a ledger entry says this document was built from these very
    inputs with these settings, and its output files are all still there."""
    return (entry is not None and entry.get("status") == "ok"
            and entry.get("settings") == signature and entry.get("inputs") == hashes
            and all(p.is_file() for p in outputs))


def failure_key(settings: BuildSettings) -> str:
    """What decides whether a document that failed for its input fails again: the
    settings signature, the limits (``--max-input-mb``, which the signature leaves
    out: they change no output) and the ``BITEXT_*`` environment (the DOCX and
    PDF caps). A short hash (hex, 16 characters)."""
    from dataclasses import asdict as as_dict

    text = json.dumps({"settings": settings.signature(), "limits": as_dict(settings.limits),
                       "env": {k: v for k, v in sorted(os.environ.items())
                               if k.startswith("BITEXT_")}}, sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def is_failed_again(entry: dict[str, Any] | None, hashes: dict[str, str], key: str) -> bool:
    """True when a ledger entry says this document failed for its input
    (:attr:`bitext.build.BuildResult.cause`) with these very files, each read
    (a file that could not be hashed may be readable now), and the same
    :func:`failure_key`: building it again would fail again the same way."""
    return (entry is not None and entry.get("status") == "failed"
            and entry.get("cause") == "input" and entry.get("failed_with") == key
            and bool(hashes) and all(hashes.values()) and entry.get("inputs") == hashes)


# --------------------------------------------------------------------------- running

@dataclass
class BatchReport:
    """The outcome of a batch run: documents by status and throughput figures."""

    total: int = 0
    built: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0
    stopped_early: bool = False
    #: documents not built because they failed for their input before, with
    #: the same files and settings (:func:`is_failed_again`): (id, error)
    failed_before: list[tuple[str, str]] = field(default_factory=list)
    #: the error that stopped the run because the disk (or quota) is full, or ""
    disk_full: str = ""
    up_to_date: list[str] = field(default_factory=list)
    #: the ledger's entries after the run (the latest line of each id), read once
    entries: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        rate = self.sentences / self.seconds if self.seconds else 0.0
        failed = f"{len(self.failed) + len(self.failed_before)} failed"
        if self.failed_before:
            failed += (f" ({len(self.failed_before)} failed before with the same inputs and "
                       "settings: not tried again; fix them, or --force)")
        text = f"{self.total} documents: {self.built} built, {self.skipped} up to date, {failed}"
        # A run that built nothing has no throughput: '0 sentences in 0.0 s'
        # read as a run that stalled.
        if self.built:
            text += (f"; {self.sentences} sentences in {self.seconds:.1f} s "
                     f"({rate:.0f} sentences/s)")
        if self.disk_full:
            text += "; stopped: the disk is full"
        elif self.stopped_early:
            text += "; stopped early (--max-failures)"
        return text


def failure_line(doc_id: str, error: str) -> str:
    """``id: error`` for a failed document, the id once: an error that already
    starts with the document's name (a folder name refused) is not prefixed again."""
    shown = shown_id(doc_id)
    return error if error.startswith(f"{shown}: ") else f"{shown}: {error}"


def document_folder(out: Path, doc: SourceDocument) -> Path:
    """Where a document's files go: ``OUT/<id>/``."""
    return out / doc.id


def _in_the_way(out: Path, doc: SourceDocument) -> str:
    """Why the document's folder ``OUT/<id>/`` cannot be made, or "": a file (or
    a pipe...) already where it or a folder above it goes. The user chose OUT,
    not the folders bitext makes inside it, so the fix is to move that away."""
    from bitext.fileio.read import kind_of

    place = out
    for part in Path(doc.id).parts:
        place = place / part
        try:
            mode = place.stat().st_mode
        except OSError:
            return ""  # not there yet: the build makes it
        if not stat.S_ISDIR(mode):
            what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
            return (f"{place} is {what}, where this document's outputs go "
                    f"({doc.id}/ in the output folder); move it away, or give the build "
                    "another output folder with -o")
    return ""


def schedule(docs: Sequence[SourceDocument]) -> list[SourceDocument]:
    """Largest documents first (by bytes of input).

    Workers pull the next document when they finish one, so starting with the
    longest leaves only short ones for the end and no core waits long for the
    last document (the longest-processing-time-first rule).
    """
    return sorted(docs, key=lambda d: (-d.size(), d.id))


def run_batch(
    docs: Sequence[SourceDocument],
    out: Path,
    settings: BuildSettings,
    engine: Engine,
    *,
    force: bool = False,
    max_failures: int | None = None,
    on_result: Callable[[BuildResult, BatchReport], None] | None = None,
) -> BatchReport:
    """Build every document of ``docs`` that is not up to date, on ``engine``.

    Each finished document is appended to ``OUT/manifest.jsonl`` before the
    next result is taken. ``max_failures`` stops the run once that many
    documents failed (the documents in flight are abandoned, not recorded).
    ``on_result(result, report)`` is called after each document (progress).
    """
    started = time.perf_counter()
    ledger = Ledger(out / LEDGER_NAME)
    signature = settings.signature()
    key = failure_key(settings)
    report = BatchReport(total=len(docs))
    todo: list[SourceDocument] = []
    hashes: dict[str, dict[str, str]] = {}
    seen: dict[str, dict[str, tuple[int, int, int] | None]] = {}
    by_id = {doc.id: doc for doc in docs}
    refused: list[BuildResult] = []
    for doc in docs:
        blocked = doc.unreadable or _in_the_way(out, doc)
        if blocked:
            refused.append(BuildResult(id=doc.id, status="failed", error=blocked))
            continue
        try:
            seen[doc.id] = _file_states(doc)  # before the hash: a change during it counts
            hashes[doc.id] = input_hashes(doc)
            outputs = plan_outputs(doc, document_folder(out, doc), settings).files()
        except InputError as err:  # a FIFO or a device, a name that is not text:
            # this document fails, not the run
            refused.append(BuildResult(id=doc.id, status="failed", error=str(err)))
            continue
        entry = ledger.entries.get(doc.id)
        if not force and is_up_to_date(entry, hashes[doc.id], signature, outputs):
            report.skipped += 1
            report.up_to_date.append(doc.id)
        elif not force and entry is not None and is_failed_again(entry, hashes[doc.id], key):
            # A bad PDF among 10,000 documents was read (and failed) on every rerun;
            # it is counted failed (the collection is not whole) and left as it is.
            report.failed_before.append((doc.id, str(entry.get("error", ""))))
        else:
            todo.append(doc)
    log.info("%d documents, %d up to date, %d failed before, %d to build", len(docs),
             report.skipped, len(report.failed_before), len(todo))
    tasks = [(doc, document_folder(out, doc)) for doc in schedule(todo)]
    results = engine.run(tasks, settings)
    try:
        for result in itertools.chain(refused, results):
            recorded = hashes.get(result.id, {})
            if result.id in seen:
                recorded = _unchanged(by_id[result.id], seen[result.id], recorded)
            try:
                ledger.append(_entry(result, recorded, signature, settings, key))
            except DiskFullError as err:  # the document is built, not recorded: redone
                report.disk_full, report.stopped_early = str(err), True
                break
            if result.status == "ok":
                report.built += 1
                report.sentences += result.sentences
                if result.warning:  # a (near) empty result, named as a failure is
                    log.warning("%s: %s", result.id, result.warning)
            else:
                report.failed.append((result.id, result.error))
                log.warning("%s", failure_line(result.id, result.error))
            report.seconds = time.perf_counter() - started
            if on_result is not None:
                on_result(result, report)
            if result.cause == "disk-full":
                # Every later document would be read and aligned only to fail
                # the same way: stop, and say how to go on (run_batch's caller).
                report.disk_full = result.error
                report.stopped_early = True
                break
            if max_failures is not None and len(report.failed) >= max_failures:
                report.stopped_early = (len(report.failed) + report.built
                                       < len(todo) + len(refused))
                break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the engine's workers when we leave early
    report.seconds = time.perf_counter() - started
    report.entries = ledger.entries
    if (report.built or report.failed) and not report.disk_full:
        # an unchanged rerun leaves the file alone; a compaction that fails
        # leaves it as appended (every line there, the latest of an id winning)
        with contextlib.suppress(OSError, ExportError):
            ledger.compact()
    return report


def _file_states(doc: SourceDocument) -> dict[str, tuple[int, int, int] | None]:
    """``{lang: (size, mtime ns, inode)}`` of the document's files (None: no stat)."""
    out: dict[str, tuple[int, int, int] | None] = {}
    for lang, path in doc.files.items():
        try:
            st = os.stat(path)
            out[lang] = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            out[lang] = None
    return out


def _unchanged(doc: SourceDocument, before: dict[str, tuple[int, int, int] | None],
               hashes: dict[str, str]) -> dict[str, str]:
    """``hashes`` with ``""`` (no hash, so the next run builds the document
    again) for each file whose size, time or inode changed since it was hashed:
    the build read bytes no hash describes (a download or a sync still writing
    the file), and the old hash would call the outputs up to date once the file
    held the hashed bytes again."""
    now = _file_states(doc)
    moved = [lang for lang in hashes if now.get(lang) != before.get(lang)]
    if not moved:
        return hashes
    log.warning("%s: %s changed while the document was built; it is built again on the "
                "next run", shown_id(doc.id),
                ", ".join(str(doc.files[lang]) for lang in sorted(moved)))
    return {lang: "" if lang in moved else value for lang, value in hashes.items()}


def _entry(result: BuildResult, hashes: dict[str, str], signature: str,
           settings: BuildSettings, key: str) -> dict[str, Any]:
    data = asdict(result)
    data.pop("files", None)
    data.update(inputs=hashes, settings=signature, encoder=settings.encoder,
                finished=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    if not data["error"]:
        data.pop("error")
    if not data["cause"]:
        data.pop("cause")
    elif data["cause"] == "input":
        data["failed_with"] = key
    return data

