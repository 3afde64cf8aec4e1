"""The ``bitext`` command line.

Commands live in :mod:`bitext.commands`, one module each, and are imported only
when invoked (or when their help is shown), so ``bitext --help`` stays instant.
Every :class:`~bitext.errors.BitextError` becomes one ``Error: ...`` line and
exit code 1.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import sys
from typing import Any

import click

from bitext import __version__
from bitext.errors import Terminated

# name -> (module, one-line help shown by ``bitext --help`` without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "segment": ("bitext.commands.segment",
                "Clean a document and print its structure and sentences."),
    "align": ("bitext.commands.align", "Align two documents (paragraphs, then sentences)."),
    "build": ("bitext.commands.build", "Run the whole pipeline on a corpus folder."),
    "eval": ("bitext.commands.evaluate", "Score an alignment or a glossary against gold."),
    "validate": ("bitext.commands.validate", "Check a TMX or TBX file against its standard."),
    "filter": ("bitext.commands.filter", "Filter JSONL links for MT training (OpusFilter-style)."),
    "glossary": ("bitext.commands.glossary", "Extract bilingual terms into TBX, CSV or TSV."),
    "review": ("bitext.commands.review",
               "Review alignments and terms in a web page; export the reviewed files."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is needed."""

    def invoke(self, ctx: click.Context) -> Any:
        # click turns KeyboardInterrupt and EOFError into Abort ("Aborted.", exit 1)
        # and a broken pipe into a silent exit 1 before main() can see them:
        # carry them past click as exceptions of our own.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as err:
            raise _Interrupted from err
        except BrokenPipeError as err:
            raise _BrokenPipe from err
        except EOFError as err:
            # Raised by gzip/bz2/lzma on a truncated stream: bad input, not Ctrl-D.
            raise _TruncatedInput(str(err)) from err

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command: click.Command = module.cli
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="bitext")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn a UN document and its translations (any of the six UN languages)
    into translation memories (TMX), glossaries (TBX) and training corpora."""
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbose, 2)]
    logging.basicConfig(level=level, format="bitext: %(levelname)s: %(message)s", stream=sys.stderr)


class _Interrupted(Exception):
    """Ctrl-C (SIGINT) during a command."""


class _BrokenPipe(Exception):
    """The reader of our stdout went away (``bitext align ... | head``)."""


class _TruncatedInput(Exception):
    """A compressed input ended before its end marker."""


_Terminated = Terminated  # SIGTERM or SIGHUP: see bitext.errors.Terminated


#: What the shell prints for a process killed by each signal bitext handles.
_SIGNAL_LINES = {"SIGTERM": "Terminated.", "SIGHUP": "Hangup."}


#: The command's process: the one whose SIGTERM and SIGHUP become :class:`_Terminated`.
_OWNER = 0


def _on_signal(signum: int, frame: object) -> None:
    if os.getpid() != _OWNER:  # forked before _default_in_child restored the default
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _ignore_the_next()
    raise _Terminated(signum)


def _on_sigint(signum: int, frame: object) -> None:
    """Ctrl-C: KeyboardInterrupt once, and the next ones ignored until the command
    has ended. A second one (Ctrl-C pressed twice, or once under ``timeout``,
    which passes its own SIGINT on) came in the middle of the first one's cleanup
    (stopping the pool, waiting on a lock) and ended the command with a
    traceback ('RuntimeError: release unlocked lock', 'Bad file descriptor')."""
    if os.getpid() != _OWNER:  # forked before _default_in_child restored the default
        signal.signal(signum, signal.default_int_handler)
        raise KeyboardInterrupt
    _ignore_the_next()
    raise KeyboardInterrupt


def _ignore_the_next() -> None:
    """The first of SIGINT, SIGTERM and SIGHUP stops the command: the next ones, of
    any of the three, are ignored until it has ended (:func:`main` gives their
    handlers back). A second one of another kind (Ctrl-C then a scheduler's
    SIGTERM, SIGTERM then the terminal's SIGHUP) came in the middle of the first
    one's cleanup and ended 'bitext build TREE -o OUT --jobs 2' with
    'RuntimeError: release unlocked lock', exit 1.

    Ignored by a handler that does nothing, not SIG_IGN: a signal that came
    with the first one, before Python ran the first one's handler, finds SIG_IGN
    in place and Python prints 'OSError: Signal 15 ignored due to race
    condition' (5 of 20 probes); a process started meanwhile takes the default
    action (SIG_IGN would be kept across its exec)."""
    for name in ("SIGINT", *_SIGNAL_LINES):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (_on_signal, _on_sigint):
            signal.signal(sig, _ignored)


def _ignored(signum: int, frame: object) -> None:
    """A signal that comes after the one stopping the command (see
    :func:`_ignore_the_next`)."""
    if os.getpid() != _OWNER:  # forked before _default_in_child restored the default
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _default_in_child() -> None:
    """After a fork: the default action of the signals :func:`_on_signal` handled."""
    for name in _SIGNAL_LINES:
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (_on_signal, _ignored):
            signal.signal(sig, signal.SIG_DFL)
    if signal.getsignal(signal.SIGINT) in (_on_sigint, _ignored):
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _install_signal_handlers() -> dict[int, Any]:
    """Turn SIGTERM and SIGHUP into :class:`_Terminated` in this process; return
    the handlers they had, for :func:`_restore_signal_handlers`.

    A signal the caller set to be ignored (``nohup`` ignores SIGHUP) stays ignored.
    Processes forked from this one (the encoder's worker pool) are not the
    command: they take the default action again as soon as they are forked, so a
    pool's ``terminate()`` ends its workers at once. (Restoring it in the handler
    was not enough: a Python handler runs in the main thread only, and a worker's
    SIGTERM delivered to its OpenBLAS thread left the main thread blocked on the
    pool's queue lock, and the build waiting for the worker forever.)
    """
    global _OWNER
    if _OWNER == 0 and hasattr(os, "register_at_fork"):  # once: hooks cannot be removed
        os.register_at_fork(after_in_child=_default_in_child)
    _OWNER = os.getpid()
    previous: dict[int, Any] = {}

    for name in _SIGNAL_LINES:
        sig = getattr(signal, name, None)
        if sig is None:  # pragma: no cover - SIGHUP does not exist on Windows
            continue
        try:
            old = signal.getsignal(sig)
            if old is not signal.SIG_IGN:
                signal.signal(sig, _on_signal)
                previous[sig] = old
        except ValueError:  # pragma: no cover - not the main thread (an embedding app)
            break
    # Python's own Ctrl-C handler only: one the caller set (an embedding app) or
    # an ignored SIGINT (a background job) stays as it is.
    with contextlib.suppress(ValueError):  # not the main thread
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, _on_sigint)
    return previous


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    """Give back the handlers :func:`_install_signal_handlers` replaced.

    Once the command has ended nothing is left to catch :class:`_Terminated`: a
    signal while the interpreter exits (or while the caller of :func:`main`, a
    test or an embedding app, goes on) must have its usual effect, not end in a
    traceback of our handler.
    """
    for sig, old in previous.items():
        # None: a handler not installed from Python; the default is what it did.
        signal.signal(sig, signal.SIG_DFL if old is None else old)


#: Exit status when the reader of stdout closes early: what the shell reports for
#: a program killed by SIGPIPE (128 + 13), as for ``cat`` or ``grep`` in the same
#: place, so ``set -o pipefail`` scripts see bitext like any other filter, and it
#: is told apart from success (0) and from an error in the input (1).
EXIT_BROKEN_PIPE = 141
#: Exit status after Ctrl-C: 128 + SIGINT (2), the shell convention.
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning user-facing errors into one line and exit 1.

    Exit codes: 0 success, 1 an ``Error:`` line (bad input, settings or
    environment), 2 a usage error, 130 interrupted (Ctrl-C), 141 stdout closed
    by its reader (broken pipe), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
    """
    from bitext.errors import BitextError
    from bitext.fileio import utf8_stdout

    _hold_closed_descriptors()
    utf8_stdout()
    previous = _install_signal_handlers()
    try:
        try:
            result = cli.main(args=argv, prog_name="bitext", standalone_mode=False)
            if sys.stdout is not None:  # None: started with stdout closed (>&-)
                sys.stdout.flush()  # a broken pipe shows here, not at interpreter exit
            return result
        finally:
            # From here on (the Error line, the interpreter's exit) a SIGTERM or
            # SIGHUP has its usual effect; one that came before is handled below.
            _restore_signal_handlers(previous)
    except (_Interrupted, KeyboardInterrupt):
        _quiet_stdout()
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except (_BrokenPipe, BrokenPipeError):
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except _Terminated as err:
        _quiet_stdout()
        click.echo(_SIGNAL_LINES.get(signal.Signals(err.signum).name, "Terminated."), err=True)
        # 128 + the signal: what the shell reports for a process the signal killed.
        sys.exit(128 + err.signum)
    except click.exceptions.Abort as err:
        if isinstance(err.__cause__, KeyboardInterrupt):  # during option parsing
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as err:
        _usage_error(err)
    except click.ClickException as err:
        _error(err.format_message())
    except BitextError as err:
        _error(str(err))
    except _TruncatedInput as err:
        _error(f"an input ended too early ({err}); the file is truncated or damaged: "
               "copy or download it again")
    except MemoryError:
        _error("out of memory; the input is too large for this machine's memory: split it "
               "into smaller documents, or see 'Limits and failure behaviour' in the README")
    except OSError as err:
        # Not a bug in bitext: the system refused a read or a write (EIO, EACCES...).
        if not err.filename and not _cwd_exists():
            # os.getcwd() behind a relative path (abspath, resolve) names no file
            _error("the current folder no longer exists (deleted while the shell was in "
                   "it); cd to an existing folder and run the command again")
        where = f"{err.filename}: " if err.filename else ""
        _error(f"{where}{err.strerror or err}; check the file and the disk")


def _cwd_exists() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return False
    return True


def _usage_error(err: click.UsageError) -> None:
    """One ``Error:`` line for what click refused on the command line.

    A path option or argument that names no usable file (a folder where a file
    is wanted, a file that must exist and does not) is bad input: exit 1, as
    for every other input bitext refuses. Anything else (an unknown option, a
    missing argument, a value out of its range) is a usage error: exit 2. Both
    say where the command's help is instead of click's usage block.
    """
    command = err.ctx.command_path if err.ctx is not None else "bitext"
    message = err.format_message().rstrip(".")
    kind = getattr(getattr(err, "param", None), "type", None)
    if (isinstance(err, click.BadParameter) and not isinstance(err, click.MissingParameter)
            and isinstance(kind, click.Path)):
        wanted = ("a folder" if not kind.file_okay else "a file" if not kind.dir_okay
                  else "a file or folder")
        _error(f"{message}; give the path of {wanted} (see '{command} --help')")
    _error(f"{message} (see '{command} --help')", err.exit_code)


def _error(message: str, code: int = 1) -> None:
    _quiet_stdout()
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(code)


def one_line(text: str) -> str:
    """``text`` with every control character (a line break, a tab, a terminal
    escape) and Unicode line or paragraph separator written as its Python escape
    (``\\n``, ``\\x1b``, ``\\u2028``); other text, spaces included, as it is.

    A message names files and quotes inputs, and a file name may hold any of
    these: the Error line must stay one line, and must not drive the terminal.
    A byte of a file name that is not UTF-8 (Python's surrogate escape,
    U+DC80-U+DCFF) is written as the byte (``\\xff``), as collection ids are
    (:func:`bitext.fileio.read.shown_id`), not as ``\\udcff``.
    """
    import unicodedata

    def shown(ch: str) -> str:
        if "\udc80" <= ch <= "\udcff":
            return f"\\x{ord(ch) - 0xDC00:02x}"
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs"):
            return ch.encode("unicode_escape").decode("ascii")
        return ch

    return "".join(map(shown, text))


def _hold_closed_descriptors() -> None:
    """Open /dev/null on standard input, output or error when the command was
    started without them (``>&-``, some daemons and schedulers).

    The next file opened would take the free number and get what is written to
    that stream: messages of a C library, the output of every worker process
    started after it. Python keeps ``sys.stdout`` as ``None`` for a stream that
    was closed at start, so data meant for stdout is still refused (an
    ``Error:`` line, :func:`bitext.fileio.write.output_kind`), not thrown away.
    """
    for fd, flags in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            try:
                held = os.open(os.devnull, flags)
            except OSError:  # pragma: no cover - no /dev/null: nothing better to do
                return
            if held != fd:
                os.dup2(held, fd)
                os.close(held)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of a closed pipe
    (or of half-written data) cannot print a second message."""
    if sys.stdout is None:  # started with stdout closed: nothing to flush
        return
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass


if __name__ == "__main__":  # python -m bitext.cli
    main()
