"""The Ray engine: the same per-document build on Ray actors (``bitext[distributed]``).

Why actors and not Ray Data: a document is the unit of work, it writes its own
files and returns a small record, and the model must be loaded once per worker.
An actor is exactly that (its constructor loads the model; each call builds one
document), and ``ray.wait`` hands the results back in completion order, so the
driver appends each one to ``OUT/manifest.jsonl`` at once and resume works as
with the local pool. Ray Data would add a dataset layer (Arrow blocks, its own
batching and back-pressure) around what is a queue of independent file jobs.

Each actor asks for one CPU. On a cluster, every node needs bitext installed
(with the same models) and the inputs and OUT at the same paths (a shared
file system); Ray schedules the actors over the nodes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bitext.build import BuildResult, BuildSettings, prepare_worker, try_build
from bitext.errors import BitextError, MissingDependencyError

if TYPE_CHECKING:
    from bitext.engines import Task

log = logging.getLogger(__name__)

#: Calls queued on each actor at once (see :meth:`RayEngine._run`).
IN_FLIGHT = 2


class _Builder:
    """What each actor runs: the model loaded once, then one document per call."""

    def __init__(self, settings: BuildSettings) -> None:
        self.settings = settings
        self.error: str | None = None
        try:
            prepare_worker(settings, threads=1)
        except BitextError as err:
            self.error = str(err)

    def build(self, task: Task) -> BuildResult:
        doc, folder = task
        if self.error is not None:
            return BuildResult(id=doc.id, status="failed", error=self.error)
        return try_build(doc, folder, self.settings)


def _ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise MissingDependencyError("ray", extra="distributed") from err
    return ray


class RayEngine:
    """``jobs`` Ray actors (default: every CPU of the cluster); ``address`` joins
    an existing cluster (``auto``, ``ray://head:10001``), else Ray starts locally."""

    name = "ray"

    def __init__(self, jobs: int | None = None, address: str | None = None) -> None:
        self.jobs = jobs
        self.address = address

    def run(self, tasks: Sequence[Task], settings: BuildSettings) -> Iterator[BuildResult]:
        """Yield one result per task as documents finish (completion order)."""
        if not tasks:
            return
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            try:
                ray.init(address=self.address, num_cpus=None if self.address else self.jobs,
                         include_dashboard=False, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise BitextError(f"cannot start or join Ray at {self.address or 'local'}: "
                                  f"{err}; check --ray-address (e.g. auto or "
                                  "ray://head:10001)") from err
        try:
            yield from self._run(ray, tasks, settings)
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, ray: Any, tasks: Sequence[Task], settings: BuildSettings
             ) -> Iterator[BuildResult]:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = max(1, min(self.jobs or cpus, len(tasks)))
        actor_class = ray.remote(num_cpus=1)(_Builder)
        actors = [actor_class.remote(settings) for _ in range(count)]
        queue = list(reversed(tasks))  # pop() takes them in the caller's order
        pending: dict[Any, tuple[Any, Task]] = {}
        replaced: dict[Any, Any] = {}  # a lost actor -> the one started in its place

        def submit(actor: Any) -> None:
            if queue:
                task = queue.pop()
                pending[actor.build.remote(task)] = (actor, task)

        try:
            # Two calls in flight per actor: an actor runs its calls one after
            # another, so the next document is already waiting while the driver
            # records the last one (the manifest line is fsync'ed), and small
            # documents do not leave the actors idle for a round trip each.
            for _ in range(IN_FLIGHT):
                for actor in actors:
                    submit(actor)
            while pending:
                (ref,), _ = ray.wait(list(pending), num_returns=1)
                actor, task = pending.pop(ref)
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayError as err:  # the actor died (e.g. out of memory)
                    log.warning("%s: worker lost (%s); starting another", task[0].id, err)
                    result = BuildResult(id=task[0].id, status="failed",
                                         error=f"worker lost: {type(err).__name__}")
                    if actor not in replaced:
                        replaced[actor] = actor_class.remote(settings)
                        actors.append(replaced[actor])
                    actor = replaced[actor]
                submit(actor)
                yield result
        finally:
            for actor in actors:
                ray.kill(actor)
