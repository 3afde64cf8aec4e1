"""``build`` as a library function: one document in, every output file out.

A build is an *output plan* (which files a document gives, computed without
reading anything) and then a *run* (load, align, export). The CLI, the batch
engines (:mod:`bitext.engines`) and any other client call the same functions:

    doc = find_document(Path("corpora/un-som-2016"), ("zh", "en"))
    result = build_document(doc, Path("out"), BuildSettings())

A :class:`SourceDocument` is an id plus one file per language, so a document
may carry more than two language versions; :class:`BuildSettings` says which
two are aligned (``src_lang``, ``tgt_lang``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fnmatch
import functools
import gc
import hashlib
import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bitext import __version__
from bitext.errors import ExportError, InputError
from bitext.limits import DEFAULT_LIMITS, Limits
from bitext.types import LOW_CONFIDENCE

if TYPE_CHECKING:
    from bitext.types import Alignment

log = logging.getLogger(__name__)

#: What a build run returns (BuildResult, MultiResult), passed through guarded_build.
_Result = TypeVar("_Result")

#: File types a corpus folder may hold, in order of preference when several exist.
EXTENSIONS = (".docx", ".pdf", ".txt")



@dataclass(frozen=True)
class SourceDocument:
    """One document of a collection: its id and its file in each language.

    ``id`` is the folder path relative to the tree it was found in (or the id a
    manifest gives); ``files`` maps a language code to the file holding that
    language version. ``name`` is the stem the output files are named after.
    """

    id: str
    files: Mapping[str, Path]
    name: str = ""
    #: why the folder found for it could not be listed (an Error line), or "":
    #: the document fails with it, unbuilt (:func:`bitext.batch.discover`)
    unreadable: str = ""
    #: where a manifest lists it (``m.tsv:2``), or "" for a folder of a TREE: a
    #: language missing there is a cell to fill, not a file to name in a folder
    listed: str = ""

    @property
    def stem(self) -> str:
        return self.name or Path(self.id).name or "document"

    def size(self) -> int:
        """Total bytes of the language files (0 for a missing file): a cheap
        proxy for the alignment work, used to schedule long documents first."""
        total = 0
        for path in self.files.values():
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total


@dataclass(frozen=True)
class BuildSettings:
    """Every setting that changes a build's output.

    ``export`` holds the exporters' options (``min_score``, ``dedupe``,
    ``srclang``, ``src_code``, ``tgt_code``). :meth:`signature` hashes them all,
    with the bitext version, so that a batch rerun knows which documents are
    up to date.
    """

    src_lang: str = "zh"
    tgt_lang: str = "en"
    encoder: str = "use"
    max_bead: int = 6
    glossary: bool = True
    export: Mapping[str, Any] = field(default_factory=dict)
    #: Folder of the persistent embedding cache (:mod:`bitext.cache`), or None.
    #: Not part of the signature: cached vectors are the very bytes the model gives.
    cache: str | None = None
    #: encodings of non-Unicode text inputs (SRC, TGT); None: detected
    encodings: tuple[str | None, str | None] = (None, None)
    #: How text files' lines are read (``--layout``, a key of
    #: :data:`bitext.ingest.document.LAYOUT_CHOICES`); ``auto`` detects it.
    layout: str = "auto"
    #: Size limits (:mod:`bitext.limits`): they decide whether a build runs, not
    #: what it writes, so they are left out of :meth:`as_dict` and the signature.
    limits: Limits = DEFAULT_LIMITS

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("limits")
        data["export"] = dict(sorted(self.export.items()))
        data.pop("cache")
        if data["encodings"] == (None, None):
            del data["encodings"]  # keeps the signatures of earlier builds
        else:
            data["encodings"] = list(data["encodings"])
        if data["layout"] == "auto":
            del data["layout"]  # keeps the signatures of earlier builds
        return data

    def signature(self) -> str:
        """A short hash of every setting plus the bitext version (hex, 16 characters)."""
        text = json.dumps({"bitext": __version__, **self.as_dict()}, sort_keys=True)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class OutputPlan:
    """The files one document's build writes, by kind, all under ``folder``."""

    folder: Path
    segments: Mapping[str, Path]
    sentences_tmx: Path
    paragraphs_tmx: Path
    tsv: Path
    jsonl: Path
    moses: Path
    moses_files: tuple[Path, ...]
    beads: Path
    tbx: Path | None
    terms: Path | None

    def files(self) -> list[Path]:
        """Every file of the plan, in the order they are written."""
        out = [*self.segments.values(), self.sentences_tmx, self.paragraphs_tmx, self.tsv,
               self.jsonl, *self.moses_files, self.beads]
        return out + [p for p in (self.tbx, self.terms) if p is not None]


