"""A whole ``bitext build`` run as a library function: trees (or a manifest) in,
every output out.

:func:`build_trees` decides what the inputs are and builds them:

* one corpus folder: :func:`bitext.build.build_document` into OUT;
* one folder holding several language versions: each aligned to the pivot and
  joined (:func:`bitext.multilingual.build_multilingual`);
* a collection (TREE folders holding corpus folders, several TREEs, or a
  manifest): :func:`bitext.batch.run_batch` on an engine, then the corpus-level
  files (:mod:`bitext.collection`); a collection of three or more languages is
  built as one collection per language aligned to the pivot, then each
  document's pairs are joined (:func:`bitext.multilingual.join_collection`).

The library never prints: what a run has to tell its user (the files written,
summaries, progress) goes to a :class:`Reporter`, which logs by default; the
CLI gives one that writes to the terminal.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bitext.errors import ConfigError, DiskFullError, ExportError, InputError, Terminated

if TYPE_CHECKING:
    from bitext.batch import BatchReport
    from bitext.build import BuildResult, BuildSettings, SourceDocument
    from bitext.collection import CorpusOptions
    from bitext.engines import Engine

log = logging.getLogger(__name__)


class OptionsError(ConfigError):
    """Options that exclude each other, or that the inputs do not fit (``--pivot``
    on a folder of two languages): the CLI reports it as a usage error."""


class BuildError(InputError):
    """Some documents of a collection failed (each is recorded in the manifest)."""


class DocumentProgress(Protocol):
    """What follows a collection's documents as each one ends."""

    def update(self, result: BuildResult, report: BatchReport) -> None: ...

    def close(self) -> None: ...


class _NoProgress:
    def update(self, result: BuildResult, report: BatchReport) -> None:
        pass

    def close(self) -> None:
        pass


class Reporter:
    """Where a run's news goes; this one logs (level INFO). The CLI's writes the
    lines and the files on stderr and draws progress bars."""

    def say(self, line: str) -> None:
        """A line for the user: a summary, a collection's progress."""
        log.info("%s", line)

    def files(self, paths: Iterable[object]) -> None:
        """The files a one-folder build wrote."""
        for path in paths:
            log.info("%s", path)

    def aligning(self, label: str) -> contextlib.AbstractContextManager[
            Callable[[int, int], None] | None]:
        """A ``progress(done, total)`` callback for one document's alignment, or None."""
        return contextlib.nullcontext(None)

    def documents(self, total: int) -> DocumentProgress:
        """What follows the ``total`` documents of one collection."""
        return _NoProgress()


