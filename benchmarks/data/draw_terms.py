"""Draw the line pairs of the held-out zh-en term golds (``unpc-zh-en.terms2.tsv``,
``unpc-zh-en.terms3.tsv``).

Usage (from the repository root)::

    python benchmarks/data/draw_terms.py            # the second draw: 150 pairs, TSV on stdout
    python benchmarks/data/draw_terms.py --count 150 --seed 2026
    python benchmarks/data/draw_terms.py --third    # the third draw (seed 2027)
    python benchmarks/data/draw_terms.py --keep WRITTEN.tsv > benchmarks/data/unpc-zh-en.terms2.tsv
    python benchmarks/data/draw_terms.py --held --count 120   # the other pairs' held-out lines
    python benchmarks/data/draw_terms.py --held --keep WRITTEN.tsv --lang fr \
        > benchmarks/data/unpc-en-fr.terms-held.tsv

The first gold (``unpc-zh-en.terms.tsv``) was written from the documents of the
test set sorted by id, shuffled with ``random.Random(9)``, the first 230 (its
lines were those whose English is closest to 220, then 160 characters; this
recomputation finds 221 of its 222 pairs in them). Those 230 documents are left
out here; the other 501 are sorted, shuffled with ``random.Random(SEED)``, and
from each of the first COUNT documents the line whose English length is
closest to 220 characters is drawn (ties: the first line of the test set).

``--third`` draws the third gold's lines: the 150 documents of the second draw
(seed 2026) are left out too, the other 351 are sorted, shuffled with
``random.Random(SEED)`` (2027 unless ``--seed`` says otherwise) and the line of
each of the first COUNT is chosen the same way.

Columns printed: line number of the test set (1-based), document, Chinese, English.

``--keep WRITTEN.tsv`` turns the list written by reading those pairs (columns
zh, en with variants after ``|``, kind, and the drawn pair it was read in)
into the gold: rows of the same Chinese term merged (variants joined, the
first kind kept), and only the English variants that occur with the Chinese
term in one line pair of the test set (normalised as the scorer does; English
as whole words) kept; a row left with none is dropped and named on stderr.
``lines`` is the number of line pairs holding the Chinese term and one kept
variant.

``--held`` draws the held-out lines of the other pairs (``unpc-en-XX.terms-held.tsv``,
session 14): the documents of the en-fr/es/ru draw (ids sorted, ``random.Random(12)``,
the first 140) and of the en-ar draw (``random.Random(13)``, the first 60) are left
out, the rest sorted and shuffled with ``random.Random(14)``, and the line of each of
the first COUNT (120 were read) closest to 220 characters is printed in English,
French, Spanish, Russian and Arabic. ``--keep WRITTEN.tsv --lang fr`` then reads the
written list of all four (header en, fr, es, ru, ar, kind, ...) and keeps the
column of that language.

``--lang ar`` does the same for the English-Arabic gold (``unpc-en-ar.terms.tsv``):
the draw takes all documents (ids sorted, shuffled with ``random.Random(13)``,
a seed of its own) and prints English and Arabic; ``--keep`` reads columns en,
ar and keeps the Arabic variants that occur as whole words in a line pair
whose English holds the English term as whole words.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # --keep imports bitext's normalisation from this checkout
    sys.path.insert(0, str(ROOT))
DEV_DIR = next((p / "shared" / "data" / "unpc-testset" for p in (ROOT.parent, ROOT.parent.parent)
                if (p / "shared").is_dir()), ROOT.parent / "shared" / "data" / "unpc-testset")
FIRST_SEED, FIRST_COUNT = 9, 230  # the first gold's draw (benchmarks/data/README.md)
SECOND_SEED, SECOND_COUNT = 2026, 150  # the second gold's draw (benchmarks/data/README.md)
THIRD_SEED = 2027  # the third gold's draw (benchmarks/data/README.md)
ARABIC_SEED = 13  # the en-ar gold's draw (benchmarks/data/README.md; en-fr/es/ru took 12)
PAIRS_SEED, PAIRS_COUNT = 12, 140  # the en-fr, en-es, en-ru golds' draw (same README)
ARABIC_COUNT = 60  # the en-ar gold's draw: its first 60 documents
HELD_SEED = 14  # the held-out gold of the other pairs (session 14): the documents left
OTHERS = ("fr", "es", "ru", "ar")
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


def later_draw(docs: list[str], taken: set[str], seed: int) -> list[str]:
    """The documents not ``taken``, sorted and shuffled with ``seed``."""
    rest = sorted(d for d in docs if d not in taken)
    random.Random(seed).shuffle(rest)
    return rest


def draw(folder: Path, seed: int, count: int, third: bool = False) -> list[tuple[int, str]]:
    """(0-based line, document) of a held-out draw, in drawing order: the
    second gold's (documents of the first left out), or with ``third`` the
    third gold's (documents of the first and the second left out)."""
    docs = document_lines(folder)
    en = (folder / "testset.en").read_text(encoding="utf-8").split("\n")
    taken = first_draw(list(docs))
    if third:
        taken |= set(later_draw(list(docs), taken, SECOND_SEED)[:SECOND_COUNT])
    rest = later_draw(list(docs), taken, seed)
    return [(min(docs[d], key=lambda i: (abs(len(en[i]) - LENGTH), i)), d)
            for d in rest[:count]]


