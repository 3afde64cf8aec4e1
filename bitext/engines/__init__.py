"""Engines: ways of running the per-document build over a collection.

An engine takes ``(document, output folder)`` tasks and the build settings and
yields one :class:`~bitext.build.BuildResult` per task, in completion order.
It knows nothing of alignment: it calls :func:`bitext.build.prepare_worker`
once per worker and :func:`bitext.build.try_build` per document. Two exist:

* ``local`` (:mod:`bitext.engines.local`): a pool of worker processes on this machine;
* ``ray`` (:mod:`bitext.engines.ray`): Ray actors, on this machine or a cluster
  (extra ``bitext[distributed]``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bitext.errors import ConfigError

if TYPE_CHECKING:
    from bitext.build import BuildResult, BuildSettings, SourceDocument

Task = tuple["SourceDocument", Path]

ENGINES = ("local", "ray")


class Engine(Protocol):
    """Runs the build of each task; yields results as documents finish.

    ``start`` may begin bringing the workers up in the background while the
    caller is still hashing and planning (it returns at once), at most
    ``at_most`` of them (the documents found: a worker beyond them would load
    the model for nothing); ``bitext build`` calls it after the scan and every
    check that needs no model, so that their Errors do not wait for a local Ray
    to come up and stop. ``run`` works without it. ``close`` stops what
    ``start`` started (``wait=False``: in the background, while the caller goes
    on).
    """

    def start(self, settings: BuildSettings, at_most: int | None = None) -> None:
        ...

    def run(self, tasks: Sequence[Task], settings: BuildSettings) -> Iterator[BuildResult]:
        ...

    def close(self, wait: bool = True) -> None:
        ...


def get_engine(name: str, *, jobs: int | None = None, address: str | None = None) -> Engine:
    """The engine called ``name`` with ``jobs`` workers (default: the cores available).

    ``address`` is a Ray cluster to join (``ray`` only).
    """
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")
    if name == "local":
        if address:
            raise ConfigError("--ray-address needs --engine ray")
        from bitext.engines.local import LocalEngine

        return LocalEngine(jobs)
    if name == "ray":
        from bitext.engines.ray import RayEngine

        return RayEngine(jobs, address)
    raise ConfigError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def compact(result: BuildResult) -> BuildResult:
    """``result`` as a worker sends it back: without the paths of the files it
    wrote (the driver records counts; the paths were half of a result's pickle,
    830 -> 357 bytes for a UN document)."""
    return dataclasses.replace(result, files=[]) if result.files else result
