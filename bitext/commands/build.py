"""``bitext build``: the whole pipeline on corpus folders. The command parses its
options, calls :func:`bitext.run.build_trees` and shows what it reports (see
:mod:`bitext.build` for one document, :mod:`bitext.batch` for collections)."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

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
from bitext.errors import ConfigError, ExportError
from bitext.run import Reporter

if TYPE_CHECKING:
    from bitext.batch import BatchReport
    from bitext.build import BuildResult

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
    from bitext.run import OptionsError, build_trees

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
        from bitext.collection import DEFAULT_SHARD_SIZE, CorpusOptions
        from bitext.filters import parse_filters

        corpus = None if no_corpus else CorpusOptions(
            shard_size=shard_size or DEFAULT_SHARD_SIZE, gzip=gz,
            filters=tuple(parse_filters(filters)))
        build_trees(trees, manifest, out, settings, runner, force=force,
                    max_failures=max_failures, corpus=corpus, chosen=bool(src_lang or tgt_lang),
                    pivot=pivot, codes=(src_code, tgt_code), reporter=_Terminal())
    except OptionsError as err:
        raise click.UsageError(str(err)) from err
    finally:
        runner.close(wait=False)  # no-op when the collection's last build closed it


class _Terminal(Reporter):
    """A run's news on stderr: lines, the files written, progress bars."""

    def say(self, line: str) -> None:
        click.echo(line, err=True)

    def files(self, paths: Iterable[object]) -> None:
        echo_paths(paths)

    def aligning(self, label: str) -> contextlib.AbstractContextManager[
            Callable[[int, int], None] | None]:
        return progress_bar(label)

    def documents(self, total: int) -> _Progress:
        return _Progress(total)


class _Progress:
    """Documents done/total, sentences per second and ETA on a terminal; one log
    line per document (level INFO) otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.tty = sys.stderr.isatty()
        self.drawn = False
        # The rate and ETA count from when the first document done began to be
        # built (its end less its own build time): the time before is the
        # workers' start and model load, paid once (10 of 29 s for 50 twelve-line
        # UNPC documents with --jobs 2), which made the first ETAs 8m09s and
        # 4m00s for a run that ended 18 s later. Counting from the first one's
        # end instead said 'ETA 0m00s' when two workers ended their first
        # documents together.
        self.began: float | None = None

    def update(self, result: BuildResult, report: BatchReport) -> None:
        done = report.built + len(report.failed)
        todo = report.total - report.skipped
        if not self.tty:
            log.info("%s: %s (%d/%d)", result.id,
                     result.summary() if result.status == "ok" else result.error, done, todo)
            return
        now = time.perf_counter()
        if self.began is None:
            self.began = now - max(0.0, result.seconds)
        elapsed = now - self.began
        pace = ""
        if done and elapsed > 0:
            rate = report.sentences / elapsed
            eta = elapsed / done * (todo - done)
            pace = f", {rate:.0f} sentences/s, ETA {_duration(eta)}"
        click.echo(f"\r{done}/{todo} documents ({report.skipped} up to date), "
                   f"{len(report.failed)} failed{pace}   ", err=True, nl=False)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            click.echo("", err=True)


def _duration(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"