@dataclass
class BuildResult:
    """What one document's build gave: counts for the manifest and the summary line.

    ``sentences`` is the number of sentences of both sides (the throughput unit);
    ``units`` the structural units (paragraphs, headings...) of both sides;
    ``seconds`` the wall time of the build.
    """

    id: str
    status: str = "ok"
    links: int = 0
    low_confidence: int = 0
    paragraph_links: int = 0
    units: int = 0
    sentences: int = 0
    shapes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""
    #: why a failed build failed, when that decides what a run does next:
    #: ``"disk-full"`` (no later document can be written either: the run stops),
    #: ``"input"`` (the document's files or the settings: the same files with the
    #: same settings fail again, so a rerun does not retry them)
    cause: str = ""
    files: list[str] = field(default_factory=list)
    #: :func:`bitext.pipeline.near_empty`'s warning when the result is (near) empty.
    warning: str = ""

    def summary(self) -> str:
        """Link counts by shape and how many links a reviewer should look at; a
        second line ``WARNING: ...`` when the result is (near) empty."""
        shown = ", ".join(f"{n} {s}" for s, n in Counter(self.shapes).most_common())
        line = (f"{self.paragraph_links} paragraph links; {self.links} sentence links "
                f"({shown}); {self.low_confidence} below confidence {LOW_CONFIDENCE}")
        return f"{line}\nWARNING: {self.warning}" if self.warning else line


def names_a_language(name: str) -> bool:
    """True when the file name follows a corpus folder's naming for some language
    bitext knows (``zh.txt``, ``A.fr.pdf``, ``A_en.docx``), in any letter case
    (``EN.txt`` makes its folder a document, which then says what to rename). A
    folder holding only other files (``README.txt``, ``notes.pdf``) is no document."""
    return _language_file_name().search(name) is not None


@functools.cache
def _language_file_name() -> re.Pattern[str]:
    from bitext.languages import codes

    exts = "|".join(re.escape(e[1:]) for e in EXTENSIONS)
    return re.compile(rf"(?:^|[._])(?:{'|'.join(codes())})\.(?:{exts})$", re.I)


def find_language_file(folder: Path, lang: str, names: Sequence[str] | None = None,
                       *, warn: bool = True) -> Path | None:
    """The file of language ``lang`` in a corpus folder (``zh.txt``, ``*.zh.pdf``,
    ``*_zh.docx``), or ``None``.

    Names starting with ``.`` are not documents (macOS copies leave
    ``._A.zh.docx`` beside ``A.zh.docx``, and it sorts first). ``names``: the
    folder's file names when the caller has listed it already (a collection's
    scan lists each folder once instead of globbing it for every language).
    Files of two types (``en.pdf`` beside ``en.txt``) are read by
    :data:`EXTENSIONS`' order, with a warning naming the others (unless not
    ``warn``: a caller that only asks whether the folder holds a document).
    """
    found: Path | None = None
    for ext in EXTENSIONS:
        hits: set[Path] = set()
        for pattern in (f"{lang}{ext}", f"*.{lang}{ext}", f"*_{lang}{ext}"):
            if names is None:
                hits.update(p for p in folder.glob(pattern) if not p.name.startswith("."))
            else:
                hits.update(folder / name for name in names
                            if not name.startswith(".") and fnmatch.fnmatchcase(name, pattern))
        if found is not None:
            if hits:
                # the user's own text extraction beside the PDF, say: which one is
                # read is bitext's choice, and it is told
                log.warning("%s: %s read, %s left out (each holds %s; a corpus folder's "
                            "DOCX is read before its PDF, its PDF before its text); keep "
                            "one file per language to choose", folder, found.name,
                            ", ".join(sorted(p.name for p in hits)), lang)
            continue
        if len(hits) > 1:
            # Two documents, or two copies: which one is meant is a guess, and the
            # other language's file may belong to either.
            listed = ", ".join(sorted(p.name for p in hits)[:4])
            raise InputError(f"{folder}: {len(hits)} {lang} files ({listed}); keep one file per "
                             "language in a corpus folder (a folder per document)")
        if hits:
            found = hits.pop()
            if not warn:
                return found
    return found


