"""Options and helpers shared by the commands that align."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from bitext.languages import codes

#: The --src-lang/--tgt-lang choices: every language of the language layer.
LANGS = list(codes())
#: The type of every option naming one of them: ``ZH`` and ``Zh`` read as ``zh``, as a
#: BCP 47 code (--src-code) is read in any case.
LANGUAGE = click.Choice(LANGS, case_sensitive=False)


class PathParam(click.Path):
    """A click ``Path`` that refuses an empty value: ``''`` is not the current
    folder (``bitext build ""`` walked the folder it ran in as a tree, ``-o ""``
    would write into it). Every path a command takes has this type. A path that
    must exist and is a link loop or a broken link says so (click's 'does not
    exist' named a file that ls lists)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        import os

        if isinstance(value, str) and not value.strip():
            self.fail("it is empty", param, ctx)
        if (self.exists and isinstance(value, str) and value != "-"
                and os.path.lexists(value) and not os.path.exists(value)):
            from bitext.fileio.read import missing

            self.fail(f"{value}: {missing(value)}; check the link", param, ctx)
        return super().convert(value, param, ctx)


class FolderOut(PathParam):
    """A folder a command writes several files into (``build -o``, ``review
    --export``): ``-``, standard output elsewhere, cannot take them (``build -o -``
    made a folder named '-')."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if value == "-":
            # the CLI's Error line goes on with what to give (cli._usage_error)
            self.fail("'-' is standard output, which cannot take a folder of files (write "
                      "./- for a folder named '-')", param, ctx)
        return super().convert(value, param, ctx)


class FiniteRange(click.FloatRange):
    """A click ``FloatRange`` that refuses NaN and infinity (``1e400`` included):
    NaN passes every bound (it compares false) and infinity an open one, and both
    would reach the arithmetic that sizes limits and thresholds."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number; give one in the range "
                      f"{self._describe_range()}", param, ctx)
        return number


def alignment_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--src-lang, --tgt-lang, --encoder, --max-bead."""
    for opt in reversed([
        click.option("--src-lang", type=LANGUAGE, default=None,
                     help="Language of SRC (default: detected from its script)."),
        click.option("--tgt-lang", type=LANGUAGE, default=None,
                     help="Language of TGT (default: detected from its script)."),
        click.option("--encoder", default="use", show_default=True,
                     help="Sentence encoder: 'use' (built-in multilingual model), 'length' "
                          "(Gale-Church, no model), or a local sentence-transformers folder "
                          "(needs bitext[transformers])."),
        click.option("--max-bead", type=click.IntRange(1, 8), default=6, show_default=True,
                     help="Most sentences on one side of a link (links with several "
                          "sentences on both sides hold at most 4 a side)."),
    ]):
        f = opt(f)
    return f


def limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--max-input-mb (see :mod:`bitext.limits`)."""
    from bitext.limits import DEFAULT_MAX_INPUT_MB

    return click.option(
        "--max-input-mb", type=FiniteRange(0, min_open=True), default=DEFAULT_MAX_INPUT_MB,
        show_default=True,
        help="Refuse an input whose text is larger than this many MB (peak memory grows "
             "with the input; see README, Limits).")(f)


def export_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--min-score, --dedupe, --srclang, --src-code, --tgt-code (TMX and corpus exports)."""
    for opt in reversed([
        click.option("--min-score", type=FiniteRange(0, 1), default=None,
                     help="Keep only links with at least this confidence (a high-confidence "
                          "memory for translators)."),
        click.option("--dedupe", is_flag=True, help="Write identical pairs once."),
        click.option("--srclang", default=None,
                     help="Source language of the TMX and the first column of TSV/Moses "
                          "(default: English when it is one of the two, as UN documents are "
                          "mostly drafted in English; else SRC's language)."),
        click.option("--src-code", default=None,
                     help="BCP 47 code written for SRC's language (default: the language's own, "
                          "zh-CN, en-GB, fr-FR, es-ES, ru-RU, ar-SA)."),
        click.option("--tgt-code", default=None, help="BCP 47 code written for TGT's language."),
    ]):
        f = opt(f)
    return f


def export_kwargs(min_score: float | None, dedupe: bool, srclang: str | None,
                  src_code: str | None, tgt_code: str | None) -> dict[str, Any]:
    return {"min_score": min_score, "dedupe": dedupe, "srclang": srclang,
            "src_code": src_code, "tgt_code": tgt_code}


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def encoding_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--encoding: the encoding of text inputs (default: detected); --force-encoding:
    keep it even when it makes implausible text (read by :func:`split_encodings`)."""
    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        ctx.meta[_FORCE_KEY] = value
        return value

    f = click.option(
        "--force-encoding", is_flag=True, expose_value=False, callback=remember,
        help="Use --encoding even where it makes implausible text of a file (by default "
             "such an encoding is refused, naming the one that fits).")(f)
    return click.option(
        "--encoding", default=None, metavar="ENC[,ENC]",
        help="Encoding of text inputs (default: detected, UTF-8/16/32 included; when "
             "the detector is unsure it stops and asks for this option), e.g. big5, "
             "gb18030, cp1252, latin-1, cp1251, cp1256. Two names separated by a comma "
             "give SRC's and TGT's. An encoding that makes implausible text of a file "
             "is refused unless --force-encoding is given.")(f)


_FORCE_KEY = "bitext.force_encoding"


def split_encodings(value: str | None) -> tuple[str | None, str | None]:
    """``big5`` -> (big5, big5); ``big5,cp1252`` -> (big5, cp1252); None -> (None, None).

    With ``--force-encoding`` on the command line each name carries
    :data:`bitext.fileio.decode.FORCE_MARK`, which turns the plausibility check off.
    """
    from bitext.fileio.decode import FORCE_MARK

    if not value:
        return None, None
    ctx = click.get_current_context(silent=True)
    mark = FORCE_MARK if ctx is not None and ctx.meta.get(_FORCE_KEY) else ""
    parts = [(p.strip() + mark) if p.strip() else None for p in value.split(",")]
    if len(parts) == 1:
        return parts[0], parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise click.BadParameter("give one encoding, or two separated by a comma (SRC,TGT)",
                             param_hint="--encoding")


def echo_paths(paths: Iterable[object]) -> None:
    """The files a command wrote, one a line on stderr, each escaped as an Error
    line is (:func:`bitext.cli.one_line`): a path with a line break stays one line."""
    from bitext.cli import one_line

    for path in paths:
        click.echo(one_line(str(path)), err=True)
