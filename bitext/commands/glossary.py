"""``bitext glossary``: extract bilingual terms into TBX, CSV or TSV."""

from __future__ import annotations

import logging
import time

import click

from bitext.commands._common import (
    LANGUAGE,
    PathParam,
    encoding_option,
    limit_options,
    split_encodings,
)

FORMATS = ["tbx", "tbx2", "csv", "tsv"]

log = logging.getLogger(__name__)


@click.command("glossary", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("src", type=PathParam(dir_okay=False, allow_dash=True), required=False)
@click.argument("tgt", type=PathParam(dir_okay=False, allow_dash=True), required=False)
@click.option("-o", "--output", required=True,
              type=PathParam(readable=False, allow_dash=True),
              help="Output file (written atomically); - for stdout (then pass --format).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="tbx: TBX-Basic v3 (ISO 30042:2019); tbx2: legacy 2008 martif for OmegaT "
                   "3.6 and older MultiTerm; csv/tsv: spreadsheets. Default: from the "
                   "output's extension.")
@click.option("--alignment", "--memory", "memories", type=PathParam(dir_okay=False),
              multiple=True,
              help="Extract from this aligned file instead of aligning SRC and TGT: a "
                   "translation memory (TMX 1.4b, plain or .gz, from any tool), bilingual "
                   "XLIFF 1.2 or 2.x, a two-column TSV, or bitext JSONL. Repeat it, or list "
                   "several files after one option, to read several at once.")
@click.option("--all", "all_units", is_flag=True,
              help="XLIFF: use every unit with a target, not only those whose state "
                   "counts as translated (translated, reviewed, signed-off, final).")
@click.option("--min-freq", type=click.IntRange(min=1), default=1, show_default=True,
              help="Least number of aligned segments in which both terms occur together.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Keep only the N best concepts.")
@click.option("--cut/--no-cut", default=True, show_default=True,
              help="Drop the concepts whose confidence is below the cut-off where precision "
                   "drops (stated in the TBX header and on stderr); --no-cut keeps the "
                   "whole ranked list.")
@click.option("--encoder", default="use", show_default=True,
              help="Sentence encoder for the alignment and --embed (see 'bitext align --help').")
@click.option("--embed/--no-embed", default=True, show_default=True,
              help="Also compare the two terms with the encoder's embeddings (as "
                   "'bitext build' does).")
@click.option("--src-lang", type=LANGUAGE, default=None,
              help="Language of SRC (default: detected from its script and words).")
@click.option("--tgt-lang", type=LANGUAGE, default=None,
              help="Language of TGT (default: detected from its script and words).")
@limit_options
@encoding_option
def cli(src: str | None, tgt: str | None, output: str, fmt: str | None,
        memories: tuple[str, ...], all_units: bool, min_freq: int, top: int | None, cut: bool,
        encoder: str, embed: bool, src_lang: str | None, tgt_lang: str | None,
        max_input_mb: float, encoding: str | None) -> None:
    """Extract a bilingual glossary from SRC and its translation TGT.

    The documents are aligned sentence by sentence (or --alignment gives an
    alignment), candidate terms are found on each side (Chinese words and
    phrases, titles in 《》, English noun phrases, names, acronyms with their
    long forms), and paired by how consistently they occur in aligned
    sentences, by CC-CEDICT dictionary evidence, by their lengths and by the
    encoder's similarity of the two terms. Other pairs (en-fr, en-es, en-ru,
    en-ar, fr-ru...) pair noun phrases of each language by association, by
    spelling (cognates, Russian and Arabic transliterated) and by the encoder.

    Concepts come ranked best first; by default the list is cut where precision
    drops (the cut-off is stated in the TBX header and on stderr). Each concept
    comes with its score, frequencies and example sentence pairs. All terms are
    candidates for review (TBX administrativeStatus "admitted"). The glossary
    is the one 'bitext build' writes for the same alignment and settings.

    \b
    bitext glossary zh.txt en.txt -o terms.tbx
    bitext glossary --alignment gold.sentences.jsonl -o terms.csv --top 100
    bitext glossary --memory eluna.tmx.gz --memory job.xlf -o terms.tbx

    Memories: TMX (pair chosen with --src-lang/--tgt-lang when a file holds more
    languages; default its Chinese and English), XLIFF (translated units only
    unless --all), two-column TSV. Units with an empty side or in the wrong
    language are skipped with a warning. Each TBX example records its file and
    tuid or unit id.
    """
    from bitext.fileio import check_input, check_output_folder, protect_inputs
    from bitext.glossary.formats import format_for
    from bitext.glossary.run import make_glossary, write_glossary_files
    from bitext.types import Alignment

    click.get_current_context().with_resource(
        protect_inputs([src, tgt, *memories], outputs=[output]))
    out_fmt = format_for(output, fmt)  # fail on a bad name before the slow part
    check_output_folder(output)  # and on a folder that takes no file
    start = time.perf_counter()
    alignment: Alignment | list[Alignment]
    if memories:
        from bitext.glossary.memories import read_memories

        # `--alignment a.tmx b.xlf` reads b.xlf as SRC: every named file is a memory
        files = [*memories, *(p for p in (src, tgt) if p)]
        alignment = read_memories(files, src_lang=src_lang, tgt_lang=tgt_lang,
                                  all_units=all_units)
        sources = files
    else:
        if not src or not tgt:
            raise click.UsageError("give SRC and TGT, or --alignment FILE (TMX, XLIFF, TSV, JSONL)")
        for path in (src, tgt):
            check_input(path)
        from bitext.commands._common import progress_bar
        from bitext.limits import Limits
        from bitext.pipeline import align_files

        with progress_bar("Aligning") as progress:
            alignment = align_files(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                    encoder=encoder, level="sentence", progress=progress,
                                    encodings=split_encodings(encoding),
                                    limits=Limits(max_input_mb))
        sources = [src, tgt]
    glossary = make_glossary(alignment, encoder_name=encoder, embed=embed, min_freq=min_freq,
                             top=top, cut=cut)
    first = alignment if isinstance(alignment, Alignment) else alignment[0]
    write_glossary_files(glossary, [(output, out_fmt)], sources=sources,
                         signature=dict(first.signature))
    log.info("%d concepts written to %s in %.1f s", len(glossary.concepts), output,
             time.perf_counter() - start)
    for line in glossary.notes():
        click.echo(line, err=True)
    if output != "-":
        from bitext.cli import one_line  # a path with a line break stays one line

        click.echo(f"{one_line(output)}: {len(glossary.concepts)} concepts ({out_fmt})",
                   err=True)
