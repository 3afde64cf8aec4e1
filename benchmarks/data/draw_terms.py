"""Draw the line pairs of the held-out zh-en term gold (``unpc-zh-en.terms2.tsv``).

Usage (from the repository root)::

    python benchmarks/data/draw_terms.py            # 150 pairs, TSV on stdout
    python benchmarks/data/draw_terms.py --count 150 --seed 2026

The first gold (``unpc-zh-en.terms.tsv``) was written from the documents of the
test set sorted by id, shuffled with ``random.Random(9)``, the first 230 (its
lines were those whose English is closest to 220, then 160 characters; this
recomputation finds 221 of its 222 pairs in them). Those 230 documents are left
out here; the other 501 are sorted, shuffled with ``random.Random(SEED)``, and
from each of the first COUNT documents the line whose English length is
closest to 220 characters is drawn (ties: the first line of the test set).

Columns printed: line number of the test set (1-based), document, Chinese, English.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEV_DIR = next((p / "shared" / "data" / "unpc-testset" for p in (ROOT.parent, ROOT.parent.parent)
                if (p / "shared").is_dir()), ROOT.parent / "shared" / "data" / "unpc-testset")
FIRST_SEED, FIRST_COUNT = 9, 230  # the first gold's draw (benchmarks/data/README.md)
LENGTH = 220  # the English length the first gold's lines were chosen by


def document_lines(folder: Path) -> dict[str, list[int]]:
    """The 0-based line numbers of the test set, per document id."""
    ids = (folder / "testset.ids").read_text(encoding="utf-8").split("\n")
    docs: dict[str, list[int]] = {}
    for i, row in enumerate(ids):
        cells = row.split()
        if cells:
            docs.setdefault(cells[0], []).append(i)
    return docs


def first_draw(docs: list[str]) -> set[str]:
    """The documents of the first gold's draw."""
    order = sorted(docs)
    random.Random(FIRST_SEED).shuffle(order)
    return set(order[:FIRST_COUNT])


def draw(folder: Path, seed: int, count: int) -> list[tuple[int, str]]:
    """(0-based line, document) of the held-out draw, in drawing order."""
    docs = document_lines(folder)
    en = (folder / "testset.en").read_text(encoding="utf-8").split("\n")
    taken = first_draw(list(docs))
    rest = sorted(d for d in docs if d not in taken)
    random.Random(seed).shuffle(rest)
    return [(min(docs[d], key=lambda i: (abs(len(en[i]) - LENGTH), i)), d)
            for d in rest[:count]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--data", type=Path, default=DEV_DIR, help="the unpc-testset folder")
    args = parser.parse_args(argv)
    if not (args.data / "testset.ids").is_file():
        print(f"Error: no testset.ids in {args.data}; give the unpc-testset folder with --data",
              file=sys.stderr)
        return 1
    zh = (args.data / "testset.zh").read_text(encoding="utf-8").split("\n")
    en = (args.data / "testset.en").read_text(encoding="utf-8").split("\n")
    for i, doc in draw(args.data, args.seed, args.count):
        print(f"{i + 1}\t{doc}\t{zh[i]}\t{en[i]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
