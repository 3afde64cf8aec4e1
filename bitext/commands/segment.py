"""``bitext segment``: clean a document and print its structure and sentences."""

from __future__ import annotations

import json

import click

from bitext.commands._common import (
    LANGUAGE,
    PathParam,
    encoding_option,
    limit_options,
    split_encodings,
)


@click.command("segment")
@click.argument("file", type=PathParam(dir_okay=False, allow_dash=True))
@click.option("--lang", type=LANGUAGE, default=None,
              help="Language of FILE (default: detected from its script).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl",
              show_default=True,
              help="jsonl: one object per unit; text: one sentence per line.")
@click.option("--spans", is_flag=True,
              help="Also print each unit's character span and footnote refs.")
@click.option("-o", "--output", default="-", show_default=True,
              type=PathParam(readable=False, allow_dash=True),
              help="Output file (written atomically); - for stdout.")
@limit_options
@encoding_option
def cli(file: str, lang: str | None, fmt: str, spans: bool, output: str,
        max_input_mb: float, encoding: str | None) -> None:
    """Clean FILE (text, DOCX or PDF) and print its units in document order.

    JSONL: {"kind": "header|heading|paragraph|footnote", "label", "text",
    "sentences": [...]} per unit; footnotes come last, in their order.

    \b
    Example:
      bitext segment zh.txt -o zh.segments.jsonl
    """
    from bitext.fileio import atomic_write, check_output_folder, protect_inputs
    from bitext.ingest.document import load_document, unit_record

    click.get_current_context().with_resource(protect_inputs([file], outputs=[output]))
    check_output_folder(output)  # before the work: found at the write, it was lost

    from bitext.limits import Limits

    doc = load_document(file, lang, split_encodings(encoding)[0], limits=Limits(max_input_mb))
    with atomic_write(output) as out:
        for unit in doc.units:
            if fmt == "text":
                for s in unit.sentences:
                    out.write(s + "\n")
                continue
            out.write(json.dumps(unit_record(unit, spans=spans), ensure_ascii=False) + "\n")
