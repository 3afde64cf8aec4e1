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
@click.option("--encoder", default="use", show_default=True,
              help="Sentence encoder for the alignment (see 'bitext align --help').")
@click.option("--embed/--no-embed", default=False, show_default=True,
              help="Also compare the two terms with the encoder's embeddings.")
@click.option("--src-lang", type=click.Choice(LANGS), default=None,
              help="Language of SRC (default: detected from its script).")
@click.option("--tgt-lang", type=click.Choice(LANGS), default=None,
              help="Language of TGT (default: detected from its script).")
def cli(src: str | None, tgt: str | None, output: str, fmt: str | None,
        alignment_file: str | None, min_freq: int, top: int | None, encoder: str, embed: bool,
        src_lang: str | None, tgt_lang: str | None) -> None:
    """Extract a bilingual glossary from SRC and its translation TGT.

    The documents are aligned sentence by sentence (or --alignment gives an
    alignment), candidate terms are found on each side (Chinese words and
    phrases, titles in 《》, English noun phrases, names, acronyms with their
    long forms), and paired by how consistently they occur in aligned
    sentences, by CC-CEDICT dictionary evidence and by their lengths.

    Each concept comes with its score, frequencies and example sentence pairs.
    All terms are candidates for review (TBX administrativeStatus "admitted").

    \b
    bitext glossary zh.txt en.txt -o terms.tbx
    bitext glossary --alignment gold.sentences.jsonl -o terms.csv --top 100
    """
    from bitext.glossary import extract_glossary, write_glossary
    from bitext.glossary.formats import format_for
    from bitext.types import signature_string

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
    enc = None
    if embed:
        from bitext.pipeline import load_encoder

        enc = load_encoder(encoder)
    concepts = extract_glossary(alignment, encoder=enc, min_freq=min_freq, top=top)
    sig = dict(alignment.signature)
    sig.update({"glossary.min_freq": str(min_freq), "glossary.embed": str(embed).lower()})
    write_glossary(concepts, output, out_fmt, sources=sources, signature=signature_string(sig))
    log.info("%d concepts written to %s in %.1f s", len(concepts), output,
             time.perf_counter() - start)
    if output != "-":
        click.echo(f"{output}: {len(concepts)} concepts ({out_fmt})", err=True)


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
