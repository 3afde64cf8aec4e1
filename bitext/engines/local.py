"""The local engine: a pool of worker processes on this machine.

Each worker loads the model once (:func:`bitext.build.prepare_worker`) and then
takes documents one at a time, largest first as the caller ordered them, so a
long report never waits at the end of the run while the other cores idle.
With one job the documents are built in this process (no pool to start).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bitext.build import BuildResult, BuildSettings, prepare_worker, try_build
from bitext.errors import BitextError

if TYPE_CHECKING:
    from bitext.engines import Task

log = logging.getLogger(__name__)


# A worker whose model failed to load reports that on every document it takes
# (raising in a pool initializer would make the pool respawn workers forever).
_INIT_ERROR: str | None = None


def _init(settings: BuildSettings) -> None:
    global _INIT_ERROR
    try:
        # Each worker is one process on one core: the encoder must not fork helpers.
        prepare_worker(settings, threads=1)
    except BitextError as err:
        _INIT_ERROR = str(err)


def _run(task: Task, settings: BuildSettings) -> BuildResult:
    doc, folder = task
    if _INIT_ERROR is not None:
        return BuildResult(id=doc.id, status="failed", error=_INIT_ERROR)
    return try_build(doc, folder, settings)


def _run_star(args: tuple[Task, BuildSettings]) -> BuildResult:
    from bitext.engines import compact

    return compact(_run(*args))


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
        from bitext.align.encoders import available_cores

        self.jobs = jobs or available_cores()
        self._pool: Any = None
        self._loaded: tuple[str, str | None] | None = None  # the pool's (encoder, cache)

    def start(self, settings: BuildSettings) -> None:
        """Start the pool of :attr:`jobs` workers, each loading the model, in
        the background (returns at once)."""
        if self.jobs > 1 and self._pool is None:
            self._pool = self._new_pool(self.jobs, settings)

    def close(self, wait: bool = True) -> None:
        """Stop the pool :meth:`start` started (its workers hold no work then)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def _new_pool(self, jobs: int, settings: BuildSettings) -> Any:
        # "spawn": a fresh interpreter per worker, so nothing the parent imported
        # or started (threads, BLAS pools) is inherited half-initialised.
        ctx = multiprocessing.get_context("spawn")
        self._loaded = (settings.encoder, settings.cache)
        return ctx.Pool(jobs, initializer=_init, initargs=(settings,))

    def run(self, tasks: Sequence[Task], settings: BuildSettings) -> Iterator[BuildResult]:
        """Yield one result per task as documents finish (completion order)."""
        if not tasks:
            return
        if self._pool is not None and self._loaded != (settings.encoder, settings.cache):
            self.close()  # workers of another model: start them anew
        own = self._pool is None
        jobs = min(self.jobs, len(tasks))
        if own and jobs == 1:
            from bitext.align.encoders import available_cores

            # One worker may use every core for a long document's embedding.
            prepare_worker(settings, threads=available_cores())
            for task in tasks:
                yield _run(task, settings)
            return
        pool = self._pool if not own else self._new_pool(jobs, settings)
        done = False
        try:
            # chunksize 1: documents vary a hundredfold in length; bigger chunks
            # would tie several long ones to one worker.
            yield from pool.imap_unordered(_run_star, [(t, settings) for t in tasks], chunksize=1)
            done = True
        finally:
            if own or not done:
                # A run that stopped early (--max-failures) leaves documents
                # queued in the pool: its workers must not build them later.
                if pool is self._pool:
                    self._pool = None
                pool.terminate()
                pool.join()
