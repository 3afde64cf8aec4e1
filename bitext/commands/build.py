"""``bitext build``: the whole pipeline on corpus folders (see :mod:`bitext.build`
for one document, :mod:`bitext.batch` for collections)."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bitext.commands._common import (
    LANGUAGE,
    FolderOut,
    PathParam,
    alignment_options,
    echo_paths,
    encoding_option,
    export_kwargs,
    export_options,
    limit_options,
    progress_bar,
    split_encodings,
)
from bitext.errors import ConfigError, DiskFullError, ExportError, InputError

if TYPE_CHECKING:
    from bitext.batch import BatchReport
    from bitext.build import BuildResult, BuildSettings, SourceDocument
    from bitext.collection import CorpusOptions
    from bitext.engines import Engine

log = logging.getLogger(__name__)


@click.command("build")
@click.argument("trees", nargs=-1, type=PathParam(file_okay=False))
@click.option("-o", "--output", "out_dir", default="out", show_default=True,
              type=FolderOut(readable=False),
              help="Folder for the outputs (created if needed).")
@click.option("--manifest", type=PathParam(dir_okay=False, exists=True), default=None,
              help="TSV or JSONL listing the documents: id and one path per language, "
                   "a relative path taken from the manifest's folder (instead of, or "
                   "besides, TREE folders).")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Worker processes (default: the cores available).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
              show_default=True,
              help="local: worker processes here; ray: Ray actors (bitext[distributed]).")
@click.option("--ray-address", default=None,
              help="Ray cluster to join (e.g. ray://head:10001 or auto); default: a local Ray.")
@click.option("--force", is_flag=True, help="Rebuild documents that are up to date.")
@click.option("--max-failures", type=click.IntRange(1), default=None,
              help="Stop after this many documents failed.")
@click.option("--cache", "cache_dir", type=PathParam(file_okay=False), default=None,
              help="Folder of a persistent embedding cache shared by runs and workers "
                   "(reruns with other settings do not embed again).")
@click.option("--filter", "filters", multiple=True, metavar="SPEC",
              help="Filter the corpus-level files: 'default', or names with optional "
                   "values, e.g. 'min-confidence=0.6,length-ratio=3,langid,identical,"
                   "near-dedupe,empty' (see bitext filter --help). Repeatable.")
# sys.maxsize: the most links a shard can count (itertools.islice takes no more)
@click.option("--shard-size", type=click.IntRange(1, sys.maxsize), default=None,
              help="Links per corpus JSONL shard (default 500000).")
@click.option("--gzip", "gz", is_flag=True, help="Gzip the corpus JSONL shards.")
@click.option("--no-corpus", is_flag=True,
              help="Skip the corpus-level files of a collection; those an earlier run "
                   "wrote stay while they match the documents built, else they are "
                   "removed.")
@alignment_options
@export_options
@limit_options
@click.option("--no-glossary", is_flag=True, help="Skip term extraction.")
@click.option("--pivot", type=LANGUAGE, default=None,
              help="A folder (or a collection of folders) with three or more language "
                   "versions: align each to this one (the original language; default "
                   "en) and join them.")
@click.option("--layout", type=click.Choice(["auto", "wrapped", "sentences", "paragraphs"]),
              default="auto", show_default=True,
              help="How text files' lines are read: wrapped (extracted text: cleaned, "
                   "structure recovered), sentences or paragraphs (one a line); auto "
                   "detects it. DOCX and PDF are read as they are.")
@encoding_option
def cli(trees: tuple[str, ...], out_dir: str, manifest: str | None, jobs: int | None,
        engine: str, ray_address: str | None, force: bool, max_failures: int | None,
        cache_dir: str | None, filters: tuple[str, ...], shard_size: int | None, gz: bool,
        no_corpus: bool,
        src_lang: str | None, tgt_lang: str | None, encoder: str, max_bead: int,
        min_score: float | None, dedupe: bool, srclang: str | None, src_code: str | None,
        tgt_code: str | None, max_input_mb: float, no_glossary: bool,
        pivot: str | None, layout: str, encoding: str | None) -> None:
    """Run the whole pipeline on every corpus folder under TREE.

    A corpus folder holds one file per language: zh.txt / en.pdf / ..., or
    NAME.zh.docx / NAME.en.docx (text, DOCX or PDF).

    \b
    Examples:
      bitext build corpora/un-som-2016 -o out/        one corpus folder (the bundled one)
      bitext build un-2015/ -o un-2015-out/ --jobs 2  a collection; run it again to resume

    \b
    One corpus folder: its files go straight into OUTPUT (NAME = the folder's name):
      zh.segments.jsonl, en.segments.jsonl   cleaned, structured, sentence-split documents
      NAME.sentences.tmx, NAME.paragraphs.tmx TMX 1.4b memories
      NAME.zh, NAME.en, NAME.ids              Moses-style parallel text
      NAME.tsv, NAME.jsonl, NAME.beads        links with scores and labels
      NAME.tbx, NAME.terms.tsv                bilingual glossary (TBX-Basic) and its table

    \b
    One folder holding several language versions (three or more, or two other
    than zh and en: ar.pdf en.pdf es.pdf fr.pdf ru.pdf zh.pdf, or NAME.fr.docx
    ...): each is aligned to the pivot
    (--pivot, the original language; default en) and OUTPUT gets:
      LANG.segments.jsonl                     each language's segments
      NAME.PIVOT-LANG.*                       each pair's outputs, named as above
      NAME.tmx                                one multilingual TMX (a tu holds every language)
      NAME.multi.jsonl                        one line per unit: text per language, scores per pair

    \b
    A collection (TREE folders holding corpus folders at any depth, several
    TREEs, or --manifest): each document's files go into OUTPUT/<id>/, the id
    being the folder's path relative to its TREE. OUTPUT/manifest.jsonl
    records every document (input hashes, settings, status, counts, error);
    a rerun skips the documents whose inputs and settings are unchanged
    (--force redoes them). A document that fails is recorded and the others
    go on; the exit code is 1 if any failed.

    \b
    \b
    A collection whose folders hold three or more languages (and no
    --src-lang/--tgt-lang pair) is built as one collection per language
    aligned to the pivot, in OUTPUT/PIVOT-LANG/ (each with its manifest and
    corpus files), then each document's pairs are joined into
    OUTPUT/multilingual/<id>/NAME.tmx and NAME.multi.jsonl.

    A collection also gets corpus-level files in OUTPUT, from every document
    built, filtered with --filter:
      corpus.00000.jsonl ...            links with document id and labels (sharded)
      corpus.zh, corpus.en, corpus.ids  Moses parallel text
      corpus.tmx.gz                     one merged memory
      corpus.filters.json               pairs each filter removed
    """
    from bitext.build import BuildSettings
    from bitext.limits import Limits

    if not trees and not manifest:
        raise click.UsageError("give at least one TREE folder or --manifest")
    langs = (src_lang or "zh", tgt_lang or "en")
    if langs[0] == langs[1]:  # the build wrote every alignment file, then failed
        raise ConfigError(f"--src-lang and --tgt-lang are both {langs[0]}; a build "
                          "aligns two languages: give two different ones")
    from bitext.tmx.base import side_codes

    side_codes(*langs, src_code, tgt_code)  # before any work: they name the output files
    settings = BuildSettings(src_lang=langs[0], tgt_lang=langs[1], encoder=encoder,
                             max_bead=max_bead, glossary=not no_glossary,
                             export=export_kwargs(min_score, dedupe, srclang, src_code, tgt_code),
                             cache=str(Path(cache_dir).resolve()) if cache_dir else None,
                             encodings=split_encodings(encoding), layout=layout,
                             limits=Limits(max_input_mb))
    if not out_dir:  # Path('') is the folder the command runs in: outputs among the inputs
        raise ExportError("the output folder name is empty; give one with -o (. for the "
                          "current folder)")
    out = Path(out_dir)
    from bitext.engines import get_engine

    runner = get_engine(engine, jobs=jobs, address=ray_address)
    try:
        _build(trees, manifest, out, settings, runner, force=force, max_failures=max_failures,
               filters=filters, shard_size=shard_size, gz=gz, no_corpus=no_corpus,
               chosen=bool(src_lang or tgt_lang), pivot=pivot, codes=(src_code, tgt_code))
    finally:
        runner.close(wait=False)  # no-op when the collection's last build closed it


def _build(trees: tuple[str, ...], manifest: str | None, out: Path, settings: BuildSettings,
           runner: Engine, *, force: bool, max_failures: int | None,
           filters: tuple[str, ...], shard_size: int | None, gz: bool, no_corpus: bool,
           chosen: bool, pivot: str | None, codes: tuple[str | None, str | None]) -> None:
    """One folder, a folder of language versions, or a collection, on ``runner``."""
    from bitext.batch import LEDGER_NAME, is_corpus_folder
    from bitext.collection import DEFAULT_SHARD_SIZE, CorpusOptions
    from bitext.filters import parse_filters
    from bitext.languages import codes as language_codes

    corpus = None if no_corpus else CorpusOptions(
        shard_size=shard_size or DEFAULT_SHARD_SIZE, gzip=gz,
        filters=tuple(parse_filters(filters)))

    langs = (settings.src_lang, settings.tgt_lang)
    collection = bool(manifest) or len(trees) > 1 or (
        Path(trees[0]).is_dir() and not is_corpus_folder(Path(trees[0]), language_codes()))
    # One run at a time into a collection's OUT: two runs each took documents and
    # both failed, leaving a ledger that calls a complete document failed and
    # corpus files with part of the links. Each document's folder has its own lock
    # too (bitext.build); one document into OUT takes OUT's in build_document.
    with contextlib.ExitStack() as held:
        if collection:
            from bitext.fileio import protect_inputs
            from bitext.outputs import folder_lock

            # The manifest is an input: the ledger must not be the same file (a
            # --manifest OUT/manifest.jsonl was appended to, then compacted over).
            held.enter_context(protect_inputs([manifest], outputs=[out / LEDGER_NAME]))
            held.enter_context(folder_lock(out, read_only=True))
        if len(trees) == 1 and not manifest and not chosen:
            from bitext.commands._multilingual import build_folder

            if build_folder(Path(trees[0]), out, settings, pivot, codes=codes):
                return
        if len(trees) == 1 and not manifest and _single_corpus(Path(trees[0]), langs):
            if pivot:
                raise click.UsageError("--pivot needs a folder with several language versions, "
                                       "or a collection of them (and no --src-lang/--tgt-lang)")
            _build_one(Path(trees[0]), out, settings)
            return
        if chosen and pivot:  # whatever the trees hold: before Ray begins
            raise click.UsageError("--pivot and --src-lang/--tgt-lang exclude each other: "
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
        # still overlaps the inputs' hashing (_start_workers).
        docs = _collection_docs(trees, manifest, listed, out,
                                langs if chosen else language_codes())
        run: dict[str, Any] = {"runner": runner, "force": force, "max_failures": max_failures}
        if chosen:
            run["start"] = _start_workers(runner, settings, [out], docs, force=force)
            _warn_other_layout(out, per_pair=False)
            _raise_failures(_build_collection(docs, out, settings, corpus, **run), out)
            return
        _build_any_languages(docs, trees or (manifest,), out, settings, corpus, pivot, run)


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


def _collection_docs(trees: tuple[str, ...], manifest: str | None,
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
                         pivot: str | None, run: dict[str, Any]) -> None:
    """A collection built without --src-lang/--tgt-lang (``docs``: scanned with
    every language from ``sources``, the TREEs or the manifest): the languages
    its folders hold decide. zh and en (or any two): one pair, as always. Three or more:
    every language is aligned to the pivot, each pair a collection of its own in
    ``OUT/PIVOT-LANG/`` (its manifest, resume and corpus files), then each
    document's pairs are joined into one multilingual memory in
    ``OUT/multilingual/<id>/``."""
    from bitext.batch import restrict
    from bitext.multilingual import (
        MULTI_FOLDER,
        choose_pivot,
        collection_languages,
        join_collection,
        multi_signature,
        pair_documents,
        pair_name,
        pair_settings,
    )

    found = collection_languages(docs)
    if set(found) <= {"zh", "en"} and not pivot:
        run["start"] = _start_workers(run["runner"], settings, [out], docs, force=run["force"])
        docs = restrict(docs, ("zh", "en"))
        _warn_other_layout(out, per_pair=False)
        _raise_failures(_build_collection(docs, out, settings, corpus, **run), out)
        return
    pv = choose_pivot(found, pivot)
    others = [lang for lang in found if lang != pv]
    if not others:
        raise InputError(f"{', '.join(map(str, sources))}: every document holds {pv} only; "
                         "a build needs two language versions")
    if len(others) == 1:
        run["start"] = _start_workers(run["runner"], settings, [out], docs, force=run["force"])
        _warn_other_layout(out, per_pair=False)
        pair = pair_settings(settings, pv, others[0])
        _raise_failures(_build_collection(pair_documents(docs, pv, others[0]), out, pair,
                                          corpus, **run), out)
        return
    joined = out / MULTI_FOLDER
    if joined.exists() and not joined.is_dir():  # found after every pair was built
        raise ExportError(f"{joined} is not a folder: a collection of several languages "
                          "writes its joined memories there; move it aside, or build into "
                          "another -o")
    _warn_other_layout(out, per_pair=True)
    # No pair holds more documents than the collection.
    run["start"] = _start_workers(run["runner"], settings,
                                  [out / pair_name(pv, other) for other in others
                                   if pair_documents(docs, pv, other)],
                                  docs, force=run["force"])
    failed: list[tuple[str, str]] = []
    total = before = 0
    folders = {}
    for other in others:
        folder = out / pair_name(pv, other)
        folders[other] = folder
        subset = pair_documents(docs, pv, other)
        click.echo(f"{pair_name(pv, other)}: {len(subset)} document(s) into {folder}", err=True)
        if not subset:
            continue
        report = _build_collection(subset, folder,
                                   pair_settings(settings, pv, other),
                                   corpus, **run, last=other == others[-1])
        failed += [(f"{pair_name(pv, other)} {doc_id}", err)
                   for doc_id, err in [*report.failed, *report.failed_before]]
        before += len(report.failed_before)
        total += report.total
        if report.stopped_early:
            break
    run["runner"].close(wait=False)
    from bitext.collection import corpus_kept

    # with --no-corpus, an earlier run's collection memory stays where every
    # pair kept its corpus (each matches this run's documents: remove_corpus)
    joins = join_collection(out, docs, pv, folders,
                              min_score=settings.export.get("min_score"),
                              signature=multi_signature(settings, pv),
                              corpus=corpus is not None,
                              keep_memory=all(corpus_kept(f) for f in folders.values()
                                              if f.is_dir()))
    click.echo(joins.summary(out / MULTI_FOLDER, pv), err=True)
    if failed:
        raise _failures(failed, f"{total} document pairs",
                        f"the manifest.jsonl of each pair's folder in {out}", before=before)


def _start_workers(runner: Engine, settings: BuildSettings, outs: Sequence[Path],
                   docs: Sequence[SourceDocument], *, force: bool) -> Callable[[], None]:
    """What starts the engine's workers (Ray and its actors), never more than
    the documents that can be built, while the inputs are hashed, when the run
    will build: a fresh collection (some folder of ``outs`` has no ledger yet)
    or --force. A rerun may have nothing to build, so it starts them only when
    needed (:meth:`~bitext.engines.Engine.run`, sized to the documents to
    build); so does a run whose every document is a folder that cannot be read.
    Called by :func:`_build_collection` once OUT's own files are checked: an
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


def _build_one(folder: Path, out: Path, settings: BuildSettings) -> None:
    from bitext.build import build_document, find_document, prepare_worker

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
        from bitext.align.encoders import available_cores

        prepare_worker(settings, threads=available_cores())
    with progress_bar("Aligning") as progress:
        result = build_document(doc, out, settings, progress)
    echo_paths(result.files)
    click.echo(result.summary(), err=True)


def _build_collection(docs: list[SourceDocument], out: Path, settings: BuildSettings,
                      corpus: CorpusOptions | None, *, runner: Engine, force: bool,
                      max_failures: int | None, last: bool = True,
                      start: Callable[[], None] | None = None) -> BatchReport:
    from bitext.batch import LEDGER_NAME, run_batch
    from bitext.fileio import protect_inputs

    # The collection's own files are outputs: a document whose input is one of
    # them (OUT/corpus.zh listed in a manifest) is refused before any build. The
    # corpus files a run writes anew cannot be inputs: an input exists already.
    inputs = [path for doc in docs for path in doc.files.values()]
    if corpus is not None:
        from bitext.collection import STEM
        from bitext.outputs import check_own_file

        # read and written after the last document: refused before the first
        check_own_file(out / f"{STEM}.stamp.json", "corpus stamp")
    with protect_inputs(inputs, outputs=[out / LEDGER_NAME, *sorted(out.glob("corpus.*"))]):
        if start is not None:  # the workers come up while the inputs are hashed
            start()
        progress = _Progress(len(docs))
        report = run_batch(docs, out, settings, runner, force=force,
                           max_failures=max_failures, on_result=progress.update)
        progress.close()
        if last or report.disk_full:
            runner.close(wait=False)  # a local Ray stops while the corpus files are written
        click.echo(report.summary(), err=True)
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
            click.echo(written.summary(), err=True)
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


class _Progress:
    """Documents done/total, sentences per second and ETA on a terminal; one log
    line per document (level INFO) otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.tty = sys.stderr.isatty()
        self.started = time.perf_counter()
        self.drawn = False

    def update(self, result: BuildResult, report: BatchReport) -> None:
        done = report.built + len(report.failed)
        todo = report.total - report.skipped
        if not self.tty:
            log.info("%s: %s (%d/%d)", result.id,
                     result.summary() if result.status == "ok" else result.error, done, todo)
            return
        elapsed = time.perf_counter() - self.started
        rate = report.sentences / elapsed if elapsed else 0.0
        eta = elapsed / done * (todo - done) if done else 0.0
        click.echo(f"\r{done}/{todo} documents ({report.skipped} up to date), "
                   f"{len(report.failed)} failed, {rate:.0f} sentences/s, "
                   f"ETA {_duration(eta)}   ", err=True, nl=False)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            click.echo("", err=True)


def _duration(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


class BuildError(InputError):
    """Some documents of a collection failed (each is recorded in the manifest)."""
