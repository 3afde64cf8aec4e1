"""Start-up time of the CLI: ``bitext --help`` and ``bitext COMMAND --help``.

    python benchmarks/startup.py [--runs 10]

Prints the median wall time of each over fresh processes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bitext", *args], capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    runs = ap.parse_args().runs
    for args in (["--help"], ["align", "--help"], ["build", "--help"]):
        print(f"bitext {' '.join(args):<16} {median_seconds(args, runs):.3f} s")


if __name__ == "__main__":
    main()