def build_trees(trees: Sequence[str], manifest: str | None, out: Path,
                settings: BuildSettings, runner: Engine, *, force: bool,
                max_failures: int | None, corpus: CorpusOptions | None, chosen: bool,
                pivot: str | None, codes: tuple[str | None, str | None],
                reporter: Reporter | None = None) -> None:
    """One folder, a folder of language versions, or a collection, on ``runner``.

    ``chosen``: the language pair of ``settings`` was given (--src-lang/--tgt-lang);
    otherwise the languages the folders hold decide. ``codes``: the --src-code and
    --tgt-code given. Raises :class:`BuildError` when documents of a collection
    failed, :class:`OptionsError` for options the inputs do not fit."""
    from bitext.batch import LEDGER_NAME, is_corpus_folder
    from bitext.languages import codes as language_codes

    reporter = reporter or Reporter()
    langs = (settings.src_lang, settings.tgt_lang)
    collection = bool(manifest) or len(trees) > 1 or (
        Path(trees[0]).is_dir() and not is_corpus_folder(Path(trees[0]), language_codes()))
    # One run at a time into a collection's OUT: two runs each took documents and
    # both failed, leaving a ledger that calls a complete document failed and
    # corpus files with part of the links. Each document's folder has its own lock
    # too (bitext.build); one document into OUT takes OUT's in build_document.
    with contextlib.ExitStack() as held:
        if collection:
            from bitext.build import names_itself
            from bitext.fileio import protect_inputs
            from bitext.outputs import folder_lock

            # The manifest is an input: the ledger must not be the same file (a
            # --manifest OUT/manifest.jsonl was appended to, then compacted over).
            held.enter_context(protect_inputs([manifest], outputs=[out / LEDGER_NAME],
                                              fix=names_itself(out)))
            held.enter_context(folder_lock(out, read_only=True))
        if len(trees) == 1 and not manifest and not chosen and build_language_versions(
                Path(trees[0]), out, settings, pivot, codes=codes, reporter=reporter):
            return
        if len(trees) == 1 and not manifest and _single_corpus(Path(trees[0]), langs):
            if pivot:
                raise OptionsError("--pivot needs a folder with several language versions, "
                                   "or a collection of them (and no --src-lang/--tgt-lang)")
            build_one(Path(trees[0]), out, settings, reporter)
            return
        if chosen and pivot:  # whatever the trees hold: before Ray begins
            raise OptionsError("--pivot and --src-lang/--tgt-lang exclude each other: "
                               "give a pair, or let every language align to the pivot")
        if settings.cache:
            # The cache is the run's, not a document's: a damaged file failed every
            # document with the same Error, each recorded, after Ray had come up.
            from bitext.cache import check_cache

            check_cache(settings.cache)
        listed = None
        if manifest:
            from bitext.batch import read_manifest

            # Read before Ray begins (milliseconds: no folder is walked): an Error
            # in it came at once, but the process then waited for a local Ray to
            # come up and stop (exit at 13.4 s, the Error at 2.7 s, load 13).
            listed = read_manifest(Path(manifest), language_codes())
        # A scan with every language unless a pair is chosen: the folders found do
        # not depend on the languages asked for (a pair's build restricts it).
        # Scanned before Ray begins, as every check that needs no model: an Error
        # of the scan (two zh files in a folder, two TREEs giving one id) came at
        # once, but the process waited for a local Ray to come up and stop (the
        # Error at 1.8 s, the exit at 7.8 s, load 9). The scan is 0.07-0.10 CPU s
        # (0.4-0.8 s of wall at load 10) for the 731 UN documents; Ray's start
        # still overlaps the inputs' hashing (start_workers).
        docs = _collection_docs(trees, manifest, listed, out,
                                langs if chosen else language_codes())
        run = _Run(runner, force, max_failures, reporter)
        if chosen:
            _build_pair(docs, out, settings, corpus, run, scanned=docs)
            return
        _build_any_languages(docs, trees or (manifest,), out, settings, corpus, pivot, run)


@dataclass(frozen=True)
class _Run:
    """What every collection of a run is built with."""

    runner: Engine
    force: bool
    max_failures: int | None
    reporter: Reporter

    def build(self, docs: list[SourceDocument], out: Path, settings: BuildSettings,
              corpus: CorpusOptions | None, start: Callable[[], None],
              last: bool = True) -> BatchReport:
        return build_collection(docs, out, settings, corpus, runner=self.runner,
                                force=self.force, max_failures=self.max_failures, last=last,
                                start=start, reporter=self.reporter)


def _build_pair(docs: list[SourceDocument], out: Path, settings: BuildSettings,
                corpus: CorpusOptions | None, run: _Run, *,
                scanned: Sequence[SourceDocument]) -> None:
    """``docs`` as one collection of ``settings``' pair into ``out`` (the workers
    started for the documents ``scanned``); :class:`BuildError` if any failed."""
    start = start_workers(run.runner, settings, [out], scanned, force=run.force)
    _warn_other_layout(out, per_pair=False)
    _raise_failures(run.build(docs, out, settings, corpus, start), out)


def build_language_versions(folder: Path, out: Path, settings: BuildSettings,
                            pivot: str | None,
                            codes: tuple[str | None, str | None] = (None, None),
                            reporter: Reporter | None = None) -> bool:
    """Build ``folder`` through the pivot when it holds three or more language
    versions, two other than zh and en (``ar.pdf en.pdf``), or ``pivot`` is
    given; ``False`` otherwise, so that the two-language build takes it (a zh
    and en folder keeps its output names)."""
    from bitext.multilingual import build_multilingual, find_language_files, find_multilingual

    reporter = reporter or Reporter()
    found = find_language_files(folder)
    if len(found) < 2 or (len(found) == 2 and set(found) == {"zh", "en"} and not pivot):
        return False
    if any(codes):
        raise OptionsError("--src-code/--tgt-code name two sides; a multilingual "
                           "build writes each language's default code")
    doc = find_multilingual(folder)
    if settings.cache:  # as the two-language build: the persistent cache on the encoder
        from bitext.build import prepare_worker
        from bitext.limits import available_cores

        prepare_worker(settings, threads=available_cores())
    with reporter.aligning("Aligning pairs") as progress:
        result = build_multilingual(doc, out, settings, pivot, progress)
    reporter.files(result.files)
    reporter.say(result.summary())
    return True


