"""Bible zh-en benchmark: align the N-English-line slice and score it against the verses.

Usage (from the repository root)::

    python benchmarks/bible.py                      # 5,000 English lines, encoder 'use'
    python benchmarks/bible.py --lines 30000
    python benchmarks/bible.py --encoder length     # Gale-Church baseline, same search

The data folder (``../shared/data/bible-zh-en`` by default) holds ``bible.zh``,
``bible.en`` and the verse id of every line (``zh.verse``, ``en.verse``); see its
README. Two metrics are reported and must not be mixed: **strict** (a predicted
bead counts only if it equals a verse bead) and **verse-merged** (consecutive
predicted beads inside one verse are merged first, as in Bertalign's Bible script).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

from bitext.align.encoders import get_encoder
from bitext.align.evaluate import (
    format_beads,
    gold_beads_from_groups,
    merge_within_groups,
    score_beads,
)
from bitext.align.sentences import MAX_BEAD, SearchParams, align_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_io import save_result

# ../shared beside the repository, or where BITEXT_SHARED says (a git worktree elsewhere).
REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BITEXT_SHARED", REPO.parent / "shared"))
DEFAULT_DATA = SHARED / "data" / "bible-zh-en"


def load_slice(data: Path, lines: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """The first ``lines`` English lines and the Chinese lines of the same verses."""

    def read(name: str) -> list[str]:
        with (data / name).open(encoding="utf-8") as fh:
            return [line.rstrip("\n") for line in fh]

    en, en_verse = read("bible.en"), read("en.verse")
    zh, zh_verse = read("bible.zh"), read("zh.verse")
    if lines > len(en):
        sys.exit(f"error: {data}/bible.en has only {len(en)} lines")
    en, en_verse = en[:lines], en_verse[:lines]
    wanted = set(en_verse)
    # Chinese lines run in the same verse order; keep them up to the last wanted verse.
    last = max((k for k, v in enumerate(zh_verse[: len(zh)]) if v in wanted), default=-1)
    zh, zh_verse = zh[: last + 1], zh_verse[: last + 1]
    return zh, en, zh_verse, en_verse


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (``ru_maxrss`` is in kilobytes on Linux).

    ``RUSAGE_CHILDREN`` gives the largest of the finished worker processes that
    embedded sentences in parallel (they share the model pages with this one).
    """
    return resource.getrusage(who).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--lines", type=int, default=5000, help="English lines (default 5000)")
    ap.add_argument("--encoder", default="use", help="use (default), length, st:<model>")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--max-bead", type=int, default=MAX_BEAD,
                    help=f"most sentences on one side of a bead (default {MAX_BEAD}, as bitext)")
    ap.add_argument("--windows", choices=["sum", "exact", "path"], default=None,
                    help="how multi-sentence windows are embedded (default: path)")
    ap.add_argument("--neighbour-margin", action="store_true",
                    help="Bertalign's neighbour-margin normalisation of cosines")
    ap.add_argument("--beads", type=Path, help="write the predicted beads (zh:en) here")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--save", action="store_true",
                    help="also write benchmarks/results/bible-LINES-ENCODER.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(name)s: %(message)s", stream=sys.stderr)

    zh, en, zh_verse, en_verse = load_slice(args.data, args.lines)
    gold = gold_beads_from_groups(zh_verse, en_verse)
    options: dict[str, object] = {"neighbour_margin": args.neighbour_margin}
    if args.windows is not None:
        options["windows"] = args.windows
    params = SearchParams(**options)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    encoder = get_encoder(args.encoder, threads=args.threads)
    links = align_sentences(zh, en, encoder, src_lang="zh", tgt_lang="en",
                            max_bead=args.max_bead, params=params)
    total = time.perf_counter() - t0
    strict = score_beads(gold, links)
    merged = score_beads(gold, merge_within_groups(links, zh_verse, en_verse))
    t = params.timings
    result = {
        "lines_en": len(en),
        "lines_zh": len(zh),
        "gold_beads": sum(1 for s, g in gold if s and g),
        "encoder": encoder.name,
        "windows": params.windows,
        "strict_precision": round(strict["strict_precision"], 4),
        "strict_recall": round(strict["strict_recall"], 4),
        "strict_f1": round(strict["strict_f1"], 4),
        "lax_f1": round(strict["lax_f1"], 4),
        "verse_merged_f1": round(merged["strict_f1"], 4),
        "time_embed_sentences_s": round(t.get("embed_sentences", 0.0), 1),
        "time_embed_windows_s": round(t.get("embed_windows", 0.0), 1),
        "time_search_s": round(t.get("coarse", 0.0) + t.get("search", 0.0), 1),
        "time_total_s": round(total, 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "peak_rss_workers_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN)),
    }
    if args.save:
        save_result(f"bible-{args.lines}-{args.encoder}", result)
    if args.beads:
        args.beads.write_text(format_beads(links, scores=True), encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:24} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
