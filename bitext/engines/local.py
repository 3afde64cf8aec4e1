"""The local engine: a pool of worker processes on this machine.

Each worker loads the model once (:func:`bitext.build.prepare_worker`) and then
takes documents one at a time, largest first as the caller ordered them, so a
long report never waits at the end of the run while the other cores idle.
With one job the documents are built in this process (no pool to start).

The pool is :class:`concurrent.futures.ProcessPoolExecutor`, not
``multiprocessing.Pool``: when a worker dies (the system's out-of-memory killer,
a ``kill -9``), a Pool starts another and waits for ever for the document the
dead one held, and when a signal to the whole process group (``timeout``,
``kill -- -PGID``, a batch scheduler's cancel) killed an idle worker, which
holds the task queue's lock while it waits, ``Pool.terminate()`` waited for
that lock for ever. The executor reports a dead worker instead
(:class:`~concurrent.futures.process.BrokenProcessPool`): the documents that
were in the pool are built again one at a time on a new pool, so the one that
kills its worker is found and fails with an Error, and the others are built.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import resource_tracker
from typing import TYPE_CHECKING, Any, TypeVar

from bitext.build import BuildResult, BuildSettings, prepare_worker, try_build
from bitext.errors import BitextError

if TYPE_CHECKING:
    from bitext.engines import Task

log = logging.getLogger(__name__)
T = TypeVar("T")


# A worker whose model failed to load reports that on every document it takes
# (raising in a pool initializer would make the pool respawn workers forever).
_INIT_ERROR: str | None = None
# True while this worker runs a document (:func:`_stoppable`).
_BUSY = False


class _Stopped(BaseException):
    """A SIGTERM came to a worker in the middle of a document (the pool is being
    stopped): raised where the worker is, so the writes in flight end as the
    command's own do (:func:`bitext.fileio.write.atomic_write` removes its
    temporary file)."""


def _on_sigterm(signum: int, frame: object) -> None:
    if _BUSY:
        raise _Stopped
    os._exit(128 + signum)  # idle: nothing to clean, end as the signal would


def _stoppable(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` in a worker so that a SIGTERM ends it as a signal ends
    the command: the files it was writing are not left half made (their
    temporary files removed, :class:`_Stopped`), then the worker ends with the
    signal's exit status. The pool's executor would take the exception for the
    task's result and go on to the next one: the worker ends here instead."""
    global _BUSY
    try:
        _BUSY = True
        return fn(*args)
    except _Stopped:
        os._exit(128 + signal.SIGTERM)
    finally:
        _BUSY = False


def _end_with_parent() -> None:
    """End this worker when the process that started it ends.

    A command killed without a chance to stop its pool (``kill -9``, the
    out-of-memory killer choosing it) left its workers waiting for their next
    document for ever, each holding the model: the task queue's pipe is held
    open by every worker, so none sees it close. A spawned process holds a
    sentinel of its parent that becomes ready when the parent ends; a daemon
    thread waits on it (no polling) and ends the process. A document in flight
    is lost with it, as it is when the command stops the pool: its result had
    nobody to record it.
    """
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - a pool worker always has its parent
        return

    def wait() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=wait, name="bitext-parent-watch", daemon=True).start()


def _init(settings: BuildSettings) -> None:
    global _INIT_ERROR
    _end_with_parent()
    # Spawned with SIGINT blocked (see _sigint_held): ignore it, then let it in;
    # one that came while the interpreter started is dropped with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        # Each worker is one process on one core: the encoder must not fork helpers.
        prepare_worker(settings, threads=1)
    except BitextError as err:
        _INIT_ERROR = str(err)


def _run(task: Task, settings: BuildSettings) -> BuildResult:
    doc, folder = task
    if _INIT_ERROR is not None:
        return BuildResult(id=doc.id, status="failed", error=_INIT_ERROR)
    return _stoppable(try_build, doc, folder, settings)


def _run_compact(task: Task, settings: BuildSettings) -> BuildResult:
    from bitext.engines import compact

    return compact(_run(task, settings))


def _ready() -> None:
    """A call that does nothing: submitted once per worker so that they start
    (and load the model) at once instead of at the first documents."""


#: Documents handed to the pool per worker at a time: one building, one waiting,
#: so a worker that finishes never waits for the caller to send the next.
IN_FLIGHT = 2