def english_draw(folder: Path, count: int, seed: int = ARABIC_SEED) -> list[tuple[int, str]]:
    """(0-based line, document) of the en-ar draw (or, with ``PAIRS_SEED``, the
    en-fr/es/ru one): all documents, ids sorted, shuffled with ``seed``, the line
    of each closest to ``LENGTH``."""
    docs = document_lines(folder)
    en = (folder / "testset.en").read_text(encoding="utf-8").split("\n")
    order = sorted(docs)
    random.Random(seed).shuffle(order)
    return [(min(docs[d], key=lambda i: (abs(len(en[i]) - LENGTH), i)), d)
            for d in order[:count]]


def pairs_held_draw(folder: Path, count: int, seed: int = HELD_SEED
                    ) -> list[tuple[int, str]]:
    """(0-based line, document) of the held-out draw of the other pairs: the
    documents of the en-fr/es/ru draw (ids sorted, ``PAIRS_SEED``, the first
    ``PAIRS_COUNT``) and of the en-ar draw (``ARABIC_SEED``, the first
    ``ARABIC_COUNT``) left out, the rest sorted and shuffled with ``seed``, the
    line of each of the first ``count`` closest to ``LENGTH``."""
    docs = document_lines(folder)
    en = (folder / "testset.en").read_text(encoding="utf-8").split("\n")
    taken: set[str] = set()
    for s, n in ((PAIRS_SEED, PAIRS_COUNT), (ARABIC_SEED, ARABIC_COUNT)):
        order = sorted(docs)
        random.Random(s).shuffle(order)
        taken |= set(order[:n])
    rest = later_draw(list(docs), taken, seed)
    return [(min(docs[d], key=lambda i: (abs(len(en[i]) - LENGTH), i)), d)
            for d in rest[:count]]


