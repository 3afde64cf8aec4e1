"""A Ray actor against a pool worker, side by side: the CPU each spends a document.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/ray_paired.py              # the 731 UN documents
    PYTHONPATH=. python benchmarks/ray_paired.py --docs 120

``scale.py`` compares whole runs, one after another: the machine's speed for
the same documents moves by 10-30% between runs (other jobs, the host), which
hides a few percent of a difference between the engines' workers. Here one
Ray actor (as :class:`bitext.engines.ray.RayEngine` makes it, at the command's
niceness) and one local pool worker (as :mod:`bitext.engines.local` starts it)
build the same documents at the same time, each into its own folder, one call
a document each: both see the same load. Printed: the CPU seconds of the
thread that built the documents and of the whole worker process (Ray's own
threads in an actor: the difference), the median per-document ratio, the wall
and the load average (``os.getloadavg``).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def timed_local(task: Any, settings: Any) -> tuple[str, float, float, str]:
    """One document on a pool worker: its thread's and its process's CPU s."""
    from bitext.engines.local import _run_compact

    thread, process = time.thread_time(), time.process_time()
    result = _run_compact(task, settings)
    return (task[0].id, time.thread_time() - thread, time.process_time() - process,
            result.status)


class _Timed:
    """The engine's actor (:class:`bitext.engines.ray._Builder`), timed per call."""

    def __init__(self, settings: Any) -> None:
        from bitext.engines.ray import _Builder

        self.builder = _Builder(settings)

    def build(self, task: Any, settings: Any) -> tuple[str, float, float, str]:
        thread, process = time.thread_time(), time.process_time()
        result = self.builder.build(task, settings)
        return (task[0].id, time.thread_time() - thread, time.process_time() - process,
                result.status)

    def ready(self) -> bool:
        return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=None, help="first N documents (default all)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import ray
    import scale

    from bitext.batch import discover, document_folder
    from bitext.build import BuildSettings
    from bitext.engines import local
    from bitext.engines.ray import LOCAL_SYSTEM_CONFIG

    if not args.shared.is_dir():
        sys.exit(f"error: {args.shared} not found (give --shared)")
    scale.SHARED = args.shared
    settings = BuildSettings(glossary=False)  # as scale.py's runs (--no-glossary)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        scale.make_unpc(base / "tree", args.docs)
        docs = discover([base / "tree"], ("zh", "en"))
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, _system_config=LOCAL_SYSTEM_CONFIG)
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=local._init, initargs=(settings,))
        try:
            actor: Any = ray.remote(num_cpus=1)(_Timed).remote(settings)
            pool.submit(local._ready).result()
            ray.get(actor.ready.remote())  # both have loaded the model
            shared = ray.put(settings)
            got: dict[str, list[tuple[str, float, float, str]]] = {"ray": [], "pool": []}

            def feed_ray() -> None:
                for doc in docs:
                    task = (doc, document_folder(base / "ray", doc))
                    got["ray"].append(ray.get(actor.build.remote(task, shared)))

            def feed_pool() -> None:
                for doc in docs:
                    task = (doc, document_folder(base / "pool", doc))
                    got["pool"].append(pool.submit(timed_local, task, settings).result())

            started = time.perf_counter()
            feeders = [threading.Thread(target=feed_ray), threading.Thread(target=feed_pool)]
            for feeder in feeders:
                feeder.start()
            for feeder in feeders:
                feeder.join()
            wall = time.perf_counter() - started
        finally:
            pool.shutdown()
            ray.shutdown()
    ratios = sorted(a[1] / b[1] for a, b in zip(got["ray"], got["pool"], strict=True) if b[1] > 0)
    print(json.dumps({
        "documents": len(docs),
        **{kind: {"thread_cpu_s": round(sum(r[1] for r in rows), 2),
                  "process_cpu_s": round(sum(r[2] for r in rows), 2),
                  "ok": sum(r[3] == "ok" for r in rows)} for kind, rows in got.items()},
        "median_ratio_ray_over_pool": round(ratios[len(ratios) // 2], 3) if ratios else None,
        "wall_s": round(wall, 1),
        "load": "/".join(f"{x:.1f}" for x in os.getloadavg()),
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
