"""``bitext glossary``: extract bilingual terms into TBX, CSV or TSV."""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING

import click

from bitext.errors import InputError

if TYPE_CHECKING:
    from bitext.types import Alignment

FORMATS = ["tbx", "tbx2", "csv", "tsv"]
LANGS = ["zh", "en"]

log = logging.getLogger(__name__)


@click.command("glossary", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("src", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.argument("tgt", type=click.Path(dir_okay=False, allow_dash=True), required=False)
@click.option("-o", "--output", required=True,
              help="Output file (written atomically); - for stdout (then pass --format).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="tbx: TBX-Basic v3 (ISO 30042:2019); tbx2: legacy 2008 martif for OmegaT "
                   "3.6 and older MultiTerm; csv/tsv: spreadsheets. Default: from the "
                   "output's extension.")
@click.option("--alignment", "alignment_file", type=click.Path(dir_okay=False),
              default=None,
              help="Use this aligned JSONL file (a bitext JSONL export or a gold file) "
                   "instead of aligning SRC and TGT.")
@click.option("--min-freq", type=click.IntRange(min=1), default=1, show_default=True,
              help="Least number of aligned segments in which both terms occur together.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Keep only the N best concepts.")
@click.option("--cut/--no-cut", default=True, show_default=True,
              help="Drop the concepts ranked below the precision cut-off (stated in the "
                   "TBX header and on stderr); --no-cut keeps the whole ranked list.")
@click.option("--encoder", default="use", show_default=True,
              help="Sentence encoder for the alignment and --embed (see 'bitext align --help').")
@click.option("--embed/--no-embed", default=True, show_default=True,
              help="Also compare the two terms with the encoder's embeddings (as "
                   "'bitext build' does).")
@click.option("--src-lang", type=click.Choice(LANGS), default=None,
              help="Language of SRC (default: detected from its script).")
@click.option("--tgt-lang", type=click.Choice(LANGS), default=None,
              help="Language of TGT (default: detected from its script).")
def cli(src: str | None, tgt: str | None, output: str, fmt: str | None,
        alignment_file: str | None, min_freq: int, top: int | None, cut: bool, encoder: str,
        embed: bool, src_lang: str | None, tgt_lang: str | None) -> None:
    """Extract a bilingual glossary from SRC and its translation TGT.

    The documents are aligned sentence by sentence (or --alignment gives an
    alignment), candidate terms are found on each side (Chinese words and
    phrases, titles in 《》, English noun phrases, names, acronyms with their
    long forms), and paired by how consistently they occur in aligned
    sentences, by CC-CEDICT dictionary evidence, by their lengths and by the
    encoder's similarity of the two terms.

    Concepts come ranked best first; by default the list is cut where precision
    drops (the cut-off is stated in the TBX header and on stderr). Each concept
    comes with its score, frequencies and example sentence pairs. All terms are
    candidates for review (TBX administrativeStatus "admitted"). The glossary
    is the one 'bitext build' writes for the same alignment and settings.

    \b
    bitext glossary zh.txt en.txt -o terms.tbx
    bitext glossary --alignment gold.sentences.jsonl -o terms.csv --top 100
    """
    from bitext.glossary.formats import format_for
    from bitext.glossary.run import make_glossary, write_glossary_files

    out_fmt = format_for(output, fmt)  # fail on a bad name before the slow part
    start = time.perf_counter()
    if alignment_file is not None:
        alignment = _read_alignment(alignment_file, src_lang, tgt_lang)
        sources = [os.fspath(alignment_file)]
    else:
        if not src or not tgt:
            raise click.UsageError("give SRC and TGT, or --alignment FILE.jsonl")
        for path in (src, tgt):
            if path != "-" and not os.path.isfile(path):
                raise InputError(f"{path}: no such file; check the path")
        from bitext.commands._common import progress_bar
        from bitext.pipeline import align_files

        with progress_bar("Aligning") as progress:
            alignment = align_files(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                    encoder=encoder, level="sentence", progress=progress)
        sources = [src, tgt]
    glossary = make_glossary(alignment, encoder_name=encoder, embed=embed, min_freq=min_freq,
                             top=top, cut=cut)
    write_glossary_files(glossary, [(output, out_fmt)], sources=sources,
                         signature=dict(alignment.signature))
    log.info("%d concepts written to %s in %.1f s", len(glossary.concepts), output,
             time.perf_counter() - start)
    for line in glossary.notes():
        click.echo(line, err=True)
    if output != "-":
        click.echo(f"{output}: {len(glossary.concepts)} concepts ({out_fmt})", err=True)


def _read_alignment(path: str, src_lang: str | None, tgt_lang: str | None) -> Alignment:
    """An aligned JSONL file as an Alignment (languages from its keys or the options)."""
    import dataclasses

    from bitext.tmx.corpus import read_jsonl

    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file; check the path given to --alignment")
    alignment = read_jsonl(path)
    if not alignment.pairs:
        raise InputError(f"{path}: no aligned segments in the file")
    if src_lang or tgt_lang:
        alignment = dataclasses.replace(alignment, src_lang=src_lang or alignment.src_lang,
                                        tgt_lang=tgt_lang or alignment.tgt_lang)
    return alignment