def build_one(folder: Path, out: Path, settings: BuildSettings,
              reporter: Reporter | None = None) -> None:
    """The corpus folder ``folder`` (two languages, those of ``settings``) into ``out``."""
    from bitext.build import build_document, find_document, prepare_worker

    reporter = reporter or Reporter()
    langs = (settings.src_lang, settings.tgt_lang)
    if _folders_only(folder, out):
        # A TREE with no corpus folder below (_single_corpus): 'no zh document
        # found; name it zh.txt' would tell the user to fix a folder not meant
        # as a document.
        raise InputError(f"{folder}: no corpus folder found, in it or in any folder below "
                         f"it (a corpus folder holds {langs[0]}.txt, {langs[0]}.docx or "
                         f"{langs[0]}.pdf and {langs[1]}.*); give a folder holding them, "
                         "or a TREE of such folders")
    doc = find_document(folder, langs)
    if settings.cache:
        from bitext.limits import available_cores

        prepare_worker(settings, threads=available_cores())
    with reporter.aligning("Aligning") as progress:
        result = build_document(doc, out, settings, progress)
    reporter.files(result.files)
    reporter.say(result.summary())


def _warn_other_layout(out: Path, per_pair: bool) -> None:
    """Say so when OUT holds the other collection layout, from an earlier run of a
    tree that has since gained or lost a language: it is left as it was, beside
    the new one (its corpus files stale, its documents listed twice by bitext
    review OUT). Removing files a user may still want is not the build's call."""
    from bitext.batch import LEDGER_NAME

    if not out.is_dir():
        return
    if per_pair and (out / LEDGER_NAME).is_file():
        log.warning("%s: an earlier run built a two-language collection here (%s, corpus "
                    "files, a folder per document); this run writes a folder per language "
                    "pair beside it and leaves those as they are: remove them, or build "
                    "into another -o", out, LEDGER_NAME)
    elif not per_pair:
        old = sorted(p.name for p in out.iterdir()
                     if "-" in p.name and (p / LEDGER_NAME).is_file())
        if old:
            log.warning("%s: an earlier run built a folder per language pair here (%s; and "
                        "multilingual/); this run writes a two-language collection beside "
                        "them and leaves those as they are: remove them, or build into "
                        "another -o", out, ", ".join(old))


def _collection_docs(trees: Sequence[str], manifest: str | None,
                     listed: list[SourceDocument] | None, out: Path,
                     langs: Sequence[str]) -> list[SourceDocument]:
    """The documents under ``trees`` and those ``listed`` in ``manifest`` (read
    with every language), with ``langs``' files."""
    from bitext.batch import discover, restrict

    docs = discover([Path(t) for t in trees], langs, exclude=[out]) if trees else []
    if manifest and listed is not None:
        listed = restrict(listed, langs)
        clash = {d.id for d in docs} & {d.id for d in listed}
        if clash:
            raise InputError(f"{manifest}: id {sorted(clash)[0]!r} is also a folder under "
                             "the TREEs; give each document once")
        docs = sorted([*docs, *listed], key=lambda d: d.id)
    return docs


def _build_any_languages(docs: list[SourceDocument], sources: Sequence[str | None],
                         out: Path, settings: BuildSettings, corpus: CorpusOptions | None,
                         pivot: str | None, run: _Run) -> None:
    """A collection built without --src-lang/--tgt-lang (``docs``: scanned with
    every language from ``sources``, the TREEs or the manifest): the languages
    its folders hold decide. zh and en (or any two): one pair, as always. Three or more:
    every language is aligned to the pivot, each pair a collection of its own in
    ``OUT/PIVOT-LANG/`` (its manifest, resume and corpus files), then each
    document's pairs are joined into one multilingual memory in
    ``OUT/multilingual/<id>/``."""
    from bitext.batch import restrict
    from bitext.multilingual import choose_pivot, collection_languages, pair_settings

    found = collection_languages(docs)
    if set(found) <= {"zh", "en"} and not pivot:
        _build_pair(restrict(docs, ("zh", "en")), out, settings, corpus, run, scanned=docs)
        return
    pv = choose_pivot(found, pivot)
    others = [lang for lang in found if lang != pv]
    if not others:
        raise InputError(f"{', '.join(map(str, sources))}: every document holds {pv} only; "
                         "a build needs two language versions")
    if len(others) == 1:
        # One pair, as zh and en make: a document missing one of the two fails
        # with the file to add (pair_documents left it out without a word; it
        # is for a language of several that a document lacks)
        _build_pair(restrict(docs, (pv, others[0])), out,
                    pair_settings(settings, pv, others[0]), corpus, run, scanned=docs)
        return
    _build_through_pivot(docs, out, settings, corpus, pv, others, run)


