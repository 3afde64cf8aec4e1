"""``bitext filter``: OpusFilter-style filters over JSONL links."""

from __future__ import annotations

import click

from bitext.commands._common import PathParam


@click.command("filter")
@click.argument("inputs", nargs=-1, required=True,
                type=PathParam(dir_okay=False, exists=True, allow_dash=True))
@click.option("-o", "--output", default="-", show_default=True,
              type=PathParam(readable=False, allow_dash=True),
              help="Filtered JSONL (written atomically; .gz compresses); - for stdout.")
@click.option("--filter", "filters", multiple=True, metavar="SPEC", default=("default",),
              show_default=True, help="Filters to run, in order (repeatable, or comma-separated).")
@click.option("--src-lang", default=None, help="Key of the first side (default: the first "
                                                "sentence-list key of the first line).")
@click.option("--tgt-lang", default=None, help="Key of the second side.")
@click.option("--removed", default=None, type=PathParam(readable=False, allow_dash=False),
              help="Also write the removed lines here (JSONL, .gz compresses), each with "
                   "a 'filter' field naming the filter that removed it.")
def cli(inputs: tuple[str, ...], output: str, filters: tuple[str, ...], src_lang: str | None,
        tgt_lang: str | None, removed: str | None) -> None:
    """Filter JSONL links (bitext build's corpus.*.jsonl or NAME.jsonl) for MT training.

    An INPUT of '-' is stdin (gzip allowed).

    Each filter scores a link, then a threshold decides; a link is removed by
    the first filter that rejects it, and the count per filter goes to stderr.
    Kept lines are written unchanged; --removed writes the others, each with
    the name of the filter that removed it.

    \b
    min-confidence[=0.5]  link confidence below the value
    empty                 1-0 and 0-1 links
    length-ratio[=3]      length ratio that many times off the files' median ratio
    langid                a side not in its language
    identical             both sides the same once digits, spaces, punctuation go
    dedupe                exact duplicate pairs (the first is kept)
    near-dedupe           duplicates once case, digits, spaces, punctuation go
    default               empty, min-confidence, length-ratio, langid, identical, near-dedupe

    \b
    Examples:
      bitext filter un-2015-out/corpus.00000.jsonl -o train.jsonl.gz
      bitext filter out/un-som-2016.jsonl --filter min-confidence=0.7,dedupe -o kept.jsonl
      bitext filter out/un-som-2016.jsonl -o kept.jsonl --removed removed.jsonl
    """
    from bitext.fileio import check_output_folder, protect_inputs
    from bitext.filters import filter_jsonl

    outputs = [output] if removed is None else [output, removed]
    with protect_inputs(inputs, outputs=outputs[:1]):
        with protect_inputs((), outputs=outputs[1:], option="--removed"):
            pass  # checked here so that its Error names its option
        for path in outputs:  # before the corpus is read (twice)
            check_output_folder(path)
        report = filter_jsonl(list(inputs), output, filters, src_lang, tgt_lang, removed)
    click.echo(report.summary(), err=True)
