"""Stop what a command started when the command is killed (``kill -9``, the
out-of-memory killer): run as ``python -S -E reaper.py PID`` by
:mod:`bitext.engines.ray` for the local Ray instance a build starts.

Ray's GCS and raylet die with the thread that started them
(``PR_SET_PDEATHSIG``), but the raylet's two agents (175 MB) do not: each
sees its raylet gone within 2 s, then waits out a 60 s report to the GCS,
which is gone too, before it exits. A killed command has no chance to stop
them, so this process does: it keeps, every :data:`INTERVAL_S`, the list of
the processes descending from ``PID`` (the command), and when its standard
input ends without a word (the command died: the kernel closed its end of
the pipe) it kills those still alive. A command that stops Ray itself
writes a line first, and this process exits without killing anything.

It imports nothing beyond the standard library and reads ``/proc`` only, so
that it starts in milliseconds; a process is killed only while its start
time is the one listed (a pid reused since is left alone).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys

#: Seconds between two listings of the command's descendants. A listing is a
#: few dozen small /proc reads; Ray's agents come up with the raylet, before
#: ``ray.init`` returns, so a listing half a second old holds them.
INTERVAL_S = 0.5


def _stat(pid: int) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` after the command name, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (a child is listed under the
    thread that started it)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as fh:
                found.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return found


def descendants(root: int) -> dict[int, bytes]:
    """Every process under ``root`` (not ``root`` itself, nor this process),
    with its start time (field 22 of ``/proc/PID/stat``)."""
    found: dict[int, bytes] = {}
    todo = _children(root)
    while todo:
        pid = todo.pop()
        if pid in found or pid == os.getpid():
            continue
        fields = _stat(pid)
        if fields is None or len(fields) < 20:
            continue
        found[pid] = fields[19]
        todo.extend(_children(pid))
    return found


def main(root: int) -> int:
    # Ctrl-C and a closed terminal go to the command, which stops Ray itself
    # and then says so here; this process waits for that word or for its end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    known: dict[int, bytes] = {}
    while True:
        known.update(descendants(root))
        ready, _, _ = select.select([0], [], [], INTERVAL_S)
        if ready:
            if os.read(0, 64):
                return 0  # the command stops its processes itself
            break
        # forget the processes that ended (their pids may be reused)
        known = {pid: start for pid, start in known.items()
                 if (fields := _stat(pid)) is not None and fields[19] == start}
    for pid, start in known.items():
        fields = _stat(pid)
        if fields is not None and fields[19] == start:
            with contextlib.suppress(OSError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
