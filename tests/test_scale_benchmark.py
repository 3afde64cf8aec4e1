"""The collection benchmark's split of a run's CPU by process (``benchmarks/scale.py``).

The command lines are those a local Ray 2.60 and the local pool give their
processes (paths shortened); the raylet's own arguments name its agents'
scripts, which must not make it an agent.
"""

from __future__ import annotations

import pytest
from script_loader import load_script


def _scale():
    return load_script("benchmarks/scale.py")


SITE = "/venv/lib/python3.11/site-packages/ray"


@pytest.mark.parametrize(("cmdline", "kind"), [
    (f"{SITE}/core/src/ray/gcs/gcs_server --log_dir=/tmp/ray/session_1/logs", "Ray GCS"),
    (f"{SITE}/core/src/ray/raylet/raylet --raylet_socket_name=/tmp/ray/s/raylet "
     f"--dashboard_agent_command=/venv/bin/python {SITE}/dashboard/agent.py "
     f"--runtime_env_agent_command=/venv/bin/python {SITE}/_private/runtime_env/agent/main.py",
     "Ray raylet"),
    ("ray::DashboardAgent", "Ray dashboard agent"),
    ("ray::RuntimeEnvAgent", "Ray runtime-env agent"),
    (f"/venv/bin/python -u {SITE}/_private/log_monitor.py --session-dir=/tmp/ray/s",
     "Ray log monitor"),
    (f"/venv/bin/python -u {SITE}/autoscaler/_private/monitor.py --logs-dir=/tmp/ray/s",
     "Ray autoscaler monitor"),
    (f"/venv/bin/python {SITE}/dashboard/dashboard.py --host=127.0.0.1 --port=8265",
     "Ray API server"),
    ("ray::IDLE", "workers (Ray actors)"),
    ("ray::_Builder.build", "workers (Ray actors)"),
    (f"/venv/bin/python {SITE}/_private/workers/default_worker.py --node-ip-address=1",
     "workers (Ray actors)"),
    ("/venv/bin/python -c from multiprocessing.spawn import spawn_main; "
     "spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork", "workers (pool)"),
    ("/venv/bin/python -c from multiprocessing.resource_tracker import main;main(4)", "other"),
    ("", "other"),
])
def test_process_kind(cmdline: str, kind: str) -> None:
    assert _scale().process_kind(cmdline) == kind


def test_tree_cpu_reads_the_root_process_over_time() -> None:
    """The driver's CPU at a moment of the run is its last sample before it:
    nothing before the first sample, all of it after the last."""
    import os
    import time

    tree = _scale().TreeCpu(os.getpid(), interval=0.01)
    before = time.perf_counter() - 60
    while len(tree.root_samples) < 3:
        sum(range(10_000))  # some CPU to read
    total = tree.stop()
    assert tree.root_cpu_at(before) == 0.0
    assert tree.root_cpu_at(time.perf_counter()) == tree.seen[os.getpid()] <= total + 0.01
    cpus = [cpu for _, cpu in tree.root_samples]
    assert cpus == sorted(cpus)
