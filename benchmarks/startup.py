"""Start-up time of the CLI: ``bitext --help``, ``bitext COMMAND --help``, and
``bitext align --segmented`` of a three-line zh-en pair.

    python benchmarks/startup.py [--runs 10]

Prints, over fresh processes, the median wall time of each and the least CPU
time (user + system of the process). The ``align`` row is what a command that
does real work pays before its first sentence (imports, the model, the zh-en
dictionary): the literary benchmark runs one ``bitext align`` per chapter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Three made-up sentences a side, one per line (--segmented).
ZH = "今天的会议讨论了三个问题。\n代表们同意下周再次开会。\n会议在下午五点结束。\n"
EN = ("Today's meeting discussed three questions.\n"
      "The delegates agreed to meet again next week.\n"
      "The meeting ended at five in the afternoon.\n")


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """(median wall seconds, least CPU seconds) of ``bitext ARGS`` over ``runs`` processes."""
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bitext", *args], capture_output=True, check=True)
        walls.append(time.perf_counter() - t0)
        after = os.times()
        cpus.append(after.children_user + after.children_system
                    - before.children_user - before.children_system)
    return statistics.median(walls), min(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    runs = ap.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        zh, en = Path(tmp, "zh.txt"), Path(tmp, "en.txt")
        zh.write_text(ZH, encoding="utf-8")
        en.write_text(EN, encoding="utf-8")
        cases = (["--help"], ["align", "--help"], ["build", "--help"],
                 ["align", str(zh), str(en), "--segmented"])
        for args in cases:
            label = " ".join([*args[:1], "3 lines", "--segmented"] if len(args) > 2 else args)
            wall, cpu = timed(args, runs)
            print(f"bitext {label:<28} wall {wall:.3f} s  cpu {cpu:.3f} s")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
