"""Accuracy of the full pipeline on a corpus folder with gold files.

    python benchmarks/corpus.py [corpora/un-som-2016] [--encoder use] [--encoder length]

Paragraph alignment is scored against gold.paragraphs.jsonl (one unit per line,
paired 1-1 by label), sentence alignment against gold.sentences.jsonl, both with
strict and lax P/R/F1 (Vecalign/Bertalign definitions). Prints one JSON line per
encoder with the figures, the run time and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from bitext.align.evaluate import corpus_gold, score_beads
from bitext.ingest.document import load_document
from bitext.pipeline import align_both
from bitext.types import Link

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_io import save_result


def paragraph_gold(corpus: Path, src, tgt) -> list[Link]:  # type: ignore[no-untyped-def]
    """Gold unit links: the unit with the same label on each side (or a 1-0/0-1)."""
    rows = [json.loads(x) for x in (corpus / "gold.paragraphs.jsonl").open(encoding="utf-8")]
    s_idx = {u.label: i for i, u in enumerate(src.units)}
    t_idx = {u.label: i for i, u in enumerate(tgt.units)}
    gold = []
    for r in rows:
        s = (s_idx[r["para"]],) if r.get(src.lang) else ()
        t = (t_idx[r["para"]],) if r.get(tgt.lang) else ()
        gold.append(Link(s, t))
    return gold


def run(corpus: Path, encoder: str) -> dict[str, object]:
    t0 = time.perf_counter()
    src = load_document(corpus / "zh.txt", "zh")
    tgt = load_document(corpus / "en.txt", "en")
    sentences, paragraphs = align_both(src, tgt, encoder=encoder)
    elapsed = time.perf_counter() - t0
    _, _, gold = corpus_gold(corpus)
    sent = score_beads(gold, [Link(p.src_ids, p.tgt_ids) for p in sentences.pairs])
    para = score_beads(paragraph_gold(corpus, src, tgt),
                       [Link(p.src_ids, p.tgt_ids) for p in paragraphs.pairs])
    return {
        "corpus": corpus.name, "encoder": encoder,
        "paragraph_strict_f1": round(para["strict_f1"], 4),
        "sentence_strict_f1": round(sent["strict_f1"], 4),
        "sentence_lax_f1": round(sent["lax_f1"], 4),
        "sentence_strict_p": round(sent["strict_precision"], 4),
        "sentence_strict_r": round(sent["strict_recall"], 4),
        "links": len(sentences.pairs), "seconds": round(elapsed, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default="corpora/un-som-2016")
    ap.add_argument("--encoder", action="append", help="use, length, or a model folder")
    ap.add_argument("--save", action="store_true",
                    help="also write benchmarks/results/corpus-NAME-ENCODER.json")
    args = ap.parse_args()
    for enc in args.encoder or ["use", "length"]:
        result = run(Path(args.corpus), enc)
        print(json.dumps(result), flush=True)
        if args.save:
            save_result(f"corpus-{result['corpus']}-{enc}", result)


if __name__ == "__main__":
    sys.exit(main())