DIED = ("the worker process building it died (killed by the system: out of memory? "
        "or by a signal); build it alone with --jobs 1 to see its error, or give the "
        "workers more memory")


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Spawn the pool's workers in this block: they take no SIGINT, and a SIGINT
    to this process waits for the block's end.

    Ctrl-C sends SIGINT to the whole process group, the workers too, and the
    command stops the pool itself (Interrupted., exit 130): a worker that took it
    printed a KeyboardInterrupt traceback from wherever it was (importing bitext,
    loading the model, building). So a worker starts with SIGINT blocked (the
    mask survives exec; :func:`_init` ignores it, then lets it in). This process's
    own SIGINT is only noted until the block ends, then raised: Python raises it
    in the main thread even when another thread (OpenBLAS's) took the signal, and
    raised between a worker's spawn and its start-up data, it left that worker
    printing 'EOFError: Ran out of input'.
    """
    came: list[int] = []
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: no handler to set
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            previous = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one pending comes in here
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if came:
        signal.raise_signal(signal.SIGINT)  # what the previous handler does with it


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (once) with SIGHUP blocked.

    It ignores SIGINT and SIGTERM, not SIGHUP: a SIGHUP to the whole process
    group (the terminal closed) ended it, and the command's cleanup started a new
    one, which printed a 'KeyError: /mp-...' traceback for the semaphores it had
    never seen. The mask survives its exec; it still ends when the command's last
    process does (its pipe closes). A SIGHUP to this process waits for the mask's
    end. Started outside :func:`_sigint_held`: the tracker unblocks SIGINT after
    starting its process.

    It starts with its UserWarnings off: after a ``kill -9`` of the command (the
    out-of-memory killer choosing it) the tracker finds the pool's queue
    semaphores still registered and unlinks them, which is its job (none is
    left in /dev/shm), then it printed 'UserWarning: resource_tracker: There
    appear to be 5 leaked semaphore objects to clean up at shutdown' and the
    standard library's source line, after the shell's prompt, where they read
    as the next command's. Nothing leaked, and the user has nothing to do. Its
    tracebacks still show; its warning of a name it could not unlink goes quiet
    too (a -W option matches the start of a message, and both start
    'resource_tracker:'; never seen: the tracker unlinks what this process
    made, in a tmpfs). The option reaches the tracker alone:
    multiprocessing passes ``sys.warnoptions`` to the processes it spawns, the
    workers spawned after it without the option.
    """
    hup = getattr(signal, "SIGHUP", None)
    options = sys.warnoptions[:]
    sys.warnoptions.append(_TRACKER_QUIET)
    try:
        if hup is None:  # pragma: no cover - Windows has no SIGHUP
            resource_tracker.ensure_running()
            return
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {hup})
        try:
            resource_tracker.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    finally:
        sys.warnoptions[:] = options


#: The -W option the resource tracker starts with (:func:`_start_resource_tracker`).
_TRACKER_QUIET = "ignore::UserWarning:multiprocessing.resource_tracker"


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: queued documents are dropped and the workers killed
    (documents in flight are lost, which the run's ledger allows: they are not
    recorded, so a rerun builds them)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the executor has no public way to stop a worker in the middle of
    # a document; its process table is the only handle on them.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for proc in workers:
        if proc.exitcode is None:
            proc.terminate()
    for proc in workers:
        proc.join(10)
        if proc.exitcode is None:
            proc.kill()
            proc.join()
    # Then wait for the executor's own thread, which sees its workers gone and
    # ends at once: left running (shutdown without wait), it closed its wake-up
    # pipe while the interpreter's exit hook was writing to it, and the command
    # ended with "Exception ignored ... Bad file descriptor" and a traceback
    # (seen 2 times in 15 under load).
    pool.shutdown(wait=True, cancel_futures=True)


def _check_workers_fit(jobs: int) -> None:
    """Refuse more workers than this machine's memory holds, each with the model
    loaded (:data:`bitext.limits.RSS_BASE_MB`, measured): ``--jobs 100000``, a
    typo for 10, started worker processes until the run was killed.

    Raises :class:`~bitext.errors.ConfigError` naming the most that fit. A system
    that does not tell its memory is not checked."""
    from bitext.errors import ConfigError
    from bitext.limits import RSS_BASE_MB

    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return
    if total <= 0:
        return
    most = max(1, int(total / (RSS_BASE_MB * 2**20)))
    if jobs > most:
        raise ConfigError(
            f"--jobs {jobs}: each worker process loads the model (about {RSS_BASE_MB:.0f} MB "
            f"of memory), more than this machine's {total / 2**30:.1f} GB of memory holds "
            f"for {jobs}; give at most --jobs {most}, or --engine ray to use several machines")


