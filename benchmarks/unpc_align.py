"""Sentence alignment on real UN sentences with n-m joins and drops (any UN language pair).

    python benchmarks/unpc_align.py                       # zh-en, encoder use
    python benchmarks/unpc_align.py --pair ar-en          # also es-en, fr-en, ru-en, zh-fr ...
    python benchmarks/unpc_align.py --aligner bertalign   # Bertalign's algorithm, same encoder
    python benchmarks/unpc_align.py --json                # one JSON object on stdout

The data is ``../shared/data/unpc-testset`` (4,000 sentences of 731 UN documents
of 2015 in the six languages, 1-1, one document's lines spread over the file).
The benchmark rebuilds a realistic pair of one-sentence-per-line files from it:

1. group the lines by document (``testset.ids``) and sort each document into
   reading order by the source language's line and sentence numbers (the six
   orders agree on this set); documents follow one another in the order of
   their ids;
2. perturb it with a fixed seed (``--seed``, default 13), walking the pairs in
   order, independently on each side:

   - with probability ``--join`` (default .03) a sentence is joined with the
     next one on that side (and with the one after that with the same
     probability again, so 3-sentence joins occur), giving 2-1, 1-2, 3-1 and,
     where joins overlap on the two sides, 2-2 and larger beads;
   - with probability ``--drop`` (default .01) a sentence is dropped on that
     side (never on both), giving 1-0 and 0-1 beads;

   joined texts are glued the way the language writes them (no space in
   Chinese, a space elsewhere);
3. gold beads are the connected groups of lines that share an original pair.

With the defaults the zh-en files have about 3,900 lines a side. The two files
are then aligned by a whole ``bitext align --segmented`` process (run under
``nice``), and its beads are scored strict and lax (Vecalign's definitions:
precision ignores predicted beads with an empty side, recall gold beads with an
empty side). Time is the wall time of that process; peak memory is its maximum
resident set (``ru_maxrss`` of the finished child).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bitext.align.evaluate import Bead, read_beads, score_beads
from bitext.types import join_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_io import save_result

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository, or where BITEXT_SHARED says (a git worktree elsewhere).
SHARED = Path(os.environ.get("BITEXT_SHARED", ROOT.parent / "shared"))
DEFAULT_DATA = SHARED / "data" / "unpc-testset"
LANGS = ("ar", "en", "es", "fr", "ru", "zh")


def load_documents(data: Path, src: str, tgt: str) -> list[list[tuple[str, str]]]:
    """The test set as documents of ``(src sentence, tgt sentence)`` in reading order."""

    def read(name: str) -> list[str]:
        with (data / name).open(encoding="utf-8") as fh:
            return [line.rstrip("\n") for line in fh]

    ids = [line.split() for line in read("testset.ids")]
    s_lines, t_lines = read(f"testset.{src}"), read(f"testset.{tgt}")
    docs: dict[str, list[tuple[tuple[int, int], int]]] = defaultdict(list)
    for k, fields in enumerate(ids):
        where = dict(f.split(":", 1) for f in fields[1:])
        line, sent = where[src].split(":")
        docs[fields[0]].append(((int(line), int(sent)), k))
    return [[(s_lines[k], t_lines[k]) for _, k in sorted(docs[d])] for d in sorted(docs)]


def perturb(
    pairs: list[tuple[str, str]], src: str, tgt: str, *, seed: int, join: float, drop: float
) -> tuple[list[str], list[str], list[Bead]]:
    """Join and drop sentences on each side; return both line lists and the gold beads."""
    rng = random.Random(seed)
    n = len(pairs)
    # line[side][k]: the line that holds original pair k on that side (None if dropped)
    line: list[list[int | None]] = [[None] * n, [None] * n]
    out: list[list[str]] = [[], []]
    dropped = [rng.random() < drop for _ in range(n)]
    side_of_drop = [rng.randrange(2) for _ in range(n)]
    for side, lang in ((0, src), (1, tgt)):
        k = 0
        while k < n:
            group = []
            while k < n:
                if not (dropped[k] and side_of_drop[k] == side):
                    group.append(k)
                k += 1
                if group and not (k < n and rng.random() < join):
                    break
            if not group:
                continue
            for q in group:
                line[side][q] = len(out[side])
            out[side].append(join_sentences([pairs[q][side] for q in group], lang))
    # Gold: union of the lines that share an original pair.
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k in range(n):
        nodes = [(side, ln) for side, ln in ((0, line[0][k]), (1, line[1][k])) if ln is not None]
        for x in nodes:
            find(x)
        if len(nodes) == 2:
            parent[find(nodes[0])] = find(nodes[1])
    groups: dict[tuple[int, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for x in list(parent):
        groups[find(x)][x[0]].append(x[1])
    gold = [(tuple(sorted(s)), tuple(sorted(t))) for s, t in groups.values()]
    # Along the path: by first source line, a 0-1 bead by the target line it follows.
    gold.sort(key=lambda b: (b[0][0] if b[0] else -1, b[1][0] if b[1] else -1))
    return out[0], out[1], gold


def build(data: Path, src: str, tgt: str, seed: int, join: float, drop: float
          ) -> tuple[list[str], list[str], list[Bead]]:
    """The perturbed line lists of the whole test set and their gold."""
    pairs = [p for doc in load_documents(data, src, tgt) for p in doc]
    return perturb(pairs, src, tgt, seed=seed, join=join, drop=drop)


def bead_stats(gold: list[Bead]) -> dict[str, int]:
    """How many gold beads of each shape (``"1-1"``, ``"2-1"``, ``"1-0"`` ...)."""
    out: dict[str, int] = defaultdict(int)
    for s, t in gold:
        out[f"{len(s)}-{len(t)}"] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def run_process(cmd: list[str], nice: int) -> tuple[float, float, float]:
    """Run ``cmd`` under ``nice``; return (wall seconds, CPU seconds, peak RSS in MB).

    CPU seconds (user + system, the process and the workers it waited for) vary
    much less with the load of a shared machine than wall time does.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu0 = usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    proc = subprocess.run(["nice", "-n", str(nice), *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu0
    # ru_maxrss of children is the largest finished child so far (kB on Linux).
    return wall, cpu, max(usage.ru_maxrss, before) / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--pair", default="zh-en", help="SRC-TGT among ar, en, es, fr, ru, zh")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--join", type=float, default=0.03, help="join probability per sentence")
    ap.add_argument("--drop", type=float, default=0.01, help="drop probability per pair")
    ap.add_argument("--aligner", choices=["bitext", "bertalign"], default="bitext")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--nice", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="keep the input, gold and predicted files here")
    ap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    ap.add_argument("--save", action="store_true",
                    help="also write benchmarks/results/unpc-PAIR-ALIGNER.json")
    args = ap.parse_args(argv)
    src, _, tgt = args.pair.partition("-")
    if src not in LANGS or tgt not in LANGS or src == tgt:
        sys.exit(f"error: --pair {args.pair!r}: expected SRC-TGT of {', '.join(LANGS)}")
    if not (args.data / "testset.ids").is_file():
        sys.exit(f"error: {args.data}/testset.ids not found; pass --data")
    s_lines, t_lines, gold = build(args.data, src, tgt, args.seed, args.join, args.drop)
    work = args.keep or Path(tempfile.mkdtemp(prefix="unpc-align-"))
    try:
        work.mkdir(parents=True, exist_ok=True)
        sp, tp = work / f"unpc.{src}", work / f"unpc.{tgt}"
        sp.write_text("\n".join(s_lines) + "\n", encoding="utf-8")
        tp.write_text("\n".join(t_lines) + "\n", encoding="utf-8")
        (work / "gold.beads").write_text(
            "".join(f"{list(s)}:{list(t)}\n" for s, t in gold), encoding="utf-8")
        pred = work / f"pred.{args.aligner}.beads"
        env_python = sys.executable
        if args.aligner == "bitext":
            cmd = [env_python, "-m", "bitext", "align", str(sp), str(tp), "--segmented",
                   "--src-lang", src, "--tgt-lang", tgt, "--encoder", args.encoder, "-o", str(pred)]
        else:
            cmd = [env_python, str(ROOT / "benchmarks" / "bertalign_use.py"), str(sp), str(tp),
                   "--encoder", args.encoder, "-o", str(pred)]
        os.environ.setdefault("PYTHONPATH", str(ROOT))
        wall, cpu, peak = run_process(cmd, args.nice)
        scores = score_beads(gold, read_beads(pred))
    finally:
        if not args.keep:  # the inputs and the prediction are scratch
            shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "unpc_align", "pair": args.pair, "aligner": args.aligner,
        "encoder": args.encoder, "seed": args.seed, "join": args.join, "drop": args.drop,
        "lines_src": len(s_lines), "lines_tgt": len(t_lines), "gold_beads": len(gold),
        "gold_shapes": bead_stats(gold),
        "strict_precision": round(scores["strict_precision"], 4),
        "strict_recall": round(scores["strict_recall"], 4),
        "strict_f1": round(scores["strict_f1"], 4),
        "lax_f1": round(scores["lax_f1"], 4),
        "time_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_mb": round(peak),
        "load_1min": round(os.getloadavg()[0], 1),
    }
    if args.save:
        save_result(f"unpc-{args.pair}-{args.aligner}", result)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:18} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
