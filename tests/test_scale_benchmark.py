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


def _collection(tmp_path, spans):
    """A built collection's OUT and tree: each document ``(id, begin, end,
    bytes)`` has one output file dated ``end`` (seconds after 1000.0 on the
    system clock) and a ledger entry of ``end - begin`` seconds."""
    import os

    out, tree = tmp_path / "out", tmp_path / "tree"
    entries = []
    for doc, begin, end, size in spans:
        (out / doc).mkdir(parents=True)
        (tree / doc).mkdir(parents=True)
        (tree / doc / "zh.txt").write_bytes(b"x" * size)
        made = out / doc / "a.beads"
        made.write_text("")
        os.utime(made, (1000.0 + end, 1000.0 + end))
        entries.append({"id": doc, "status": "ok", "seconds": round(end - begin, 3)})
    return out, tree, entries


def test_timeline_splits_the_wall_into_parts_that_add_up(tmp_path) -> None:
    """Two workers: one builds a (1-3 s) then c (3.5-6 s), the other b (2-5 s)
    and the nested d (5-5.5 s): a late start of 1 s, a gap of 0.5 s, a tail of
    0.5 s; the command ran 7 s."""
    out, tree, entries = _collection(tmp_path, [
        ("a", 1.0, 3.0, 2048), ("b", 2.0, 5.0, 1024), ("c", 3.5, 6.0, 1024),
        ("b/d", 5.0, 5.5, 1024)])
    t = _scale().timeline(out, tree, entries, 1000.0, 7.0, 2)
    assert t["startup_s"] == 1.0
    assert t["work_s"] == 8.0
    assert t["idle_s"] == {"late": 1.0, "gaps": 0.5, "tail": 0.5}
    assert t["after_last_s"] == 1.0
    assert sorted(t["docs_per_worker"]) == [2, 2]
    # wall = startup + (work + idle) / workers + after_last
    assert t["check_s"] == 0.0
    assert t["longest_doc"] == {"id": "b", "seconds": 3.0, "began_at": 0.2}
    assert t["rate_kb_s"] == 0.62  # 5 KB in 8 s of work


def test_steal_reads_the_hypervisors_share_of_proc_stat() -> None:
    import os

    scale = _scale()
    tick = os.sysconf("SC_CLK_TCK")
    assert scale.steal(f"cpu  11 12 13 14 15 16 17 {3 * tick} 0 0\ncpu0 1 2\n") == 3.0
    assert scale.steal("cpu  11 12 13\n") == 0.0  # a kernel that does not tell it
    assert scale.steal() >= 0.0


def test_overhead_parts_add_up_to_the_overhead() -> None:
    scale = _scale()

    def run(wall, startup, work, idle, after):
        return {"wall_s": wall, "timeline": {
            "workers": 2, "startup_s": startup, "work_s": work,
            "idle_s": {"late": idle, "gaps": 0.0, "tail": 0.0}, "after_last_s": after}}

    pool, ray = run(20.0, 1.0, 36.0, 0.0, 1.0), run(25.0, 4.0, 38.0, 0.0, 2.0)
    parts = scale.overhead_parts(ray, pool)
    assert parts == {"startup": 0.15, "documents": 0.05, "idle": 0.0, "after_last": 0.05}
    assert sum(parts.values()) == pytest.approx(25.0 / 20.0 - 1)
    rounds = [{"ray_overhead": x, "ray_overhead_parts": parts} for x in (0.3, 0.1, 0.2)]
    assert scale.summary(rounds)["ray_overhead"] == {"median": 0.2, "min": 0.1, "max": 0.3}


def test_the_running_ray_leaves_no_session_folder(tmp_path, monkeypatch) -> None:
    """The instance ``running_ray`` starts beforehand (the joined cluster of the
    Ray rounds) is stopped and its session folder removed, as bitext's own local
    instance's is: each benchmark round left a /tmp/ray/session_* folder."""
    import tempfile
    from pathlib import Path

    pytest.importorskip("ray", reason="not installed: pip install 'bitext[distributed]'")
    # Ray's own folder for this test, short: its socket paths must fit in 107 bytes.
    ray_tmp = Path(tempfile.mkdtemp(prefix="bitext-ray-"))
    monkeypatch.setenv("RAY_TMPDIR", str(ray_tmp))
    try:
        with _scale().running_ray(1) as (address, seconds):
            assert address and seconds > 0
            assert list((ray_tmp / "ray").glob("session_2*"))
        assert list((ray_tmp / "ray").glob("session_*")) == []
    finally:
        import shutil

        shutil.rmtree(ray_tmp, ignore_errors=True)
