"""``bitext build``: the whole pipeline on corpus folders (see :mod:`bitext.build`)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from bitext.commands._common import (
    alignment_options,
    export_kwargs,
    export_options,
    progress_bar,
)
from bitext.errors import InputError

log = logging.getLogger(__name__)


@click.command("build")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("-o", "--output", "out_dir", default="out", show_default=True,
              help="Folder for the outputs (created if needed).")
@alignment_options
@export_options
@click.option("--no-glossary", is_flag=True, help="Skip term extraction.")
def cli(corpora: tuple[str, ...], out_dir: str, src_lang: str | None, tgt_lang: str | None,
        encoder: str, max_bead: int, min_score: float | None, dedupe: bool, srclang: str | None,
        src_code: str | None, tgt_code: str | None, no_glossary: bool) -> None:
    """Run the whole pipeline on CORPUS, a folder with zh.* and en.* (text, DOCX or PDF).

    \b
    Writes to OUTPUT (NAME = the corpus folder's name):
      zh.segments.jsonl, en.segments.jsonl   cleaned, structured, sentence-split documents
      NAME.sentences.tmx, NAME.paragraphs.tmx TMX 1.4b memories
      NAME.zh, NAME.en, NAME.ids              Moses-style parallel text
      NAME.tsv, NAME.jsonl, NAME.beads        links with scores and labels
      NAME.tbx, NAME.terms.tsv                bilingual glossary (TBX-Basic) and its table

    Several corpus folders (bitext build corpora/* -o out/) are built in one run,
    the model loaded once, each into OUTPUT/NAME/; a corpus that fails is
    reported and the others go on (exit 1 at the end if any failed).
    """
    from bitext.build import BuildSettings, build_document, find_document
    from bitext.errors import BitextError
    from bitext.pipeline import release_encoder

    langs = (src_lang or "zh", tgt_lang or "en")
    settings = BuildSettings(src_lang=langs[0], tgt_lang=langs[1], encoder=encoder,
                             max_bead=max_bead, glossary=not no_glossary,
                             export=export_kwargs(min_score, dedupe, srclang, src_code, tgt_code))

    def run(folder: Path, out: Path) -> None:
        doc = find_document(folder, langs)
        with progress_bar("Aligning") as progress:
            result = build_document(doc, out, settings, progress)
        for path in result.files:
            click.echo(path, err=True)
        click.echo(result.summary(), err=True)

    if len(corpora) == 1:
        run(Path(corpora[0]), Path(out_dir))
        return
    failed: list[str] = []
    for corpus in corpora:
        folder = Path(corpus)
        try:
            run(folder, Path(out_dir) / folder.resolve().name)
        except BitextError as err:
            click.echo(f"Error: {err}", err=True)
            failed.append(corpus)
        finally:
            release_encoder(encoder)  # vectors of one corpus are no use for the next
    if failed:
        raise BuildError(f"{len(failed)} of {len(corpora)} corpora failed: {', '.join(failed)}")


class BuildError(InputError):
    """Some corpora of a multi-corpus build failed (each was reported already)."""
