"""``bitext build`` on one folder holding several language versions of a document
(see :mod:`bitext.multilingual`); the command only parses and reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bitext.commands._common import echo_paths, progress_bar

if TYPE_CHECKING:
    from bitext.build import BuildSettings


def build_folder(folder: Path, out: Path, settings: BuildSettings, pivot: str | None,
                 codes: tuple[str | None, str | None] = (None, None)) -> bool:
    """Build ``folder`` through the pivot when it holds three or more language
    versions, two other than zh and en (``ar.pdf en.pdf``), or ``pivot`` is
    given; ``False`` otherwise, so that the two-language build takes it (a zh
    and en folder keeps its output names)."""
    from bitext.multilingual import build_multilingual, find_language_files, find_multilingual

    found = find_language_files(folder)
    if len(found) < 2 or (len(found) == 2 and set(found) == {"zh", "en"} and not pivot):
        return False
    if any(codes):
        raise click.UsageError("--src-code/--tgt-code name two sides; a multilingual "
                               "build writes each language's default code")
    doc = find_multilingual(folder)
    if settings.cache:  # as the two-language build: the persistent cache on the encoder
        from bitext.align.encoders import available_cores
        from bitext.build import prepare_worker

        prepare_worker(settings, threads=available_cores())
    with progress_bar("Aligning pairs") as progress:
        result = build_multilingual(doc, out, settings, pivot, progress)
    echo_paths(result.files)
    click.echo(result.summary(), err=True)
    return True
