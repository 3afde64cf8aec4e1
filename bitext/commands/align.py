"""``bitext align``: align two documents and write the links."""

from __future__ import annotations

import click

from bitext.commands._common import (
    PathParam,
    alignment_options,
    encoding_option,
    export_kwargs,
    export_options,
    limit_options,
    progress_bar,
    split_encodings,
)

FORMATS = ["tmx", "tsv", "jsonl", "moses", "beads"]


@click.command("align")
@click.argument("src", type=PathParam(dir_okay=False, allow_dash=True))
@click.argument("tgt", type=PathParam(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", default="-", show_default=True,
              type=PathParam(readable=False, allow_dash=True),
              help="Output file (written atomically); - for stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the output's extension, else beads).")
@click.option("--level", type=click.Choice(["sentence", "paragraph"]), default="sentence",
              show_default=True, help="Link sentences, or whole paragraphs.")
@click.option("--segmented", is_flag=True,
              help="Inputs are one sentence per line: used as is, no cleaning or structure.")
@alignment_options
@export_options
@limit_options
@encoding_option
def cli(src: str, tgt: str, output: str, fmt: str | None, level: str, segmented: bool,
        src_lang: str | None, tgt_lang: str | None, encoder: str, max_bead: int,
        min_score: float | None, dedupe: bool, srclang: str | None, src_code: str | None,
        tgt_code: str | None, max_input_mb: float, encoding: str | None) -> None:
    """Align SRC with TGT (text, DOCX or PDF; or one sentence per line with --segmented).

    Paragraphs are paired first (by their numbers and content), then the sentences
    inside each pair, with 1-1, 1-n, n-1, n-m and 1-0 links and a confidence for each.

    \b
    beads: one link per line, "[0, 1]:[0]" (0-based sentence indices; "[3]:[]" a skip)
    tsv/jsonl: both texts, the bead, the score and the paragraph label
    tmx: a TMX 1.4b memory; moses: NAME.<lang> line-aligned files plus NAME.ids

    \b
    Examples:
      bitext align zh.txt en.txt -o zh-en.tmx        a memory (the format from the name)
      bitext align zh.txt en.txt --format beads      the beads on stdout
    """
    from bitext.fileio import check_output_folder, protect_inputs
    from bitext.limits import Limits
    from bitext.pipeline import align_files
    from bitext.tmx.corpus import moses_stem, write_beads

    click.get_current_context().with_resource(protect_inputs([src, tgt], outputs=[output]))
    fmt = fmt or _format_from_name(output)
    # Before the alignment: found at the write, it was lost (Moses: the .ids file
    # stands for the three, which go in one folder).
    check_output_folder(output if fmt != "moses" else f"{moses_stem(output)}.ids")
    with progress_bar("Aligning") as progress:
        alignment = align_files(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, encoder=encoder,
                                level=level,  # type: ignore[arg-type]
                                segmented=segmented, max_bead=max_bead, progress=progress,
                                encodings=split_encodings(encoding),
                                limits=Limits(max_input_mb))
    if fmt == "beads":
        write_beads(alignment, output, min_score)
        return
    from bitext.tmx import write_alignment

    write_alignment(alignment, output, fmt,
                    **export_kwargs(min_score, dedupe, srclang, src_code, tgt_code))


def _format_from_name(name: str) -> str:
    """Beads on stdout or for ``.beads``; otherwise what the extension says."""
    if name == "-" or name.lower().endswith(".beads"):
        return "beads"
    from bitext.tmx import format_for_path

    return format_for_path(name)
