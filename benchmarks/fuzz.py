"""A long fuzzing run: tests/test_fuzz.py under the hypothesis ``fuzz`` profile,
repeated with fresh seeds until the time budget is spent.

Each round runs every property (decoder, reader, cleaner, structure parser,
segmenter, TMX reader and validator, TBX reader) with 5,000 examples each; a
crash is any exception other than a BitextError (one ``Error:`` line at the CLI).

    nice -n 10 python benchmarks/fuzz.py --minutes 30

Prints one line per round and a summary: rounds and rounds with a failure.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0)
    args = ap.parse_args()
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "PYTHONPATH": str(ROOT)}
    end = time.monotonic() + args.minutes * 60
    rounds = failures = 0
    while time.monotonic() < end:
        seed = random.randrange(2**32)
        started = time.monotonic()
        res = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--hypothesis-seed={seed}", str(ROOT / "tests" / "test_fuzz.py")],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
        rounds += 1
        tail = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
        print(f"round {rounds} seed {seed}: {tail} ({time.monotonic() - started:.0f} s)",
              flush=True)
        if res.returncode != 0:
            failures += 1
            print(res.stdout[-4000:], flush=True)
    print(f"{rounds} rounds, {failures} with a failure", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
