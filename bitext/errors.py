"""The exceptions bitext raises for problems a user can fix.

The CLI turns every :class:`BitextError` into one line on stderr and exit code 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class BitextError(Exception):
    """Base class: a problem with the user's input, settings or environment."""


class Terminated(BaseException):
    """SIGTERM (``kill``) or SIGHUP (the terminal closed) during a command, raised
    by the CLI's handler (see :mod:`bitext.cli`).

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on
    the way up swallows it: it unwinds every ``with`` block, and an atomic write
    in progress removes its temporary file and leaves the old output in place.
    Code that says what a stopped run kept catches it with KeyboardInterrupt.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class InputError(BitextError):
    """An input file is missing, unreadable, empty, binary or in the wrong language."""


class MemoryBudgetError(InputError):
    """An input needs more memory than this process may use: the same input may
    pass on a machine (or in a run) with more."""


class ConfigError(BitextError):
    """An option or setting is invalid."""


class AlignmentError(BitextError):
    """The alignment could not be computed (for example, no sentences on one side)."""


class ExportError(BitextError):
    """An output could not be written."""


class DiskFullError(ExportError):
    """An output could not be written: the disk, or the disk quota, is full. Every
    later write fails the same way, so a collection stops at the first one."""


class MissingDependencyError(BitextError):
    """An optional dependency is not installed; the message says what to install."""

    def __init__(self, what: str, extra: str | None = None, package: str | None = None) -> None:
        hint = f"pip install 'bitext[{extra}]'" if extra else f"pip install {package or what}"
        super().__init__(f"{what} is not installed; install it with: {hint}")