def keep(written: Path, folder: Path, key: str = "zh", other: str = "en"
         ) -> tuple[list[str], list[str]]:
    """The gold rows (TSV, header first) of a written list, and the pairs dropped.
    ``key`` is the language whose term rows are merged on (Chinese found as a
    substring, any other as whole words); ``other`` the language of the variants."""
    from bitext.glossary.evaluate import normalize

    def lines_of(lang: str) -> list[str]:
        text = (folder / f"testset.{lang}").read_text(encoding="utf-8")
        return [normalize(line) for line in text.split("\n")]

    keys, others = lines_of(key), lines_of(other)
    rows: dict[str, tuple[str, list[str], str]] = {}
    text = written.read_text(encoding="utf-8").splitlines()
    head = text[0].split("\t") if text else []
    # a written list of several languages (header en, fr, es, ru, ar, kind, ...):
    # the column of ``other`` and the column "kind"; otherwise key, other, kind
    col, kind_col = ((head.index(other), head.index("kind"))
                     if other in head and "kind" in head else (1, 2))
    for line in text:
        cells = line.split("\t")
        if (len(cells) <= max(col, kind_col) or not cells[0].strip()
                or line.startswith(f"{key}\t")):
            continue
        norm = normalize(cells[0])
        term, variants, kind = rows.get(norm, (cells[0].strip(), [], cells[kind_col].strip()))
        for v in cells[col].split("|"):
            if v.strip() and v.strip() not in variants:
                variants.append(v.strip())
        rows[norm] = (term, variants, kind)
    out, dropped = [f"{key}\t{other}\tkind\tlines"], []
    for norm, (term, variants, kind) in rows.items():
        if key == "zh":
            where = [i for i, z in enumerate(keys) if norm in z]
        else:
            whole = re.compile(r"(?<!\w)" + re.escape(norm) + r"(?!\w)")
            where = [i for i, z in enumerate(keys) if whole.search(z)]
        kept, lines = [], set()
        for v in variants:
            word = re.compile(r"(?<!\w)" + re.escape(normalize(v)) + r"(?!\w)")
            hits = {i for i in where if i < len(others) and word.search(others[i])}
            if hits:
                kept.append(v)
                lines |= hits
        if kept:
            out.append(f"{term}\t{'|'.join(kept)}\t{kind}\t{len(lines)}")
        elif variants:  # a row whose language was left out has none to drop
            dropped.append(f"{term}\t{'|'.join(variants)}")
    return out, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=None,
                        help=f"shuffle seed ({SECOND_SEED}; {THIRD_SEED} with --third)")
    parser.add_argument("--third", action="store_true",
                        help="the third gold's draw: the second draw's documents left out too")
    parser.add_argument("--count", type=int, default=150)
    parser.add_argument("--lang", choices=list(OTHERS), default=None,
                        help="the English-Arabic gold's draw (seed 13; fr, es, ru: the draw of "
                             "their gold, seed 12, 140 documents) or --keep (columns en, LANG)")
    parser.add_argument("--held", action="store_true",
                        help="the held-out draw of the other pairs (seed 14; the documents of "
                             "the en-fr/es/ru and en-ar draws left out): en, fr, es, ru, ar")
    parser.add_argument("--data", type=Path, default=DEV_DIR, help="the unpc-testset folder")
    parser.add_argument("--keep", type=Path, default=None, metavar="WRITTEN",
                        help="print the gold made of this written list (see above)")
    args = parser.parse_args(argv)
    if not (args.data / "testset.ids").is_file():
        print(f"Error: no testset.ids in {args.data}; give the unpc-testset folder with --data",
              file=sys.stderr)
        return 1
    if args.keep is not None:
        if not args.keep.is_file():
            print(f"Error: no written list at {args.keep}; give the TSV written from the drawn "
                  "pairs (zh, en, kind, pair)", file=sys.stderr)
            return 1
        rows, dropped = (keep(args.keep, args.data, "en", args.lang) if args.lang
                         else keep(args.keep, args.data))
        print("\n".join(rows))
        for d in dropped:
            print(f"dropped (not in one line pair): {d.replace(chr(9), ' = ')}", file=sys.stderr)
        print(f"{len(rows) - 1} pairs kept, {len(dropped)} dropped", file=sys.stderr)
        return 0
    en = (args.data / "testset.en").read_text(encoding="utf-8").split("\n")
    if args.held:
        texts = [(args.data / f"testset.{lang}").read_text(encoding="utf-8").split("\n")
                 for lang in OTHERS]
        seed = args.seed if args.seed is not None else HELD_SEED
        for i, doc in pairs_held_draw(args.data, args.count, seed):
            print("\t".join([str(i + 1), doc, en[i], *(t[i] for t in texts)]))
        return 0
    if args.lang:
        other = (args.data / f"testset.{args.lang}").read_text(encoding="utf-8").split("\n")
        seed, count = ((ARABIC_SEED, args.count) if args.lang == "ar"
                       else (PAIRS_SEED, PAIRS_COUNT))
        for i, doc in english_draw(args.data, count, seed):
            print(f"{i + 1}\t{doc}\t{en[i]}\t{other[i]}")
        return 0
    zh = (args.data / "testset.zh").read_text(encoding="utf-8").split("\n")
    seed = args.seed if args.seed is not None else THIRD_SEED if args.third else SECOND_SEED
    for i, doc in draw(args.data, seed, args.count, third=args.third):
        print(f"{i + 1}\t{doc}\t{zh[i]}\t{en[i]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