class LocalEngine:
    """``jobs`` worker processes (default: the cores available).

    :meth:`start` (optional) starts the pool at once, so that the workers come
    up and load the model while the caller scans, hashes and plans (about a
    second on a quiet machine, 2-3 s at load 7, of a 20 s collection); the
    pool then serves every :meth:`run` until :meth:`close`. Without it,
    :meth:`run` starts a pool sized to its documents and stops it at its end.
    One job builds in this process (no pool).
    """

    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        from bitext.limits import available_cores

        if jobs is not None:
            _check_workers_fit(jobs)
        self.jobs = jobs or available_cores()
        self._pool: ProcessPoolExecutor | None = None
        self._loaded: tuple[str, str | None] | None = None  # the pool's (encoder, cache)

    def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
        """Start the pool of :attr:`jobs` workers (at most ``at_most``), each
        loading the model, in the background (returns at once)."""
        jobs = min(self.jobs, at_most) if at_most is not None else self.jobs
        if jobs > 1 and self._pool is None:
            self._pool = self._new_pool(jobs, settings)

    def close(self, wait: bool = True) -> None:
        """Stop the pool :meth:`start` started (its workers hold no work then)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            _stop(pool)

    def _new_pool(self, jobs: int, settings: BuildSettings) -> ProcessPoolExecutor:
        # "spawn": a fresh interpreter per worker, so nothing the parent imported
        # or started (threads, BLAS pools) is inherited half-initialised.
        ctx = multiprocessing.get_context("spawn")
        self._loaded = (settings.encoder, settings.cache)
        _start_resource_tracker()
        pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init, initargs=(settings,))
        try:
            with _sigint_held():
                for _ in range(jobs):  # the executor starts a worker per call while none is idle
                    pool.submit(_ready)
        except BaseException:
            _stop(pool)
            raise
        return pool

    def run(self, tasks: Sequence[Task], settings: BuildSettings) -> Iterator[BuildResult]:
        """Yield one result per task as documents finish (completion order)."""
        if not tasks:
            return
        if self._pool is not None and self._loaded != (settings.encoder, settings.cache):
            self.close()  # workers of another model: start them anew
        own = self._pool is None
        jobs = min(self.jobs, len(tasks))
        if own and jobs == 1:
            from bitext.limits import available_cores

            # One worker may use every core for a long document's embedding.
            prepare_worker(settings, threads=available_cores())
            for task in tasks:
                yield _run(task, settings)
            return
        if own:
            self._pool = self._new_pool(jobs, settings)
        done = False
        try:
            yield from self._serve(tasks, settings, jobs)
            done = True
        finally:
            if own or not done:
                # A run that stopped early (--max-failures, Ctrl-C) leaves documents
                # queued in the pool: its workers must not build them later.
                self.close()

    def _serve(self, tasks: Sequence[Task], settings: BuildSettings,
               jobs: int) -> Iterator[BuildResult]:
        """Feed the pool ``IN_FLIGHT`` documents per worker, largest first.

        When a worker dies, every document in the pool is lost with it; they are
        built again one at a time on a new pool (so the one that kills its worker
        again is known, and fails with an Error), then the run goes on as before.
        """
        queue: deque[Task] = deque(tasks)
        suspects: deque[Task] = deque()
        running: dict[Future[BuildResult], Task] = {}
        barren = 0  # pools replaced in a row without a document finished
        while queue or suspects or running:
            alone = bool(suspects)  # a document that was in a broken pool runs alone
            pool_broken = False
            while (suspects or queue) and len(running) < (1 if suspects else IN_FLIGHT * jobs):
                source = suspects if suspects else queue
                assert self._pool is not None
                try:
                    future = self._pool.submit(_run_compact, source[0], settings)
                except BrokenProcessPool:
                    pool_broken = True
                    break
                running[future] = source.popleft()
                if source is suspects:
                    break  # a suspect runs alone
            lost: list[Task] = []
            if running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        lost.append(task)
                        continue
                    barren = 0
                    yield result
            if not lost and not pool_broken:
                continue
            lost += running.values()  # the pool's other documents went with it
            running.clear()
            if alone and len(lost) == 1:
                doc, _folder = lost[0]
                log.warning("%s: %s", doc.id, DIED)
                yield BuildResult(id=doc.id, status="failed", error=DIED)
            elif lost:
                log.warning("a worker process died (out of memory? killed?); the %d "
                            "documents that were in the pool are built again one at a time",
                            len(lost))
                suspects.extendleft(reversed(lost))
            barren += 1
            if barren > 3:
                raise BitextError("the worker processes keep dying before they finish a "
                                  "document (out of memory?); try --jobs 1")
            assert self._pool is not None
            _stop(self._pool)
            self._pool = self._new_pool(jobs, settings)
