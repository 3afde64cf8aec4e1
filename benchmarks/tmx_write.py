"""Benchmark: stream 100,000 units into a TMX and show that memory stays flat.

Each size runs in a fresh process, twice: once for the wall time and the peak
resident set size (``resource.getrusage(...).ru_maxrss``, which never goes down
within a process), once under ``tracemalloc`` for the peak of Python
allocations (slower, so not timed). The units come from a generator, the way
``bitext build`` hands over a long alignment, so nothing but the writer holds
memory.

    python benchmarks/tmx_write.py                 # 1k, 10k and 100k units
    python benchmarks/tmx_write.py --sizes 100000 --gz --dedupe
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

EN = (
    "The Conference of the Parties requested the Secretariat to continue to assist "
    "States in the implementation of the Protocol, item {n}."
)
ZH = "缔约方会议请秘书处继续协助各国实施议定书\uff0c第{n}项。"


def pairs(n: int) -> Iterator[object]:
    from bitext.types import AlignedPair

    for i in range(n):
        # Every third unit has two Chinese sentences, as 1-2 links do.
        zh = (ZH.format(n=i),) if i % 3 else (ZH.format(n=i), "会议还通过了一项决议。")
        yield AlignedPair(zh, (EN.format(n=i),), 0.5 + (i % 50) / 100, str(i // 4), (i,), (i,))


def child(n: int, fmt: str, gz: bool, dedupe: bool, trace: bool) -> dict[str, float]:
    from bitext.tmx import write_alignment

    ext = {"tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl", "moses": ".moses"}[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench{ext}{'.gz' if gz else ''}"
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        stats = write_alignment(
            pairs(n), path, src_lang="zh", tgt_lang="en", doc_id="CTOC/COP/2016/3",
            signature={"bitext": "bench"}, dedupe=dedupe,
        )
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    return {
        "units": stats.written,
        "seconds": seconds,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "traced_peak_mib": peak / 2**20,
        "file_mib": size / 2**20,
    }


def run(n: int, args: argparse.Namespace, trace: bool) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", str(n), "--format", args.format]
    cmd += ["--gz"] * args.gz + ["--dedupe"] * args.dedupe + ["--trace"] * trace
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=os.environ)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--format", default="tmx", choices=["tmx", "tsv", "jsonl", "moses"])
    parser.add_argument("--gz", action="store_true", help="write .gz")
    parser.add_argument("--dedupe", action="store_true", help="drop duplicates (keeps hashes)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.format, args.gz, args.dedupe, args.trace)))
        return
    print(f"format={args.format} gz={args.gz} dedupe={args.dedupe} python={sys.version.split()[0]}")
    print(f"{'units':>9} {'seconds':>8} {'units/s':>9} {'maxrss MiB':>11} "
          f"{'traced peak MiB':>16} {'file MiB':>9}")
    for n in args.sizes:
        timed = run(n, args, trace=False)
        traced = run(n, args, trace=True)
        rate = timed["units"] / timed["seconds"] if timed["seconds"] else 0.0
        print(f"{int(timed['units']):>9} {timed['seconds']:>8.2f} {rate:>9.0f} "
              f"{timed['maxrss_mib']:>11.1f} {traced['traced_peak_mib']:>16.2f} "
              f"{timed['file_mib']:>9.1f}")


if __name__ == "__main__":
    main()
