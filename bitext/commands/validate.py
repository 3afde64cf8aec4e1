"""``bitext validate FILE``: check a TMX or TBX file against its standard."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import click

from bitext.commands._common import PathParam, limit_options
from bitext.errors import ConfigError, InputError
from bitext.limits import Limits

_LINE_RE = re.compile(r"^line (\d+): (.*)$", re.DOTALL)


def _format(name: str, head: bytes | None) -> str:
    from bitext.fileio.sniff import by_content, by_name

    for kind in (by_name(name), by_content(head or b"")):
        if kind in ("tmx", "tbx"):
            return kind
    raise ConfigError(
        f"cannot tell whether {name} is TMX or TBX; name it .tmx/.tmx.gz/.tbx or pass --format"
    )


#: How an XML file in UTF-16 without its byte-order mark opens: '<?' (XML 1.0,
#: appendix F), each ASCII character with a NUL byte after (LE) or before (BE) it.
_UTF16_NO_MARK = {b"<\x00?\x00": "UTF-16LE", b"\x00<\x00?": "UTF-16BE"}


def _check_byte_order_mark(name: str, head: bytes) -> None:
    """Refuse XML in UTF-16 without its byte-order mark: XML 1.0 (4.3.3) requires
    the mark, and a reader that goes by the declaration (``encoding="UTF-8"``)
    reads a NUL between every two characters. lxml guessed it and parsed it, so
    a TBX was 'valid' and a TMX's characters were scanned as UTF-8 (NULs)."""
    codec = _UTF16_NO_MARK.get(head[:4])
    if codec is not None:
        raise InputError(f"{name}: UTF-16 without its byte-order mark ({codec}: a NUL byte "
                         "beside each ASCII character); XML in UTF-16 must open with the "
                         "mark, and CAT tools read the file as its declaration says: save it "
                         f"as UTF-8 (iconv -f {codec} -t UTF-8)")


def _read_once(file: str, limits: Limits) -> bytes:
    """All of stdin or a pipe (``-``, a FIFO, the shell's ``<(zcat x.tmx.gz)``),
    which validate reads twice (its format, then its content) and a pipe gives
    once: bounded, as it may never end."""
    from bitext.fileio import open_binary
    from bitext.limits import stream_budget

    with open_binary(file, max_bytes=stream_budget(limits)) as fh:
        return fh.read()


@click.command("validate", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=PathParam(allow_dash=True))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["tmx", "tbx"]), default=None,
    help="File format; by default from the extension (.tmx, .tmx.gz, .tbx) or the content.",
)
@click.option(
    "--max-problems", type=click.IntRange(min=1), default=100, show_default=True,
    help="Print at most this many problems.",
)
@limit_options
def cli(file: str, fmt: str | None, max_problems: int, max_input_mb: float) -> None:
    """Check FILE (a TMX memory or a TBX glossary, '-' for stdin) against its standard,
    or a build's output folder against the record of what the build wrote.

    TMX is checked against TMX 1.4b plus what CAT tools need: BCP 47 language codes
    (no '_'), a header srclang that occurs, no characters XML 1.0 forbids, trimmed
    segments, unique tuids. Problems go to stderr as FILE:LINE: message; exit code 1
    when there is any, 0 with 'FILE: valid ...' on stdout otherwise.

    \b
    Examples:
      bitext validate zh-en.tmx      a memory
      bitext validate out/           a build's folder, against its record
    """
    if file != "-" and Path(file).is_dir():
        _validate_folder(file)
        return
    from bitext.fileio.read import is_pipe

    limits = Limits(max_input_mb)
    data = _read_once(file, limits) if file == "-" or is_pipe(file) else None
    name = "<stdin>" if file == "-" else file
    from bitext.fileio.sniff import read_head

    head = data[:8192] if data is not None else read_head(file, quiet=False)
    _check_byte_order_mark(name, head)
    if not fmt:
        fmt = _format(name, head)
    if fmt == "tmx":
        from bitext.tmx.validate import validate_tmx

        report = validate_tmx(data if data is not None else file, name=name, limits=limits)
        for problem in report.problems[:max_problems]:
            click.echo(f"{name}:{problem.line}: {problem.message}", err=True)
        if len(report.problems) > max_problems:
            click.echo(f"{name}: ... and {len(report.problems) - max_problems} more", err=True)
        report.raise_if_invalid()
        click.echo(f"{name}: valid TMX 1.4b ({report.units} units)")
        return
    from bitext.fileio.write import temporary_file
    from bitext.glossary.tbx import validate_tbx
    from bitext.tmx.validate import ValidationError

    with contextlib.ExitStack() as stack:
        path = file if data is None else stack.enter_context(temporary_file(data, ".tbx"))
        if data is None and not Path(file).is_file():
            from bitext.fileio.read import missing

            raise InputError(f"cannot read {file}: {missing(file)}")
        tbx_problems = [str(p) for p in validate_tbx(path)]
    for text in tbx_problems[:max_problems]:
        # "line 12: ..." from the glossary validator -> "FILE:12: ..." like TMX problems.
        match = _LINE_RE.match(text)
        click.echo(f"{name}:{match[1]}: {match[2]}" if match else f"{name}: {text}", err=True)
    if len(tbx_problems) > max_problems:
        click.echo(f"{name}: ... and {len(tbx_problems) - max_problems} more", err=True)
    if tbx_problems:
        raise ValidationError(
            f"{name} is not valid TBX: {len(tbx_problems)} problem(s), "
            f"the first: {tbx_problems[0]}"
        )
    click.echo(f"{name}: valid TBX")


def _validate_folder(folder: str) -> None:
    """A build folder, or a collection's: every file as its build recorded it (no
    mixed set), and in a collection no document whose last build failed and no
    corpus files older than their documents."""
    from bitext.outputs import check_records
    from bitext.tmx.validate import ValidationError

    folders, count, problems = check_records(folder)
    for text in problems:
        click.echo(f"{folder.rstrip('/')}/{text}", err=True)
    if problems:
        raise ValidationError(f"{folder}: {len(problems)} problem(s) against what the build "
                              f"recorded ({count} files, its ledger and corpus stamp in a "
                              f"collection); the first: {problems[0]}")
    where = f" in {folders} document folders" if folders > 1 else ""
    click.echo(f"{folder}: {count} files{where} as the build wrote them")