def find_document(folder: Path, langs: tuple[str, ...],
                  doc_id: str | None = None) -> SourceDocument:
    """The corpus folder ``folder`` as a document holding each of ``langs``.

    Raises :class:`~bitext.errors.InputError` naming the first language missing.
    """
    if not folder.is_dir():
        from bitext.fileio.read import not_a_folder

        raise InputError(f"{folder}: {not_a_folder(folder)}; give a corpus folder holding zh.* "
                         "and en.*")
    files: dict[str, Path] = {}
    for lang in langs:
        hit = find_language_file(folder, lang)
        if hit is None:
            raise InputError(f"{folder}: no {lang} document found; name it {lang}.txt, "
                             f"{lang}.docx or {lang}.pdf")
        files[lang] = hit
    name = folder.resolve().name
    return SourceDocument(doc_id if doc_id is not None else name, files, name)


def plan_outputs(doc: SourceDocument, folder: Path, settings: BuildSettings) -> OutputPlan:
    """The files :func:`run_build` writes for ``doc`` into ``folder`` (nothing is read).

    A folder name whose bytes are not UTF-8 (named on a Latin-1 or GBK system)
    names the files with the same bytes; inside them it is written as
    :func:`bitext.fileio.read.shown_id` shows it, as ``align`` writes such a file's name."""
    name = doc.stem
    langs = (settings.src_lang, settings.tgt_lang)
    moses = folder / name
    return OutputPlan(
        folder=folder,
        segments={lang: folder / f"{lang}.segments.jsonl" for lang in langs},
        sentences_tmx=folder / f"{name}.sentences.tmx",
        paragraphs_tmx=folder / f"{name}.paragraphs.tmx",
        tsv=folder / f"{name}.tsv",
        jsonl=folder / f"{name}.jsonl",
        moses=moses,
        moses_files=tuple(folder / f"{name}.{ext}" for ext in (*langs, "ids")),
        beads=folder / f"{name}.beads",
        tbx=folder / f"{name}.tbx" if settings.glossary else None,
        terms=folder / f"{name}.terms.tsv" if settings.glossary else None,
    )


