"""Glossary benchmark: recall and precision-on-gold against a gold term list, and run time.

Usage (from the repository root)::

    python benchmarks/glossary.py                       # gold alignment, --min-freq 1 and 2
    python benchmarks/glossary.py --alignment pipeline  # align zh.txt/en.txt first (encoder use)
    python benchmarks/glossary.py --alignment both --top 30 --json results.json

The corpus folder (``corpora/un-som-2016`` by default) holds ``zh.txt``, ``en.txt``,
``gold.sentences.jsonl`` and ``gold.terms.tsv``. Figures (see
``bitext.glossary.evaluate``):

* **recall**: share of gold pairs whose Chinese term appears in the glossary
  with an accepted English variant;
* **precision on gold**: of the glossary's concepts whose Chinese term is a gold
  term, the share carrying a correct English term.

Times: ``load`` is the one-off start-up (jieba dictionary, CC-CEDICT),
``align`` the pipeline's alignment (0 for the gold alignment), ``extract`` the
term extraction itself.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpora" / "un-som-2016"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--alignment", choices=["gold", "pipeline", "both"], default="gold")
    parser.add_argument("--min-freq", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--encoder", default="use", help="encoder of the pipeline alignment")
    parser.add_argument("--embed", action="store_true",
                        help="also pass the encoder to the extractor (embedding evidence)")
    parser.add_argument("--top", type=int, default=30, help="print the N best concepts")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    from bitext.glossary import extract_glossary
    from bitext.glossary.cedict import load_dictionary
    from bitext.glossary.chinese import candidates
    from bitext.glossary.evaluate import evaluate_concepts, read_gold
    from bitext.tmx.corpus import read_jsonl

    gold = read_gold(args.corpus / "gold.terms.tsv")
    start = time.perf_counter()
    candidates("会员国")
    load_dictionary()
    load = time.perf_counter() - start

    sources: list[tuple[str, Any, float]] = []
    if args.alignment in ("gold", "both"):
        sources.append(("gold", read_jsonl(args.corpus / "gold.sentences.jsonl"), 0.0))
    if args.alignment in ("pipeline", "both"):
        from bitext.pipeline import align_files

        start = time.perf_counter()
        aligned = align_files(args.corpus / "zh.txt", args.corpus / "en.txt",
                              encoder=args.encoder, level="sentence")
        sources.append((f"pipeline ({args.encoder})", aligned, time.perf_counter() - start))
    encoder = None
    if args.embed:
        from bitext.pipeline import load_encoder

        encoder = load_encoder(args.encoder)

    results = []
    print(f"corpus: {args.corpus}  gold pairs: {len(gold)}  load: {load:.1f} s\n")
    print("| alignment | --min-freq | recall | precision on gold | found | on gold "
          "| concepts | align s | extract s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    tops: dict[str, list[str]] = {}
    for name, alignment, align_time in sources:
        for min_freq in args.min_freq:
            start = time.perf_counter()
            concepts = extract_glossary(alignment, encoder=encoder, min_freq=min_freq)
            took = time.perf_counter() - start
            r = evaluate_concepts(concepts, gold)
            row = {"alignment": name, "min_freq": min_freq, "embed": args.embed,
                   "align_seconds": round(align_time, 2), "extract_seconds": round(took, 2),
                   "load_seconds": round(load, 2),
                   **{k: v for k, v in r.items()}}
            results.append(row)
            print(f"| {name} | {min_freq} | {r['recall']:.1%} | {r['precision_on_gold']:.1%} "
                  f"| {r['found']}/{r['gold_pairs']} | {r['correct_on_gold']}/{r['on_gold']} "
                  f"| {r['concepts']} | {align_time:.1f} | {took:.1f} |")
            tops[f"{name}, --min-freq {min_freq}"] = [
                f"{c.zh} = {' | '.join(t.text for t in c.terms_in('en'))}"
                for c in concepts[:args.top]]
    for label, lines in tops.items():
        print(f"\ntop {args.top} ({label}):")
        for n, line in enumerate(lines, 1):
            print(f"{n:3}. {line}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