def _build_through_pivot(docs: list[SourceDocument], out: Path, settings: BuildSettings,
                         corpus: CorpusOptions | None, pv: str, others: list[str],
                         run: _Run) -> None:
    """Each language of ``others`` aligned to the pivot ``pv``, a collection of its
    own in ``OUT/PIVOT-LANG/``, then each document's pairs joined in
    ``OUT/multilingual/<id>/``."""
    from bitext.multilingual import (
        MULTI_FOLDER,
        join_collection,
        multi_signature,
        pair_documents,
        pair_name,
        pair_settings,
    )

    joined = out / MULTI_FOLDER
    if joined.exists() and not joined.is_dir():  # found after every pair was built
        raise ExportError(f"{joined} is not a folder: a collection of several languages "
                          "writes its joined memories there; move it aside, or build into "
                          "another -o")
    _warn_other_layout(out, per_pair=True)
    # No pair holds more documents than the collection.
    start = start_workers(run.runner, settings,
                          [out / pair_name(pv, other) for other in others
                           if pair_documents(docs, pv, other)],
                          docs, force=run.force)
    failed: list[tuple[str, str]] = []
    total = before = 0
    folders = {}
    for other in others:
        folder = out / pair_name(pv, other)
        folders[other] = folder
        subset = pair_documents(docs, pv, other)
        run.reporter.say(f"{pair_name(pv, other)}: {len(subset)} document(s) into {folder}")
        if not subset:
            continue
        report = run.build(subset, folder, pair_settings(settings, pv, other), corpus, start,
                           last=other == others[-1])
        failed += [(f"{pair_name(pv, other)} {doc_id}", err)
                   for doc_id, err in [*report.failed, *report.failed_before]]
        before += len(report.failed_before)
        total += report.total
        if report.stopped_early:
            break
    run.runner.close(wait=False)
    from bitext.collection import corpus_kept

    # with --no-corpus, an earlier run's collection memory stays where every
    # pair kept its corpus (each matches this run's documents: remove_corpus)
    joins = join_collection(out, docs, pv, folders,
                            min_score=settings.export.get("min_score"),
                            signature=multi_signature(settings, pv),
                            corpus=corpus is not None,
                            keep_memory=all(corpus_kept(f) for f in folders.values()
                                            if f.is_dir()))
    run.reporter.say(joins.summary(out / MULTI_FOLDER, pv))
    if failed:
        raise _failures(failed, f"{total} document pairs",
                        f"the manifest.jsonl of each pair's folder in {out}", before=before)


def start_workers(runner: Engine, settings: BuildSettings, outs: Sequence[Path],
                  docs: Sequence[SourceDocument], *, force: bool) -> Callable[[], None]:
    """What starts the engine's workers (Ray and its actors), never more than
    the documents that can be built, while the inputs are hashed, when the run
    will build: a fresh collection (some folder of ``outs`` has no ledger yet)
    or --force. A rerun may have nothing to build, so it starts them only when
    needed (:meth:`~bitext.engines.Engine.run`, sized to the documents to
    build); so does a run whose every document is a folder that cannot be read.
    Called by :func:`build_collection` once OUT's own files are checked: an
    Error found before it ends the process without a local Ray to wait for."""
    from bitext.batch import LEDGER_NAME

    buildable = sum(1 for doc in docs if not doc.unreadable)

    def start() -> None:
        if buildable and (force or not all((folder / LEDGER_NAME).exists()
                                           for folder in outs)):
            runner.start(settings, at_most=buildable)

    return start


def _single_corpus(folder: Path, langs: tuple[str, str]) -> bool:
    """A folder holding the language files itself (and no corpus folders below),
    or not a folder at all (so that its error is the one-document error)."""
    from bitext.batch import holds_corpus_folders, is_corpus_folder

    if not folder.is_dir():
        return True
    # Nothing below either: report it as a corpus folder would.
    return is_corpus_folder(folder, langs) or not holds_corpus_folders(folder)


