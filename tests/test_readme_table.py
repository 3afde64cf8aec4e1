"""The README's accuracy table is generated from benchmarks/figures.json, never typed."""

from __future__ import annotations

from script_loader import load_script


def test_readme_table_matches_figures() -> None:
    mod = load_script("benchmarks/readme_table.py")
    assert mod.main(["--check"]) == 0, "run: python benchmarks/readme_table.py"
