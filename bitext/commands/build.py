"""``bitext build``: the whole pipeline on a corpus folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bitext.commands._common import (
    alignment_options,
    export_kwargs,
    export_options,
    progress_bar,
)
from bitext.errors import InputError

if TYPE_CHECKING:
    from bitext.types import Alignment

log = logging.getLogger(__name__)

_EXTS = (".docx", ".pdf", ".txt")


def find_pair(folder: Path, src_lang: str, tgt_lang: str) -> tuple[Path, Path]:
    """The two language versions in a corpus folder: ``zh.txt``/``en.docx``/``*.zh.pdf`` ..."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; give a corpus folder holding zh.* and en.*")

    def pick(lang: str) -> Path:
        for ext in _EXTS:
            for pattern in (f"{lang}{ext}", f"*.{lang}{ext}", f"*_{lang}{ext}"):
                hits = sorted(folder.glob(pattern))
                if hits:
                    return hits[0]
        raise InputError(
            f"{folder}: no {lang} document found; name it {lang}.txt, {lang}.docx or {lang}.pdf"
        )

    return pick(src_lang), pick(tgt_lang)


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
    from bitext.errors import BitextError
    from bitext.pipeline import release_encoder

    def run(folder: Path, out: Path) -> None:
        build_one(folder, out, src_lang=src_lang or "zh", tgt_lang=tgt_lang or "en",
                  encoder=encoder, max_bead=max_bead, no_glossary=no_glossary,
                  export=export_kwargs(min_score, dedupe, srclang, src_code, tgt_code))

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


def build_one(folder: Path, out: Path, *, src_lang: str, tgt_lang: str, encoder: str,
              max_bead: int, no_glossary: bool, export: dict[str, Any]) -> None:
    """Build one corpus folder into ``out``."""
    from bitext.commands.align import write_beads
    from bitext.fileio import atomic_write
    from bitext.ingest.document import load_document, unit_record
    from bitext.pipeline import align_both

    src_path, tgt_path = find_pair(folder, src_lang, tgt_lang)
    name = folder.resolve().name
    src = load_document(src_path, src_lang)
    tgt = load_document(tgt_path, tgt_lang)
    written: list[Path] = []
    for doc in (src, tgt):
        path = out / f"{doc.lang}.segments.jsonl"
        with atomic_write(path) as fh:
            for unit in doc.units:
                fh.write(json.dumps(unit_record(unit), ensure_ascii=False) + "\n")
        written.append(path)
    with progress_bar("Aligning") as progress:
        sentences, paragraphs = align_both(src, tgt, encoder=encoder, max_bead=max_bead,
                                           progress=progress)

    from bitext.tmx import write_alignment

    for path, alignment, fmt in (
        (out / f"{name}.sentences.tmx", sentences, "tmx"),
        (out / f"{name}.paragraphs.tmx", paragraphs, "tmx"),
        (out / f"{name}.tsv", sentences, "tsv"),
        (out / f"{name}.jsonl", sentences, "jsonl"),
        (out / name, sentences, "moses"),
    ):
        # --min-score makes a reviewed-quality memory; the MT exports keep every link
        # with its score so that teams can filter by their own threshold.
        write_alignment(alignment, path, fmt,
                        **{**export, "min_score": export["min_score"] if fmt == "tmx" else None})
        if fmt == "moses":
            written.extend(path.with_name(f"{name}.{ext}") for ext in (src_lang, tgt_lang, "ids"))
        else:
            written.append(path)
    write_beads(sentences, str(out / f"{name}.beads"))
    written.append(out / f"{name}.beads")

    if not no_glossary:
        from bitext.glossary import extract_glossary, write_glossary
        from bitext.pipeline import load_encoder

        concepts = extract_glossary(sentences, encoder=load_encoder(encoder))
        sources = [str(src_path), str(tgt_path)]
        for path, fmt in ((out / f"{name}.tbx", "tbx"), (out / f"{name}.terms.tsv", "tsv")):
            write_glossary(concepts, path, fmt, sources=sources)
            written.append(path)
    for path in written:
        click.echo(str(path), err=True)
    click.echo(summary(sentences, paragraphs), err=True)


def summary(sentences: Alignment, paragraphs: Alignment) -> str:
    """One line: link counts by shape and how many links a reviewer should look at."""
    from collections import Counter

    shapes = Counter(p.shape for p in sentences.pairs)
    low = sum(1 for p in sentences.pairs if p.score < 0.5)
    shown = ", ".join(f"{n} {s}" for s, n in shapes.most_common())
    return (f"{len(paragraphs.pairs)} paragraph links; {len(sentences.pairs)} sentence links "
            f"({shown}); {low} below confidence 0.5")