def run_build(doc: SourceDocument, plan: OutputPlan, settings: BuildSettings,
              progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Load, align and export ``doc`` as ``plan`` says; return the counts.

    ``progress(done, total)`` follows the paragraph pairs of the alignment.
    Raises :class:`~bitext.errors.BitextError` for bad input; files already
    written stay (each one is complete: every write is atomic).
    """
    from bitext.fileio import atomic_write
    from bitext.fileio.read import shown_id
    from bitext.ingest.document import load_versions, unit_record
    from bitext.pipeline import align_both, check_memory_for, near_empty

    started = time.perf_counter()
    src_lang, tgt_lang = settings.src_lang, settings.tgt_lang
    for lang in (src_lang, tgt_lang):
        if lang not in doc.files and doc.listed:
            raise InputError(f"{doc.listed}: the manifest gives no {lang} path for "
                             f"{shown_id(doc.id)!r} (its {lang} cell is empty or missing); "
                             f"write the path of its {lang} document there (relative to the "
                             "manifest's folder), or leave the document out")
        if lang not in doc.files:
            where = next(iter(doc.files.values())).parent if doc.files else doc.id
            raise InputError(f"{where}: no {lang} document found; name it {lang}.txt, "
                             f"{lang}.docx or {lang}.pdf (or list it in the manifest)")
    src_path, tgt_path = doc.files[src_lang], doc.files[tgt_lang]
    src, tgt = load_versions([(src_path, src_lang, settings.encodings[0]),
                              (tgt_path, tgt_lang, settings.encodings[1])], limits=settings.limits,
                             layout=settings.layout)
    check_memory_for(src, tgt)
    for loaded in (src, tgt):
        with atomic_write(plan.segments[loaded.lang]) as fh:
            for unit in loaded.units:
                fh.write(json.dumps(unit_record(unit), ensure_ascii=False) + "\n")
    sentences, paragraphs = align_both(src, tgt, encoder=settings.encoder,
                                       max_bead=settings.max_bead, progress=progress,
                                       warn=False)  # the result carries it (summary, ledger)
    if not (src.symbol or tgt.symbol) and doc.id != doc.stem:
        # A collection's document whose text names no symbol: its id
        # (2015/e/2015/52) names it, as the corpus files do, not its folder's last
        # part (52, which E/2015/52 and S/2015/52 share).
        named = shown_id(doc.id)
        sentences = dataclasses.replace(sentences, doc_id=named)
        paragraphs = dataclasses.replace(paragraphs, doc_id=named)
    _write_alignments(sentences, paragraphs, plan, settings)
    if settings.glossary and plan.tbx is not None and plan.terms is not None:
        from bitext.glossary.run import make_glossary, write_glossary_files

        # the same call and defaults as `bitext glossary`: one glossary for one input
        glossary = make_glossary(sentences, encoder_name=settings.encoder)
        write_glossary_files(glossary, [(plan.tbx, "tbx"), (plan.terms, "tsv")],
                             sources=[str(src_path), str(tgt_path)],
                             signature=dict(sentences.signature))
    return BuildResult(
        id=doc.id,
        links=len(sentences.pairs),
        low_confidence=sum(1 for p in sentences.pairs if p.score < LOW_CONFIDENCE),
        paragraph_links=len(paragraphs.pairs),
        units=len(src.units) + len(tgt.units),
        sentences=len(src.sentences) + len(tgt.sentences),
        shapes=dict(Counter(p.named_shape(sentences.src_lang, sentences.tgt_lang)
                                for p in sentences.pairs)),
        seconds=round(time.perf_counter() - started, 3),
        files=[str(p) for p in plan.files()],
        warning=near_empty(sentences) or "",
    )


def _write_alignments(sentences: Alignment, paragraphs: Alignment, plan: OutputPlan,
                      settings: BuildSettings) -> None:
    from bitext.tmx import write_alignment
    from bitext.tmx.corpus import write_beads

    export = dict(settings.export)
    for path, alignment, fmt in (
        (plan.sentences_tmx, sentences, "tmx"),
        (plan.paragraphs_tmx, paragraphs, "tmx"),
        (plan.tsv, sentences, "tsv"),
        (plan.jsonl, sentences, "jsonl"),
        (plan.moses, sentences, "moses"),
    ):
        # --min-score makes a reviewed-quality memory; the MT exports keep every link
        # with its score so that teams can filter by their own threshold.
        min_score = export.get("min_score") if fmt == "tmx" else None
        write_alignment(alignment, path, fmt, **{**export, "min_score": min_score})
    write_beads(sentences, str(plan.beads))


def build_document(doc: SourceDocument, folder: Path, settings: BuildSettings,
                   progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Plan and run the build of one document into ``folder``.

    An output that is the same file as one of the document's inputs is refused
    before anything is read (:func:`bitext.fileio.protect_inputs`); a second
    build into the same folder is refused while this one runs, and the files
    written are recorded with their hashes (:mod:`bitext.outputs`).
    """
    plan = plan_outputs(doc, folder, settings)
    return guarded_build(doc, folder, plan.files(), settings.signature(),
                         lambda: run_build(doc, plan, settings, progress))


def guarded_build(doc: SourceDocument, folder: Path, files: list[Path], signature: str,
                  run: Callable[[], _Result]) -> _Result:
    """``run()``, which writes ``files`` (a plan's) into ``folder``, as every build
    of a document runs: an output that is one of the document's inputs
    (:func:`bitext.fileio.protect_inputs`) or that no file can be written as
    (:func:`check_writable`) is refused before anything is read, and a second
    build into ``folder`` while this one runs; then the files are recorded with
    their hashes and ``signature`` (:func:`bitext.outputs.write_record`), last."""
    from bitext.fileio import protect_inputs
    from bitext.fileio.write import folder_syncs_deferred
    from bitext.outputs import RECORD_NAME, check_own_file, folder_lock, write_record

    # The record is written last: linked to an input, it was refused only
    # after every other output was written.
    with protect_inputs(doc.files.values(), outputs=[*files, folder / RECORD_NAME],
                        fix=names_itself(folder)), \
            folder_lock(folder):
        check_writable(files)
        check_own_file(folder / RECORD_NAME, "record of the outputs")
        # the outputs and the record that says they are complete fsync'ed
        # together, one folder fsync for the outputs, then the record put in place
        with folder_syncs_deferred():
            result = run()
            write_record(folder, files, signature)
        return result


def names_itself(folder: Path) -> str:
    """How to fix an output of the build that is an input (:func:`protect_inputs`'s
    ``fix``): the build chose its name, so another name with ``-o`` is no fix."""
    return (f"bitext build names that file itself: move the input out of {folder}, or give "
            "the build another output folder with -o")


def check_writable(files: Iterable[Path]) -> None:
    """Refuse, before anything is read, an output of a build that no file can be
    written as: a folder (or a socket) of that name in the output folder failed
    the build after the segments and the TMX files were written; a name longer
    than a file system takes (the corpus folder's name, which names the outputs,
    is long) said 'File name too long; check the file and the disk'.

    Raises :class:`~bitext.errors.ExportError` naming the path and the fix.
    """
    from bitext.fileio import output_kind
    from bitext.fileio.write import NAME_MAX

    for path in files:
        size = len(os.fsencode(path.name))
        if size > NAME_MAX:
            raise ExportError(f"cannot write {path}: its name is {size} bytes, longer than "
                              f"the {NAME_MAX} bytes a file system takes; the outputs are "
                              "named after the corpus folder: give the folder a shorter name")
        if path.is_dir():
            raise ExportError(f"cannot write {path}: it is a folder, where the build writes "
                              "a file of that name; move or rename the folder, or give the "
                              "build another output folder with -o")
        output_kind(path)


# Kept alive for the life of a worker process: the limit holds while it exists.
_THREAD_LIMIT: Any = None

#: New container objects a worker allocates before Python's cyclic collector
#: runs its youngest generation (Python's default: 700). A build keeps most of
#: what it allocates until its end (the glossary's candidates, classes and
#: proposals), so each young collection walks objects that survive it. On the
#: bundled report's build with the glossary (``gc.callbacks``, 3 builds each, in
#: one process, load 7, 2026-12-07): at 700, 195-198 young, 17-19 middle and
#: 1-2 full collections a build, 0.11-0.19 CPU s; at 20,000, 4-5, 0-1 and 0,
#: 0.03-0.09 s; at 5,000, 0.06-0.13 s; at 100,000, 0.04-0.06 s. A garbage
#: cycle then waits at most 20,000 allocations longer to be freed (a few MB).
GC_YOUNG_THRESHOLD = 20_000


def prepare_worker(settings: BuildSettings, threads: int = 1) -> None:
    """Load the model of ``settings`` into this process, once, before the first document.

    Engines call this in each worker; it also opens the persistent embedding
    cache when ``settings.cache`` names one. ``threads`` caps the encoder's own
    parallelism: with one worker per core, an encoder that forks helpers of
    its own would only oversubscribe the cores. The cyclic garbage collector's
    youngest generation runs every :data:`GC_YOUNG_THRESHOLD` allocations.
    """
    from bitext.pipeline import load_encoder

    global _THREAD_LIMIT
    if threads == 1 and _THREAD_LIMIT is None:
        from threadpoolctl import threadpool_limits

        # One worker per core: BLAS threads of their own would only compete with
        # the other workers for the cores (and spin while waiting for them).
        _THREAD_LIMIT = threadpool_limits(limits=1)
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    enc = load_encoder(settings.encoder)
    if hasattr(enc, "threads"):
        enc.threads = max(1, threads)
    if settings.cache:
        from bitext.cache import attach

        attach(enc, settings.cache)
    if enc.dim:
        enc.encode(["warm-up"])  # loads lazily-loaded weights now, not inside the first document
        release = getattr(enc, "clear_cache", None)
        if release is not None:
            release()
    _preload(settings)


def _preload(settings: BuildSettings) -> None:
    """Load the modules and tables a build of ``settings``' language pair reads,
    once per process, so that the first document of a worker does not pay for
    them: the alignment's CC-CEDICT table (zh-en), the build's writers and, with
    the glossary, its own tables (:func:`bitext.glossary.run.prepare_glossary`).
    On the bundled report they were 0.5 CPU s of the first document without the
    glossary and 2.3 s with it (2026-12-05); the reader, cleaner and aligner
    modules (their patterns compiled at import) another 0.3 s (2026-12-07)."""
    from bitext import outputs  # noqa: F401 - imported for their load
    from bitext.align import paragraphs, sentences  # noqa: F401
    from bitext.align.scoring import LexicalEvidence
    from bitext.ingest import document  # noqa: F401
    from bitext.tmx import formats  # noqa: F401 - every writer, the beads' included

    LexicalEvidence.build([], [], settings.src_lang, settings.tgt_lang)
    if settings.glossary:
        from bitext.glossary.run import prepare_glossary

        prepare_glossary(settings.src_lang, settings.tgt_lang)


def try_build(doc: SourceDocument, folder: Path, settings: BuildSettings) -> BuildResult:
    """:func:`build_document` that never raises: a failure becomes a result with
    ``status="failed"`` and the error, so that one bad document of a collection
    cannot stop the others. The encoder's in-run cache is cleared afterwards to
    keep a long-running worker's memory flat.
    """
    from bitext.errors import AlignmentError, BitextError, DiskFullError, MemoryBudgetError
    from bitext.fileio.write import export_error
    from bitext.pipeline import release_encoder

    started = time.perf_counter()
    cause = ""
    try:
        return build_document(doc, folder, settings)
    except DiskFullError as err:
        error, cause = str(err), "disk-full"
    except (InputError, AlignmentError) as err:
        # what the files hold (or lack), read with these settings; not a memory
        # budget, which another machine or a quieter moment may have
        error, cause = str(err), "" if isinstance(err, MemoryBudgetError) else "input"
    except BitextError as err:
        error = str(err)
    except Exception as err:  # a bug on one document must not end a 10-hour run
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
            # a write no bitext writer wrapped: the disk's error all the same
            error, cause = str(export_error(err.filename or folder, err)), "disk-full"
        else:
            log.exception("%s: unexpected error", doc.id)
            error = f"internal error ({type(err).__name__}: {err}); please report it"
    finally:
        with contextlib.suppress(BitextError):  # an encoder that failed to load
            release_encoder(settings.encoder)
    return BuildResult(id=doc.id, status="failed", error=error, cause=cause,
                       seconds=round(time.perf_counter() - started, 3))
