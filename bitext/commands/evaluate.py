"""``bitext eval``: score an alignment (or a glossary) against gold."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from bitext.commands._common import PathParam
from bitext.errors import ConfigError, ExportError, InputError

_GLOSSARY_EXTS = (".tbx", ".csv", ".tsv")
_METRICS = ("precision", "recall", "f1")


@click.command("eval")
@click.argument("pred", type=PathParam(dir_okay=False, allow_dash=False))
@click.argument("gold", type=PathParam(allow_dash=False), required=False)
@click.option("--corpus", "corpus", type=PathParam(file_okay=False, exists=False), default=None,
              help="Corpus folder with gold.sentences.jsonl; PRED is then a predicted JSONL "
                   "(bitext align --format jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def cli(pred: str, gold: str | None, corpus: str | None, as_json: bool) -> None:
    """Score PRED against GOLD.

    \b
    Sentence alignments (Vecalign/Bertalign metrics, strict and lax P/R/F1):
      bitext eval pred.beads gold.beads        bead files, one "[0, 1]:[0]" per line
      bitext eval pred.jsonl --corpus DIR      predicted pairs against DIR's gold
    Glossaries:
      bitext eval glossary.tbx gold-terms.tsv  (PRED .tbx/.csv/.tsv, GOLD .tsv)

    Strict counts a predicted bead only if it equals a gold bead; lax if it
    overlaps one on both sides. Precision ignores predicted beads with an empty
    side, recall gold beads with an empty side.
    """
    if sys.stdout is None:  # started with stdout closed (>&-): the scores would go nowhere
        raise ExportError("cannot write the scores to standard output: it is closed (the "
                          "command was started with >&-); run it with an output, e.g. "
                          "> scores.txt")
    scores = evaluate_paths(pred, gold, corpus)
    if as_json:
        click.echo(json.dumps(scores, indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(scores))


def evaluate_paths(pred: str, gold: str | None, corpus: str | None) -> dict[str, Any]:
    """Dispatch on the inputs; returns the scores as a flat dict."""
    from bitext.align import evaluate as ev
    from bitext.fileio import check_input

    pred_path = Path(pred)
    check_input(pred)
    if corpus is not None:
        if gold is not None:
            raise ConfigError("give either GOLD or --corpus, not both")
        if not Path(corpus).is_dir():
            raise InputError(f"{corpus}: corpus folder not found")
        pairs = ev.read_predicted_pairs(pred_path, ev.corpus_languages(corpus))
        level = ev.corpus_level(pairs, corpus)
        return {"kind": f"{level}s", **ev.score_against_corpus(pairs, corpus, level)}
    if gold is None:
        raise ConfigError("missing GOLD (a bead file or a term list), or use --corpus DIR")
    gold_path = Path(gold)
    if gold_path.is_dir():
        raise ConfigError(f"{gold} is a folder: to score against a corpus use --corpus {gold}")
    check_input(gold)
    if gold_path.suffix.lower() == ".tsv" and pred_path.suffix.lower() in _GLOSSARY_EXTS:
        from bitext.glossary.evaluate import evaluate_glossary

        result = evaluate_glossary(pred_path, gold_path)
        return {"kind": "glossary", **dict(result)}
    try:
        gold_lines = ev.read_numbered_beads(gold_path)
        pred_lines = ev.read_numbered_beads(pred_path)
    except InputError as err:
        bare = [str(p) for p in (pred_path, gold_path) if not p.suffix]
        if not bare:
            raise
        # A pipe (process substitution, /dev/fd/63) has no extension to tell a
        # glossary's files by: say so, and how to name them.
        raise InputError(f"{err}; {' and '.join(bare)} "
                         f"{'have' if len(bare) > 1 else 'has'} no file extension, so "
                         "PRED and GOLD were read as bead files: to score a glossary, give "
                         "PRED as a .tbx, .csv or .tsv file and GOLD as a .tsv file (save "
                         "a pipe's output to a file so named)") from err
    if not gold_lines:
        # read as a document of no sentences, every prediction was 'past its end'
        raise InputError(f"{gold}: no beads (an empty file); a gold bead file holds one "
                         "bead a line, such as '[0, 1]:[0]': is it the right file?")
    ev.check_alignment(gold_lines, str(gold_path))
    ev.check_alignment(pred_lines, str(pred_path), ev.document_sizes(gold_lines))
    gold_beads = [bead for _, bead in gold_lines]
    pred_beads = [bead for _, bead in pred_lines]
    out: dict[str, Any] = {"kind": "sentences", **ev.score_beads(gold_beads, pred_beads)}
    out["gold_beads"] = sum(1 for s, t in gold_beads if s and t)
    out["predicted_beads"] = sum(1 for s, t in pred_beads if s and t)
    return out


def render_table(scores: dict[str, Any]) -> str:
    """A small text table: strict/lax rows of P, R, F1 when present, then the rest."""
    lines = []
    kinds = [k for k in ("strict", "lax") if f"{k}_f1" in scores]
    shown = {"kind"}
    if kinds:
        lines.append(f"{'':8}" + "".join(f"{m:>11}" for m in _METRICS))
        for k in kinds:
            row = [scores.get(f"{k}_{m}") for m in _METRICS]
            lines.append(f"{k:8}" + "".join(f"{v:>11.4f}" for v in row if v is not None))
            shown.update(f"{k}_{m}" for m in _METRICS)
    for key, value in scores.items():
        if key in shown:
            continue
        if isinstance(value, float):
            text = f"{value:.4f}" if not value.is_integer() else str(int(value))
        else:
            text = str(value)
        lines.append(f"{key}: {text}")
    return "\n".join(lines)