def _folders_only(folder: Path, out: Path) -> bool:
    """Whether ``folder`` has subfolders (other than ``out`` and the hidden ones
    the scan skips) and no file named for a language."""
    import os

    from bitext.batch import is_corpus_folder
    from bitext.languages import codes

    try:
        with os.scandir(folder) as entries:
            has_folder = any(e.is_dir() and not e.name.startswith(".")
                             and not (out.exists() and os.path.samefile(e.path, out))
                             for e in entries)
    except OSError:  # not a folder: find_document says so
        return False
    return has_folder and not is_corpus_folder(folder, codes())


def build_collection(docs: list[SourceDocument], out: Path, settings: BuildSettings,
                     corpus: CorpusOptions | None, *, runner: Engine, force: bool,
                     max_failures: int | None, last: bool = True,
                     start: Callable[[], None] | None = None,
                     reporter: Reporter | None = None) -> BatchReport:
    """Build ``docs`` into ``out`` (:func:`bitext.batch.run_batch`), then write
    (or, with ``corpus`` None, remove) the corpus-level files. ``last``: no
    collection follows on ``runner``, which is closed before the corpus files
    are written; ``start`` (:func:`start_workers`) is called once the
    collection's own files are checked."""
    from bitext.batch import LEDGER_NAME, run_batch
    from bitext.build import names_itself
    from bitext.collection import STEM
    from bitext.fileio import protect_inputs

    reporter = reporter or Reporter()
    # The collection's own files are outputs: a document whose input is one of
    # them (OUT/corpus.zh listed in a manifest) is refused before any build. The
    # corpus files a run writes anew cannot be inputs: an input exists already.
    inputs = [path for doc in docs for path in doc.files.values()]
    if corpus is not None:
        from bitext.build import check_writable
        from bitext.collection import corpus_names
        from bitext.outputs import check_own_file

        # read and written after the last document: refused before the first
        check_own_file(out / f"{STEM}.stamp.json", "corpus stamp")
        check_writable(out / name for name in corpus_names(settings, corpus))
    with protect_inputs(inputs, outputs=[out / LEDGER_NAME, *sorted(out.glob(f"{STEM}.*"))],
                        fix=names_itself(out)):
        if start is not None:  # the workers come up while the inputs are hashed
            start()
        progress = reporter.documents(len(docs))
        try:
            report = run_batch(docs, out, settings, runner, force=force,
                               max_failures=max_failures, on_result=progress.update)
        except (KeyboardInterrupt, Terminated):
            # Ctrl-C, kill or a closed terminal: the command says 'Interrupted.'
            # ('Terminated.', 'Hangup.'); what was done is kept (each document's
            # line is in the ledger when it ends).
            progress.close()
            again = "the same command without --force" if force else "the same command"
            reporter.say(f"stopped: every document finished is recorded in "
                         f"{out / LEDGER_NAME}; {again} builds the rest")
            raise
        progress.close()
        if last or report.disk_full:
            runner.close(wait=False)  # a local Ray stops while the corpus files are written
        reporter.say(report.summary())
        if report.disk_full:
            from bitext.fileio.write import FREE_SPACE

            what = report.disk_full.removesuffix(f"; {FREE_SPACE}")
            raise DiskFullError(
                f"{what}; the run stopped there: {report.built + report.skipped} "
                f"of {report.total} documents built (recorded in {out / LEDGER_NAME}); "
                "free some space and run the same command again: it builds the rest")
        if corpus is not None and not report.stopped_early:
            from bitext.collection import write_corpus

            written = write_corpus(out, docs, report.entries, settings, corpus)
            reporter.say(written.summary())
        elif corpus is None:
            from bitext.collection import remove_corpus

            remove_corpus(out, docs, report.entries, settings)
    return report


def _raise_failures(report: BatchReport, out: Path) -> None:
    from bitext.batch import LEDGER_NAME

    failed = [*report.failed, *report.failed_before]
    if failed:
        raise _failures(failed, f"{report.total} documents", str(out / LEDGER_NAME),
                        before=len(report.failed_before))


def _failures(failed: Sequence[tuple[str, str]], of: str, where: str,
              before: int = 0) -> BuildError:
    """The one Error line of a collection with failed documents: the first five.
    ``before`` of them were not tried again (they failed for their input, which
    has not changed): the line says so and how to proceed, as the summary does."""
    from bitext.batch import failure_line

    shown = "; ".join(failure_line(doc_id, error) for doc_id, error in failed[:5])
    more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
    again = (f" ({before} not tried again: failed before with the same inputs and "
             "settings; fix them and run again, or give --force to retry them)"
             if before else "")
    return BuildError(f"{len(failed)} of {of} failed{again}: {shown}{more}; see {where}")
