"""Glossary from a large translation memory: time and peak memory by memory size.

Usage (from the repository root)::

    python benchmarks/glossary_memory.py                      # 1k, 10k, 30k units
    python benchmarks/glossary_memory.py --sizes 100000 --gz
    python benchmarks/glossary_memory.py --pair en-fr --sizes 10000 50000 100000

A TMX memory of N units is written from the real zh-en sentence pairs of
``../shared/data`` (the 4,000 UN test-set pairs, then the Bible's verse pairs,
then again from the start with a tuid suffix: a long memory repeats itself, as
real ones do). ``--pair en-fr`` (or any pair of the test set's six languages)
writes that pair's test-set lines instead, repeated the same way. Each size
runs in a fresh process: ``bitext glossary --memory FILE`` through the
library (:func:`bitext.glossary.memories.read_memories`,
:func:`bitext.glossary.run.make_glossary` without embeddings), timed in two
parts (reading, extraction), with the CPU seconds and the peak RSS of the process
(``resource.getrusage``) and the load average when it started and ended.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared" / "data" for p in (ROOT.parent, ROOT.parent.parent)
               if (p / "shared").is_dir()), ROOT.parent / "shared" / "data")

CHILD = r"""
import json, os, resource, sys, time
from bitext.glossary.memories import read_memories
from bitext.glossary.run import make_glossary
load = os.getloadavg()[0]
t0 = time.perf_counter()
memories = read_memories([sys.argv[1]], src_lang=sys.argv[2], tgt_lang=sys.argv[3])
t1 = time.perf_counter()
glossary = make_glossary(memories, embed=False)
t2 = time.perf_counter()
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"units": sum(len(m.pairs) for m in memories), "read_s": round(t1 - t0, 2),
                  "extract_s": round(t2 - t1, 2), "cpu_s": round(use.ru_utime + use.ru_stime, 1),
                  "load": f"{load:.1f}-{os.getloadavg()[0]:.1f}", "concepts": glossary.total,
                  "kept": len(glossary.concepts),
                  "peak_rss_mib": round(use.ru_maxrss / 1024, 1)}))
"""


def pairs(src: str = "zh", tgt: str = "en") -> Iterator[tuple[str, str]]:
    """Real pairs: the UN test set, then (zh-en) the Bible by verse."""
    un = SHARED / "unpc-testset"
    if (src, tgt) != ("zh", "en"):
        a = (un / f"testset.{src}").read_text(encoding="utf-8").splitlines()
        b = (un / f"testset.{tgt}").read_text(encoding="utf-8").splitlines()
        yield from zip(a, b, strict=False)
        return
    zh = (un / "testset.zh").read_text(encoding="utf-8").splitlines()
    en = (un / "testset.en").read_text(encoding="utf-8").splitlines()
    yield from zip(zh, en, strict=False)
    bible = SHARED / "bible-zh-en"
    verses: dict[str, list[list[str]]] = defaultdict(lambda: [[], []])
    for side, lang in enumerate(("zh", "en")):
        lines = (bible / f"bible.{lang}").read_text(encoding="utf-8").splitlines()
        ids = (bible / f"{lang}.verse").read_text(encoding="utf-8").splitlines()
        for line, verse in zip(lines, ids, strict=False):
            verses[verse][side].append(line)
    for z, e in verses.values():
        if z and e:
            yield "".join(z), " ".join(e)


def write_memory(path: Path, n: int, src: str = "zh", tgt: str = "en") -> None:
    base = list(pairs(src, tgt))
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                 '<header creationtool="bench" creationtoolversion="1" segtype="sentence" '
                 'o-tmf="bench" adminlang="en" srclang="en" datatype="plaintext"/>\n<body>\n')
        for i in range(n):
            a, b = base[i % len(base)]
            fh.write(f'<tu tuid="{i + 1}"><tuv xml:lang="{tgt}"><seg>{escape(b)}</seg></tuv>'
                     f'<tuv xml:lang="{src}"><seg>{escape(a)}</seg></tuv></tu>\n')
        fh.write("</body>\n</tmx>\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--gz", action="store_true", help="write the memories as .tmx.gz")
    parser.add_argument("--pair", default="zh-en",
                        help="language pair of the memory (zh-en, en-fr...)")
    args = parser.parse_args(argv)
    src, tgt = args.pair.split("-")
    print("| units | read s | extract s | CPU s | load (start-end) | concepts (kept after cut) "
          "| peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / (f"m{n}.tmx.gz" if args.gz else f"m{n}.tmx")
            write_memory(path, n, src, tgt)
            res = subprocess.run([sys.executable, "-c", CHILD, str(path), src, tgt],
                                 capture_output=True, text=True, check=False)
            if res.returncode != 0:
                print(res.stderr[-2000:], file=sys.stderr)
                return 1
            r = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"| {r['units']:,} | {r['read_s']} | {r['extract_s']} | {r['cpu_s']} | "
                  f"{r['load']} | {r['concepts']:,} ({r['kept']:,}) | {r['peak_rss_mib']} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
