"""The README's accuracy table is generated from benchmarks/figures.json, never typed."""

from __future__ import annotations

from script_loader import load_script


def test_readme_table_matches_figures() -> None:
    mod = load_script("benchmarks/readme_table.py")
    assert mod.main(["--check"]) == 0, "run: python benchmarks/readme_table.py"


def _scale_results() -> dict:
    """What scale.py prints for two rounds (the keys ``saved`` reads), made up."""
    def run(wall: float, **more: float) -> dict:
        return {"wall_s": wall, "tree_cpu_s": 2 * wall, "load": "1.0/1.0/1.0", **more}

    parts = {"startup": 0.1, "documents": 0.05, "idle": 0.0, "after_last": 0.01}
    rounds = [
        {"jobs1": run(40.0), "jobs2": run(20.0), "speedup_1_to_2": 2.0,
         "ray2": run(24.0, startup_s=4.2, ray_init_s=2.5), "ray_overhead": 0.2,
         "ray_overhead_parts": parts, "ray2_running": run(22.0), "ray_overhead_running": 0.1,
         "ray_overhead_running_parts": parts},
        {"jobs1": run(36.0), "jobs2": run(20.0), "speedup_1_to_2": 1.8,
         "ray2": run(21.0, startup_s=3.1, ray_init_s=2.0), "ray_overhead": 0.05,
         "ray_overhead_parts": parts, "ray2_running": run(21.0), "ray_overhead_running": 0.05,
         "ray_overhead_running_parts": parts},
    ]
    return {"source": "bible", "documents": 1040, "rounds": rounds,
            "rerun": {"wall_s": 0.5, "cpu_s": 0.6}, "alone": {"identical_beads": 20}}


def test_a_collection_saved_by_scale_renders_its_rounds_and_medians() -> None:
    """scale.py --save writes what readme_table.py renders: each round's
    figure, the median over the rounds and the walls, for the speed-up, a
    local Ray and a Ray already running (the Bible's collection beside the
    UN one, issue #10)."""
    scale = load_script("benchmarks/scale.py")
    table = load_script("benchmarks/readme_table.py")
    results = _scale_results()
    results["summary"] = scale.summary(results["rounds"])
    record = scale.saved(results)
    row = {"measure": "m", "kind": "scale", "result": record}
    _, speedup = table.render_row({**row, "show": "speedup"})
    assert speedup.startswith("**2.00x** and **1.80x** in 2 rounds, median 1.90x"), speedup
    assert "40.0 -> 20.0 s, 36.0 -> 20.0 s" in speedup
    _, ray = table.render_row({**row, "show": "ray", "note": "n"})
    assert ray.startswith("+20.0% and +5.0% in 2 rounds, median **+12.5%**"), ray
    assert "24.0, 21.0 s against the pool's 20.0, 20.0 s" in ray
    assert "start-up until the first document 3.1-4.2 s" in ray and ray.endswith("; n")
    assert "by parts, median: start-up +10.0%, the documents +5.0%" in ray
    _, running = table.render_row({**row, "show": "ray_running"})
    assert running.startswith("+10.0% and +5.0% in 2 rounds, median **+7.5%**"), running
    # a round run with --skip-jobs1 has no speed-up: it is left out, not a crash
    del results["rounds"][1]["jobs1"], results["rounds"][1]["speedup_1_to_2"]
    results["summary"] = scale.summary(results["rounds"])
    _, speedup = table.render_row({**row, "result": scale.saved(results), "show": "speedup"})
    assert speedup.startswith("**2.00x** in one round, median 2.00x (40.0 -> 20.0 s)"), speedup
